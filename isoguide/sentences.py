"""What a quotable sentence is, in one place: the extractive answerer, quiz generation, quiz
checking and drafts all quote guidance through these rules.

A quote must read well on its own (long enough, not leaning on a sentence before it, not a
heading, list fragment or meta sentence about the document), must never come from a
paragraph that addresses the assistant (an injected instruction), and adjacent sentences of
one chunk are joined into one quote. ``mmr`` is the one maximal-marginal-relevance picker.
"""

from __future__ import annotations

import base64
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

import numpy as np

from .answer.guard import looks_like_injection
from .models import Chunk, SearchHit
from .text import Sentence, split_sentences, stem

#: A sentence opening with these leans on the one before it and reads badly when quoted alone.
ANAPHORIC = re.compile(
    r"^(another|this|that|these|those|it|its|they|their|such|both|the same|here|there|"
    r"he|she|then|also|however|but|and|so|likewise|similarly|in (this|that|such) case)\b",
    re.I,
)
#: Guidance sections that describe what NOT to do ("Common mistakes", misconceptions).
COUNTER_SECTION = re.compile(r"(?i)\b(mistakes?|pitfalls?)\b|^the misconception")
#: Sentences about the document rather than the subject ("This document explains ...").
META = re.compile(
    r"(?i)^(this|the following|the next|below|above)\s+(document|section|page|guide|article|"
    r"note|table|list|example)s?\b|\b(this|the) (document|guide|section) (explains|covers|"
    r"describes|sets out|looks at)\b|\b(points?|list|table|steps?|sections?|items?|links?|"
    r"questions?|listed|shown|described|set out|see)\s+(below|above)\b"
)
#: The sentences the guidance puts after each common mistake: what fixes it, and up to five
#: tempting responses that do not, each with why it falls short (quiz items offer them all and
#: give the reason in the key; an answer quotes them only with the mistake they answer).
REMEDY = re.compile(r"^What works instead is to (?P<action>[^.]{10,200})\.$")
TEMPTING = re.compile(
    r"^(?:A|Another|A third|A fourth|A fifth) tempting response that does not fix it is to "
    r"(?P<action>[^.;]{10,200})(?:; (?P<why>it falls short because [^.;]{10,300}))?\.$"
)
#: A determiner that points back ("those risks", "this property") ...
_POINTER = re.compile(r"(?i)\b(?:this|these|those|such)\s+(?!as\b|is\b|means\b)([a-z][a-z-]+)")
#: ... and a plural pronoun, which points back when no plural noun comes before it.
_PLURAL_PRONOUN = re.compile(r"(?i)\b(they|them|their)\b")
#: "both" standing for two things named before ("retained for both, so keep ..."), not
#: "both A and B": followed by punctuation, "of" or a verb rather than by what it joins.
_BOTH = re.compile(r"(?i)\bboth\b(?=\s*(?:[,.;:)]|$|of\b|are\b|is\b|need\b|must\b|can\b|have\b))")
_PLURAL_NOUN = re.compile(r"(?i)\b[a-z]{3,}(?<!ss)(?<!us)(?<!is)s\b|\b(people|staff|anyone)\b")


@dataclass(frozen=True)
class QuoteRules:
    """Length limits of a quotable sentence."""

    min_chars: int = 25
    max_chars: int = 600
    min_words: int = 5


DEFAULT_RULES = QuoteRules()


def leans_back(text: str) -> bool:
    """Whether a sentence refers back to something it does not name itself, past its first
    word: "those risks" with no "risk" earlier in the sentence, "them" with no plural noun
    before it, or "both" standing alone ("retained for both"). Such a sentence is quoted with
    the one before it, or not at all."""
    if REMEDY.match(text) or TEMPTING.match(text):
        return True
    for match in _POINTER.finditer(text):
        if match.start() == 0:
            continue
        before = {stem(w) for w in re.findall(r"[a-z][a-z-]+", text[: match.start()].lower())}
        if stem(match.group(1).lower()) not in before:
            return True
    both = _BOTH.search(text)
    if both and both.start() > 0:
        return True
    pronoun = _PLURAL_PRONOUN.search(text)
    if not pronoun or pronoun.start() == 0:
        return False
    preceding = text[: pronoun.start()].split()[:-1]  # the word just before: its verb, mostly
    return not _PLURAL_NOUN.search(" ".join(preceding))


