"""Map everyday terms to ISO 9001 clauses ("management review" -> 9.3).

The map lives with the corpus (``corpus/clause_terms.yaml``) so that whoever writes guidance
maintains it; this module only reads it and finds the clauses a question points at.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import yaml

from .clauses import VALID_CLAUSES, find_clauses
from .text import tokenize

OTHER_STANDARD = re.compile(
    r"\b(iso\s*/?\s*(iec\s*)?(14001|27001|45001|13485|22000|50001|20000|17025|37001|26000)|"
    r"iatf|as\s*9100|haccp|gdpr)\b",
    re.IGNORECASE,
)


@dataclass
class ClauseGlossary:
    terms: dict[tuple[str, ...], list[str]] = field(default_factory=dict)

    @classmethod
    def load(cls, path: Path | None) -> ClauseGlossary:
        if path is None or not path.exists():
            return cls()
        raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        terms: dict[tuple[str, ...], list[str]] = {}
        for term, clauses in raw.items():
            valid = [str(c) for c in clauses if str(c) in VALID_CLAUSES]
            tokens = tuple(tokenize(str(term)))
            if tokens and valid:
                terms[tokens] = valid
        return cls(terms)

    def clauses_for(self, question: str) -> list[str]:
        """Clauses a question names outright or through a glossary term, most specific first."""
        named = find_clauses(question)
        tokens = tokenize(question)
        found: dict[str, None] = dict.fromkeys(named)
        # Longest terms first so "internal audit" wins over "audit".
        for term in sorted(self.terms, key=len, reverse=True):
            n = len(term)
            if any(tuple(tokens[i : i + n]) == term for i in range(len(tokens) - n + 1)):
                for clause in self.terms[term]:
                    found.setdefault(clause, None)
        return list(found)


def names_other_standard(question: str) -> bool:
    """True when the question is about another standard and not ISO 9001 / ISO 9000."""
    return bool(OTHER_STANDARD.search(question)) and not re.search(
        r"\biso\s*900[014]\b", question, re.IGNORECASE
    )


@lru_cache(maxsize=8)
def load_glossary(path: str) -> ClauseGlossary:
    return ClauseGlossary.load(Path(path))
