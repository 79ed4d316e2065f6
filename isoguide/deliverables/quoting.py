"""Picking the guidance sentences a deliverable quotes: the quotable sentences of the given
chunks closest to a question, with bonuses for fitting guidance sections and telling words,
spread out by MMR, never the same sentence twice in one deliverable, and never a sentence
about a clause the company declared not applicable (unless asked for)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from ..clauses import any_clause_matches, find_clauses
from ..embeddings import LocalEmbeddings
from ..models import Chunk, SearchHit
from ..sentences import COUNTER_SECTION, Candidate, is_quotable, join_runs, mmr
from ..text import Sentence, split_sentences

MMR_LAMBDA = 0.75
FIT_BONUS = 0.12
PREFER_BONUS = 0.10
ORDER_BONUS = 0.05


@dataclass
class Pick:
    """A verbatim quote: ``chunk.text[start:end] == quote``."""

    chunk: Chunk
    quote: str
    start: int
    end: int


def quotable(chunk: Chunk) -> list[tuple[int, Sentence]]:
    """(index, sentence) for every sentence of the chunk that can be quoted on its own."""
    return [(i, s) for i, s in enumerate(split_sentences(chunk.text)) if is_quotable(chunk, s)]


def mentions(sentence: str, clause: str) -> bool:
    """Whether the sentence names ``clause`` itself (9.3.2 names 9.3.2, not 9.3)."""
    return clause in find_clauses(sentence)


@dataclass
class QuotePicker:
    embeddings: LocalEmbeddings
    excluded: tuple[str, ...] = ()  # clauses declared not applicable: never quoted by default
    used: set[tuple[str, int]] = field(default_factory=set)

    def vectors(self, texts: list[str]) -> np.ndarray:
        return self.embeddings.encode_memo(texts)

    def about_excluded(self, text: str) -> bool:
        return bool(self.excluded) and any_clause_matches(find_clauses(text), self.excluded)

    def candidates(
        self,
        chunks: Sequence[Chunk],
        counter: bool = False,
        must: str = "",
        allow_excluded: bool = False,
        avoid: str = "",
    ) -> list[Candidate]:
        out: list[Candidate] = []
        for rank, chunk in enumerate(chunks, start=1):
            if bool(COUNTER_SECTION.search(chunk.section)) != counter:
                continue
            if must and not re.search(must, chunk.text, re.I):
                continue
            for i, s in quotable(chunk):
                if (chunk.chunk_id, s.start) in self.used:
                    continue
                if must and not re.search(must, s.text, re.I):
                    continue
                if avoid and re.search(avoid, s.text, re.I):
                    continue
                if not allow_excluded and self.about_excluded(s.text):
                    continue
                out.append(Candidate(SearchHit(chunk, 0.0, rank=rank), s, i))
        return out

    def pick(
        self,
        query: str,
        chunks: Sequence[Chunk],
        n: int,
        fits: str = "",
        prefer: str = "",
        counter: bool = False,
        must: str = "",
        allow_excluded: bool = False,
        min_similarity: float = 0.0,
        avoid: str = "",
    ) -> list[Pick]:
        """Up to ``n`` sentences (adjacent ones joined) in reading order, marked as used."""
        cands = self.candidates(chunks, counter, must, allow_excluded, avoid)
        if not cands or n < 1:
            return []
        vecs = self.vectors([c.sentence.text for c in cands])
        qv = self.vectors([query])[0]
        sims = vecs @ qv
        total = max(len(chunks), 1)
        for c, sim in zip(cands, sims, strict=True):
            c.score = float(sim)
            if fits and re.search(fits, c.hit.chunk.section, re.I):
                c.score += FIT_BONUS
            if prefer and re.search(prefer, c.sentence.text, re.I):
                c.score += PREFER_BONUS
            c.score += ORDER_BONUS * (1 - (c.hit.rank - 1) / total)
        keep = [i for i, s in enumerate(sims) if s >= min_similarity]
        if not keep:
            return []
        relevance = np.array([cands[i].score for i in keep])
        chosen = [cands[keep[j]] for j in mmr(vecs[keep], relevance, n, MMR_LAMBDA)]
        chosen.sort(key=lambda c: (c.hit.rank, c.index))
        for c in chosen:
            self.used.add((c.hit.chunk.chunk_id, c.sentence.start))
        return [
            Pick(
                run[0].hit.chunk,
                run[0].hit.chunk.text[run[0].sentence.start : run[-1].sentence.end],
                run[0].sentence.start,
                run[-1].sentence.end,
            )
            for run in join_runs(chosen)
        ]

    def lead(self, chunks: Sequence[Chunk], must: str, fits: str, follow: int = 2) -> Pick | None:
        """The first sentence (in reading order, in a section that ``fits``) matching
        ``must``, with up to ``follow`` sentences after it in the same paragraph that name no
        other clause: "Clause 9.3.1 requires ... The purpose is to ..."."""
        for chunk in chunks:
            if not re.search(fits, chunk.section, re.I):
                continue
            sents = quotable(chunk)
            for j, (i, s) in enumerate(sents):
                if (chunk.chunk_id, s.start) in self.used or not re.search(must, s.text):
                    continue
                run = [(i, s)]
                for i2, s2 in sents[j + 1 :]:
                    last_i, last = run[-1]
                    if len(run) > follow or i2 != last_i + 1:
                        break
                    if "\n" in chunk.text[last.end : s2.start]:
                        break
                    if find_clauses(s2.text) and not re.search(must, s2.text):
                        break
                    run.append((i2, s2))
                for _, r in run:
                    self.used.add((chunk.chunk_id, r.start))
                start, end = run[0][1].start, run[-1][1].end
                return Pick(chunk, chunk.text[start:end], start, end)
        return None


def intro_list(
    chunks: Sequence[Chunk], must: str, used: set[tuple[str, int]]
) -> tuple[Pick, str, list[str]] | None:
    """A list introduced by a line naming ``must`` ("The inputs from clause 9.3.2 are:"): the
    whole span as one quote, its lead-in and its items (all verbatim), or None."""
    for chunk in chunks:
        for m in re.finditer(r"[^\n]*:[ \t]*$", chunk.text, re.M):
            if not re.search(must, m.group(0)):
                continue
            pieces = split_sentences(chunk.text[m.start() : m.end()])
            if not pieces:
                continue
            lead_start = m.start() + pieces[-1].start
            found = list_after(chunk, lead_start)
            if found is None or (chunk.chunk_id, lead_start) in used:
                continue
            used.add((chunk.chunk_id, lead_start))
            whole, items = found
            span = Pick(chunk, chunk.text[lead_start : whole.end], lead_start, whole.end)
            return span, pieces[-1].text, items
    return None


_ITEM = re.compile(r"[ \t]*[-*+][ \t]+(.+)")


def list_after(chunk: Chunk, end: int) -> tuple[Pick, list[str]] | None:
    """The bullet list that a sentence ending at ``end`` introduces ("The inputs are:"), as
    one verbatim quote of the whole list and its items, or None."""
    para_end = chunk.text.find("\n\n", end)
    if para_end < 0 or not chunk.text[end:para_end].rstrip().endswith(":"):
        return None
    rest = chunk.text[para_end:]
    lead = len(rest) - len(rest.lstrip("\n"))
    pos = para_end + lead
    items: list[tuple[int, int]] = []
    for line in chunk.text[pos:].split("\n"):
        m = _ITEM.match(line)
        if not m:
            break
        start = pos + m.start(1)
        items.append((start, start + len(m.group(1).rstrip())))
        pos += len(line) + 1
    if not items:
        return None
    start, stop = items[0][0], items[-1][1]
    return Pick(chunk, chunk.text[start:stop], start, stop), [chunk.text[a:b] for a, b in items]
