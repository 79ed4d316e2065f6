"""The domain types that flow between ingest, retrieval, answerers, the CLI and the app."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

#: The fixed answer when the guidance does not cover a question. Prompts and parsers share it.
NOT_COVERED = "The isoguide guidance does not cover this question, so I will not guess an answer."


@dataclass(frozen=True)
class Chunk:
    """One retrievable piece of a guidance document, with everything needed to cite it."""

    chunk_id: str
    doc_id: str
    title: str
    section: str
    clauses: tuple[str, ...]
    source: str
    content_hash: str
    text: str
    doc_hash: str = ""
    position: int = 0
    kind: str = "passage"  # "passage", or "qa": one question-answer pair of a document
    question: str = ""  # the pair's question, for "qa" units (what is embedded for them)
    editions: tuple[str, ...] = ()  # ISO 9001 editions the text describes: "2015", "2026"
    sentence_spans: str = ""  # "start:end,..." of the chunk's sentences, set at ingest
    sentence_vectors: str = ""  # their unit vectors, float16, base64 (answering encodes none)


@dataclass
class SearchHit:
    chunk: Chunk
    score: float  # ranking score, higher is better: the reranker's, else the fused one
    dense_score: float | None = None  # cosine similarity to the question, when known
    rank: int = 0

    def to_json(self) -> dict[str, Any]:
        c = self.chunk
        return {
            "rank": self.rank,
            "chunk_id": c.chunk_id,
            "doc_id": c.doc_id,
            "title": c.title,
            "section": c.section,
            "clauses": list(c.clauses),
            "kind": c.kind,
            "editions": list(c.editions),
            "score": round(self.score, 6),
            "text": c.text,
        }


@dataclass
class SearchResult:
    query: str
    hits: list[SearchHit]
    abstain: bool
    best_similarity: float
    abstain_reason: str = ""
    query_vector: Any = None  # the question's unit vector (numpy), reused by the answerer
    edition: str | None = None  # the edition the question names, if any
    abstain_features: Any = None  # what the abstention model read (numpy), for fitting it

    def to_json(self) -> dict[str, Any]:
        return {
            "query": self.query,
            "abstain": self.abstain,
            "results": [h.to_json() for h in self.hits],
        }


@dataclass
class Citation:
    n: int
    chunk_id: str
    doc_id: str
    title: str
    section: str
    clauses: list[str]
    quote: str
    chunk_text: str = ""
    editions: list[str] = field(default_factory=list)  # ISO 9001 editions the passage describes

    @classmethod
    def from_chunk(cls, n: int, chunk: Chunk, quote: str) -> Citation:
        return cls(
            n=n,
            chunk_id=chunk.chunk_id,
            doc_id=chunk.doc_id,
            title=chunk.title,
            section=chunk.section,
            clauses=list(chunk.clauses),
            quote=quote,
            chunk_text=chunk.text,
            editions=list(chunk.editions),
        )

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data.pop("chunk_text")
        return data


@dataclass
class Answer:
    question: str
    answer: str
    abstained: bool
    provider: str
    citations: list[Citation] = field(default_factory=list)
    unsupported: list[str] = field(default_factory=list)
    see_also: list[Chunk] = field(default_factory=list)
    notice: str | None = None  # e.g. "the LLM was unreachable; this is the extractive answer"
    standalone_question: str | None = None
    hits: list[SearchHit] = field(default_factory=list)
    edition: str | None = None  # the ISO 9001 edition the answer describes ("2015", "2026")

    def to_json(self) -> dict[str, Any]:
        return {
            "question": self.question,
            "answer": self.answer,
            "abstained": self.abstained,
            "provider": self.provider,
            "citations": [c.to_json() for c in self.citations],
            "unsupported": list(self.unsupported),
            "notice": self.notice,
            "edition": self.edition,
            "see_also": [
                {
                    "doc_id": c.doc_id,
                    "title": c.title,
                    "section": c.section,
                    "clauses": list(c.clauses),
                }
                for c in self.see_also
            ],
        }
