"""Audit checklist mode (internal auditors): an ISO 19011-style checklist for one clause,
several clauses or the whole standard, shown as a table and downloadable as Word, Excel,
Markdown or JSON, with columns for the auditor's findings."""

from __future__ import annotations

import json

import streamlit as st

from ..assistant import Assistant
from ..checklist import FINDINGS, build_checklist, checklist_markdown
from ..checklist_export import XLSX_MIME, checklist_docx, checklist_xlsx
from ..docx_export import DOCX_MIME
from ..errors import IsoguideError
from .consultant import slug
from .render import escape_markdown, show_sources


def checklist_page(assistant: Assistant) -> None:
    st.header("Internal audit checklist")
    st.caption(
        "Audit questions in plain words, the evidence to look for and typical nonconformities, "
        "each quoted from the guidance with its source. Findings: " + " / ".join(FINDINGS) + "."
    )
    with st.form("checklist-form"):
        clauses = st.text_input(
            "Clauses",
            placeholder="e.g. 9.2 9.3, or 8 for all of clause 8, or all",
            key="checklist-clauses",
        )
        build = st.form_submit_button("Build checklist", type="primary")
    if build:
        try:
            with st.spinner("Building the checklist from the guidance \u2026"):
                st.session_state.checklist = build_checklist(assistant, clauses.split())
        except IsoguideError as exc:
            st.error(escape_markdown(str(exc)))
    result = st.session_state.get("checklist")
    if result is None:
        return
    missing = [r.clause.label for r in result.rows if not r.covered]
    if missing:
        st.warning(
            "The guidance does not cover: "
            + escape_markdown("; ".join(missing))
            + ". Those rows say so instead of guessing.",
            icon=":material/search_off:",
        )
    rows = [
        {
            "clause": r.clause.label,
            "audit question": r.question,
            "evidence to look for": "\n".join(
                f"({e.kind}) {e.quote.text} [{e.quote.n}]" for e in r.evidence
            ),
            "typical nonconformities": "\n".join(f"{q.text} [{q.n}]" for q in r.nonconformities),
            "sources": ", ".join(str(n) for n in r.sources()),
        }
        for r in result.rows
    ]
    st.dataframe(rows, hide_index=True, width="stretch")
    name = f"audit-checklist-{slug('-'.join(result.requested), 'clauses')}"
    word, excel, md, data = st.columns(4)
    word.download_button(
        "Word (.docx)",
        data=checklist_docx(result),
        file_name=f"{name}.docx",
        mime=DOCX_MIME,
        key="checklist-docx",
    )
    excel.download_button(
        "Excel (.xlsx)",
        data=checklist_xlsx(result),
        file_name=f"{name}.xlsx",
        mime=XLSX_MIME,
        key="checklist-xlsx",
    )
    md.download_button(
        "Markdown",
        data=checklist_markdown(result),
        file_name=f"{name}.md",
        mime="text/markdown",
        key="checklist-md",
    )
    data.download_button(
        "JSON",
        data=json.dumps(result.to_json(), indent=2, ensure_ascii=False),
        file_name=f"{name}.json",
        mime="application/json",
        key="checklist-json",
    )
    show_sources(result.citations)
