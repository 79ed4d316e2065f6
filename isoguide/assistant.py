"""The object every front end uses. It only composes the parts (store, retriever, the
answerer chosen by name) and hands questions on; the answerers never import it."""

from __future__ import annotations

import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING, TextIO

from .answer.base import Answerer, AnswerStream, Turn
from .answer.extractive import ExtractiveAnswerer
from .errors import validate_question
from .models import Answer, SearchResult
from .providers import get_provider, make_chat_model
from .retrieval import Retriever
from .settings import Settings
from .store import Store

if TYPE_CHECKING:
    from langchain_core.language_models import BaseChatModel

__all__ = ["Assistant", "Turn"]


class Assistant:
    """Answers questions from the indexed guidance, always with citations."""

    def __init__(
        self,
        settings: Settings,
        store: Store | None = None,
        retriever: Retriever | None = None,
        chat_model: BaseChatModel | None = None,
    ) -> None:
        self.settings = settings
        self.store = store or Store(settings)
        self.retriever = retriever or Retriever.from_settings(settings, self.store)
        self.extractive = ExtractiveAnswerer(self.retriever, self.store.embeddings, settings)
        self.answerer: Answerer = self._answerer(chat_model)

    @property
    def provider(self) -> str:
        return self.answerer.name

    def _answerer(self, chat_model: BaseChatModel | None) -> Answerer:
        spec = get_provider(self.settings.llm.provider)
        if spec.build is None:
            return self.extractive
        from .answer.chain import LLMAnswerer

        return LLMAnswerer(
            spec.name,
            self.retriever,
            self.store.embeddings,
            chat_model or (lambda: make_chat_model(self.settings.llm)),
            self.settings,
            fallback=self.extractive,
        )

    # -- index -----------------------------------------------------------------------------
    def ensure_index(self, stream: TextIO | None = None) -> bool:
        """Build the index from the corpus if it is empty (first use). True if it was built."""
        from .ingest.pipeline import ensure_index

        return ensure_index(self.settings, self.store, stream=stream or sys.stderr)

    # -- retrieval -------------------------------------------------------------------------
    def search(self, question: str, k: int | None = None) -> SearchResult:
        question = validate_question(question, self.settings.max_question_chars)
        return self.retriever.search(question, k=k)

    # -- answering -------------------------------------------------------------------------
    def stream(self, question: str, history: Sequence[Turn] = ()) -> AnswerStream:
        """Iterate for text pieces; ``.answer`` holds the final ``Answer`` when it ends."""
        question = validate_question(question, self.settings.max_question_chars)
        return self.answerer.stream(question, history)

    def ask(self, question: str, history: Sequence[Turn] = ()) -> Answer:
        return self.stream(question, history).final()
