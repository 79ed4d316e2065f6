"""Quiz mode (generate, answer key, download, check an item) and Draft mode (edit, download)."""

from __future__ import annotations

import pytest

from isoguide.ui.quiz_page import CORRECT_MARK

from .conftest import AppEnv, no_exception, texts


def _mode(app_env: AppEnv, mode: str):  # type: ignore[no-untyped-def]
    at = app_env.start()
    at = at.sidebar.radio(key="mode").set_value(mode).run()
    no_exception(at)
    assert not at.chat_input, "the chat belongs to Ask mode only"
    return at


def _submit(at, label: str):  # type: ignore[no-untyped-def]
    return next(b for b in at.main.button if b.label == label).click().run()


def test_quiz_is_generated_with_a_grounded_answer_key_and_downloads(
    app_env: AppEnv, downloads: dict[str, bytes]
) -> None:
    at = _mode(app_env, "Quiz")
    at.text_input(key="quiz-topic").set_value("calibration of measuring equipment")
    at.number_input(key="quiz-n").set_value(2)
    at.number_input(key="quiz-seed").set_value(1)
    at = _submit(at, "Generate quiz")
    no_exception(at)
    assert not at.main.error, [e.value for e in at.main.error]
    items = at.session_state["quiz"]["items"]
    assert 1 <= len(items) <= 2
    page = "\n".join(str(m.value) for m in at.main.markdown).replace("\\", "")
    for item in items:
        assert item.question.replace("\\", "") in page
        assert item.checked and all(a in item.options for a in item.answer)
    captions = " ".join(str(c.value) for c in at.main.caption)
    assert "Bloom" in captions and "clause" in captions
    assert CORRECT_MARK not in page  # the key is hidden until asked for
    at = at.toggle(key="quiz-show-key").set_value(True).run()
    page = "\n".join(str(m.value) for m in at.main.markdown).replace("\\", "")
    assert page.count(CORRECT_MARK) == sum(len(i.answer) for i in items)
    slug = "quiz-calibration-of-measuring-equipment"
    assert downloads[f"{slug}.md"].decode().startswith("# Quiz: calibration of measuring equipment")
    assert b"$CATEGORY" in downloads[f"{slug}.gift.txt"]
    assert b'<question type="multichoice">' in downloads[f"{slug}.xml"]
    assert b"ANSWER:" in downloads[f"{slug}.aiken.txt"]
    assert downloads[f"{slug}.qti.zip"][:2] == b"PK"
    assert b'"items"' in downloads[f"{slug}.json"]
    import io

    import docx

    handout = docx.Document(io.BytesIO(downloads[f"{slug}.docx"]))
    text = "\n".join(p.text for p in handout.paragraphs)
    assert "Sources" in text, text[:300]


def test_topics_separated_by_semicolons_make_a_course(
    app_env: AppEnv, downloads: dict[str, bytes]
) -> None:
    at = _mode(app_env, "Quiz")
    at.text_input(key="quiz-topic").set_value(
        "calibration of measuring equipment; management review"
    )
    at.number_input(key="quiz-n").set_value(3)
    at = _submit(at, "Generate quiz")
    no_exception(at)
    assert not at.main.error, [e.value for e in at.main.error]
    state = at.session_state["quiz"]
    assert set(state["topics"]) == {"calibration of measuring equipment", "management review"}
    assert len(state["items"]) == len(state["topics"]) >= 2
    page = "\n".join(str(m.value) for m in at.main.markdown).replace("\\", "")
    assert "#### Quiz: calibration of measuring equipment" in page
    assert "#### Quiz: management review" in page
    slug = "quiz-course-calibration-of-measuring-equipment-management-review"
    assert downloads[f"{slug}.gift.txt"].count(b"::Q") == len(state["items"])


def test_an_item_is_edited_and_regenerated(app_env: AppEnv, downloads: dict[str, bytes]) -> None:
    at = _mode(app_env, "Quiz")
    at.text_input(key="quiz-topic").set_value("management review")
    at.number_input(key="quiz-n").set_value(1)
    at = _submit(at, "Generate quiz")
    no_exception(at)
    first = at.session_state["quiz"]["items"][0]
    at.text_area(key="quiz-edit-stem-0-0").set_value("My own stem?")
    at.text_input(key="quiz-edit-key-0-0").set_value("Z")
    at = _submit(at, "Save item")
    assert "neither an option letter" in " ".join(str(e.value) for e in at.main.error)
    assert at.session_state["quiz"]["items"][0].question == first.question  # nothing lost
    at.text_area(key="quiz-edit-stem-0-0").set_value("My own stem?")
    at.text_input(key="quiz-edit-key-0-0").set_value("A")
    at = _submit(at, "Save item")
    no_exception(at)
    edited = at.session_state["quiz"]["items"][0]
    assert edited.question == "My own stem?" and edited.answer == [edited.options[0]]
    assert edited.checked == ""  # no longer the checker's confirmed item
    assert b"My own stem?" in downloads["quiz-management-review.gift.txt"]
    at = next(b for b in at.main.button if b.label == "Regenerate this item").click().run()
    no_exception(at)
    items = at.session_state["quiz"]["items"]
    if not at.main.error:
        assert items[0].question != "My own stem?" and items[0].checked
    else:
        assert "No other checked item" in str(at.main.error[0].value)


