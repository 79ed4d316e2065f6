"""When to say "not covered": a model fitted on the ``tune`` questions decides, the same way
for every question.

Features: how close the nearest guidance passages and question-answer units are, the best
BM25 score, whether a real ISO 9001 clause is named, whether another standard or a name the
guidance never mentions appears, and the question's own embedding (so "tax", "GDPR" or
"ISO 27001 Annex A" questions are recognised by what they are about, not by a word list):
through a PCA of it, or through its closeness to the nearest out-of-scope and in-scope tune
questions (which of these, and how many neighbours, is chosen by cross-validation).
The weights and the cut-off are fitted by ``isoguide eval --fit`` (``isoguide/eval/fit.py``)
and ship as ``isoguide/fitted/abstain.json``.
"""

from __future__ import annotations

import base64
import json
import re
import warnings
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from typing import Any

import numpy as np

from .clauses import find_clauses
from .glossary import names_other_standard
from .models import Chunk
from .text import tokenize

_WORD = re.compile(r"[A-Za-z][A-Za-z0-9&'-]*")
FEATURES = (
    "best_passage_similarity",
    "best_question_similarity",
    "top3_similarity",
    "bm25_best",
    "names_clause",
    "names_other_standard",
    "unknown_names",
)


@dataclass(frozen=True)
class AbstainDecision:
    abstain: bool
    reason: str  # empty when answering
    probability: float = 0.0  # the model's probability that the question is out of scope


def unknown_names(question: str, vocabulary: set[str]) -> list[str]:
    """Capitalised words (not the first) that appear nowhere in the corpus: "Acme", "Bosch"."""
    names: list[str] = []
    for i, word in enumerate(_WORD.findall(question)):
        if i == 0 or not word[0].isupper() or word.isupper():
            continue
        base = re.sub(r"'s$", "", word)
        tokens = tokenize(base)
        if tokens and tokens[0] not in vocabulary:
            names.append(base)
    return names


def abstain_features(
    question: str,
    query_vector: np.ndarray,
    dense: Sequence[tuple[Chunk, float]],
    bm25_best: float,
    vocabulary: set[str],
) -> np.ndarray:
    passages = [s for c, s in dense if c.kind != "qa"]
    # a corpus without question-answer units (uploads, a small test corpus) reads as one
    # whose nearest question is as close as its nearest passage
    questions = [s for c, s in dense if c.kind == "qa"] or passages
    top = sorted((s for _, s in dense), reverse=True)[:3]
    named = [
        max(passages, default=0.0),
        max(questions, default=0.0),
        float(np.mean(top)) if top else 0.0,
        bm25_best / (bm25_best + 10.0),
        1.0 if find_clauses(question) else 0.0,
        1.0 if names_other_standard(question) else 0.0,
        min(len(unknown_names(question, vocabulary)), 2) / 2,
    ]
    return np.concatenate([np.array(named, dtype=np.float32), query_vector.astype(np.float32)])


def neighbour_features(
    vector: np.ndarray, neighbours: np.ndarray, labels: np.ndarray, k: int, skip: int = -1
) -> np.ndarray:
    """How close the question is to the ``k`` nearest out-of-scope and in-scope questions of
    tune, and the difference: near-scope questions (another standard's PPAP, an employment
    contract) resemble the out-of-scope questions people ask more than any passage tells.
    ``skip`` leaves one neighbour out (the question itself, while fitting)."""
    unit = vector / max(float(np.linalg.norm(vector)), 1e-6)
    sims = neighbours @ unit
    if skip >= 0:
        sims = sims.copy()
        sims[skip] = -2.0
    out_sims, in_sims = sims[(labels == 1) & (sims > -2)], sims[(labels == 0) & (sims > -2)]
    near_out = float(np.sort(out_sims)[-k:].mean()) if len(out_sims) else 0.0
    near_in = float(np.sort(in_sims)[-k:].mean()) if len(in_sims) else 0.0
    return np.array([near_out, near_in, near_out - near_in], dtype=np.float32)


def _pack(matrix: np.ndarray) -> str:
    return base64.b64encode(matrix.astype(np.float16).tobytes()).decode("ascii")


def _unpack(text: str, width: int = 384) -> np.ndarray:
    flat = np.frombuffer(base64.b64decode(text), dtype=np.float16).astype(np.float32)
    return flat.reshape(-1, width)


