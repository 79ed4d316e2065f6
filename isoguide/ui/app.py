"""isoguide's Streamlit page: widgets and session state only; behaviour lives in the package
(``isoguide.ui`` for the page pieces). ``isoguide serve`` runs this file; ``app.py`` at the
checkout's root calls ``main()`` so ``streamlit run app.py`` works too."""

from __future__ import annotations

import streamlit as st
from pydantic import ValidationError

from isoguide.errors import IsoguideError
from isoguide.feedback import FeedbackStore
from isoguide.history import HistoryStore
from isoguide.settings import Settings
from isoguide.ui import analytics, ask, checklist, consultant, corpus, sidebar, signin, trainer
from isoguide.ui.render import escape_markdown
from isoguide.ui.session import get_assistant


def main() -> None:
    st.set_page_config(page_title="isoguide: ISO 9001 guidance", page_icon=":material/menu_book:")
    try:
        base = Settings()
    except ValidationError as exc:
        st.error(
            "The isoguide settings (ISOGUIDE_* environment variables) are not valid:\n\n"
            + escape_markdown(str(exc))
        )
        st.stop()

    access = signin.require_access(base)  # stops here with a sign-in page when needed
    choices = sidebar.choose(base, access.may_open)
    signin.account_panel(access)
    settings = choices.settings
    st.title("isoguide")
    st.caption("ISO 9000 / ISO 9001 guidance for small companies. Every answer cites its sources.")

    try:
        assistant = get_assistant(settings)
        corpus.ensure_index(assistant)
        corpus.panel(settings, assistant.store, manage=access.may("manage_guidance"))
        if not access.may_open(choices.mode):
            st.error(f"Your role does not include the {choices.mode} page.")
        elif choices.mode == "Quiz":
            trainer.quiz_page(assistant)
        elif choices.mode == "Draft":
            consultant.draft_page(assistant)
        elif choices.mode == "Audit checklist":
            checklist.checklist_page(assistant)
        elif choices.mode == "Analytics":
            analytics.page(
                assistant,
                HistoryStore.from_settings(settings),
                FeedbackStore.from_settings(settings),
            )
        else:
            keeper = ask.Keeper(
                FeedbackStore.from_settings(settings), HistoryStore.from_settings(settings), access
            )
            ask.page(assistant, keeper)
    except IsoguideError as exc:
        st.error(escape_markdown(str(exc)))


if __name__ == "__main__":
    main()
