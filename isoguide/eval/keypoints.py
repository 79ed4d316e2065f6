"""Does a sentence state a key point? A matcher calibrated on labelled pairs.

The word matcher (``metrics.key_point_found``: 70% of a key point's content words in the
text) misses a point stated in other words ("no mandatory quality manual" against "ISO 9001
does not require a quality manual" fails on "mandatory"). This matcher reads meaning: a
logistic model over the embedding cosine of key point and sentence, and the share of the key
point's words the sentence holds. It is fitted on pairs (key point, candidate sentence)
judged by a reader as "states it" or not (``data/keypoint_labels.jsonl``): fitted on the
pairs of ``tune`` questions, its agreement with the judge reported on the pairs of ``test``
questions (``isoguide eval --fit``). Both matchers are reported; neither replaces the other.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np

from isoguide.text import content_words, match_words

from . import DATA
from .metrics import key_point_found

LABELS = DATA / "keypoint_labels.jsonl"
FEATURES = ("cosine", "word_share", "cosine_x_word_share")


def word_share(point: str, sentence: str) -> float:
    words = match_words(point)
    return len(words & match_words(sentence)) / len(words) if words else 0.0


def pair_features(cosine: np.ndarray, shares: np.ndarray) -> np.ndarray:
    return np.stack([cosine, shares, cosine * shares], axis=-1)


@dataclass(frozen=True)
class KeyPointMatcher:
    coef: np.ndarray
    intercept: float
    threshold: float = 0.5

    def probability(self, x: np.ndarray) -> np.ndarray:
        return 1.0 / (1.0 + np.exp(-(x @ self.coef + self.intercept)))

    def to_json(self) -> dict[str, Any]:
        return {
            "features": list(FEATURES),
            "coef": self.coef.tolist(),
            "intercept": self.intercept,
            "threshold": self.threshold,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> KeyPointMatcher:
        return cls(
            np.array(data["coef"], dtype=np.float64),
            float(data["intercept"]),
            float(data.get("threshold", 0.5)),
        )

    def table(
        self,
        points: Sequence[str],
        sentences: Sequence[str],
        embeddings: Any,
        sentence_vectors: np.ndarray | None = None,
    ) -> np.ndarray:
        """Points x sentences: does the sentence state the point?"""
        if not points or not sentences:
            return np.zeros((len(points), len(sentences)), dtype=bool)
        pv = embeddings.encode_memo(list(points))
        sv = (
            embeddings.encode_memo(list(sentences))
            if sentence_vectors is None
            else sentence_vectors
        )
        shares = np.array([[word_share(p, s) for s in sentences] for p in points])
        return self.probability(pair_features(pv @ sv.T, shares)) >= self.threshold


@lru_cache(maxsize=1)
def fitted_matcher() -> KeyPointMatcher | None:
    resource = resources.files("isoguide") / "fitted" / "keypoints.json"
    if not resource.is_file():
        return None
    return KeyPointMatcher.from_json(json.loads(resource.read_text(encoding="utf-8")))


def load_labels(path: Path = LABELS) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]


def fit_matcher(embeddings: Any, path: Path = LABELS) -> tuple[KeyPointMatcher, dict[str, Any]]:
    """Fit on the pairs of tune questions; agreement with the judge on the pairs of test ones."""
    from sklearn.linear_model import LogisticRegression

    rows = load_labels(path)
    vp = embeddings.encode([r["key_point"] for r in rows])
    vs = embeddings.encode([r["sentence"] for r in rows])
    cos = (vp * vs).sum(axis=1)
    shares = np.array([word_share(r["key_point"], r["sentence"]) for r in rows])
    x = pair_features(cos, shares)
    y = np.array([int(r["label"]) for r in rows])
    word_rule = [key_point_found(r["key_point"], content_words(r["sentence"])) for r in rows]
    tune = np.array([r["split"] == "tune" for r in rows])
    lr = LogisticRegression(C=1.0, max_iter=2000).fit(x[tune], y[tune])
    # the cut-off that says "states it" as often as the judge did on tune, so that a share of
    # key points found is estimated without bias (not the one most often right pair by pair)
    p_tune = lr.predict_proba(x[tune])[:, 1]
    threshold = float(np.sort(p_tune)[::-1][max(int(y[tune].sum()) - 1, 0)])
    matcher = KeyPointMatcher(lr.coef_[0], float(lr.intercept_[0]), threshold)
    report: dict[str, Any] = {"pairs_tune": int(tune.sum()), "pairs_test": int((~tune).sum())}
    for name, mask in (("tune", tune), ("test", ~tune)):
        said = matcher.probability(x[mask]) >= matcher.threshold
        truth = y[mask] == 1
        lexical = np.array([word_rule[i] for i in np.flatnonzero(mask)])
        report[name] = {
            "judged_positive": int(truth.sum()),
            "accuracy": float((said == truth).mean()),
            "precision": float((said & truth).sum() / max(said.sum(), 1)),
            "recall": float((said & truth).sum() / max(truth.sum(), 1)),
            "word_matcher_precision": float((lexical & truth).sum() / max(lexical.sum(), 1)),
            "word_matcher_recall": float((lexical & truth).sum() / max(truth.sum(), 1)),
        }
    return matcher, report
