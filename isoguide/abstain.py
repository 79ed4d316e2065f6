"""When to say "not covered": calibrated on eval/dev.jsonl, decided the same way for every question.

Rules first, each a reason a user can read, then the fitted similarity threshold:
1. the question is about another standard (ISO 27001, ISO 14001, IATF 16949, HACCP, ...);
2. it names something (a company, a place, a tool) that the guidance never mentions;
3. otherwise, a question naming a real ISO 9001 clause is in scope;
4. otherwise, the best dense similarity must reach ``abstain_threshold``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .clauses import find_clauses
from .glossary import names_other_standard
from .text import tokenize

_WORD = re.compile(r"[A-Za-z][A-Za-z0-9&'-]*")


@dataclass(frozen=True)
class AbstainDecision:
    abstain: bool
    reason: str  # empty when answering


def unknown_names(question: str, vocabulary: set[str]) -> list[str]:
    """Capitalised words (not the first) that appear nowhere in the corpus: "Acme", "Bosch"."""
    names: list[str] = []
    for i, word in enumerate(_WORD.findall(question)):
        if i == 0 or not word[0].isupper() or word.isupper():
            continue
        base = re.sub(r"'s$", "", word)
        tokens = tokenize(base)
        if tokens and tokens[0] not in vocabulary:
            names.append(base)
    return names


def decide(
    question: str, best_similarity: float, threshold: float, vocabulary: set[str], has_hits: bool
) -> AbstainDecision:
    if not has_hits:
        return AbstainDecision(True, "the index is empty")
    if names_other_standard(question):
        return AbstainDecision(
            True, "it is about another standard; this guidance covers the ISO 9000 family"
        )
    names = unknown_names(question, vocabulary)
    if names:
        return AbstainDecision(True, f"the guidance never mentions {', '.join(names)}")
    if find_clauses(question):
        return AbstainDecision(False, "")
    if best_similarity < threshold:
        return AbstainDecision(True, "no guidance passage is close enough to the question")
    return AbstainDecision(False, "")
