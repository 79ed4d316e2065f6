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

#: Frameworks named without a number.
OTHER_STANDARD = re.compile(r"\b(iatf|haccp|gdpr|brcgs|fssc|gmp)\b", re.IGNORECASE)
#: A standard's identifier: body, optional joint body or type, number ("ISO/IEC 27001",
#: "ISO-14001", "IATF16949", "AS13100", "EN 15085-2").
STANDARD_ID = re.compile(
    r"(?i)\b(?:ISO|IEC|EN|AS|BS|IATF|ANSI|SAE|API|DIN|NEN|CSA|ASTM)"
    r"(?:\s*/\s*(?:IEC|TS|TR|PAS))?[\s-]*(\d{3,5})(?=\b|-|:)"
)
#: The standards this guidance is about: the ISO 9000 family (with the ISO 100xx guidance
#: standards it points to), ISO 19011 on auditing and ISO/IEC 17021-1 on certification
#: bodies (``tests/test_glossary.py`` checks that the corpus's documents are about no other).
COVERED_STANDARDS = frozenset({"9000", "9001", "9004", "19011", "17021"})


def covered(number: str) -> bool:
    return number in COVERED_STANDARDS or (len(number) == 5 and number.startswith("100"))


def named_standards(text: str) -> set[str]:
    """Numbers of the standards a text names ("ISO-14001 and ISO 9001" -> {"14001", "9001"})."""
    return set(STANDARD_ID.findall(text))


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
    """True when the question names another standard and none this guidance covers."""
    named = named_standards(question)
    if any(covered(n) for n in named):
        return False
    return bool(named) or bool(OTHER_STANDARD.search(question))


@lru_cache(maxsize=8)
def load_glossary(path: str) -> ClauseGlossary:
    return ClauseGlossary.load(Path(path))
