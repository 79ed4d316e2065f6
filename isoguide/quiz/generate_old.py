"""Quizzes for trainers: build multiple-choice items from the guidance (``generate_quiz``),
print them with an answer key (``quiz_to_markdown``), and check given items
(``check_quiz_item``, from ``isoguide.quiz_check``).

A generated item's correct option is a sentence (or a term of a sentence) quoted from a
retrieved chunk; no language model is involved.
"""

from __future__ import annotations

import math
import random
import re
from dataclasses import asdict, dataclass
from typing import Any

import numpy as np

from .assistant import Assistant
from .clauses import any_clause_matches
from .errors import IsoguideError
from .models import Chunk, Citation
from .quiz_check import (
    DISTRACTOR_CHUNKS,
    LETTERS,
    MAX_CHARS,
    MIN_CHARS,
    MIN_WORDS,
    QuizCheck,
    check_quiz_item,
)
from .sentences import ANAPHORIC, COUNTER_SECTION, clean_sentences
from .text import Sentence, match_words

__all__ = ["QuizCheck", "QuizItem", "check_quiz_item", "generate_quiz", "quiz_to_markdown"]

BLANK = "_____"


# -- generating items -----------------------------------------------------------------------
@dataclass
class QuizItem:
    """One multiple-choice question whose answer is quoted from the guidance."""

    question: str
    options: list[str]
    answer: list[str]
    explanation: str
    citations: list[Citation]
    clauses: list[str]

    def to_json(self) -> dict[str, Any]:
        return {**asdict(self), "citations": [c.to_json() for c in self.citations]}


_TERM = re.compile(r"\b[a-z][a-z-]{3,}[a-z]\b")


def _quotable(chunk: Chunk) -> list[Sentence]:
    """Sentences that read well on their own, outside "common mistakes" sections."""
    if COUNTER_SECTION.search(chunk.section):
        return []
    return [
        s
        for s in clean_sentences(chunk, MIN_CHARS)
        if len(s.text) <= MAX_CHARS
        and len(s.text.split()) >= MIN_WORDS
        and not s.text.endswith((":", "?"))
        and not ANAPHORIC.match(s.text)
        and "**" not in s.text
    ]


def _word_class(word: str) -> str:
    """A crude part of speech, so a blank's options all fit the sentence alike."""
    return next((suffix for suffix in ("ing", "ed", "ly", "s") if word.endswith(suffix)), "")


class _Builder:
    """What every item of one quiz needs: the corpus, its key terms, the topic and the RNG."""

    def __init__(self, assistant: Assistant, topic: str, rng: random.Random) -> None:
        self.assistant, self.topic, self.rng = assistant, topic, rng
        self.chunks = assistant.store.all_chunks()
        self.df: dict[str, int] = {}
        self.tf: dict[str, dict[str, int]] = {}  # per document
        for c in self.chunks:
            tf = self.tf.setdefault(c.doc_id, {})
            for w in _TERM.findall(c.text):
                tf[w] = tf.get(w, 0) + 1
            for w in set(_TERM.findall(c.text)):
                self.df[w] = self.df.get(w, 0) + 1
        self.topic_words = match_words(topic)

    def weight(self, doc_id: str, word: str) -> float:
        """TF-IDF of a word in a document: high for the terms the document is about."""
        return self.tf[doc_id].get(word, 0) * math.log(len(self.chunks) / self.df.get(word, 1))

    def unrelated(self, source: Chunk) -> list[Chunk]:
        """Chunks of other documents that share no clause with ``source``."""
        return [
            c
            for c in self.chunks
            if c.doc_id != source.doc_id and not any_clause_matches(c.clauses, source.clauses)
        ]

    def distractor_sentences(self, source: Chunk, correct: str, k: int = 3) -> list[str]:
        others = self.unrelated(source)
        sample = self.rng.sample(others, min(DISTRACTOR_CHUNKS, len(others)))
        pool = list(dict.fromkeys(s.text for c in sample for s in _quotable(c)))
        if len(pool) < k:
            return []
        vecs = self.assistant.store.embeddings.encode([correct, self.topic] + pool)
        to_correct, to_topic = vecs[2:] @ vecs[0], vecs[2:] @ vecs[1]
        fit = [i for i in range(len(pool)) if to_correct[i] < 0.5 and to_topic[i] < 0.4]
        fit.sort(key=lambda i: -to_correct[i])  # plausible-looking, yet about something else
        return [pool[i] for i in self.rng.sample(fit[: 3 * k], k)] if len(fit) >= k else []

    def key_term(self, source: Chunk, sentence: str) -> str | None:
        """The word of the sentence its document is most about (not a topic word)."""
        words = [
            w
            for w in set(_TERM.findall(sentence))
            if len(re.findall(rf"\b{w}\b", sentence, re.I)) == 1
            and _word_class(w) in ("", "s")
            and self.df.get(w, 0) >= 2
            and match_words(w)
            and not match_words(w) & self.topic_words
        ]
        return max(words, key=lambda w: (self.weight(source.doc_id, w), w)) if words else None

    def distractor_terms(self, source: Chunk, term: str, k: int = 3) -> list[str]:
        """Key terms of unrelated documents, of the same word class, unknown to the source."""
        docs = sorted({c.doc_id for c in self.unrelated(source)})
        pool: set[str] = set()
        for doc in docs:
            ranked = sorted(self.tf[doc], key=lambda w: (-self.weight(doc, w), w))
            pool.update(
                [
                    w
                    for w in ranked
                    if _word_class(w) == _word_class(term) and w not in self.tf[source.doc_id]
                ][:3]
            )
        return self.rng.sample(sorted(pool), k) if len(pool) >= k else []

    def item(self, chunk: Chunk, sent: Sentence, cloze: bool) -> QuizItem | None:
        quote = sent.text
        section = re.sub(r"\s*\(.*?\)", "", chunk.section).strip() or chunk.title
        if cloze:
            term = self.key_term(chunk, quote)
            wrong = self.distractor_terms(chunk, term) if term else []
            if not term or not wrong:
                return None
            blanked = re.sub(rf"\b{re.escape(term)}\b", BLANK, quote, count=1)
            question, correct = (
                f'Fill in the blank (guidance on {self.topic}, "{section}"): {blanked}',
                term,
            )
        else:
            wrong = self.distractor_sentences(chunk, quote)
            if not wrong:
                return None
            question, correct = (
                f'Which statement matches the guidance on {self.topic} ("{section}")?',
                quote,
            )
        options = [correct] + wrong
        self.rng.shuffle(options)
        return QuizItem(
            question=question,
            options=options,
            answer=[correct],
            explanation=f'The guidance says: "{quote}" [1]',
            citations=[Citation.from_chunk(1, chunk, quote)],
            clauses=list(chunk.clauses),
        )


