"""Checking quiz items against the guidance: which option(s) the retrieved evidence supports.

Extractive: options are scored against sentences of the retrieved guidance (embedding
similarity, weighted word overlap, relevance to the question, negation and contrast terms).
No language model is involved. Generation lives in ``isoguide.quiz``.
"""

from __future__ import annotations

import math
import re
from dataclasses import asdict, dataclass, field
from typing import Any

import numpy as np

from .assistant import Assistant
from .errors import IsoguideError
from .models import Chunk, Citation
from .sentences import COUNTER_SECTION, clean_sentences
from .text import Sentence, match_words

LETTERS = "ABCDEFGH"
BLANK = "_____"
MIN_CHARS, MAX_CHARS, MIN_WORDS = 50, 260, 8
LEXICAL_WEIGHT = 0.35  # share of the option's content words found in the evidence sentence
RELEVANCE_WEIGHT = 0.3  # evidence must be about the question, not just echo the option
QUESTION_WORDS_WEIGHT = 0.2
POLARITY_PENALTY = 0.08  # evidence that negates what an option asserts supports it less
COUNTER_PENALTY = 0.15  # "common mistakes" describe what not to do
REFUTATION_WEIGHT = 0.7
CONTRAST_WEIGHT = 0.5  # a unit is evidence for an option as far as it fits it better than the rest
NEGATION_SCOPE = 8  # tokens after "not", "no", "never" ... that the negation covers
EVIDENCE_CHUNKS = 12
DISTRACTOR_CHUNKS = 12  # chunks of other documents sampled for wrong statements
CONFIDENT_MARGIN = 0.03
_NEGATED_QUESTION = re.compile(
    r"\b(NOT|EXCEPT)\b|(?i:\b(false|incorrect|untrue|least (likely|supported))\b)"
)
_AFFIRMATIVE = {"false": "true", "incorrect": "correct", "untrue": "true"}
_HOW_MANY = re.compile(r"(?i)\b(?:select|choose|pick|which)\s+(two|three|four|2|3|4)\b")
_NUMBERS = {"two": 2, "three": 3, "four": 4, "2": 2, "3": 3, "4": 4}
_NEGATION = re.compile(
    r"(?i)\b(not|no|never|none|neither|nor|without|isn't|aren't|doesn't|don't)\b"
)


#: A sentence of a chunk; ``sentence.text`` is a verbatim slice of ``chunk.text``.
Evidence = tuple[Chunk, Sentence]


# -- checking a given item ------------------------------------------------------------------
@dataclass
class QuizCheck:
    """Which option(s) the guidance supports best, and how sure that is."""

    chosen: list[str]
    scores: dict[str, float]
    agrees: bool | None
    verdict: str
    evidence: list[Citation] = field(default_factory=list)
    confident: bool = False

    def to_json(self) -> dict[str, Any]:
        scores = {k: round(v, 4) for k, v in self.scores.items()}
        return {**asdict(self), "scores": scores, "evidence": [c.to_json() for c in self.evidence]}


def _expected_count(question: str, options: list[str], answer: str | list[str] | None) -> int:
    if isinstance(answer, list):
        return max(1, min(len(answer), len(options)))
    match = _HOW_MANY.search(question)
    return min(_NUMBERS[match.group(1).lower()], len(options)) if match else 1


def _gather_evidence(assistant: Assistant, question: str, options: list[str]) -> list[Evidence]:
    """Units of the chunks retrieved for the question; nothing when the guidance covers
    neither the question nor the question with any option.

    Options do not bring in chunks of their own: a distractor would find text that echoes it.
    """
    result = assistant.search(question, k=EVIDENCE_CHUNKS)
    if result.abstain and all(assistant.search(f"{question} {o}", k=1).abstain for o in options):
        return []
    return [(h.chunk, s) for h in result.hits for s in clean_sentences(h.chunk)]


_IDF_CACHE: dict[tuple[int, int], dict[str, float]] = {}


def _idf(chunks: list[Chunk]) -> dict[str, float]:
    """Inverse document frequency of each word over the served chunks (cached per chunk list)."""
    key = (id(chunks), len(chunks))
    if key not in _IDF_CACHE:
        df: dict[str, int] = {}
        for c in chunks:
            for w in match_words(c.text):
                df[w] = df.get(w, 0) + 1
        _IDF_CACHE.clear()
        _IDF_CACHE[key] = {w: math.log((len(chunks) + 1) / (d + 0.5)) for w, d in df.items()}
    return _IDF_CACHE[key]


def _negated_words(text: str) -> set[str]:
    """Words within a few tokens after a negation ("does not require a quality manual")."""
    tokens = re.findall(r"[\w.'-]+", text.lower())
    out: set[str] = set()
    for i, token in enumerate(tokens):
        if _NEGATION.fullmatch(token):
            out |= match_words(" ".join(tokens[i + 1 : i + 1 + NEGATION_SCOPE]))
    return out


def _coverage(
    wanted: set[str], found: list[set[str]], idf: dict[str, float], default: float
) -> np.ndarray:
    """IDF-weighted share of ``wanted`` words present in each evidence unit."""
    weights = {w: idf.get(w, default) for w in wanted}
    total = sum(weights.values()) or 1.0
    return np.array([sum(v for w, v in weights.items() if w in f) / total for f in found])