def test_an_uploaded_gift_file_is_checked_item_by_item(app_env: AppEnv) -> None:
    at = _mode(app_env, "Quiz")
    gift = (
        b"::a::What does PDCA stand for? {=Plan, Do, Check, Act ~Prepare, Deliver, Count, Audit}\n\n"
        b"::b::How often must top management review the QMS? {~Every week =At planned intervals}\n"
    )
    at.file_uploader(key="check-file").set_value(("mine.gift", gift, "text/plain"))
    at = at.run()
    at = next(b for b in at.main.button if b.label == "Check every item in the file").click().run()
    no_exception(at)
    page = texts(at).replace("\\", "")
    assert "Item 1." in page and "Item 2." in page
    assert len(at.main.dataframe) == 2
    assert len(at.main.success) + len(at.main.warning) == 2


def test_a_broken_upload_is_a_clear_error(app_env: AppEnv) -> None:
    at = _mode(app_env, "Quiz")
    at.file_uploader(key="check-file").set_value(("bad.txt", b"Question?\nA. one\n", "text/plain"))
    at = at.run()
    at = next(b for b in at.main.button if b.label == "Check every item in the file").click().run()
    no_exception(at)
    assert "bad\\.txt" in " ".join(str(e.value) for e in at.main.error)  # Markdown-escaped


def test_a_quiz_item_is_checked_against_the_guidance(app_env: AppEnv) -> None:
    at = _mode(app_env, "Quiz")
    at.text_area(key="check-question").set_value("What does PDCA stand for?")
    at.text_area(key="check-options").set_value(
        "A. Plan, Do, Check, Act\nB. Prepare, Deliver, Count, Audit\nC. Price, Demand, Cost, Asset"
    )
    at.text_input(key="check-answer").set_value("B")
    at = _submit(at, "Check against the guidance")
    no_exception(at)
    warning = " ".join(str(w.value) for w in at.main.warning).replace("\\", "")
    assert "does not match the guidance" in warning and "Plan, Do, Check, Act" in warning, warning
    table = at.main.dataframe[0].value
    assert list(table["picked"]) == ["yes", "", ""]
    assert any(e.label.startswith("Full passage") for e in at.main.expander)  # evidence panel


def test_a_bad_answer_key_is_a_clear_error(app_env: AppEnv) -> None:
    at = _mode(app_env, "Quiz")
    at.text_area(key="check-question").set_value("What does PDCA stand for?")
    at.text_area(key="check-options").set_value(
        "Plan, Do, Check, Act\nPrepare, Deliver, Count, Audit"
    )
    at.text_input(key="check-answer").set_value("F")
    at = _submit(at, "Check against the guidance")
    no_exception(at)
    assert "neither an option letter" in " ".join(str(e.value) for e in at.main.error)


def test_quiz_on_a_topic_the_guidance_does_not_cover(app_env: AppEnv) -> None:
    at = _mode(app_env, "Quiz")
    at.text_input(key="quiz-topic").set_value("chocolate birthday cake recipes")
    at = _submit(at, "Generate quiz")
    no_exception(at)
    assert "does not cover" in " ".join(str(e.value) for e in at.main.error).replace("\\", "")


def test_draft_is_editable_and_downloads_the_edited_text(
    app_env: AppEnv, downloads: dict[str, bytes]
) -> None:
    pytest.importorskip("isoguide.draft", reason="isoguide/draft.py is not written yet")
    at = _mode(app_env, "Draft")
    at.text_input(key="draft-topic").set_value("management review")
    at.selectbox(key="draft-audience").set_value("shop-floor staff")
    at = _submit(at, "Write draft")
    no_exception(at)
    assert not at.main.error, [e.value for e in at.main.error]
    draft = at.session_state["draft"]
    assert draft.markdown.strip() and draft.citations and not draft.abstained
    assert draft.audience == "shop-floor staff"
    area = at.main.text_area[0]
    assert area.value == draft.markdown
    assert downloads["draft-management-review.md"].decode("utf-8") == draft.markdown
    edited = draft.markdown + "\n\nReviewed by our quality lead.\n"
    at = area.set_value(edited).run()
    assert downloads["draft-management-review.md"].decode("utf-8") == edited
    assert any(e.label.startswith("Full passage") for e in at.main.expander)


def test_draft_on_a_topic_the_guidance_does_not_cover(app_env: AppEnv) -> None:
    pytest.importorskip("isoguide.draft", reason="isoguide/draft.py is not written yet")
    at = _mode(app_env, "Draft")
    at.text_input(key="draft-topic").set_value("chocolate birthday cake recipes")
    at = _submit(at, "Write draft")
    no_exception(at)
    assert at.session_state["draft"].abstained
    assert "does not cover" in " ".join(str(w.value) for w in at.main.warning)