def paragraph_of(text: str, start: int, end: int) -> str:
    """The blank-line-delimited paragraph of ``text`` that holds ``text[start:end]``."""
    left = text.rfind("\n\n", 0, start)
    right = text.find("\n\n", end)
    return text[left + 2 if left >= 0 else 0 : right if right >= 0 else len(text)]


def in_injected_paragraph(chunk: Chunk, sentence: Sentence) -> bool:
    """True when the sentence sits in a paragraph that addresses the assistant with orders."""
    return looks_like_injection(paragraph_of(chunk.text, sentence.start, sentence.end))


def is_list_fragment(chunk: Chunk, sentence: Sentence) -> bool:
    """A sentence that runs into a list item, or a list item that is not a full sentence."""
    if re.search(r"\n\s*([-*+]|\d+[.)])\s", sentence.text):
        return True
    line_start = chunk.text.rfind("\n", 0, sentence.start) + 1
    in_item = re.match(r"\s*([-*+]|\d+[.)])\s", chunk.text[line_start:]) is not None
    return in_item and not sentence.text.rstrip().endswith((".", "!"))


def is_quotable(chunk: Chunk, sentence: Sentence, rules: QuoteRules = DEFAULT_RULES) -> bool:
    """Whether a sentence can be quoted on its own."""
    text = sentence.text
    if not (rules.min_chars <= len(text) <= rules.max_chars) or len(text.split()) < rules.min_words:
        return False
    if text.startswith(("#", "|", ">")) or text.endswith((":", "?")):
        return False
    if ANAPHORIC.match(text) or META.search(text) or is_list_fragment(chunk, sentence):
        return False
    return not looks_like_injection(text) and not in_injected_paragraph(chunk, sentence)


def clean_sentences(chunk: Chunk, min_chars: int = 15) -> list[Sentence]:
    """The chunk's sentences as evidence: less headings, table rows and anything in a paragraph
    that addresses the assistant (so no part of an injected paragraph is ever used)."""
    return [
        s
        for s in split_sentences(chunk.text)
        if len(s.text) >= min_chars
        and not s.text.startswith(("#", "|"))
        and not looks_like_injection(s.text)
        and not in_injected_paragraph(chunk, s)
    ]


@dataclass
class Candidate:
    """A sentence of a retrieved chunk that may be quoted."""

    hit: SearchHit
    sentence: Sentence
    index: int  # position of the sentence within its chunk
    score: float = 0.0


#: (chunk id, text) -> its quotable sentences under the default rules, with their positions:
#: the same chunks come back question after question (the reranker and the answerer both
#: read them).
_QUOTABLE: dict[tuple[str, str], tuple[tuple[int, Sentence], ...]] = {}
_QUOTABLE_MAX = 8192


def quotable_sentences(
    chunk: Chunk, rules: QuoteRules = DEFAULT_RULES
) -> tuple[tuple[int, Sentence], ...]:
    """The quotable sentences of one chunk with their positions in it."""
    key = (chunk.chunk_id, chunk.text)
    if rules is DEFAULT_RULES and key in _QUOTABLE:
        return _QUOTABLE[key]
    found = tuple(
        (i, sent)
        for i, sent in enumerate(split_sentences(chunk.text))
        if is_quotable(chunk, sent, rules)
    )
    if rules is DEFAULT_RULES:
        if len(_QUOTABLE) >= _QUOTABLE_MAX:
            _QUOTABLE.clear()
        _QUOTABLE[key] = found
    return found


