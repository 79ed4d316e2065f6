"""Retrieved text is data, never instructions: spot text that tries to steer the assistant."""

from __future__ import annotations

import re

_INJECTION = re.compile(
    r"ignore (all |any )?(the )?(previous|prior|above|earlier) (instructions|prompts?|rules)"
    r"|disregard (all |any )?(the )?(previous|prior|above|system) (instructions|prompts?)"
    r"|(system|developer) (prompt|instruction|message)s?\b.{0,40}\b(ai|assistant|model|llm)"
    r"|\b(instruction|message)s? to the (ai|assistant|model|llm)\b"
    r"|\byou are (now )?(an? )?(ai|assistant|chatbot|language model)\b"
    r"|\b(reply|respond|answer) (only )?with (only )?the (code ?word|password|phrase)"
    r"|\bcode ?word\b"
    r"|\bdo not mention (the )?(documents?|sources?|context)\b",
    re.IGNORECASE,
)


def looks_like_injection(text: str) -> bool:
    """True for text that addresses the assistant with orders rather than informing a reader."""
    return bool(_INJECTION.search(text))
