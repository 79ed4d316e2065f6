"""What a draft is about: the clause a topic points at (named, through the glossary, or the one
clause its best document is about), that clause's parts, and the documents and chunks the draft
may quote, best first."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

from ..clauses import clause_matches, find_clauses
from ..models import Chunk, SearchResult
from .clause_map import ClauseInfo, ClauseMap

if TYPE_CHECKING:
    from ..assistant import Assistant

TOPIC_DOCUMENTS = 3  # a draft quotes only the documents that best cover its topic


@dataclass
class TopicScope:
    topic: str
    clause: str | None
    parts: list[ClauseInfo]
    documents: list[str]
    chunks: list[Chunk]  # of ``documents``, best document first, in reading order
    corpus: list[Chunk] = field(default_factory=list)  # every served chunk

    def with_documents(self, assistant: Assistant, cmap: ClauseMap, clause: str) -> TopicScope:
        """The same scope, with the documents about ``clause`` put first."""
        info = cmap.get(clause)
        hits = assistant.search(f"clause {clause} {info.title}", k=10).hits
        extra = documents_about(assistant, clause, [h.chunk.doc_id for h in hits])[:1]
        docs = list(dict.fromkeys(extra + self.documents))
        return replace(self, documents=docs, chunks=chunks_of(self.corpus, docs))


def front_clauses(corpus: list[Chunk]) -> dict[str, list[str]]:
    """doc_id -> the clauses every chunk of the document carries (its front-matter clauses)."""
    by_doc: dict[str, list[Chunk]] = defaultdict(list)
    for c in corpus:
        by_doc[c.doc_id].append(c)
    out: dict[str, list[str]] = {}
    for doc, chunks in by_doc.items():
        first = min(chunks, key=lambda c: c.position)
        out[doc] = [cl for cl in first.clauses if all(cl in c.clauses for c in chunks)]
    return out


def chunks_of(corpus: list[Chunk], docs: list[str]) -> list[Chunk]:
    order = {d: i for i, d in enumerate(docs)}
    picked = [c for c in corpus if c.doc_id in order]
    return sorted(picked, key=lambda c: (order[c.doc_id], c.position))


def documents_about(
    assistant: Assistant, clause: str, ranked: list[str] | None = None
) -> list[str]:
    """Documents whose front matter lists ``clause``, a part of it or a clause it is part of:
    those about it (or its parts) first, then by rank."""
    front = front_clauses(assistant.store.all_chunks())
    ranked = ranked or []
    own = [d for d, cl in front.items() if any(clause_matches(c, clause) for c in cl)]
    return sorted(
        own,
        key=lambda d: (
            clause not in front[d] and not front[d][0].startswith(clause + "."),
            ranked.index(d) if d in ranked else len(ranked),
            front[d][0] != clause,
            d,
        ),
    )


def topic_clause(assistant: Assistant, topic: str, base: SearchResult) -> str | None:
    named = find_clauses(topic)
    if not named:
        glossary = getattr(assistant.retriever, "glossary", None)
        named = glossary.clauses_for(topic) if glossary is not None else []
    if named:
        return named[0]
    front = front_clauses(assistant.store.all_chunks())
    clauses = front.get(base.hits[0].chunk.doc_id, []) if base.hits else []
    if clauses and all(clause_matches(c, clauses[0]) for c in clauses):
        return clauses[0]  # the best document is about one clause and its parts
    return None


def scope_topic(
    assistant: Assistant, topic: str, base: SearchResult, cmap: ClauseMap
) -> TopicScope:
    corpus = assistant.store.all_chunks()
    ranked = list(dict.fromkeys(h.chunk.doc_id for h in base.hits))
    clause = topic_clause(assistant, topic, base)
    docs: list[str] = []
    if clause:
        docs = documents_about(assistant, clause, ranked)[:2]
    docs = list(dict.fromkeys(docs + ranked))[:TOPIC_DOCUMENTS]
    parts = cmap.parts(clause) if clause else []
    return TopicScope(topic, clause, parts, docs, chunks_of(corpus, docs), corpus)
