"""Draft mode with a reader and a company context, its Word download; the Audit checklist mode
with its Word, Excel, Markdown and JSON downloads; the conversation's Word export."""

from __future__ import annotations

import io

from docx import Document
from openpyxl import load_workbook

from .conftest import AppEnv, ask, no_exception


def _mode(app_env: AppEnv, mode: str):  # type: ignore[no-untyped-def]
    at = app_env.start()
    at = at.sidebar.radio(key="mode").set_value(mode).run()
    no_exception(at)
    return at


def _submit(at, label: str):  # type: ignore[no-untyped-def]
    return next(b for b in at.main.button if b.label == label).click().run()


def test_draft_for_auditors_in_a_bakery_downloads_as_word(
    app_env: AppEnv, downloads: dict[str, bytes]
) -> None:
    at = _mode(app_env, "Draft")
    at.text_input(key="draft-topic").set_value("management review")
    at.selectbox(key="draft-audience").set_value("auditors")
    at.number_input(key="draft-size").set_value(9)
    at.text_input(key="draft-sector").set_value("bakery")
    at = _submit(at, "Write draft")
    no_exception(at)
    assert not at.main.error, [e.value for e in at.main.error]
    draft = at.session_state["draft"]
    assert draft.audience == "auditors" and draft.context.size == 9
    assert "## In a bakery" in draft.markdown and "## Typical nonconformities" in draft.markdown
    assert any(
        "9.3.1" in str(i.value).replace("\\", "") for i in at.main.info
    )  # parts the guidance misses
    doc = Document(io.BytesIO(downloads["draft-management-review.docx"]))
    assert doc.paragraphs[0].text == "Management review: a briefing for auditors"
    assert "auditors, a 9-person bakery" in doc.sections[0].header.paragraphs[0].text
    assert b'"clause": "9.3"' in downloads["draft-management-review.json"]


def test_audit_checklist_mode_builds_rows_and_downloads_them(
    app_env: AppEnv, downloads: dict[str, bytes]
) -> None:
    at = _mode(app_env, "Audit checklist")
    at.text_input(key="checklist-clauses").set_value("9.2 9.3")
    at = _submit(at, "Build checklist")
    no_exception(at)
    assert not at.main.error, [e.value for e in at.main.error]
    table = at.main.dataframe[0].value
    assert list(table["clause"])[:2] == [
        "9.2.1 Audit purpose",
        "9.2.2 Audit programme",
    ]
    assert "9.2.1" in " ".join(str(w.value) for w in at.main.warning).replace(
        "\\", ""
    )  # not covered, said so
    name = "audit-checklist-9-2-9-3"
    ws = load_workbook(io.BytesIO(downloads[f"{name}.xlsx"]))["Checklist"]
    assert any(row[0] == "9.3.3" for row in ws.iter_rows(values_only=True))
    assert Document(io.BytesIO(downloads[f"{name}.docx"])).tables
    assert downloads[f"{name}.md"].startswith(b"# Internal audit checklist: clauses 9.2, 9.3")
    assert b'"rows"' in downloads[f"{name}.json"]


def test_a_bad_clause_is_a_clear_error(app_env: AppEnv) -> None:
    at = _mode(app_env, "Audit checklist")
    at.text_input(key="checklist-clauses").set_value("3.1")
    at = _submit(at, "Build checklist")
    no_exception(at)
    assert "not an ISO 9001:2015 clause" in " ".join(str(e.value) for e in at.main.error).replace(
        "\\", ""
    )


def test_conversation_exports_as_word(app_env: AppEnv, downloads: dict[str, bytes]) -> None:
    at = app_env.start()
    at = ask(at, "What is the PDCA cycle?")
    no_exception(at)
    doc = Document(io.BytesIO(downloads["isoguide-conversation.docx"]))
    texts = [p.text for p in doc.paragraphs]
    assert "Question 1" in texts and "What is the PDCA cycle?" in texts and "Sources" in texts
    assert any("[1]" in t for t in texts[: texts.index("Sources")])
