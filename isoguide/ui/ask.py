"""Ask mode: the chat, streamed answers with sources, feedback, clear and export."""

from __future__ import annotations

import time
from dataclasses import dataclass

import streamlit as st
from streamlit.delta_generator import DeltaGenerator

from ..answer.base import AnswerStream
from ..assistant import Assistant
from ..auth import Access
from ..deliverables.handouts import conversation_deliverable
from ..deliverables.provenance import corpus_version
from ..docx_export import DOCX_MIME, deliverable_docx
from ..errors import IsoguideError, validate_question
from ..export import conversation_markdown
from ..feedback import FeedbackStore
from ..history import HistoryStore
from ..models import Answer
from . import conversations
from .render import escape_markdown, partial_markdown, show_answer
from .session import ChatMessage, export_turns, history, messages

EXAMPLE_QUESTIONS = (
    "What is the PDCA cycle?",
    "What records of competence and training do we need?",
    "What are the inputs to a management review?",
    "How should we control our suppliers?",
)
_PENDING = "pending_question"
STREAM_REFRESH_SECONDS = 0.05


@dataclass(frozen=True)
class Keeper:
    """Where this user's conversation and ratings are kept."""

    feedback: FeedbackStore
    history: HistoryStore
    access: Access


def page(assistant: Assistant, keeper: Keeper) -> None:
    conversation = messages()
    typed = st.chat_input("Ask about ISO 9001, e.g. What is the PDCA cycle?", key="question")
    pending = st.session_state.pop(_PENDING, None)
    question = typed if typed is not None else pending
    for message in conversation:
        _show_message(message, keeper)
    if not conversation and question is None:
        _examples()
    if question is not None:
        _answer(assistant, conversation, question, keeper)
    _conversation_tools(conversation, keeper, assistant)
    conversations.panel(keeper.history, keeper.access)


def _examples() -> None:
    st.markdown("**New here? Try one of these questions:**")
    columns = st.columns(2)
    for i, example in enumerate(EXAMPLE_QUESTIONS):
        columns[i % 2].button(
            example,
            key=f"example-{i}",
            width="stretch",
            on_click=st.session_state.__setitem__,
            args=(_PENDING, example),
        )


def _show_message(message: ChatMessage, keeper: Keeper) -> None:
    with st.chat_message(message.role):
        if message.error:
            st.error(escape_markdown(message.content))
        elif message.answer is not None:
            show_answer(message.answer)
            _feedback_widget(message, keeper)
        else:
            st.markdown(escape_markdown(message.content))


def _answer(
    assistant: Assistant, conversation: list[ChatMessage], question: str, keeper: Keeper
) -> None:
    try:
        question = validate_question(question, assistant.settings.max_question_chars)
    except IsoguideError as exc:
        st.error(escape_markdown(str(exc)))
        return
    prior = history(conversation)
    user = ChatMessage("user", question)
    conversation.append(user)
    conversations.save(keeper.history, keeper.access, user)
    _show_message(user, keeper)
    with st.chat_message("assistant"):
        placeholder = st.empty()
        try:
            answer = _stream(placeholder, assistant.stream(question, prior))
        except IsoguideError as exc:
            placeholder.empty()
            reply = ChatMessage("assistant", str(exc), error=True)
            conversation.append(reply)
            conversations.save(keeper.history, keeper.access, reply)
            st.error(escape_markdown(reply.content))
            return
        placeholder.empty()
        reply = ChatMessage("assistant", answer.answer, answer=answer)
        conversation.append(reply)
        conversations.save(keeper.history, keeper.access, reply)
        show_answer(answer)
        _feedback_widget(reply, keeper)


def _stream(placeholder: DeltaGenerator, stream: AnswerStream) -> Answer:
    """Show text pieces as they arrive; return the final Answer."""
    shown_at = 0.0
    for _ in stream:
        now = time.monotonic()
        if now - shown_at >= STREAM_REFRESH_SECONDS:
            placeholder.markdown(partial_markdown(stream.text) + " ▌")
            shown_at = now
    if not stream.done:
        raise IsoguideError("The assistant stopped before finishing its answer. Ask again.")
    return stream.answer


def _feedback_widget(message: ChatMessage, keeper: Keeper) -> None:
    st.feedback(
        "thumbs", key=f"feedback-{message.id}", on_change=_record_feedback, args=(message, keeper)
    )


def _record_feedback(message: ChatMessage, keeper: Keeper) -> None:
    feedback = keeper.feedback
    value = st.session_state.get(f"feedback-{message.id}")
    assert message.answer is not None
    try:
        if value is None:
            feedback.clear(message.id)
        else:
            feedback.record(
                message.id, message.answer, "up" if value == 1 else "down", keeper.access.user_id
            )
    except IsoguideError as exc:
        st.toast(escape_markdown(str(exc)), icon=":material/warning:")


def conversation_docx(turns: list[tuple[str, str | Answer]], assistant: Assistant) -> bytes:
    return deliverable_docx(
        conversation_deliverable(turns, corpus_version=corpus_version(assistant.store))
    )


def _conversation_tools(
    conversation: list[ChatMessage], keeper: Keeper, assistant: Assistant
) -> None:
    with st.sidebar:
        st.subheader("Conversation")
        left, right = st.columns(2)
        left.button(
            "New chat",
            key="clear-chat",
            help="Start an empty chat; this one stays in your conversations.",
            on_click=conversations.start_new,
            disabled=not conversation,
            width="stretch",
        )
        right.download_button(
            "Export (.md)",
            data=conversation_markdown(export_turns(conversation)),
            file_name="isoguide-conversation.md",
            mime="text/markdown",
            key="export",
            disabled=not conversation,
            width="stretch",
        )
        st.download_button(
            "Export as Word (.docx)",
            data=conversation_docx(export_turns(conversation), assistant) if conversation else b"",
            file_name="isoguide-conversation.docx",
            mime=DOCX_MIME,
            key="export-docx",
            disabled=not conversation,
            width="stretch",
        )
        if keeper.access.may("see_analytics"):
            with st.expander("Feedback review (maintainers)"):
                _feedback_review(keeper.feedback)


def _feedback_review(feedback: FeedbackStore) -> None:
    counts = feedback.counts()
    st.caption(
        f":material/thumb_up: {counts['up']} · :material/thumb_down: {counts['down']} · "
        f"stored in {escape_markdown(str(feedback.path))}"
    )
    rows = [
        {
            "time": r.updated_at,
            "rating": r.rating,
            "question": r.question,
            "answer": r.answer,
            "sources": ", ".join(f"{c.get('title')} › {c.get('section')}" for c in r.citations),
            "provider": r.provider,
        }
        for r in feedback.records()
    ]
    if rows:
        st.dataframe(rows, hide_index=True, width="stretch")
    else:
        st.caption("No ratings yet.")
