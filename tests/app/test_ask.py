"""Ask mode through AppTest: first run, cited answers, not covered, errors, history, clear,
export and feedback, all against the real index of the fixture corpus."""

from __future__ import annotations

import json
import sqlite3

import pytest

from isoguide.models import NOT_COVERED, Answer

from .conftest import AppEnv, ask, errors, no_exception, texts


def _assistant_markdown(at) -> str:  # type: ignore[no-untyped-def]
    chat = [m for m in at.chat_message if m.name == "assistant"]
    assert chat, "no assistant message on the page"
    return "\n".join(str(e.value) for e in chat[-1].markdown)


def test_first_run_builds_the_index_with_progress(app_env: AppEnv) -> None:
    assert not app_env.data_dir.exists()
    at = app_env.start()
    no_exception(at)
    labels = [s.label for s in at.status]
    assert any(label.startswith("Index built: 7 documents") for label in labels), labels
    assert not list(app_env.data_dir.glob("manifest-*.json")), "the manifest lives in the store"
    metrics = {m.label: m.value for m in at.sidebar.metric}
    assert metrics["Documents"] == "7"
    assert int(metrics["Passages"]) > 7
    # A second visit finds the index and does not build it again.
    again = app_env.start()
    assert not again.status or all("Index built" not in s.label for s in again.status)


def test_answer_is_streamed_with_markers_and_a_sources_panel(app_env: AppEnv) -> None:
    at = ask(app_env.start(), "What does PDCA stand for?")
    no_exception(at)
    assert not errors(at)
    body = _assistant_markdown(at)
    assert r"**\[1\]**" in body, body  # inline citation marker
    assert "The Plan\\-Do\\-Check\\-Act cycle" in body  # source title (escaped Markdown)
    assert ":blue-badge[4\\.4 Quality management system and its processes]" in body
    assert any(e.label == "Full passage [1]" for e in at.expander)
    full = [t.value for t in at.text]
    assert any("PDCA stands for Plan, Do, Check, Act" in t for t in full), full
    assert len(at.feedback) == 1


def test_not_covered_is_shown_distinctly_with_the_closest_sections(app_env: AppEnv) -> None:
    at = ask(app_env.start(), "What is the best recipe for a chocolate birthday cake?")
    no_exception(at)
    warnings = [str(w.value) for w in at.warning]
    assert any(NOT_COVERED in w.replace("\\", "") for w in warnings), warnings
    assert "Closest sections in the guidance" in texts(at)
    assert not any(e.label.startswith("Full passage") for e in at.expander)


@pytest.mark.parametrize("question", ["   ", "x" * 4001])
def test_a_bad_question_is_an_error_message_not_a_trace(app_env: AppEnv, question: str) -> None:
    at = ask(app_env.start(), question)
    no_exception(at)
    message = " ".join(errors(at)).replace("\\", "")
    assert "question is empty" in message or "limit is 4,000" in message, message
    assert not [m for m in at.chat_message if m.name == "assistant"]


def test_example_question_on_first_visit(app_env: AppEnv) -> None:
    at = app_env.start()
    examples = [b for b in at.button if b.key and b.key.startswith("example-")]
    assert len(examples) >= 3
    at = examples[0].click().run()
    no_exception(at)
    assert r"**\[1\]**" in _assistant_markdown(at)
    assert not [b for b in at.button if b.key and b.key.startswith("example-")]


def test_follow_up_passes_the_history(app_env: AppEnv, monkeypatch: pytest.MonkeyPatch) -> None:
    from isoguide.assistant import Assistant

    calls: list[tuple[str, list[tuple[str, str]]]] = []
    original = Assistant.stream

    def spy(self, question, history=()):  # type: ignore[no-untyped-def]
        calls.append((question, list(history)))
        return original(self, question, history)

    monkeypatch.setattr(Assistant, "stream", spy)
    at = ask(app_env.start(), "What are the inputs to a management review?")
    first_answer = [m for m in at.chat_message if m.name == "assistant"]
    at = ask(at, "And what are its outputs?")
    no_exception(at)
    assert calls[0] == ("What are the inputs to a management review?", [])
    question, history = calls[1]
    assert question == "And what are its outputs?"
    assert [role for role, _ in history] == ["user", "assistant"]
    assert history[0][1] == "What are the inputs to a management review?"
    assert history[1][1] and first_answer
    assert len([m for m in at.chat_message if m.name == "assistant"]) == 2


def test_clear_chat_empties_the_conversation(app_env: AppEnv) -> None:
    at = ask(app_env.start(), "What does PDCA stand for?")
    assert at.chat_message
    at = at.button(key="clear-chat").click().run()
    no_exception(at)
    assert not at.chat_message
    assert at.session_state["messages"] == []
    assert [b for b in at.button if b.key and b.key.startswith("example-")]


def test_export_holds_questions_answers_and_sources(
    app_env: AppEnv, downloads: dict[str, bytes]
) -> None:
    at = ask(app_env.start(), "What does PDCA stand for?")
    at = ask(at, "What are the inputs to a management review?")
    no_exception(at)
    exported = downloads["isoguide-conversation.md"].decode("utf-8")
    answers = [m.answer for m in at.session_state["messages"] if m.answer is not None]
    assert len(answers) == 2
    assert "## Question 1" in exported and "## Question 2" in exported
    assert "> What does PDCA stand for?" in exported
    for answer in answers:
        assert isinstance(answer, Answer)
        for c in answer.citations:
            assert f"[{c.n}] {c.title} › {c.section}" in exported
            assert c.quote.splitlines()[0].strip()[:40] in exported


def test_feedback_is_stored_in_sqlite_and_shown_for_review(app_env: AppEnv) -> None:
    at = ask(app_env.start(), "What does PDCA stand for?")
    at = at.feedback[0].set_value(0).run()  # thumbs down first ...
    at = at.feedback[0].set_value(1).run()  # ... then changed to up: one row, rating up
    no_exception(at)
    db = app_env.data_dir / "feedback.sqlite3"
    with sqlite3.connect(db) as conn:
        rows = conn.execute(
            "SELECT question, answer, citations, provider, rating, created_at FROM feedback"
        ).fetchall()
    assert len(rows) == 1
    question, answer, citations, provider, rating, created_at = rows[0]
    assert (question, provider, rating) == ("What does PDCA stand for?", "extractive", "up")
    message = [m for m in at.session_state["messages"] if m.answer is not None][0]
    assert answer == message.answer.answer
    assert [c["title"] for c in json.loads(citations)] == [
        c.title for c in message.answer.citations
    ]
    assert created_at.startswith("20")
    review = at.sidebar.dataframe[0].value
    assert list(review["question"]) == ["What does PDCA stand for?"]
    assert list(review["rating"]) == ["up"]


def test_retrieval_settings_apply_to_this_session(app_env: AppEnv) -> None:
    at = app_env.start()
    at = at.slider(key="abstain_threshold").set_value(0.99).run()
    at = ask(at, "What does PDCA stand for?")
    no_exception(at)
    assert at.session_state["messages"][-1].answer.abstained  # nothing clears a 0.99 bar
    at = at.slider(key="abstain_threshold").set_value(0.1).run()
    at = at.number_input(key="k").set_value(2).run()
    at = ask(at, "What does PDCA stand for?")
    answer = at.session_state["messages"][-1].answer
    assert not answer.abstained
    assert len(answer.hits) <= 2
