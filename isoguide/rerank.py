"""A learned order for the fused candidates: which chunks hold what a correct answer says.

Reciprocal-rank fusion orders chunks by two whole-chunk scores. A chunk that answers often has
one sentence very close to the question inside a passage that is, as a whole, about something
broader; fusion ranks it low. The reranker reads, for each of the top fused candidates, its
fused, dense and BM25 scores together with how close its best sentences are to the question
(the sentence vectors stored at ingest: nothing is encoded here), its clause tags and its
section kind, and a logistic model fitted on the ``tune`` questions (label: the chunk has a
quotable sentence stating a key point of a correct answer) gives the new order.

The weights ship as ``isoguide/fitted/rerank.json``; ``isoguide eval --fit`` refits them.
Without that file the fused order stands.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources

import numpy as np

from .editions import edition_preference
from .models import SearchHit
from .sentences import COUNTER_SECTION, Candidate, candidates, unpack_vectors
from .text import content_words

FEATURES = (
    "rank_inverse",
    "log_rank",
    "fused_relative",
    "dense",
    "has_dense",
    "bm25_relative",
    "sentence_max",
    "sentence_top2",
    "sentences",
    "is_qa",
    "qa_question_match",
    "qa_question_close",
    "clause",
    "clause_first",
    "example_section",
    "mistake_section",
    "word_overlap",
    "title_overlap",
)
_EXAMPLE = re.compile(r"(?i)\b(example|case|story|scenario)\b")


@dataclass
class Reranker:
    coef: np.ndarray
    intercept: float
    depth: int = 30  # how many of the fused candidates are reordered
    meta: dict[str, object] = field(default_factory=dict)

    def probabilities(self, x: np.ndarray, offset: np.ndarray | None = None) -> np.ndarray:
        """The model's probability per row; ``offset``, one value per row, is added to the
        log-odds (a preference the user set, such as an edition, that tune cannot teach)."""
        logits = x @ self.coef + self.intercept
        if offset is not None:
            logits = logits + offset
        return 1.0 / (1.0 + np.exp(-logits))

    def to_json(self) -> dict[str, object]:
        return {
            "features": list(FEATURES),
            "coef": self.coef.tolist(),
            "intercept": self.intercept,
            "depth": self.depth,
            "meta": self.meta,
        }

    @classmethod
    def from_json(cls, data: dict[str, object]) -> Reranker:
        names = list(data.get("features", FEATURES))  # type: ignore[call-overload]
        coef = dict(zip(names, data["coef"], strict=True))  # type: ignore[call-overload]
        return cls(
            np.array([coef.get(n, 0.0) for n in FEATURES], dtype=np.float32),
            float(data["intercept"]),  # type: ignore[arg-type]
            int(data.get("depth", 30)),  # type: ignore[call-overload]
            dict(data.get("meta", {})),  # type: ignore[call-overload]
        )

    def rerank(
        self, hits: list[SearchHit], x: np.ndarray, offset: np.ndarray | None = None
    ) -> list[SearchHit]:
        """The first ``depth`` hits in the model's order (ties keep the fused order), scored by
        the model's probability, then the rest in their fused order, scored below them.
        ``offset``: as in ``probabilities``, one value per head hit."""
        head, tail = hits[: self.depth], hits[self.depth :]
        p = self.probabilities(x[: len(head)], None if offset is None else offset[: len(head)])
        order = np.argsort(-p, kind="stable")
        for hit, score in zip(head, p, strict=True):
            hit.score = float(score)
        if tail and tail[0].score > 0:
            scale = 0.99 * float(p.min()) / tail[0].score
            for hit in tail:
                hit.score *= scale
        return [head[i] for i in order] + tail


#: The edition preference in the reranker's log-odds, per unit of the fused one
#: (``editions.edition_preference``: +0.5 / -0.2 become +2 / -0.8). Not fitted: eight tune
#: questions name the 2026 edition and none pins it, and a fitted edition weight came out at
#: -0.18, i.e. the data cannot speak to it.
EDITION_LOGIT_SCALE = 4.0


def edition_offset(hits: Sequence[SearchHit], edition: str | None) -> np.ndarray | None:
    """The edition preference in the reranker's log-odds: only when the 2026 edition is wanted
    (without one, answers describe today's edition, and the fused order already ranks text on
    the 2026 edition alone lower, which the reranker reads)."""
    if edition != "2026":
        return None
    return EDITION_LOGIT_SCALE * np.array(
        [edition_preference(h.chunk.editions, edition) for h in hits], dtype=np.float32
    )


@lru_cache(maxsize=1)
def fitted_reranker() -> Reranker | None:
    resource = resources.files("isoguide") / "fitted" / "rerank.json"
    if not resource.is_file():
        return None
    return Reranker.from_json(json.loads(resource.read_text(encoding="utf-8")))


def hit_sentences(hit: SearchHit) -> tuple[list[Candidate], np.ndarray]:
    """The quotable sentences of one hit and their unit vectors (stored at ingest; an old
    index without them gives an empty matrix, and the sentence features read 0)."""
    cands = candidates([hit])
    stored = unpack_vectors(hit.chunk)
    vectors = [stored.get(c.sentence.start) for c in cands]
    if not cands or any(v is None for v in vectors):
        return cands, np.zeros((0, 384), dtype=np.float32)
    matrix = np.stack([v for v in vectors if v is not None]).astype(np.float32)
    return cands, matrix / np.maximum(np.linalg.norm(matrix, axis=1, keepdims=True), 1e-6)


def rerank_features(
    question: str,
    query_vector: np.ndarray,
    hits: Sequence[SearchHit],
    lexical: dict[str, float],
    clauses: set[str],
) -> np.ndarray:
    """One feature row per hit, in the order of ``FEATURES``. ``lexical``: BM25 score by chunk
    id; ``clauses``: the clauses the question names or its words point to."""
    q_words = content_words(question)
    top_fused = hits[0].score if hits and hits[0].score else 1.0
    top_lexical = max(lexical.values(), default=0.0) or 1.0
    rows = []
    for rank, hit in enumerate(hits, start=1):
        chunk = hit.chunk
        qa, dense = chunk.kind == "qa", float(hit.dense_score or 0.0)
        cands, vectors = hit_sentences(hit)
        if len(vectors):
            cos = np.sort(vectors @ query_vector)
            best, top2 = float(cos[-1]), float(cos[-2:].mean())
        else:
            best = top2 = 0.0
        rows.append(
            [
                1.0 / rank,
                float(np.log(rank)),
                hit.score / top_fused,
                dense,
                float(hit.dense_score is not None),
                lexical.get(chunk.chunk_id, 0.0) / top_lexical,
                best,
                top2,
                min(len(cands), 10) / 10,
                float(qa),
                dense if qa else 0.0,
                max(dense - 0.8, 0.0) / 0.2 if qa else 0.0,
                float(bool(clauses & set(chunk.clauses))),
                float(bool(clauses & set(chunk.clauses[:1]))),
                float(bool(_EXAMPLE.search(chunk.section))),
                float(bool(COUNTER_SECTION.search(chunk.section))),
                len(q_words & content_words(chunk.text)) / max(len(q_words), 1),
                len(q_words & content_words(f"{chunk.title} {chunk.section}"))
                / max(len(q_words), 1),
            ]
        )
    return np.array(rows, dtype=np.float32).reshape(len(rows), len(FEATURES))
