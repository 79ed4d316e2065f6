"""The answerer contract: an answerer streams text pieces, then its final ``Answer``.

``AnswerStream`` is what every front end holds: iterate it for the text as it is produced;
when the iteration ends, ``stream.answer`` is the final ``Answer`` (with citations).
``stream.final()`` drains it in one call.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from typing import Protocol

from ..models import Answer

#: A chat turn as front ends keep it: ("user" | "assistant", text).
Turn = tuple[str, str]


class AnswerStream:
    """Text pieces of an answer in progress; the final ``Answer`` once they are all read."""

    def __init__(self, events: Iterable[str | Answer]) -> None:
        self._events = iter(events)
        self._answer: Answer | None = None
        self._pieces: list[str] = []

    def __iter__(self) -> Iterator[str]:
        for event in self._events:
            if isinstance(event, Answer):
                self._answer = event
            else:
                self._pieces.append(event)
                yield event

    @property
    def done(self) -> bool:
        return self._answer is not None

    @property
    def answer(self) -> Answer:
        """The final answer; an error to ask before the stream has ended."""
        if self._answer is None:
            raise RuntimeError("The answer stream has not ended yet: iterate it or call final().")
        return self._answer

    @property
    def text(self) -> str:
        """The text streamed so far."""
        return "".join(self._pieces)

    def final(self) -> Answer:
        """Read the rest of the stream and return the final answer."""
        for _ in self:
            pass
        return self.answer


class Answerer(Protocol):
    """A pluggable answerer. It never imports the object that composes it."""

    name: str

    def stream(self, question: str, history: Sequence[Turn] = ()) -> AnswerStream: ...
