"""Quizzes for trainers: build multiple-choice items from the guidance, and check given items.

Both halves are extractive: a generated item's correct option is a sentence (or a term of a
sentence) quoted from a retrieved chunk, and a checked item's options are scored against
sentences of the retrieved guidance. No language model is involved.
"""

from __future__ import annotations

import math
import random
import re
from dataclasses import asdict, dataclass, field
from typing import Any

import numpy as np

from .answer.guard import looks_like_injection
from .assistant import Assistant
from .clauses import any_clause_matches
from .errors import IsoguideError
from .models import Chunk, Citation
from .text import Sentence, content_words, split_sentences

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
_COUNTER_SECTION = re.compile(r"(?i)\b(mistakes?|pitfalls?)\b|^the misconception")
_ANAPHORIC = re.compile(r"^(another|this|that|these|those|it|they|such|both|the same|here)\b", re.I)


# -- sentences ------------------------------------------------------------------------------
#: A sentence of a chunk; ``sentence.text`` is a verbatim slice of ``chunk.text``.
_Evidence = tuple[Chunk, Sentence]


def _clean_sentences(chunk: Chunk, min_chars: int = 15) -> list[Sentence]:
    """The chunk's sentences, less headings and anything in a paragraph that addresses the
    assistant with orders (so no part of an injected paragraph is ever quoted)."""
    bad, pos = [], 0
    for part in re.split(r"(\n\s*\n)", chunk.text):
        if looks_like_injection(part):
            bad.append((pos, pos + len(part)))
        pos += len(part)
    return [
        s
        for s in split_sentences(chunk.text)
        if len(s.text) >= min_chars
        and not s.text.startswith(("#", "|"))
        and not looks_like_injection(s.text)
        and not any(start <= s.start < end for start, end in bad)
    ]


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


def _gather_evidence(assistant: Assistant, question: str, options: list[str]) -> list[_Evidence]:
    """Units of the chunks retrieved for the question; nothing when the guidance covers
    neither the question nor the question with any option.

    Options do not bring in chunks of their own: a distractor would find text that echoes it.
    """
    result = assistant.search(question, k=EVIDENCE_CHUNKS)
    if result.abstain and all(assistant.search(f"{question} {o}", k=1).abstain for o in options):
        return []
    return [(h.chunk, s) for h in result.hits for s in _clean_sentences(h.chunk)]


_NUMBER_WORDS = "zero one two three four five six seven eight nine ten eleven twelve".split()  # noqa: SIM905


def _words(text: str) -> set[str]:
    """Content words with small numbers spelled out and a trailing "e" dropped, so "3 years"
    meets "three years" and require/required/requires meet."""
    text = re.sub(r"\b(1[0-2]|[0-9])\b(?!\.\d)", lambda m: _NUMBER_WORDS[int(m.group(1))], text)
    return {w[:-1] if w.endswith("e") and len(w) > 4 else w for w in content_words(text)}


_IDF_CACHE: dict[tuple[int, int], dict[str, float]] = {}


def _idf(chunks: list[Chunk]) -> dict[str, float]:
    """Inverse document frequency of each word over the served chunks (cached per chunk list)."""
    key = (id(chunks), len(chunks))
    if key not in _IDF_CACHE:
        df: dict[str, int] = {}
        for c in chunks:
            for w in _words(c.text):
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
            out |= _words(" ".join(tokens[i + 1 : i + 1 + NEGATION_SCOPE]))
    return out


def _coverage(
    wanted: set[str], found: list[set[str]], idf: dict[str, float], default: float
) -> np.ndarray:
    """IDF-weighted share of ``wanted`` words present in each evidence unit."""
    weights = {w: idf.get(w, default) for w in wanted}
    total = sum(weights.values()) or 1.0
    return np.array([sum(v for w, v in weights.items() if w in f) / total for f in found])


def _option_scores(
    assistant: Assistant, question: str, options: list[str], evidence: list[_Evidence]
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
    ev_words = [_words(t) for t in texts]
    ev_denied = [_negated_words(t) for t in texts]
    q_words = _words(question)
    about = RELEVANCE_WEIGHT * (ev_v @ q_v) + QUESTION_WORDS_WEIGHT * _coverage(
        q_words, ev_words, idf, default
    )
    ev_negated = np.array([bool(_NEGATION.search(t)) for t in texts])
    q_negated = bool(_NEGATION.search(question))
    counter = np.array([bool(_COUNTER_SECTION.search(c.section)) for c, _ in evidence])
    support, refuted = [], []
    for i, option in enumerate(options):
        words = _words(option)
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
    if _COUNTER_SECTION.search(chunk.section):
        return []
    return [
        s
        for s in _clean_sentences(chunk, MIN_CHARS)
        if len(s.text) <= MAX_CHARS
        and len(s.text.split()) >= MIN_WORDS
        and not s.text.endswith((":", "?"))
        and not _ANAPHORIC.match(s.text)
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
        self.topic_words = _words(topic)

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
            and _words(w)
            and not _words(w) & self.topic_words
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