@dataclass(frozen=True)
class AbstainModel:
    """Standardised logistic regression: P(out of scope | features). The question embedding
    enters through ``components`` (a PCA fitted on tune), so the model learns topics, not the
    wording style of the questions it was fitted on, and through its ``k`` nearest tune
    questions of each kind (``neighbours``, unit vectors, with ``labels`` 1 = out of scope)."""

    mean: np.ndarray
    scale: np.ndarray
    coef: np.ndarray
    intercept: float
    threshold: float
    components: np.ndarray  # (n, 384); empty when the embedding is not used
    pca_mean: np.ndarray
    neighbours: np.ndarray = field(default_factory=lambda: np.zeros((0, 384), np.float32))
    labels: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int8))
    k: int = 0  # 0: no neighbour features

    def inputs(self, features: np.ndarray, skip: int = -1) -> np.ndarray:
        named, embedding = features[: len(FEATURES)], features[len(FEATURES) :]
        parts = [named]
        if len(self.components):
            parts.append((embedding - self.pca_mean) @ self.components.T)
        if self.k and len(self.neighbours):
            parts.append(neighbour_features(embedding, self.neighbours, self.labels, self.k, skip))
        return np.concatenate(parts).astype(np.float32)

    def probability(self, features: np.ndarray) -> float:
        x = self.inputs(features)
        z = float(((x - self.mean) / self.scale) @ self.coef + self.intercept)
        return 1.0 / (1.0 + np.exp(-z))

    def to_json(self) -> dict[str, object]:
        names = list(FEATURES) + [f"question_embedding_pca[{len(self.components)}]"]
        if self.k:
            names += ["nearest_out_of_scope", "nearest_in_scope", "nearest_difference"]
        return {
            "features": names,
            "mean": self.mean.tolist(),
            "scale": self.scale.tolist(),
            "coef": self.coef.tolist(),
            "intercept": self.intercept,
            "threshold": self.threshold,
            "components": self.components.tolist(),
            "pca_mean": self.pca_mean.tolist(),
            "k": self.k,
            "neighbours": _pack(self.neighbours),
            "labels": self.labels.astype(int).tolist(),
        }

    @classmethod
    def from_json(cls, data: dict[str, object]) -> AbstainModel:
        return cls(
            np.array(data["mean"], dtype=np.float32),
            np.array(data["scale"], dtype=np.float32),
            np.array(data["coef"], dtype=np.float32),
            float(data["intercept"]),  # type: ignore[arg-type]
            float(data["threshold"]),  # type: ignore[arg-type]
            np.array(data.get("components", []), dtype=np.float32).reshape(-1, 384),  # type: ignore[call-overload]
            np.array(data.get("pca_mean", np.zeros(384)), dtype=np.float32),  # type: ignore[call-overload]
            _unpack(str(data.get("neighbours", ""))),
            np.array(data.get("labels", []), dtype=np.int8),  # type: ignore[call-overload]
            int(data.get("k", 0)),  # type: ignore[call-overload]
        )


@dataclass(frozen=True)
class AbstainEnsemble:
    """The mean probability of several fitted models (the configurations that scored best in
    cross-validation on tune) against one cut-off. Nested cross-validation on tune found the
    mean of the best five generalises better than the single best (F1 0.892 against 0.878):
    near-tied configurations no longer flip the shipped choice from one refit to the next."""

    members: tuple[AbstainModel, ...]
    threshold: float

    def probability(self, features: np.ndarray) -> float:
        return float(np.mean([m.probability(features) for m in self.members]))

    def to_json(self) -> dict[str, object]:
        """The tune questions every member compares with are written once."""
        members = [m.to_json() for m in self.members]
        shared: dict[str, object] = {key: members[0][key] for key in ("neighbours", "labels")}
        for m in members:
            if all(m[key] == value for key, value in shared.items()):
                for key in shared:
                    del m[key]
        return {"threshold": self.threshold, **shared, "members": members}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> AbstainEnsemble:
        if "members" not in data:  # one model, as shipped before the ensemble
            return cls((AbstainModel.from_json(data),), float(data["threshold"]))
        shared: dict[str, Any] = {key: data[key] for key in ("neighbours", "labels") if key in data}
        members = tuple(AbstainModel.from_json({**shared, **m}) for m in data["members"])
        return cls(members, float(data["threshold"]))


def default_confidence() -> float:
    """The fitted confidence an answer needs (the slider's starting point)."""
    model = fitted_model()
    return round(1.0 - model.threshold, 2) if model else 0.45


@lru_cache(maxsize=1)
def fitted_model() -> AbstainEnsemble | None:
    """The shipped model, or None before the first fit or when it was fitted on features
    other than ``FEATURES``."""
    resource = resources.files("isoguide") / "fitted" / "abstain.json"
    if not resource.is_file():
        return None
    data = json.loads(resource.read_text(encoding="utf-8"))
    first = data["members"][0] if "members" in data else data
    if list(first.get("features", []))[: len(FEATURES)] != list(FEATURES):
        # fitted on other features (a feature added, not yet refitted): the similarity rule
        # decides until ``isoguide eval --fit`` (which runs the searches this guard keeps alive)
        warnings.warn(
            "isoguide/fitted/abstain.json was fitted on other features; abstention falls back "
            "to the similarity rule until `isoguide eval --fit`",
            stacklevel=2,
        )
        return None
    return AbstainEnsemble.from_json(data)


def decide(
    question: str,
    features: np.ndarray,
    has_hits: bool,
    vocabulary: set[str],
    threshold: float | None = None,
    model: AbstainModel | AbstainEnsemble | None = None,
    use_fitted: bool = True,
) -> AbstainDecision:
    """Answer or decline. ``threshold`` is the confidence that the question is in scope needed
    to answer; None means the fitted cut-off (the page's slider overrides it)."""
    if not has_hits:
        return AbstainDecision(True, "the index is empty", 1.0)
    model = model or (fitted_model() if use_fitted else None)
    if model is None:  # similarity rule: a named clause is in scope, else a passage is close
        if (
            features[FEATURES.index("names_clause")]
            and not features[FEATURES.index("names_other_standard")]
        ):
            return AbstainDecision(False, "", 0.0)
        p = 1.0 - float(features[0])
        cut = 1.0 - threshold if threshold is not None else 0.55
    else:
        p = model.probability(features)
        cut = 1.0 - threshold if threshold is not None else model.threshold
    if p < cut:
        return AbstainDecision(False, "", p)
    if names_other_standard(question):
        reason = "it seems to be about another standard; this guidance covers the ISO 9000 family"
    elif names := unknown_names(question, vocabulary):
        reason = f"the guidance never mentions {', '.join(names)}"
    else:
        reason = "no guidance passage is close enough to the question"
    return AbstainDecision(True, reason, p)
