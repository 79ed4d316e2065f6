"""The fitted verifier: does the cited guidance say what a generated sentence says?

Features of (sentence, cited passages):

- how close the sentence is in meaning: the best and second-best cosine to a passage sentence;
- how much of it the passages hold: content-word coverage, content words they lack, the
  share of its word pairs (bigrams) they contain, and a soft coverage that reads synonyms
  (each of its words' best cosine to a passage word, averaged: "memorise" ~ "recite");
- what an LLM invents: figures, clause numbers and durations the passages do not give;
- what an LLM flips: a negation ("not", "never", "-n't", "rarely") or a strong quantifier
  ("must", "every", "only") whose *scope* (the content words after it) the passages state
  without one, and a passage negation whose scope the sentence repeats without one;
- polarity: whether the sentence carries a negation while none of the three passage sentences
  closest to it does, or the other way round (an honest paraphrase keeps "not required");
- whether it cites two sources (a summary across sources is honest and reads less alike).

A logistic model over the standardised features, fitted on the tune half of a labelled set of
LLM-style sentences (``eval/data/support_set.jsonl``), decides; its cut-off keeps false
rejections of honest sentences at or under 3% in cross-validation. ``isoguide eval --fit``
refits it; ``answer/verify.py`` uses it on every generated sentence.
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
from ..text import STOPWORDS, content_words, split_sentences, stem

FEATURES = (
    "best_cosine",
    "second_cosine",
    "coverage",
    "novel_words",
    "bigram_coverage",
    "new_figures",
    "new_clauses",
    "new_durations",
    "negation_added",
    "negation_dropped",
    "strengthened",
    "two_sources",
    "soft_coverage",
    "polarity_mismatch",
)
_NUMBER_WORDS = {
    word: value
    for value, word in enumerate(
        [
            "zero",
            "_",
            "two",
            "three",
            "four",
            "five",
            "six",
            "seven",
            "eight",
            "nine",
            "ten",
            "eleven",
            "twelve",
            "thirteen",
            "fourteen",
            "fifteen",
            "sixteen",
            "seventeen",
            "eighteen",
            "nineteen",
            "twenty",
        ]
    )
    if word != "_"  # "one" is too often a pronoun ("a one-page form", "the right one")
} | {
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "sixty": 60,
    "hundred": 100,
    "thousand": 1000,
    "million": 1_000_000,
    "dozen": 12,
    "half": 0.5,
    "twice": 2,
    "third": 3,
    "fourth": 4,
    "fifth": 5,
}
_DURATION = re.compile(
    r"(?i)\b(hours?|days?|weeks?|months?|years?|quarters?|daily|weekly|monthly|quarterly|"
    r"yearly|annually|annual)\b"
)
_NEGATIONS = frozenset(
    [
        "not",
        "no",
        "never",
        "none",
        "nothing",
        "neither",
        "nor",
        "without",
        "cannot",
        "rarely",
        "seldom",
        "nobody",
        "nowhere",
    ]
)
_STRONG = frozenset(
    [
        "must",
        "always",
        "every",
        "all",
        "any",
        "required",
        "require",
        "requires",
        "mandatory",
        "shall",
        "only",
        "never",
        "each",
        "entire",
        "whole",
        "automatically",
    ]
)
_WORD = re.compile(r"[A-Za-z0-9][A-Za-z0-9.'’-]*")
_PLAIN = re.compile(r"[A-Za-z][A-Za-z'-]+")
_SCOPE = 5  # content words after a cue that it governs


def _cues(text: str) -> list[tuple[str, str | None]]:
    """The text as cue tokens ("neg", "strong"), content stems ("word", stem) and "other"."""
    out: list[tuple[str, str | None]] = []
    for raw in _WORD.findall(text):
        word = raw.lower().replace("’", "'")
        if word.endswith("n't") or word in _NEGATIONS:
            out.append(("neg", None))
        elif word in _STRONG:
            out.append(("strong", None))
        else:
            word = word.strip(".'-")
            if word in STOPWORDS or len(word) < 3:
                out.append(("other", None))
            else:
                out.append(("word", stem(word)))
    return out


def _scopes(text: str, kind: str) -> list[set[str]]:
    """For each cue of ``kind``, the set of the next few content stems it governs."""
    tokens = _cues(text)
    scopes = []
    for i, (k, _) in enumerate(tokens):
        if k != kind:
            continue
        if kind == "strong" and any(k0 == "neg" for k0, _ in tokens[max(0, i - 3) : i]):
            continue  # "not mandatory", "does not always": a negated quantifier claims less
        scope: set[str] = set()
        for k2, word in tokens[i + 1 :]:
            if len(scope) >= _SCOPE:
                break
            if k2 == "word" and word:
                scope.add(word)
        scopes.append(scope)
    return scopes


def _unmatched_cues(claim: str, source: str, kind: str, need: int = 1) -> int:
    """Cues of ``kind`` in ``claim`` whose scope ``source`` states with no such cue over it."""
    source_words = content_words(source)
    source_scopes = _scopes(source, kind)
    count = 0
    for scope in _scopes(claim, kind):
        inside = scope & source_words
        if len(inside) >= need and not any(inside & other for other in source_scopes):
            count += 1
    return count


def _negated(text: str) -> bool:
    return any(kind == "neg" for kind, _ in _cues(text))


def _numbers(text: str) -> set[str]:
    """Figures and number words, without clause numbers or standard names (ISO 9001:2015)."""
    text = re.sub(r"\b\d+(\.\d+)+\b", " ", text)
    text = re.sub(r"(?i)\b(ISO|IEC|IAF|MD)\s*[/A-Z]*\s*\d+(-\d+)?(:\d{4})?", " ", text).lower()
    found = {d.rstrip(".,") for d in re.findall(r"(?<![\d.])\d+(?:[.,]\d+)?", text)}
    return found | {
        str(_NUMBER_WORDS[w]) for w in re.findall(r"[a-z]+", text) if w in _NUMBER_WORDS
    }


def _durations(text: str) -> set[str]:
    return {m.group(0).lower().rstrip("s") for m in _DURATION.finditer(text)}


def _bigrams(text: str) -> set[tuple[str, str]]:
    words = [w for k, w in _cues(text) if k == "word" and w]
    return set(zip(words, words[1:], strict=False))


def _plain_words(text: str) -> list[str]:
    return sorted(
        {w for w in (m.lower() for m in _PLAIN.findall(text)) if w not in STOPWORDS and len(w) > 2}
    )


def soft_coverage(claim_words: list[str], source_words: list[str], vectors: dict) -> float:
    """Mean over the claim's words of the best cosine to any source word."""
    if not claim_words or not source_words:
        return 0.0
    a = np.stack([vectors[w] for w in claim_words])
    b = np.stack([vectors[w] for w in source_words])
    return float((a @ b.T).max(axis=1).mean())