def _option_scores(
    assistant: Assistant, question: str, options: list[str], evidence: list[Evidence]
) -> tuple[list[float], list[int]]:
    """Per option: the evidence score and the index of its best supporting unit.

    A unit supports an option when it is about the question (similar, sharing its rarer
    words), reads like the option, shares the option's rarer words, and does so more than it
    does for the other options. Units from "common mistakes" sections, and units whose
    negation differs from the option's, support it less. An affirmative option also loses in
    proportion to the unit that most clearly denies its words ("no longer requires ...").
    """
    texts = [s.text for _, s in evidence]
    n = len(options)
    vecs = assistant.store.embeddings.encode(
        [question] + options + [f"{question} {o}" for o in options] + texts
    )
    q_v, opt_v, qo_v, ev_v = vecs[0], vecs[1 : n + 1], vecs[n + 1 : 2 * n + 1], vecs[2 * n + 1 :]
    idf = _idf(assistant.store.all_chunks())
    default = max(idf.values(), default=1.0)
    ev_words = [match_words(t) for t in texts]
    ev_denied = [_negated_words(t) for t in texts]
    q_words = match_words(question)
    about = RELEVANCE_WEIGHT * (ev_v @ q_v) + QUESTION_WORDS_WEIGHT * _coverage(
        q_words, ev_words, idf, default
    )
    ev_negated = np.array([bool(_NEGATION.search(t)) for t in texts])
    q_negated = bool(_NEGATION.search(question))
    counter = np.array([bool(COUNTER_SECTION.search(c.section)) for c, _ in evidence])
    support, refuted = [], []
    for i, option in enumerate(options):
        words = match_words(option)
        own = words - q_words or words
        dense = 0.5 * (ev_v @ opt_v[i]) + 0.5 * (ev_v @ qo_v[i])
        mismatch = ev_negated != (bool(_NEGATION.search(option)) != q_negated)
        support.append(
            dense
            + about
            + LEXICAL_WEIGHT * _coverage(own, ev_words, idf, default)
            - POLARITY_PENALTY * mismatch
            - COUNTER_PENALTY * counter
        )
        denial = 0.0
        if not _NEGATION.search(option):
            denial = float((_coverage(own, ev_denied, idf, default) * (ev_v @ qo_v[i])).max())
        refuted.append(denial)
    table = np.stack(support)  # options x units
    scores, best = [], []
    for i in range(n):
        others = np.delete(table, i, axis=0).mean(axis=0)
        combined = table[i] + CONTRAST_WEIGHT * (table[i] - others)
        j = int(np.argmax(combined))
        scores.append(float(combined[j]) - REFUTATION_WEIGHT * refuted[i])
        best.append(j)
    return scores, best


def check_quiz_item(
    assistant: Assistant,
    question: str,
    options: list[str],
    answer: str | list[str] | None = None,
) -> QuizCheck:
    """Score each option against the retrieved guidance and pick the best supported one(s).

    A negated question ("Which is NOT ...", "EXCEPT", "false") picks the least supported
    option(s); "select two" or a list answer picks that many.
    """
    options = [o.strip() for o in options]
    if len(options) < 2 or len(set(options)) != len(options) or not all(options):
        raise IsoguideError(
            f"A quiz item needs at least two distinct, non-empty options; got {options!r}."
        )
    wanted = _expected_count(question, options, answer)
    negated = bool(_NEGATED_QUESTION.search(question))
    asked = _NEGATED_QUESTION.sub(lambda m: _AFFIRMATIVE.get(m.group(0).lower(), ""), question)
    asked = re.sub(r"\s{2,}", " ", asked).strip()
    given = None if answer is None else ([answer] if isinstance(answer, str) else list(answer))
    evidence = _gather_evidence(assistant, asked, options)
    if not evidence:
        return QuizCheck(
            [],
            {o: 0.0 for o in options},
            None if given is None else False,
            "The guidance does not clearly support any option: it does not cover this question.",
        )
    scores, best = _option_scores(assistant, asked, options, evidence)
    order = sorted(range(len(options)), key=lambda i: scores[i], reverse=not negated)
    picked = sorted(order[:wanted])
    chosen = [options[i] for i in picked]
    margin = (
        abs(scores[order[wanted - 1]] - scores[order[wanted]]) if wanted < len(options) else 1.0
    )
    confident = margin >= CONFIDENT_MARGIN
    agrees = None if given is None else sorted(given) == sorted(chosen)
    labels = " and ".join(f"{LETTERS[i]} ({options[i]!r})" for i in picked)
    if negated:
        verdict = f"The guidance supports option {labels} least, so it is the exception asked for."
    else:
        verdict = f"The guidance supports option {labels} best."
    if not confident:
        verdict += " The margin over the next option is small, so check it against the sources."
    cites = [
        Citation.from_chunk(n, evidence[best[i]][0], evidence[best[i]][1].text)
        for n, i in enumerate(picked, start=1)
    ]
    return QuizCheck(
        chosen, dict(zip(options, scores, strict=True)), agrees, verdict, cites, confident
    )
