"""Draft mode (consultants, quality leads, internal auditors): a cited draft for a kind of
reader and a company, editable as Markdown, downloadable as Markdown, Word or JSON."""

from __future__ import annotations

import json
import re

import streamlit as st

from .. import draft
from ..assistant import Assistant
from ..clauses import VALID_CLAUSES
from ..deliverables.context import AUDIENCES, CompanyContext
from ..docx_export import DOCX_MIME, deliverable_docx
from ..errors import IsoguideError
from .render import escape_markdown, show_sources

CLAUSE_CHOICES = sorted(
    (c for c in VALID_CLAUSES if c.count(".") == 1), key=lambda c: tuple(map(int, c.split(".")))
)


def slug(text: str, default: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or default


def _context_form() -> CompanyContext:
    with st.expander("Company context (optional)"):
        left, right = st.columns(2)
        size = left.number_input(
            "People in the company",
            min_value=0,
            max_value=100_000,
            value=0,
            step=1,
            key="draft-size",
            help="0 means not given.",
        )
        sector = right.text_input(
            "Sector", placeholder="e.g. bakery, machine shop", key="draft-sector"
        )
        na = st.multiselect(
            "Requirements declared not applicable (clause 4.3)",
            CLAUSE_CHOICES,
            key="draft-na",
            help="A draft on a clause declared not applicable explains how to justify that.",
        )
    return CompanyContext(int(size) or None, sector.strip(), tuple(na))


def draft_page(assistant: Assistant) -> None:
    st.header("Draft an explanation")
    st.caption(
        "A first draft for a client, your colleagues or an auditor, built from the guidance "
        "with its sources. Name a clause (\u201c9.3 management review\u201d) to cover all its parts."
    )
    with st.form("draft-form"):
        topic = st.text_input(
            "Topic", placeholder="e.g. clause 7.5 documented information", key="draft-topic"
        )
        audience = st.selectbox("Reader", tuple(AUDIENCES), key="draft-audience")
        context = _context_form()
        write = st.form_submit_button("Write draft", type="primary")
    if write:
        if not topic.strip():
            st.error("Type a topic first, for example \u201cmanagement review\u201d.")
        else:
            try:
                with st.spinner("Drafting from the guidance \u2026"):
                    drafted = draft.draft_explanation(
                        assistant, topic.strip(), str(audience), context
                    )
            except IsoguideError as exc:
                st.error(escape_markdown(str(exc)))
            else:
                st.session_state.draft_round = st.session_state.get("draft_round", 0) + 1
                st.session_state.draft = drafted
    result = st.session_state.get("draft")
    if result is None:
        return
    if result.abstained:
        st.warning(
            f"The guidance does not cover {escape_markdown(result.topic)} well enough for a draft.",
            icon=":material/search_off:",
        )
    if result.uncovered_parts:
        st.info(
            "Parts of the clause the guidance does not cover: "
            + escape_markdown("; ".join(result.uncovered_parts)),
            icon=":material/info:",
        )
    key = f"draft-text-{st.session_state.get('draft_round', 0)}"
    text = st.text_area("Draft (Markdown, editable)", value=result.markdown, height=420, key=key)
    name = f"draft-{slug(result.topic, 'draft')}"
    md, word, data = st.columns(3)
    md.download_button(
        "Download draft (.md)",
        data=text,
        file_name=f"{name}.md",
        mime="text/markdown",
        key="draft-download",
    )
    if result.document is not None:
        word.download_button(
            "Download as Word (.docx)",
            data=deliverable_docx(result.document),
            file_name=f"{name}.docx",
            mime=DOCX_MIME,
            key="draft-download-docx",
            help="The draft as generated, with linked sources (edits above stay in the .md).",
        )
    data.download_button(
        "Download as JSON",
        data=json.dumps(result.to_json(), indent=2, ensure_ascii=False),
        file_name=f"{name}.json",
        mime="application/json",
        key="draft-download-json",
    )
    show_sources(result.citations)
