"""The default answerer: no model, only sentences quoted from the retrieved guidance.

It picks the sentences of the top chunks closest to the question (cosine similarity with MMR
for diversity), keeps them in reading order, and cites each run of quoted text with ``[n]``.
Every quote is a verbatim slice of its chunk, so the answer is faithful by construction.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np

from ..embeddings import LocalEmbeddings
from ..models import NOT_COVERED, Answer, Citation, SearchHit, SearchResult
from ..text import Sentence, content_words, split_sentences
from .guard import looks_like_injection

PROVIDER = "extractive"
MIN_CHARS, MAX_CHARS, MIN_WORDS = 25, 600, 5
MMR_LAMBDA = 0.72
MIN_RELATIVE = 0.6  # a sentence must reach this share of the best sentence's score
# A sentence opening with these leans on the one before it and reads badly when quoted alone.
_ANAPHORIC = re.compile(r"^(another|this|that|these|those|it|they|such|both|the same|here)\b", re.I)


@dataclass
class _Candidate:
    hit: SearchHit
    sentence: Sentence
    index: int  # position of the sentence within its chunk
    score: float = 0.0


def _candidates(hits: list[SearchHit]) -> list[_Candidate]:
    out: list[_Candidate] = []
    for hit in hits:
        for i, sent in enumerate(split_sentences(hit.chunk.text)):
            text = sent.text
            if not (MIN_CHARS <= len(text) <= MAX_CHARS) or len(text.split()) < MIN_WORDS:
                continue
            if text.startswith(("#", "|", ">")) or text.endswith(":"):
                continue
            if looks_like_injection(text):
                continue
            out.append(_Candidate(hit, sent, i))
    return out


def _mmr(vectors: np.ndarray, relevance: np.ndarray, n: int) -> list[int]:
    chosen: list[int] = []
    remaining = list(range(len(relevance)))
    while remaining and len(chosen) < n:
        if chosen:
            redundancy = (vectors[remaining] @ vectors[chosen].T).max(axis=1)
        else:
            redundancy = np.zeros(len(remaining))
        mmr = MMR_LAMBDA * relevance[remaining] - (1 - MMR_LAMBDA) * redundancy
        best = remaining[int(np.argmax(mmr))]
        chosen.append(best)
        remaining.remove(best)
    return chosen


def select_sentences(
    question: str,
    hits: list[SearchHit],
    embeddings: LocalEmbeddings,
    n_sentences: int,
    top_chunks: int = 4,
) -> list[_Candidate]:
    """The sentences that best answer ``question``, in reading order."""
    used_hits = hits[:top_chunks]
    cands = _candidates(used_hits)
    if not cands:
        return []
    vectors = embeddings.encode([question] + [c.sentence.text for c in cands])
    qv, sv = vectors[0], vectors[1:]
    q_words = content_words(question)
    for c, vec in zip(cands, sv, strict=True):
        overlap = len(q_words & content_words(c.sentence.text)) / max(len(q_words), 1)
        rank_bonus = 0.04 * (top_chunks - c.hit.rank) / top_chunks if c.hit.rank else 0.0
        penalty = 0.08 if _ANAPHORIC.match(c.sentence.text) else 0.0
        c.score = float(vec @ qv) + 0.15 * overlap + rank_bonus - penalty
    relevance = np.array([c.score for c in cands])
    picked = _mmr(sv, relevance, n_sentences)
    best = relevance[picked[0]]
    picked = [i for i in picked if relevance[i] >= MIN_RELATIVE * best]
    chosen = [cands[i] for i in picked]
    chosen.sort(key=lambda c: (c.hit.rank, c.index))
    return chosen


def compose(question: str, chosen: list[_Candidate], provider: str = PROVIDER) -> Answer:
    """Join chosen sentences into an answer; adjacent sentences of one chunk share a citation."""
    runs: list[list[_Candidate]] = []
    for cand in chosen:
        last = runs[-1][-1] if runs else None
        if last is not None and last.hit is cand.hit and cand.index == last.index + 1:
            runs[-1].append(cand)
        else:
            runs.append([cand])
    citations: list[Citation] = []
    parts: list[str] = []
    for n, run in enumerate(runs, start=1):
        chunk = run[0].hit.chunk
        quote = chunk.text[run[0].sentence.start : run[-1].sentence.end]
        citations.append(Citation.from_chunk(n, chunk, quote))
        parts.append(f"{quote} [{n}]")
    return Answer(
        question=question,
        answer=" ".join(parts),
        abstained=False,
        provider=provider,
        citations=citations,
    )


def not_covered(question: str, result: SearchResult, provider: str = PROVIDER) -> Answer:
    """The fixed "not covered" answer, with the closest sections as further reading."""
    see_also = [h.chunk for h in result.hits[:3]]
    text = NOT_COVERED
    if see_also:
        titles = "; ".join(f"{c.title} ({c.section})" for c in see_also)
        text += f" You may want to read: {titles}."
    return Answer(
        question=question,
        answer=text,
        abstained=True,
        provider=provider,
        see_also=see_also,
        hits=result.hits,
    )


def extractive_answer(
    question: str, result: SearchResult, embeddings: LocalEmbeddings, n_sentences: int = 4
) -> Answer:
    if result.abstain or not result.hits:
        return not_covered(question, result)
    chosen = select_sentences(question, result.hits, embeddings, n_sentences)
    if not chosen:
        return not_covered(question, result)
    answer = compose(question, chosen)
    answer.hits = result.hits
    return answer
