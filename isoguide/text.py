"""Small text utilities shared by BM25, the extractive answerer, citation checks and the eval."""

from __future__ import annotations

import re
from dataclasses import dataclass

STOPWORDS = frozenset(
    [
        "a",
        "about",
        "above",
        "after",
        "again",
        "against",
        "all",
        "am",
        "an",
        "and",
        "any",
        "are",
        "as",
        "at",
        "be",
        "because",
        "been",
        "before",
        "being",
        "below",
        "between",
        "both",
        "but",
        "by",
        "can",
        "could",
        "did",
        "do",
        "does",
        "doing",
        "down",
        "during",
        "each",
        "few",
        "for",
        "from",
        "further",
        "had",
        "has",
        "have",
        "having",
        "he",
        "her",
        "here",
        "hers",
        "herself",
        "him",
        "himself",
        "his",
        "how",
        "i",
        "if",
        "in",
        "into",
        "is",
        "it",
        "its",
        "itself",
        "just",
        "me",
        "more",
        "most",
        "my",
        "myself",
        "no",
        "nor",
        "not",
        "now",
        "of",
        "off",
        "on",
        "once",
        "only",
        "or",
        "other",
        "our",
        "ours",
        "ourselves",
        "out",
        "over",
        "own",
        "same",
        "she",
        "should",
        "so",
        "some",
        "such",
        "than",
        "that",
        "the",
        "their",
        "theirs",
        "them",
        "themselves",
        "then",
        "there",
        "these",
        "they",
        "this",
        "those",
        "through",
        "to",
        "too",
        "under",
        "until",
        "up",
        "very",
        "was",
        "we",
        "were",
        "what",
        "when",
        "where",
        "which",
        "while",
        "who",
        "whom",
        "why",
        "will",
        "with",
        "would",
        "you",
        "your",
        "yours",
        "yourself",
        "yourselves",
        "also",
        "may",
        "might",
        "must",
        "shall",
        "us",
        "get",
        "got",
        "need",
        "needs",
        "does",
        "dont",
        "don't",
        "im",
        "i'm",
        "whats",
        "what's",
        "thing",
        "things",
        "really",
        "please",
        "tell",
        "explain",
        "mean",
        "means",
    ]
)

_TOKEN = re.compile(r"\d+(?:\.\d+)+|[a-z0-9]+(?:'[a-z]+)?")


def stem(word: str) -> str:
    """A light suffix stripper: enough to match audit/audits/auditing, policy/policies."""
    if len(word) <= 3 or word[0].isdigit():
        return word
    for suffix, repl in (
        ("ies", "y"),
        ("ing", ""),
        ("ed", ""),
        ("es", ""),
        ("s", ""),
    ):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            if suffix == "s" and word.endswith("ss"):
                return word
            if suffix == "es" and not word.endswith(("sses", "xes", "ches", "shes")):
                continue
            return word[: -len(suffix)] + repl
    return word


def tokenize(text: str) -> list[str]:
    """Lower-cased, stemmed content tokens; clause numbers like ``7.1.5`` stay whole."""
    return [stem(t) for t in _TOKEN.findall(text.lower()) if t not in STOPWORDS]


def content_words(text: str) -> set[str]:
    return {t for t in tokenize(text) if len(t) > 2 or "." in t}


@dataclass(frozen=True)
class Sentence:
    text: str
    start: int  # offset in the source text: ``source[start:end] == text``
    end: int


_SENT_BOUNDARY = re.compile(
    r"(?<=[.!?])[\"')\]]*\s+(?=[\"'(\[]?[A-Z0-9*])|\n\s*\n|\n(?=\s*[-*] )|\n(?=#)"
)


def split_sentences(text: str) -> list[Sentence]:
    """Sentences with their exact offsets, so a quote is always a verbatim slice of its chunk."""
    out: list[Sentence] = []
    pos = 0
    for match in _SENT_BOUNDARY.finditer(text):
        _add(text, pos, match.start(), out)
        pos = match.end()
    _add(text, pos, len(text), out)
    return out


def _add(text: str, start: int, end: int, out: list[Sentence]) -> None:
    piece = text[start:end]
    lead = len(piece) - len(piece.lstrip())
    piece = piece.strip()
    # List bullets and bold markers are layout, not words of the sentence.
    bullet = re.match(r"^(?:[-*]|\d+[.)])\s+", piece)
    if bullet:
        lead += bullet.end()
        piece = piece[bullet.end() :]
    if piece:
        s = start + lead
        out.append(Sentence(piece, s, s + len(piece)))


_NUMBER_WORDS = "zero one two three four five six seven eight nine ten eleven twelve".split()  # noqa: SIM905


def match_words(text: str) -> set[str]:
    """Content words for matching options to evidence: small numbers spelled out and a trailing
    "e" dropped, so "3 years" meets "three years" and require/required/requires meet."""
    text = re.sub(r"\b(1[0-2]|[0-9])\b(?!\.\d)", lambda m: _NUMBER_WORDS[int(m.group(1))], text)
    return {w[:-1] if w.endswith("e") and len(w) > 4 else w for w in content_words(text)}
