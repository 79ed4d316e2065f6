"""The clauses of ISO 9001 and their parts, read from the corpus's ``clause_map.yaml``
(2015 numbers and titles, with the 2026 numbers), so drafts can check they cover every part
of a clause and checklists get one row per part.

Without a clause map in the corpus folders, the short titles of ``isoguide.clauses`` stand in.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import yaml

from ..clauses import CLAUSE_TITLES, VALID_CLAUSES, clause_sort_key
from ..errors import IsoguideError
from ..settings import Settings

MAP_FILE = "clause_map.yaml"


@dataclass(frozen=True)
class ClauseInfo:
    number: str
    title: str
    number_2026: tuple[str, ...] = ()
    change: str = ""

    @property
    def label(self) -> str:
        title = self.title.removeprefix("(untitled in 2015) ")
        return f"{self.number} {title[:1].upper()}{title[1:]}"


@dataclass
class ClauseMap:
    clauses: dict[str, ClauseInfo] = field(default_factory=dict)
    source: str = "isoguide.clauses"

    @classmethod
    def load(cls, path: Path) -> ClauseMap:
        raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        out: dict[str, ClauseInfo] = {}
        for row in raw.get("clauses", []):
            number = str(row.get("c2015", "")).strip()
            if number not in VALID_CLAUSES:
                continue
            out[number] = ClauseInfo(
                number,
                str(row.get("title2015") or CLAUSE_TITLES.get(number, "")),
                tuple(str(c) for c in row.get("c2026") or ()),
                str(row.get("change") or ""),
            )
        return cls(out, source=str(path))

    @classmethod
    def builtin(cls) -> ClauseMap:
        return cls({c: ClauseInfo(c, CLAUSE_TITLES[c]) for c in VALID_CLAUSES})

    def get(self, number: str) -> ClauseInfo:
        if number in self.clauses:
            return self.clauses[number]
        if number in CLAUSE_TITLES:
            return ClauseInfo(number, CLAUSE_TITLES[number])
        raise IsoguideError(
            f"{number!r} is not an ISO 9001:2015 clause number. Use numbers such as 7.5 or 9.2.1 "
            "(clauses 4.1 to 10.3)."
        )

    def ordered(self) -> list[ClauseInfo]:
        return sorted(self.clauses.values(), key=lambda c: clause_sort_key(c.number))

    def children(self, number: str) -> list[ClauseInfo]:
        depth = number.count(".") + 1
        return [
            c
            for c in self.ordered()
            if c.number.startswith(number + ".") and c.number.count(".") == depth
        ]

    def parts(self, number: str) -> list[ClauseInfo]:
        """What a clause is made of, most specific first-level parts: 9.3 -> 9.3.1, 9.3.2,
        9.3.3; a clause without sub-clauses is its own only part. Top-level chapters (``9``)
        give their clauses."""
        if "." not in number:
            return [
                c
                for c in self.ordered()
                if c.number.split(".")[0] == number and c.number.count(".") == 1
            ]
        self.get(number)
        return self.children(number) or [self.get(number)]

    def leaves(self, number: str | None = None) -> list[ClauseInfo]:
        """The most specific clauses under ``number`` (all of them when None): checklist rows."""
        pool = [
            c
            for c in self.ordered()
            if number is None or c.number == number or c.number.startswith(number + ".")
        ]
        return [c for c in pool if not self.children(c.number)]


def find_map(settings: Settings) -> Path | None:
    for folder in settings.corpus_dirs:
        path = Path(folder) / MAP_FILE
        if path.is_file():
            return path
    return None


@lru_cache(maxsize=4)
def _cached(path: str, mtime: float) -> ClauseMap:
    return ClauseMap.load(Path(path))


def clause_map_for(settings: Settings) -> ClauseMap:
    """The corpus's clause map, or the built-in titles when the corpus has none."""
    path = find_map(settings)
    if path is None:
        return ClauseMap.builtin()
    return _cached(str(path), path.stat().st_mtime)
