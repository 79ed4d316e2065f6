"""The user's stored conversations in the app: save each message, reopen, delete their own."""

from __future__ import annotations

import streamlit as st

from ..auth import Access
from ..errors import IsoguideError
from ..history import HistoryStore
from .render import escape_markdown
from .session import ChatMessage, messages

_CURRENT = "conversation_id"
_NOTICE = "history_notice"


def save(history: HistoryStore, access: Access, message: ChatMessage) -> None:
    """Keep ``message`` in the user's current conversation (started by its first question).
    A history that cannot be written warns; the chat itself goes on."""
    try:
        current = st.session_state.get(_CURRENT)
        if current is None:
            current = history.new_conversation(access.user_id, message.content)
            st.session_state[_CURRENT] = current
        history.add_message(
            access.user_id,
            current,
            message.id,
            message.role,
            message.content,
            message.answer,
            message.error,
        )
    except IsoguideError as exc:
        st.toast(escape_markdown(f"Not saved to your history: {exc}"), icon=":material/warning:")


def start_new() -> None:
    """An empty chat; the one before stays in the history."""
    messages().clear()
    st.session_state.pop(_CURRENT, None)


def _reopen(history: HistoryStore, user_id: str, conversation_id: str) -> None:
    stored = history.messages(user_id, conversation_id)
    conversation = messages()
    conversation.clear()
    conversation.extend(
        ChatMessage(m.role, m.content, answer=m.answer, error=m.error, id=m.id) for m in stored
    )
    st.session_state[_CURRENT] = conversation_id


def _delete_all(history: HistoryStore, user_id: str) -> None:
    try:
        n = history.delete_user_history(user_id)
    except IsoguideError as exc:
        st.session_state[_NOTICE] = ("error", str(exc))
        return
    start_new()
    st.session_state[_NOTICE] = ("success", f"Deleted your {n} conversation(s).")


def panel(history: HistoryStore, access: Access) -> None:
    """Sidebar: the user's past conversations (reopen one) and deleting their own history."""
    with st.sidebar:
        st.subheader("Your conversations")
        if notice := st.session_state.pop(_NOTICE, None):
            kind, text = notice
            (st.error if kind == "error" else st.success)(escape_markdown(text))
        try:
            past = history.conversations(access.user_id)
        except IsoguideError as exc:
            st.error(escape_markdown(str(exc)))
            return
        if not past:
            st.caption("Your questions and answers are kept here to reopen later.")
            return
        current = st.session_state.get(_CURRENT)
        for c in past:
            st.button(
                c.title,
                key=f"reopen-{c.id}",
                icon=":material/chat:",
                help=f"{c.n_messages} messages · last {c.updated_at[:16].replace('T', ' ')} UTC",
                type="primary" if c.id == current else "secondary",
                width="stretch",
                on_click=_reopen,
                args=(history, access.user_id, c.id),
            )
        with st.popover("Delete my history", icon=":material/delete:", width="stretch"):
            st.markdown(
                f"Delete all {len(past)} of your conversations? Nobody else's are touched. "
                "Ratings you gave stay with the quality lead."
            )
            st.button(
                "Delete",
                key="delete-history",
                type="primary",
                on_click=_delete_all,
                args=(history, access.user_id),
            )
