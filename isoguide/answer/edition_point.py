"""The "In ISO 9001:2026" point: when the 2026 edition changes the clause an answer is about,
the answer adds the guidance's one-sentence summary of the change, with its own citation."""

from __future__ import annotations

from ..editions import ClauseMap
from ..models import Chunk, Citation, SearchHit, SearchResult
from ..store import Store
from ..text import split_sentences

LEAD = "In ISO 9001:2026"


class EditionPoints:
    """2026 guidance sections by the clause they are about, read from the served chunks."""

    def __init__(self, store: Store, clause_map: ClauseMap) -> None:
        self.store = store
        self.clause_map = clause_map
        self._key: int | None = None
        self._by_clause: dict[str, tuple[Chunk, str]] = {}

    def lead_of(self, chunk: Chunk) -> str:
        return next(s.text for s in split_sentences(chunk.text) if s.text.startswith(LEAD))

    def _index(self) -> dict[str, tuple[Chunk, str]]:
        chunks = self.store.all_chunks()
        key = id(chunks)
        if key != self._key:
            found: dict[str, tuple[Chunk, str]] = {}
            for chunk in chunks:
                if chunk.editions != ("2026",) or chunk.kind == "qa" or not chunk.clauses:
                    continue
                lead = next(
                    (s.text for s in split_sentences(chunk.text) if s.text.startswith(LEAD)), None
                )
                if lead and "9001:2026" in chunk.section:
                    for clause in chunk.clauses[:1]:
                        found.setdefault(clause, (chunk, lead))
            self._by_clause, self._key = found, key
        return self._by_clause

    def point_2026(self, result: SearchResult, citations: list[Citation]) -> SearchHit | None:
        """The 2026 point for the clause of the answer's first passage, if that clause changed
        and the answer does not already describe 2026."""
        if result.edition == "2026" or not result.hits:
            return None
        if any("2026" in c.section or LEAD in c.quote for c in citations):
            return None
        clauses = result.hits[0].chunk.clauses  # the clause the answer's best passage is about
        for clause in clauses[:1]:
            row = self.clause_map.row(clause)
            if row is not None and not row.changed:
                return None
            entry = self._index().get(clause)
            if entry is not None:
                chunk, _ = entry
                return SearchHit(chunk, 0.0, rank=len(result.hits) + 1)
        return None
