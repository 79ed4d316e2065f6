"""The one object every front end uses: retrieve, answer (extractive or LLM), stream."""

from __future__ import annotations

import sys
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING, TextIO

from .answer.extractive import PROVIDER as EXTRACTIVE
from .answer.extractive import extractive_answer
from .errors import validate_question
from .models import Answer, SearchResult
from .retrieval import Retriever
from .settings import Settings
from .store import Store

if TYPE_CHECKING:
    from langchain_core.language_models import BaseChatModel

#: A chat turn as front ends keep it: ("user" | "assistant", text).
Turn = tuple[str, str]


class Assistant:
    """Answers questions from the indexed guidance, always with citations."""

    def __init__(
        self,
        settings: Settings,
        store: Store | None = None,
        retriever: Retriever | None = None,
        chat_model: BaseChatModel | None = None,
        provider: str | None = None,
    ) -> None:
        self.settings = settings
        self.store = store or Store(settings)
        self.retriever = retriever or Retriever.from_settings(settings, self.store)
        self.provider = provider or settings.llm.provider
        self._chat_model = chat_model

    def chat_model(self) -> BaseChatModel:
        """The configured chat model, created on first use (a local GGUF loads once)."""
        if self._chat_model is None:
            if self.provider == "fake":
                from .answer.fake import ScriptedChatModel

                self._chat_model = ScriptedChatModel()
            else:
                from .providers import make_chat_model

                self._chat_model = make_chat_model(self.settings.llm, self.provider)
        return self._chat_model

    # -- index -----------------------------------------------------------------------------
    def ensure_index(self, stream: TextIO | None = None) -> bool:
        """Build the index from the corpus if it is empty (first use). True if it was built."""
        from ingest.pipeline import ensure_index

        built = ensure_index(self.settings, self.store, stream=stream or sys.stderr)
        return built

    # -- retrieval -------------------------------------------------------------------------
    def search(self, question: str, k: int | None = None) -> SearchResult:
        question = validate_question(question, self.settings.max_question_chars)
        return self.retriever.search(question, k=k)

    # -- answering -------------------------------------------------------------------------
    def ask(self, question: str, history: Sequence[Turn] = ()) -> Answer:
        answer: Answer | None = None
        for event in self.stream(question, history):
            if isinstance(event, Answer):
                answer = event
        assert answer is not None
        return answer

    def stream(self, question: str, history: Sequence[Turn] = ()) -> Iterator[str | Answer]:
        """Text pieces as they are produced, then the final ``Answer`` (with citations)."""
        question = validate_question(question, self.settings.max_question_chars)
        if self.provider == EXTRACTIVE:
            yield from self._stream_extractive(question, history)
            return
        from .answer.chain import stream_llm_answer

        yield from stream_llm_answer(self, question, history)

    def _stream_extractive(self, question: str, history: Sequence[Turn]) -> Iterator[str | Answer]:
        from .answer.condense import condense_without_llm

        standalone = condense_without_llm(question, history)
        answer = self.extractive(standalone, question)
        for i, word in enumerate(answer.answer.split(" ")):
            yield word if i == 0 else " " + word
        yield answer

    def extractive(self, standalone: str, question: str | None = None) -> Answer:
        result = self.retriever.search(standalone)
        answer = extractive_answer(
            standalone, result, self.store.embeddings, self.settings.retrieval.answer_sentences
        )
        answer.question = question or standalone
        if standalone != answer.question:
            answer.standalone_question = standalone
        return answer
