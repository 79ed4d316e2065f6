"""Errors a user can act on. Each message says what was wrong and what to do."""

from __future__ import annotations


class IsoguideError(Exception):
    """Base class: the message is shown to the user as is."""

    exit_code = 1


class QuestionError(IsoguideError, ValueError):
    """The question is empty or too long."""

    exit_code = 2


class CorpusError(IsoguideError):
    """A corpus folder or file cannot be used."""


class StoreLockedError(IsoguideError):
    """Another process holds the index lock."""

    exit_code = 3


class StoreUnavailableError(IsoguideError):
    """The Chroma store cannot be opened or reached."""

    exit_code = 3


class LLMUnavailableError(IsoguideError):
    """The configured LLM cannot be reached or loaded."""


class PromptError(IsoguideError):
    """A prompt file does not declare the variables its text uses."""


def validate_question(question: str | None, max_chars: int) -> str:
    """The stripped question, or a QuestionError saying why it cannot be asked."""
    text = (question or "").strip()
    if not text:
        raise QuestionError("The question is empty: type a question about ISO 9000 or ISO 9001.")
    if len(text) > max_chars:
        raise QuestionError(
            f"The question is {len(text):,} characters long; the limit is {max_chars:,}. "
            "Shorten it to the part you want answered."
        )
    return text
