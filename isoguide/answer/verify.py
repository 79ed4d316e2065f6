"""Check a generated answer sentence by sentence against the chunks it cites.

A sentence is supported when every ``[n]`` it carries names a retrieved source and the source
says what the sentence says: a support score (the best cosine similarity to one of the
source's sentences, blended with how many of the sentence's content words the source uses) at
or above a threshold calibrated on ``eval/support_examples.jsonl``.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ..embeddings import LocalEmbeddings
from ..text import content_words, split_sentences

MARKER = re.compile(r"\[(\d+(?:\s*,\s*\d+)*)\]")
# A sentence ends after . ! or ? and any citation markers, once the next sentence has begun.
SENTENCE_END = re.compile(r"(?<=[.!?])(?:\s*\[\d+(?:\s*,\s*\d+)*\])*\s+(?=[^\s\[])")
COSINE_WEIGHT = 0.6
_NUMBER_WORDS = frozenset(
    [
        "one",
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
        "twenty",
        "thirty",
        "fifty",
        "hundred",
        "first",
        "second",
        "third",
        "fourth",
        "fifth",
        "half",
        "once",
        "twice",
        "annual",
        "annually",
        "yearly",
        "monthly",
        "weekly",
        "daily",
    ]
)


def figures(text: str) -> set[str]:
    """Numbers and number words: a changed figure is the commonest unsupported claim."""
    lowered = text.lower()
    digits = {d.rstrip(".,") for d in re.findall(r"\d+(?:[.,]\d+)*", lowered)}
    return digits | {w for w in re.findall(r"[a-z]+", lowered) if w in _NUMBER_WORDS}


@dataclass
class SentenceCheck:
    text: str  # the sentence as written, markers included
    cited: list[int]
    supported: bool
    reason: str  # why not, for the user; empty when supported
    score: float = 0.0
    new_figures: bool = False


def strip_markers(text: str) -> str:
    text = re.sub(r"\s+", " ", MARKER.sub("", text)).strip()
    return re.sub(r"\s+([.!?,;:])", r"\1", text)


def cited_numbers(text: str) -> list[int]:
    return [int(n) for group in MARKER.findall(text) for n in re.split(r"\s*,\s*", group)]


def split_answer(text: str) -> list[str]:
    """Answer sentences with their trailing markers kept ("... keep records. [2]")."""
    pieces, pos = [], 0
    for match in SENTENCE_END.finditer(text):
        pieces.append(text[pos : match.end()].strip())
        pos = match.end()
    pieces.append(text[pos:].strip())
    return [p for p in pieces if p]


def support_scores(
    claims: list[str], passages: list[str], embeddings: LocalEmbeddings
) -> list[float]:
    """Score each claim against its passage (same index)."""
    if not claims:
        return []
    passage_sents = [[s.text for s in split_sentences(p)] or [p] for p in passages]
    flat = [s for group in passage_sents for s in group]
    vectors = embeddings.encode(claims + flat)
    claim_vecs, sent_vecs = vectors[: len(claims)], vectors[len(claims) :]
    scores: list[float] = []
    offset = 0
    for claim, vec, passage, group in zip(claims, claim_vecs, passages, passage_sents, strict=True):
        block = sent_vecs[offset : offset + len(group)]
        offset += len(group)
        cosine = float((block @ vec).max()) if len(block) else 0.0
        words = content_words(claim)
        lexical = len(words & content_words(passage)) / len(words) if words else 0.0
        scores.append(COSINE_WEIGHT * cosine + (1 - COSINE_WEIGHT) * lexical)
    return scores


def check_answer(
    text: str,
    sources: dict[int, str],
    embeddings: LocalEmbeddings,
    threshold: float,
) -> list[SentenceCheck]:
    """One check per sentence; ``sources`` maps each [n] shown to the model to its text."""
    checks: list[SentenceCheck] = []
    pending: list[tuple[SentenceCheck, str, str]] = []
    for sentence in split_answer(text):
        numbers = cited_numbers(sentence)
        claim = strip_markers(sentence)
        if not claim:  # a stray marker with no words claims nothing: drop it
            continue
        check = SentenceCheck(sentence, numbers, False, "")
        checks.append(check)
        if not numbers:
            check.reason = "no citation"
            continue
        unknown = [n for n in numbers if n not in sources]
        if unknown:
            check.reason = f"cites [{unknown[0]}], which is not one of the retrieved sources"
            continue
        cited_text = " ".join(sources[n] for n in numbers)
        check.new_figures = bool(figures(strip_markers(claim)) - figures(cited_text))
        for n in numbers:
            pending.append((check, claim, sources[n]))
    scores = support_scores([c for _, c, _ in pending], [p for _, _, p in pending], embeddings)
    best: dict[int, float] = {}
    for (check, _, _), score in zip(pending, scores, strict=True):
        best[id(check)] = max(best.get(id(check), 0.0), score)
    for check in checks:
        if id(check) in best:
            check.score = best[id(check)]
            check.supported = check.score >= threshold and not check.new_figures
            if check.new_figures:
                check.reason = "the cited source gives no such figure"
            elif not check.supported:
                check.reason = "the cited source does not say this"
    return checks


def calibrate(examples_path: Path, embeddings: LocalEmbeddings) -> tuple[float, float, int]:
    """``(threshold, accuracy, n)``: the support threshold that best separates the labelled
    examples (supported vs not), taking the middle of the best plateau."""
    rows = [
        json.loads(line) for line in examples_path.read_text("utf-8").splitlines() if line.strip()
    ]
    scores = np.array(
        support_scores([r["sentence"] for r in rows], [r["passage"] for r in rows], embeddings)
    )
    labels = np.array([bool(r["supported"]) for r in rows])
    no_new_figures = np.array([not (figures(r["sentence"]) - figures(r["passage"])) for r in rows])
    cuts = sorted(set(np.round(scores, 4)))
    mids = [(a + b) / 2 for a, b in zip(cuts, cuts[1:], strict=False)] or [0.5]
    accuracy = [float((((scores >= t) & no_new_figures) == labels).mean()) for t in mids]
    top = max(accuracy)
    ties = [t for t, a in zip(mids, accuracy, strict=True) if a == top]
    return float(ties[len(ties) // 2]), top, len(rows)