def candidates(hits: Sequence[SearchHit], rules: QuoteRules = DEFAULT_RULES) -> list[Candidate]:
    """Every quotable sentence of ``hits``."""
    return [
        Candidate(hit, sent, i) for hit in hits for i, sent in quotable_sentences(hit.chunk, rules)
    ]


def join_runs(chosen: Sequence[Candidate]) -> list[list[Candidate]]:
    """Group sentences that follow each other on one line of a chunk into runs (list items stay apart)."""
    runs: list[list[Candidate]] = []
    for cand in chosen:
        last = runs[-1][-1] if runs else None
        if (
            last is not None
            and last.hit.chunk.chunk_id == cand.hit.chunk.chunk_id
            and cand.index == last.index + 1
            and "\n" not in last.hit.chunk.text[last.sentence.end : cand.sentence.start]
        ):
            runs[-1].append(cand)
        else:
            runs.append([cand])
    return runs


def run_quote(run: Sequence[Candidate]) -> str:
    """The verbatim text of a run of adjacent sentences."""
    chunk = run[0].hit.chunk
    return chunk.text[run[0].sentence.start : run[-1].sentence.end]


def mmr(vectors: np.ndarray, relevance: np.ndarray, n: int, lam: float) -> list[int]:
    """Maximal marginal relevance: ``n`` indices, each the best trade of relevance against
    similarity to those already chosen (``vectors`` are unit length)."""
    chosen: list[int] = []
    remaining = list(range(len(relevance)))
    while remaining and len(chosen) < n:
        redundancy = (
            (vectors[remaining] @ vectors[chosen].T).max(axis=1)
            if chosen
            else np.zeros(len(remaining))
        )
        best = remaining[int(np.argmax(lam * relevance[remaining] - (1 - lam) * redundancy))]
        chosen.append(best)
        remaining.remove(best)
    return chosen


# -- sentence vectors, computed at ingest and kept with the chunk ------------------------------
def pack_vectors(spans: Sequence[tuple[int, int]], vectors: np.ndarray) -> tuple[str, str]:
    """``(spans, vectors)`` as the two strings a chunk's metadata carries (float16, base64)."""
    text = ",".join(f"{a}:{b}" for a, b in spans)
    data = base64.b64encode(np.asarray(vectors, dtype=np.float16).tobytes()).decode("ascii")
    return text, data


def unpack_vectors(chunk: Chunk) -> dict[int, np.ndarray]:
    """Sentence start offset -> unit vector, from what ingest stored; empty for old indexes."""
    if not chunk.sentence_spans or not chunk.sentence_vectors:
        return {}
    starts = [int(part.split(":")[0]) for part in chunk.sentence_spans.split(",")]
    flat = np.frombuffer(base64.b64decode(chunk.sentence_vectors), dtype=np.float16)
    if flat.size != len(starts) * 384:
        return {}
    matrix = flat.reshape(len(starts), 384).astype(np.float32)
    return dict(zip(starts, matrix, strict=True))


def with_sentence_vectors(
    chunks: Sequence[Chunk], encode: Callable[[list[str]], np.ndarray]
) -> list[Chunk]:
    """The chunks with the vectors of their sentences attached (one batch for all of them)."""
    per_chunk = [split_sentences(c.text) for c in chunks]
    flat = [s.text for sentences in per_chunk for s in sentences]
    vectors = encode(flat) if flat else np.zeros((0, 384), dtype=np.float32)
    out: list[Chunk] = []
    i = 0
    for chunk, sentences in zip(chunks, per_chunk, strict=True):
        block = vectors[i : i + len(sentences)]
        i += len(sentences)
        spans, data = pack_vectors([(s.start, s.end) for s in sentences], block)
        out.append(replace(chunk, sentence_spans=spans, sentence_vectors=data))
    return out
