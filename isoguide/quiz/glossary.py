"""The definitions the guidance gives: its glossary entries ("- **Term**: Term is ..."), read
from the served chunks, so a definition item is checked against the definition of each term
rather than against whatever passage the stem happens to retrieve.

Two shapes of definition item:

- the stem gives a definition and the options are terms ("The non-fulfilment of a requirement
  is called ..."): each option that has an entry is scored by how close its entry is to the
  stem;
- the stem names a term and the options are definitions ("What is conformity?"): each option
  is scored by how close it is to the term's entry.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np

from ..embeddings import LocalEmbeddings
from ..models import Chunk

_ENTRY = re.compile(
    r"^[ \t]*[-*][ \t]+\*\*(?P<term>[^*\n]{2,60})\*\*"
    r"(?:[ \t]*\((?P<ref>ISO 9000:2015,[ \t]*3(?:\.\d+)+)\))?[ \t]*[:–-][ \t]*(?P<text>.+)$",
    re.M,
)
_FIRST_SENTENCE = re.compile(r"^.+?[.!?](?=\s+[A-Z(]|\s*$)")


@dataclass(frozen=True)
class Definition:
    term: str  # normalised ("corrective action")
    text: str  # the entry's first sentence, a verbatim slice of ``chunk.text``
    chunk: Chunk


def normalise(term: str) -> str:
    """Lower case, no article, no brackets or quotes, single spaces."""
    term = re.sub(r"\s*\([^)]*\)", "", term.lower())
    term = re.sub(r"[<>\"“”‘’]", "", term).strip(" .:;'")
    term = re.sub(r"^(an?|the)\s+", "", term)
    return re.sub(r"\s+", " ", term)


def _forms(term: str) -> set[str]:
    """A term and its singular ("management systems" -> "management system")."""
    base = normalise(term)
    return {base, base[:-1]} if base.endswith("s") and not base.endswith("ss") else {base}


class Glossary:
    """Term -> definitions, built once per set of served chunks."""

    def __init__(self, chunks: list[Chunk]) -> None:
        self.entries: dict[str, list[Definition]] = {}
        for chunk in chunks:
            for match in _ENTRY.finditer(chunk.text):
                body = match.group("text")
                first = _FIRST_SENTENCE.match(body)
                text = first.group(0) if first else body
                for name in re.split(r"\s*/\s*|\s+or\s+", match.group("term")):
                    term = normalise(name)
                    if term:
                        self.entries.setdefault(term, []).append(Definition(term, text, chunk))

    def lookup(self, phrase: str) -> list[Definition]:
        return [d for form in _forms(phrase) for d in self.entries.get(form, [])]

    def named_in(self, stem: str) -> list[Definition]:
        """The entries of the longest term the stem names ("define Quality Assurance")."""
        text = normalise(stem)
        named = [t for t in self.entries if re.search(rf"\b{re.escape(t)}s?\b", text)]
        return self.entries[max(named, key=len)] if named else []


_CACHE: dict[tuple[int, int], Glossary] = {}


def glossary(chunks: list[Chunk]) -> Glossary:
    """The glossary of the served chunks (cached per chunk list, like the checker's IDF)."""
    key = (id(chunks), len(chunks))
    if key not in _CACHE:
        _CACHE.clear()
        _CACHE[key] = Glossary(chunks)
    return _CACHE[key]


def best_match(
    embeddings: LocalEmbeddings, anchors: list[str], candidates: list[str]
) -> tuple[np.ndarray, np.ndarray]:
    """Per candidate: its best cosine to any anchor, and which anchor."""
    vectors = embeddings.encode_memo(anchors + candidates)
    sims = vectors[len(anchors) :] @ vectors[: len(anchors)].T
    return sims.max(axis=1), sims.argmax(axis=1)