def generate_quiz(assistant: Assistant, topic: str, n: int = 5, seed: int = 0) -> list[QuizItem]:
    """Up to ``n`` grounded multiple-choice items on ``topic``; the same seed gives the same quiz.

    Items alternate between "which statement matches the guidance" and fill-in-the-blank; wrong
    options come from documents on other clauses, so they are clearly wrong for the question.
    """
    if n < 1:
        raise IsoguideError(f"A quiz needs at least one question; n={n} was asked for.")
    result = assistant.search(topic, k=min(max(8, n), 50))
    if result.abstain or not result.hits:
        raise IsoguideError(
            f"The guidance does not cover {topic!r}, so no quiz can be built on it. "
            'Pick a topic the guidance covers, such as a clause ("7.2 competence") or "internal audit".'
        )
    cands = [(h.chunk, s) for h in result.hits for s in _quotable(h.chunk)]
    if not cands:
        raise IsoguideError(
            f"The guidance on {topic!r} has no sentences that make a fair quiz question."
        )
    vecs = assistant.store.embeddings.encode([topic] + [s.text for _, s in cands])
    relevance = vecs[1:] @ vecs[0]
    order = [int(i) for i in np.argsort(-relevance, kind="stable")]
    rng = random.Random(seed)
    pool = order[: max(2 * n, 6)]
    pool = rng.sample(pool, len(pool))  # the seed picks which of the most relevant sentences
    builder = _Builder(assistant, topic, rng)
    items: list[QuizItem] = []
    used: list[int] = []
    for i in pool + order[len(pool) :]:
        if len(items) == n:
            break
        if used and float((vecs[1:][used] @ vecs[1 + i]).max()) > 0.9:
            continue  # near-duplicate of a sentence already asked about
        chunk, sent = cands[i]
        item = builder.item(chunk, sent, cloze=len(items) % 2 == 1) or builder.item(
            chunk, sent, cloze=len(items) % 2 == 0
        )
        if item:
            items.append(item)
            used.append(i)
    if not items:
        raise IsoguideError(f"Could not build any quiz question on {topic!r} from the guidance.")
    return items


def quiz_to_markdown(items: list[QuizItem], title: str) -> str:
    """A printable quiz, then a separate answer key with the quoted sources."""
    lines = [f"# {title}", ""]
    for q, item in enumerate(items, start=1):
        lines.append(f"{q}. {item.question}")
        lines += [f"   - {LETTERS[i]}. {o}" for i, o in enumerate(item.options)]
        lines.append("")
    lines += ["---", "", "## Answer key", ""]
    for q, item in enumerate(items, start=1):
        letters = ", ".join(LETTERS[item.options.index(a)] for a in item.answer)
        lines.append(f"{q}. **{letters}**: {'; '.join(item.answer)}")
        lines.append(f"   {item.explanation}")
        for c in item.citations:
            clauses = f" (clauses {', '.join(c.clauses)})" if c.clauses else ""
            lines.append(f"   [{c.n}] {c.title} — {c.section}{clauses}")
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"
