"""Draft mode (consultants); Quiz mode (trainers) lives in ``quiz_page``."""

from __future__ import annotations

import re

import streamlit as st

from .. import draft
from ..assistant import Assistant
from ..errors import IsoguideError
from .quiz_page import quiz_page
from .render import escape_markdown, show_sources

AUDIENCES = (
    "client management",
    "shop-floor staff",
    "new starters",
    "internal auditors",
    "office staff",
)

__all__ = ["draft_page", "quiz_page"]


# -- draft ----------------------------------------------------------------------------------
def draft_page(assistant: Assistant) -> None:
    st.header("Draft an explanation")
    st.caption("A first draft for your client's team, built from the guidance with its sources.")
    with st.form("draft-form"):
        topic = st.text_input(
            "Topic", placeholder="e.g. why we keep a calibration register", key="draft-topic"
        )
        audience = st.selectbox(
            "Audience",
            AUDIENCES,
            key="draft-audience",
            accept_new_options=True,
            help="Pick one or type your own, e.g. “warehouse team”.",
        )
        write = st.form_submit_button("Write draft", type="primary")
    if write:
        if not topic.strip():
            st.error("Type a topic first, for example “management review”.")
        else:
            try:
                with st.spinner("Drafting from the guidance …"):
                    drafted = draft.draft_explanation(assistant, topic.strip(), str(audience))
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
    key = f"draft-text-{st.session_state.get('draft_round', 0)}"
    text = st.text_area("Draft (Markdown, editable)", value=result.markdown, height=420, key=key)
    slug = re.sub(r"[^a-z0-9]+", "-", result.topic.lower()).strip("-") or "draft"
    st.download_button(
        "Download draft (.md)",
        data=text,
        file_name=f"draft-{slug}.md",
        mime="text/markdown",
        key="draft-download",
    )
    show_sources(result.citations)