def features(
    claim: str,
    passages: list[str],
    claim_vector: np.ndarray,
    sentence_vectors: np.ndarray,
    sentences: list[str],
    soft: float = 0.0,
) -> np.ndarray:
    joined = " ".join(passages)
    sims = sentence_vectors @ claim_vector if len(sentences) else np.zeros(1)
    order = np.argsort(-sims)
    best = float(sims[order[0]]) if len(sentences) else 0.0
    second = float(sims[order[1]]) if len(sentences) > 1 else best
    near = " ".join(sentences[int(i)] for i in order[:3]) if sentences else ""
    words, source_words = content_words(claim), content_words(joined)
    pairs = _bigrams(claim)
    return np.array(
        [
            best,
            second,
            len(words & source_words) / len(words) if words else 0.0,
            float(len(words - source_words)),
            len(pairs & _bigrams(joined)) / len(pairs) if pairs else 0.0,
            float(bool(_numbers(claim) - _numbers(joined))),
            float(bool(set(find_clauses(claim)) - set(find_clauses(joined)))),
            float(bool(_durations(claim) - _durations(joined))),
            float(min(_unmatched_cues(claim, joined, "neg"), 2)),
            float(min(_unmatched_cues(near, claim, "neg", need=2), 2)),
            float(min(_unmatched_cues(claim, joined, "strong"), 2)),
            float(len(passages) > 1),
            soft,
            float(_negated(claim) != _negated(near)),
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
    claim_words = [_plain_words(c) for c in claims]
    source_words = [_plain_words(" ".join(ps)) for ps in cited]
    # single words, encoded once each in the model's memo (it is shared with the quiz)
    unique = list(dict.fromkeys(w for ws in claim_words + source_words for w in ws))
    words = dict(zip(unique, embeddings.encode_memo(unique), strict=True))
    rows, offset = [], 0
    for claim, vec, ps, group, cw, sw in zip(
        claims, claim_vecs, cited, groups, claim_words, source_words, strict=True
    ):
        block = sent_vecs[offset : offset + len(group)]
        offset += len(group)
        rows.append(features(claim, ps, vec, block, group, soft_coverage(cw, sw, words)))
    return np.stack(rows) if rows else np.zeros((0, len(FEATURES)), dtype=np.float32)


def new_figures(claim: str, cited: list[str]) -> bool:
    """A figure, duration or clause number the cited passages do not give: the reason shown."""
    joined = " ".join(cited)
    return bool(
        _numbers(claim) - _numbers(joined)
        or _durations(claim) - _durations(joined)
        or set(find_clauses(claim)) - set(find_clauses(joined))
    )


@dataclass(frozen=True)
class SupportModel:
    coef: np.ndarray
    intercept: float
    threshold: float
    mean: np.ndarray
    scale: np.ndarray

    def probabilities(self, x: np.ndarray) -> np.ndarray:
        z = (x - self.mean) / self.scale
        return 1.0 / (1.0 + np.exp(-(z @ self.coef + self.intercept)))

    def to_json(self) -> dict[str, object]:
        return {
            "features": list(FEATURES),
            "coef": self.coef.tolist(),
            "intercept": self.intercept,
            "threshold": self.threshold,
            "mean": self.mean.tolist(),
            "scale": self.scale.tolist(),
        }

    @classmethod
    def from_json(cls, data: dict[str, object]) -> SupportModel:
        if data.get("features") != list(FEATURES):
            raise ValueError("fitted/support.json was fitted on other features: run make fit")
        return cls(
            np.array(data["coef"], dtype=np.float32),
            float(data["intercept"]),  # type: ignore[arg-type]
            float(data["threshold"]),  # type: ignore[arg-type]
            np.array(data["mean"], dtype=np.float32),
            np.array(data["scale"], dtype=np.float32),
        )


@lru_cache(maxsize=1)
def fitted_model() -> SupportModel:
    resource = resources.files("isoguide") / "fitted" / "support.json"
    return SupportModel.from_json(json.loads(resource.read_text(encoding="utf-8")))
