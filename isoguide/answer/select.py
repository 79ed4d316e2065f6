"""Which sentences answer the question: features of each quotable sentence, a logistic model
fitted on the ``tune`` questions (labels: the sentence carries a key point of a correct
answer), and a greedy pick that leads with the best sentence and never repeats itself.

The weights, the number of sentences and the cut-off ship as
``isoguide/fitted/sentences.json``; ``isoguide eval --fit`` refits them with cross-validation.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources

import numpy as np

from ..clauses import find_clauses
from ..embeddings import LocalEmbeddings
from ..models import SearchHit
from ..sentences import COUNTER_SECTION, Candidate, candidates, leans_back, unpack_vectors
from ..text import content_words

FEATURES = (
    "cosine",
    "cosine_relative",
    "cosine_follow_up",
    "is_qa",
    "qa_question_match",
    "first_in_unit",
    "qa_first",
    "rank_inverse",
    "hit_dense",
    "word_overlap",
    "clause_hit",
    "example_section",
    "mistake_section",
    "length",
    "yes_no_lead",
    "mentions_clause",
    "edition_match",
    "centrality",
    "agreement",
)
REDUNDANT = 0.8  # two sentences this similar say the same thing: keep one (metric: 0.85)
_YES_NO_QUESTION = re.compile(
    r"(?i)^\s*(is|are|do|does|can|must|should|will|has|have|did|was|were|may|could|would|need)\b"
)
_YES_NO_ANSWER = re.compile(r"(?i)^(yes|no|not)\b")
_EXAMPLE = re.compile(r"(?i)\b(example|case|story|scenario)\b")


@dataclass
class SelectionModel:
    coef: np.ndarray
    intercept: float
    max_sentences: int = 4
    min_probability: float = 0.2
    top_chunks: int = 6
    meta: dict[str, object] = field(default_factory=dict)

    def probabilities(self, x: np.ndarray) -> np.ndarray:
        return 1.0 / (1.0 + np.exp(-(x @ self.coef + self.intercept)))

    def to_json(self) -> dict[str, object]:
        return {
            "features": list(FEATURES),
            "coef": self.coef.tolist(),
            "intercept": self.intercept,
            "max_sentences": self.max_sentences,
            "min_probability": self.min_probability,
            "top_chunks": self.top_chunks,
            "meta": self.meta,
        }

    @classmethod
    def from_json(cls, data: dict[str, object]) -> SelectionModel:
        names = list(data.get("features", FEATURES))  # type: ignore[call-overload]
        coef = dict(zip(names, data["coef"], strict=True))  # type: ignore[call-overload]
        return cls(
            np.array([coef.get(n, 0.0) for n in FEATURES], dtype=np.float32),
            float(data["intercept"]),  # type: ignore[arg-type]
            int(data.get("max_sentences", 4)),  # type: ignore[call-overload]
            float(data.get("min_probability", 0.2)),  # type: ignore[arg-type]
            int(data.get("top_chunks", 6)),  # type: ignore[call-overload]
            dict(data.get("meta", {})),  # type: ignore[call-overload]
        )


#: Until the first fit: similarity to the question decides, as before.
PRIOR = SelectionModel(
    np.array([8.0 if n == "cosine" else 1.5 if n == "word_overlap" else 0.0 for n in FEATURES]),
    -4.0,
)


@lru_cache(maxsize=1)
def fitted_model() -> SelectionModel:
    resource = resources.files("isoguide") / "fitted" / "sentences.json"
    if not resource.is_file():
        return PRIOR
    return SelectionModel.from_json(json.loads(resource.read_text(encoding="utf-8")))


@dataclass
class Scored:
    candidates: list[Candidate]
    vectors: np.ndarray  # unit vectors of the candidates' sentences
    features: np.ndarray


def sentence_vectors(cands: Sequence[Candidate], embeddings: LocalEmbeddings) -> np.ndarray:
    """Vectors stored at ingest; only sentences of an old index are encoded now."""
    cache: dict[str, dict[int, np.ndarray]] = {}
    out: list[np.ndarray | None] = []
    missing: list[int] = []
    for i, c in enumerate(cands):
        chunk = c.hit.chunk
        if chunk.chunk_id not in cache:
            cache[chunk.chunk_id] = unpack_vectors(chunk)
        vec = cache[chunk.chunk_id].get(c.sentence.start)
        out.append(vec)
        if vec is None:
            missing.append(i)
    if missing:
        fresh = embeddings.encode([cands[i].sentence.text for i in missing])
        for i, vec in zip(missing, fresh, strict=True):
            out[i] = vec
    if not out:
        return np.zeros((0, 384), dtype=np.float32)
    matrix = np.stack([v for v in out if v is not None]).astype(np.float32)
    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    return matrix / np.maximum(norms, 1e-6)


def _consensus(cands: Sequence[Candidate], vectors: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """What the other passages also say: a sentence's mean cosine to its three closest
    sentences in other chunks, and how many sentences of other documents say much the same
    (cosine >= 0.6, capped at 5, as a share of 5). A point several sources make is more often
    one a correct answer needs."""
    n = len(cands)
    if n < 2:
        return np.zeros(n), np.zeros(n)
    sims = vectors @ vectors.T
    chunk_codes: dict[str, int] = {}
    doc_codes: dict[str, int] = {}
    chunk_ids = np.array(
        [chunk_codes.setdefault(c.hit.chunk.chunk_id, len(chunk_codes)) for c in cands]
    )
    doc_ids = np.array([doc_codes.setdefault(c.hit.chunk.doc_id, len(doc_codes)) for c in cands])
    other_chunk = chunk_ids[:, None] != chunk_ids[None, :]
    other_doc = doc_ids[:, None] != doc_ids[None, :]
    masked = np.where(other_chunk, sims, -2.0)  # -2: not another chunk
    k = min(3, n)
    top3 = -np.partition(-masked, k - 1, axis=1)[:, :k]
    valid = top3 > -2.0
    centrality = (top3 * valid).sum(axis=1) / np.maximum(valid.sum(axis=1), 1)
    agreement = np.minimum(((sims >= 0.6) & other_doc).sum(axis=1), 5) / 5
    return centrality, agreement


def score_candidates(
    question: str,
    query_vector: np.ndarray,
    hits: Sequence[SearchHit],
    embeddings: LocalEmbeddings,
    top_chunks: int,
    follow_up_vector: np.ndarray | None = None,
    edition: str | None = None,
    exclude: set[str] | None = None,
) -> Scored:
    """Every quotable sentence of the top hits with its feature row."""
    cands = [
        c for c in candidates(list(hits[:top_chunks])) if c.sentence.text not in (exclude or set())
    ]
    vectors = sentence_vectors(cands, embeddings)
    if not cands:
        return Scored([], vectors, np.zeros((0, len(FEATURES)), dtype=np.float32))
    cos = vectors @ query_vector
    follow = vectors @ follow_up_vector if follow_up_vector is not None else cos
    q_words = content_words(question)
    q_clauses = set(find_clauses(question))
    yes_no = bool(_YES_NO_QUESTION.match(question))
    wanted_edition = edition or "2015"
    centrality, agreement = _consensus(cands, vectors)
    rows = []
    for c, cs, fs, cen, agree in zip(cands, cos, follow, centrality, agreement, strict=True):
        chunk, text = c.hit.chunk, c.sentence.text
        qa = chunk.kind == "qa"
        words = content_words(text)
        mentioned = set(find_clauses(text))
        rows.append(
            [
                float(cs),
                float(cs - cos.max()),
                float(fs),
                float(qa),
                float(c.hit.dense_score or 0.0) if qa else 0.0,
                float(c.index == 0),
                float(qa and c.index == 0),
                1.0 / max(c.hit.rank, 1),
                float(c.hit.dense_score or 0.0),
                len(q_words & words) / max(len(q_words), 1),
                float(bool(q_clauses & (mentioned | set(chunk.clauses[:1])))),
                float(bool(_EXAMPLE.search(chunk.section))),
                float(bool(COUNTER_SECTION.search(chunk.section))),
                min(len(text.split()), 50) / 50,
                float(yes_no and bool(_YES_NO_ANSWER.match(text))),
                float(bool(mentioned)),
                float(not chunk.editions or wanted_edition in chunk.editions),
                float(cen),
                float(agree),
            ]
        )
    return Scored(cands, vectors, np.array(rows, dtype=np.float32))


#: sentences quoted before one that points back, at most (a mistake's second tempting
#: response needs the first, what works and the mistake itself)
MAX_LEANING = 3


def pick(
    scored: Scored, probabilities: np.ndarray, max_sentences: int, min_probability: float
) -> list[Candidate]:
    """Best first, then the next best that says something new; a sentence that points back
    ("those risks") comes with the sentence(s) before it, or not at all; adjacent sentences of
    one unit stay together in reading order."""
    order = np.argsort(-probabilities)
    where = {(c.hit.chunk.chunk_id, c.index): k for k, c in enumerate(scored.candidates)}
    chosen: list[int] = []
    for i in order:
        if len(chosen) >= max_sentences or (chosen and probabilities[i] < min_probability):
            break
        adding = [int(i)]
        cand = scored.candidates[i]
        if leans_back(cand.sentence.text) and (cand.hit.chunk.kind != "qa" or cand.index > 0):
            # quoted with the sentence it points back to, or not at all (the first sentence
            # of a question-answer unit points to its question, which the sources name);
            # back past one that leans back itself ("A tempting response that does not fix
            # it ..." comes with the remedy before it and the mistake both answer)
            back, missing = cand.index, False
            while True:
                before = where.get((cand.hit.chunk.chunk_id, back - 1))
                if before is None:
                    missing = True
                    break
                if before not in chosen:
                    adding.insert(0, before)
                back -= 1
                if not leans_back(scored.candidates[before].sentence.text):
                    break
                if back <= cand.index - MAX_LEANING:  # still pointing back: not at all
                    missing = True
                    break
            if missing:
                continue
        if chosen and any(
            float((scored.vectors[chosen] @ scored.vectors[k]).max()) >= REDUNDANT for k in adding
        ):
            continue
        chosen.extend(adding)
    picked = [scored.candidates[i] for i in chosen]
    ordered: list[Candidate] = []
    for cand in picked:
        if cand in ordered:
            continue
        run = [cand]
        for other in picked:  # pull the sentences that follow it in the same unit up behind it
            last = run[-1]
            if (
                other not in ordered
                and other.hit.chunk.chunk_id == last.hit.chunk.chunk_id
                and other.index == last.index + 1
            ):
                run.append(other)
        ordered.extend(run)
    return ordered
