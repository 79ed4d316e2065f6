"""The fitted verifier: does the cited guidance say what a generated sentence says?

Features of (sentence, cited passages): the best and second-best cosine to a passage
sentence, word coverage, figures, clause numbers and durations the passages do not give, a
"not" added or dropped against the closest passage sentence, "may/often/some" turned into
"must/always/all", and whether two sources are cited. A logistic model fitted on a labelled
set of LLM-style sentences (``eval/data/support_set.jsonl``, tune half) decides; its cut-off
keeps false rejections of honest sentences low. ``isoguide eval --fit`` refits it.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

import numpy as np

from ..clauses import find_clauses
from ..embeddings import LocalEmbeddings
from ..text import content_words, split_sentences

FEATURES = (
    "best_cosine",
    "second_cosine",
    "coverage",
    "new_figures",
    "new_clauses",
    "new_durations",
    "negation_flip",
    "strengthened",
    "two_sources",
)
_NEGATION = re.compile(
    r"(?i)\b(not|no|never|none|neither|nor|without|cannot|can't|isn't|aren't|doesn't|don't|need not|needn't)\b"
)
_STRONG = re.compile(
    r"(?i)\b(must|always|every|all|required|requires|mandatory|shall|only|never)\b"
)
_SOFT = re.compile(
    r"(?i)\b(may|might|can|often|some|many|usually|typically|for example|such as|could|most)\b"
)
_DURATION = re.compile(
    r"(?i)\b(\d+|one|two|three|four|five|six|seven|eight|nine|ten|twelve|thirty)\s+"
    r"(hours?|days?|weeks?|months?|years?)\b|\b(daily|weekly|monthly|quarterly|yearly|annually)\b"
)
_FIGURE = re.compile(r"\d+(?:[.,]\d+)*%?")


def _figures(text: str) -> set[str]:
    return {
        f.rstrip(".,") for f in _FIGURE.findall(text) if not re.fullmatch(r"\d+(\.\d+){1,3}", f)
    }


def _durations(text: str) -> set[str]:
    return {m.group(0).lower() for m in _DURATION.finditer(text)}


def features(
    claim: str,
    passages: list[str],
    claim_vector: np.ndarray,
    sentence_vectors: np.ndarray,
    sentences: list[str],
) -> np.ndarray:
    joined = " ".join(passages)
    sims = sentence_vectors @ claim_vector if len(sentences) else np.zeros(1)
    order = np.argsort(-sims)
    best = float(sims[order[0]]) if len(sentences) else 0.0
    second = float(sims[order[1]]) if len(sentences) > 1 else best
    closest = sentences[int(order[0])] if sentences else ""
    words = content_words(claim)
    coverage = len(words & content_words(joined)) / len(words) if words else 0.0
    near = " ".join(sentences[int(i)] for i in order[:2]) if sentences else ""
    flip = len(_NEGATION.findall(claim)) % 2 != len(_NEGATION.findall(closest)) % 2 and bool(
        _NEGATION.search(claim)
    ) != bool(_NEGATION.search(near))
    strengthened = (
        bool(_STRONG.search(claim)) and not _STRONG.search(closest) and bool(_SOFT.search(closest))
    )
    return np.array(
        [
            best,
            second,
            coverage,
            float(bool(_figures(claim) - _figures(joined))),
            float(bool(set(find_clauses(claim)) - set(find_clauses(joined)))),
            float(bool(_durations(claim) - _durations(joined))),
            float(flip),
            float(strengthened),
            float(len(passages) > 1),
        ],
        dtype=np.float32,
    )


def batch_features(
    claims: list[str], cited: list[list[str]], embeddings: LocalEmbeddings
) -> np.ndarray:
    """One feature row per claim against its cited passages (one encode for all)."""
    groups = [[s.text for p in ps for s in split_sentences(p)] or ps for ps in cited]
    flat = [s for g in groups for s in g]
    vectors = embeddings.encode(claims + flat)
    claim_vecs, sent_vecs = vectors[: len(claims)], vectors[len(claims) :]
    rows, offset = [], 0
    for claim, vec, ps, group in zip(claims, claim_vecs, cited, groups, strict=True):
        block = sent_vecs[offset : offset + len(group)]
        offset += len(group)
        rows.append(features(claim, ps, vec, block, group))
    return np.stack(rows) if rows else np.zeros((0, len(FEATURES)), dtype=np.float32)


@dataclass(frozen=True)
class SupportModel:
    coef: np.ndarray
    intercept: float
    threshold: float

    def probabilities(self, x: np.ndarray) -> np.ndarray:
        return 1.0 / (1.0 + np.exp(-(x @ self.coef + self.intercept)))

    def to_json(self) -> dict[str, object]:
        return {
            "features": list(FEATURES),
            "coef": self.coef.tolist(),
            "intercept": self.intercept,
            "threshold": self.threshold,
        }

    @classmethod
    def from_json(cls, data: dict[str, object]) -> SupportModel:
        return cls(
            np.array(data["coef"], dtype=np.float32),
            float(data["intercept"]),  # type: ignore[arg-type]
            float(data["threshold"]),  # type: ignore[arg-type]
        )


@lru_cache(maxsize=1)
def fitted_model() -> SupportModel | None:
    resource = resources.files("isoguide") / "fitted" / "support.json"
    if not resource.is_file():
        return None
    return SupportModel.from_json(json.loads(resource.read_text(encoding="utf-8")))
