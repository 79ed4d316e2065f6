"""Editions as data: which ISO 9001 edition a question names, and the clause map between the
2015 and 2026 editions (``corpus/clause_map.yaml``).

Companies certify to ISO 9001:2015 with Amendment 1:2024 until their transition, so that is
the default edition of an answer; a question naming 2026 ("9001:2026", "the new version",
"the revision", "the DIS/FDIS") prefers 2026 guidance.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import yaml

DEFAULT_EDITION = "2015"
EDITIONS = ("2015", "2026")
#: What an answer says about its edition when the question names none.
DEFAULT_EDITION_NOTE = (
    "This describes ISO 9001:2015 with Amendment 1:2024, the edition companies certify to today."
)

_NAMES_2026 = re.compile(
    r"(?i)\b(9001\s*:\s*2026|iso\s*9001\s*2026|2026 (edition|version|revision|standard)|"
    r"new (edition|version|revision|standard)|next (edition|version|revision)|revised standard|"
    r"the revision|upcoming (edition|version|revision)|latest (edition|version|revision)|"
    r"(fdis|dis)\b|transition to (the )?(new|2026))"
)
_NAMES_2015 = re.compile(
    r"(?i)\b(9001\s*:\s*2015|2015 (edition|version|standard)|current edition)\b"
)


def edition_note(edition: str) -> str:
    """What the page and the CLI say about the edition an answer describes."""
    if edition == "2026":
        return (
            "This describes ISO 9001:2026 as summarised by public sources; check the published "
            "text and your certification body's transition dates."
        )
    return DEFAULT_EDITION_NOTE


def named_edition(question: str) -> str | None:
    """The edition a question names, or None when it names none."""
    if _NAMES_2026.search(question):
        return "2026"
    if _NAMES_2015.search(question):
        return "2015"
    return None


@dataclass(frozen=True)
class ClauseRow:
    c2015: str
    title2015: str
    c2026: tuple[str, ...]
    title2026: str
    change: str  # unchanged | amended | renamed | moved | split | new
    note: str = ""

    @property
    def changed(self) -> bool:
        return self.change != "unchanged"


@dataclass
class ClauseMap:
    rows: dict[str, ClauseRow] = field(default_factory=dict)
    new2026: dict[str, ClauseRow] = field(default_factory=dict)
    basis: str = ""

    def row(self, clause: str) -> ClauseRow | None:
        return self.rows.get(clause)

    def title(self, clause: str, edition: str = DEFAULT_EDITION) -> str:
        row = self.rows.get(clause) if edition == "2015" else self._by_2026(clause)
        if row is None:
            return ""
        return row.title2015 if edition == "2015" else row.title2026

    def _by_2026(self, clause: str) -> ClauseRow | None:
        if clause in self.new2026:
            return self.new2026[clause]
        return next((r for r in self.rows.values() if clause in r.c2026), None)

    def counterparts(self, clause: str) -> tuple[str, ...]:
        """The 2026 clause(s) a 2015 clause maps to."""
        row = self.rows.get(clause)
        return row.c2026 if row else ()

    def parts(self, clause: str) -> list[ClauseRow]:
        """The clause and its sub-clauses (2015 numbering), in order."""
        return [r for c, r in self.rows.items() if c == clause or c.startswith(clause + ".")]


def edition_preference(editions: tuple[str, ...], edition: str | None) -> float:
    """How far guidance tagged ``editions`` moves when answers describe ``edition``, in units
    of a first place in one ranking: guidance on the edition the question names or the setting
    pins up (+0.5), other edition-tagged guidance down (-0.2); with no edition wanted, text on
    the 2026 edition alone down (-0.3: answers describe today's edition). Untagged: 0."""
    if not editions:
        return 0.0
    if edition == "2026":
        return 0.5 if "2026" in editions else -0.2
    return -0.3 if editions == ("2026",) else 0.0


def _row(raw: dict[str, object]) -> ClauseRow:
    c2026 = raw.get("c2026") or []
    return ClauseRow(
        c2015=str(raw.get("c2015", "")),
        title2015=str(raw.get("title2015", "")),
        c2026=tuple(str(c) for c in (c2026 if isinstance(c2026, list) else [c2026])),
        title2026=str(raw.get("title2026", "")),
        change=str(raw.get("change", "unchanged")),
        note=str(raw.get("note", "")),
    )


@lru_cache(maxsize=8)
def load_clause_map(path: str) -> ClauseMap:
    """The clause map at ``path``; an empty map when there is none (a corpus without one)."""
    file = Path(path)
    if not file.is_file():
        return ClauseMap()
    data = yaml.safe_load(file.read_text(encoding="utf-8")) or {}
    rows = {r.c2015: r for r in (_row(x) for x in data.get("clauses") or [])}
    new = {}
    for raw in data.get("new2026") or []:
        r = _row(raw)
        for c in r.c2026 or (str(raw.get("c2026", "")),):
            new[c] = r
    return ClauseMap(rows, new, str(data.get("basis", "")))


def clause_map_for(corpus_dirs: list[Path]) -> ClauseMap:
    """The first ``clause_map.yaml`` among the corpus folders."""
    for d in corpus_dirs:
        if (d / "clause_map.yaml").is_file():
            return load_clause_map(str(d / "clause_map.yaml"))
    return ClauseMap()


def default_clause_map() -> ClauseMap:
    """The clause map of the default corpus (the checkout's ``corpus/``), if there is one."""
    from .settings import REPO_ROOT

    return clause_map_for([Path("corpus"), REPO_ROOT / "corpus"])


def edition_clause_label(clause: str, edition: str) -> str:
    """``"5.1 Leadership and commitment"`` with the title of ``edition`` when the map has it."""
    from .clauses import clause_label

    title = default_clause_map().title(clause, edition)
    return f"{clause} {title}" if title else clause_label(clause)
