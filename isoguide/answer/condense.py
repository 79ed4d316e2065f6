"""Turn a follow-up ("and who should do it?") into a question that stands on its own."""

from __future__ import annotations

import re
from collections.abc import Sequence

from ..clauses import find_clauses
from ..text import content_words

_FOLLOW_UP = re.compile(
    r"^(and|but|so|also|what about|how about|then|ok|okay)\b|\b(it|its|it's|this|that|these|those|"
    r"they|them|there|one|ones|he|she)\b",
    re.IGNORECASE,
)


def is_follow_up(question: str, history: Sequence[tuple[str, str]]) -> bool:
    """A short question that leans on the conversation: pronouns, "and ...", few content words."""
    if not any(role == "user" for role, _ in history):
        return False
    if find_clauses(question):
        return False
    words = content_words(question)
    return bool(_FOLLOW_UP.search(question)) and len(words) <= 5


def condense_without_llm(question: str, history: Sequence[tuple[str, str]]) -> str:
    """Without a model: prefix a follow-up with the previous user question."""
    if not is_follow_up(question, history):
        return question
    previous = next(text for role, text in reversed(history) if role == "user")
    return f"{previous.rstrip(' ?.')}: {question}"
