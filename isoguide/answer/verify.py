"""Check a generated answer sentence by sentence against the chunks it cites.

A sentence is supported when every ``[n]`` it carries names a retrieved source and the sources
it cites say what the sentence says: the fitted verifier (``answer/support.py``: meaning, word
coverage, invented figures, flipped negations, overgeneralisation) gives it a probability at or
above its cut-off. ``support_threshold`` in the settings overrides the fitted cut-off.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..embeddings import LocalEmbeddings
from .support import batch_features, fitted_model, new_figures

MARKER = re.compile(r"\[(\d+(?:\s*,\s*\d+)*)\]")
# A sentence ends after . ! or ? and any citation markers, once the next sentence has begun.
SENTENCE_END = re.compile(r"(?<=[.!?])(?:\s*\[\d+(?:\s*,\s*\d+)*\])*\s+(?=[^\s\[])")


@dataclass
class SentenceCheck:
    text: str  # the sentence as written, markers included
    cited: list[int]
    supported: bool
    reason: str  # why not, for the user; empty when supported
    score: float = 0.0
    new_figures: bool = False  # a figure, duration or clause the cited sources lack


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


def check_answer(
    text: str,
    sources: dict[int, str],
    embeddings: LocalEmbeddings,
    threshold: float | None = None,
) -> list[SentenceCheck]:
    """One check per sentence; ``sources`` maps each [n] shown to the model to its text.
    ``threshold`` overrides the fitted verifier's cut-off (a probability)."""
    model = fitted_model()
    cut = model.threshold if threshold is None else threshold
    checks: list[SentenceCheck] = []
    pending: list[tuple[SentenceCheck, str, list[str]]] = []
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
        cited = [sources[n] for n in dict.fromkeys(numbers)]
        check.new_figures = new_figures(claim, cited)
        pending.append((check, claim, cited))
    if pending:
        x = batch_features([c for _, c, _ in pending], [p for _, _, p in pending], embeddings)
        for (check, _, _), p in zip(pending, model.probabilities(x), strict=True):
            check.score = float(p)
            check.supported = check.score >= cut
            if not check.supported:
                check.reason = (
                    "the cited source gives no such figure, duration or clause"
                    if check.new_figures
                    else "the cited source does not say this"
                )
    return checks
