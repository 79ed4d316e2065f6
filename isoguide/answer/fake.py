"""A scripted chat model for tests and the eval: queued replies, streamed word by word, and a
record of every prompt it was sent. With no script it plays a careful model that quotes the
first sentence of the first two sources and cites them."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from typing import Any

from langchain_core.callbacks import CallbackManagerForLLMRun
from langchain_core.language_models import BaseChatModel
from langchain_core.messages import AIMessage, AIMessageChunk, BaseMessage
from langchain_core.outputs import ChatGeneration, ChatGenerationChunk, ChatResult
from pydantic import Field

Reply = str | Exception | Callable[[list[BaseMessage]], str]
_SOURCE = re.compile(r"^\[(\d+)\][^\n]*\n<<<\n(.*?)\n>>>", re.MULTILINE | re.DOTALL)


def quote_sources(messages: list[BaseMessage]) -> str:
    """The default reply: the first sentence of sources [1] and [2], each cited."""
    system = str(messages[0].content) if messages else ""
    parts = []
    for n, body in _SOURCE.findall(system)[:2]:
        first = re.split(r"(?<=[.!?])\s+", body.strip(), maxsplit=1)[0]
        parts.append(f"{first} [{n}]")
    return " ".join(parts) or "I cannot answer that."


class ScriptedChatModel(BaseChatModel):
    """Replies in order from ``replies``; an Exception in the list is raised instead."""

    replies: list[Reply] = Field(default_factory=list)
    calls: list[list[BaseMessage]] = Field(default_factory=list)

    @property
    def _llm_type(self) -> str:
        return "isoguide-scripted"

    def enqueue(self, *replies: Reply) -> None:
        self.replies.extend(replies)

    def _next(self, messages: list[BaseMessage]) -> str:
        self.calls.append(list(messages))
        reply: Reply = self.replies.pop(0) if self.replies else quote_sources
        if isinstance(reply, Exception):
            raise reply
        return reply(messages) if callable(reply) else reply

    def _generate(
        self,
        messages: list[BaseMessage],
        stop: list[str] | None = None,
        run_manager: CallbackManagerForLLMRun | None = None,
        **kwargs: Any,
    ) -> ChatResult:
        return ChatResult(
            generations=[ChatGeneration(message=AIMessage(content=self._next(messages)))]
        )

    def _stream(
        self,
        messages: list[BaseMessage],
        stop: list[str] | None = None,
        run_manager: CallbackManagerForLLMRun | None = None,
        **kwargs: Any,
    ) -> Iterator[ChatGenerationChunk]:
        text = self._next(messages)
        for piece in re.findall(r"\S+\s*", text):
            chunk = ChatGenerationChunk(message=AIMessageChunk(content=piece))
            if run_manager:
                run_manager.on_llm_new_token(piece, chunk=chunk)
            yield chunk
