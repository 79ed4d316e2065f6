"""Per-session state and the process-wide objects the app shares between sessions."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass, field

import streamlit as st

from ..assistant import Assistant, Turn
from ..models import Answer
from ..providers import ProviderStatus, provider_status
from ..settings import LLMSettings, Settings
from ..store import Store

STATUS_TTL_SECONDS = 20


@dataclass
class ChatMessage:
    """One chat bubble. An assistant message carries its Answer, or an error text."""

    role: str  # "user" | "assistant"
    content: str
    answer: Answer | None = None
    error: bool = False
    id: str = field(default_factory=lambda: uuid.uuid4().hex)


def messages() -> list[ChatMessage]:
    """This session's conversation (created empty on first use)."""
    if "messages" not in st.session_state:
        st.session_state.messages = []
    return st.session_state.messages  # type: ignore[no-any-return]


def history(conversation: list[ChatMessage]) -> list[Turn]:
    """The turns a follow-up question needs: answered questions and their answers; a question
    that ended in an error, and the error, are left out."""
    turns: list[Turn] = []
    for i, m in enumerate(conversation):
        failed = m.error or (
            m.role == "user" and i + 1 < len(conversation) and conversation[i + 1].error
        )
        if not failed:
            turns.append((m.role, m.content))
    return turns


def export_turns(conversation: list[ChatMessage]) -> list[tuple[str, str | Answer]]:
    return [(m.role, m.answer if m.answer is not None else m.content) for m in conversation]


def session_settings(base: Settings, provider: str, k: int, abstain_threshold: float) -> Settings:
    """``base`` with this session's provider and retrieval choices."""
    return base.derive(provider=provider, k=k, abstain_threshold=abstain_threshold)


def _store_key(settings: Settings) -> str:
    parts = [
        str(settings.data_dir.resolve()),
        settings.store.model_dump_json(),
        settings.embedding.model_dump_json(),
    ]
    return "|".join(parts)


@st.cache_resource(show_spinner=False, max_entries=8)
def _store(key: str, _settings: Settings) -> Store:
    """One Store per index (keyed by where it lives), whatever the session's other choices."""
    return Store(_settings)


@st.cache_resource(show_spinner=False, max_entries=16)
def _assistant(settings_json: str, store_key: str) -> Assistant:
    settings = Settings.model_validate_json(settings_json)
    return Assistant(settings, store=_store(store_key, settings))


def get_assistant(settings: Settings) -> Assistant:
    """An assistant for these settings, sharing one Store (and its model) per index."""
    return _assistant(settings.model_dump_json(), _store_key(settings))


@st.cache_data(ttl=STATUS_TTL_SECONDS, show_spinner=False)
def _status(llm_json: str, provider: str) -> ProviderStatus:
    return provider_status(LLMSettings.model_validate_json(llm_json), provider)


def cached_provider_status(settings: Settings, provider: str) -> ProviderStatus:
    """Whether ``provider`` is reachable, re-checked at most every few seconds."""
    return _status(settings.llm.model_dump_json(), provider)


class LineWriter:
    """A text stream (for ``ensure_index``) that shows the latest line in a callback."""

    def __init__(self, show: Callable[[str], None]) -> None:
        self.show = show

    def write(self, text: str) -> int:
        for line in text.replace("\r", "\n").split("\n"):
            if line.strip():
                self.show(line.strip())
        return len(text)

    def flush(self) -> None:
        return None

    def isatty(self) -> bool:
        return False
