"""The sidebar: mode, answering provider (with its reachability), retrieval settings."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import streamlit as st

from ..abstain import default_confidence
from ..providers import provider_names
from ..settings import Settings
from .render import escape_markdown
from .session import cached_provider_status, session_settings

EDITION_CHOICES = ("Automatic", "ISO 9001:2015", "ISO 9001:2026")
MODES = ("Ask", "Quiz", "Draft", "Audit checklist", "Analytics")
MODE_CAPTIONS = (
    "Questions answered with cited guidance",
    "Quizzes with an answer key, for trainers",
    "Explanations for a team, for consultants",
    "Internal-audit checklists, for auditors",
    "What staff ask and the guidance's gaps, for maintainers",
)


@dataclass
class SidebarChoices:
    mode: str
    settings: Settings  # the base settings with this session's provider and retrieval choices


def choose(base: Settings, allowed: Callable[[str], bool] = lambda mode: True) -> SidebarChoices:
    """Draw the sidebar controls and return what the user picked; only the modes ``allowed``
    (by the user's role) are offered."""
    with st.sidebar:
        st.header(":material/menu_book: isoguide")
        offered = [i for i, m in enumerate(MODES) if allowed(m)]
        mode = st.radio(
            "Mode",
            [MODES[i] for i in offered],
            captions=[MODE_CAPTIONS[i] for i in offered],
            key="mode",
        )

        st.subheader("Answering")
        providers = provider_names(listed_only=True)
        if base.llm.provider not in providers:  # a configured provider is always offered
            providers.append(base.llm.provider)
        provider = st.selectbox(
            "LLM provider",
            providers,
            index=providers.index(base.llm.provider) if base.llm.provider in providers else 0,
            key="provider",
            help="extractive needs no model: answers are sentences quoted from the guidance.",
        )
        status = cached_provider_status(base, provider)
        if status.ok:
            st.success(
                f"**{provider}** is available: {escape_markdown(status.detail)}",
                icon=":material/check_circle:",
            )
        else:
            st.error(
                f"**{provider}** is unreachable: {escape_markdown(status.detail)}. "
                "Answers fall back to quoting the guidance.",
                icon=":material/error:",
            )

        edition = st.selectbox(
            "ISO 9001 edition",
            EDITION_CHOICES,
            key="edition",
            help="Automatic: the edition a question names, else ISO 9001:2015 with Amd 1:2024, "
            "the edition companies certify to today.",
        )
        with st.expander("Retrieval settings"):
            k = st.number_input(
                "Passages per question (k)",
                min_value=1,
                max_value=50,
                value=base.retrieval.k,
                step=1,
                key="k",
            )
            threshold = st.slider(
                "Abstain threshold",
                min_value=0.0,
                max_value=1.0,
                value=float(
                    base.retrieval.abstain_threshold
                    if base.retrieval.abstain_threshold is not None
                    else default_confidence()
                ),
                step=0.01,
                key="abstain_threshold",
                help="How sure the assistant must be that the guidance covers a question "
                "before it answers; below it, it says so instead of guessing.",
            )
    chosen = session_settings(base, str(provider), int(k), float(threshold))
    if edition != EDITION_CHOICES[0]:
        chosen = chosen.derive(edition=str(edition)[-4:])
    return SidebarChoices(str(mode), chosen)
