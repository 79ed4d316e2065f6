"""The default answerer: no model, only sentences quoted from the retrieved guidance.

It scores every quotable sentence of the top passages and question-answer units with a model
fitted on real questions (``answer/select.py``), leads with the sentence that answers, adds
what other passages say that is new, and cites each run of quoted text with ``[n]``. Every
quote is a verbatim slice of its chunk, so the answer is faithful by construction. When the
2026 edition changes the clause asked about, a cited "In ISO 9001:2026" point follows.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence

import numpy as np

from ..editions import DEFAULT_EDITION, clause_map_for
from ..embeddings import LocalEmbeddings
from ..models import NOT_COVERED, Answer, Citation, SearchHit, SearchResult
from ..retrieval import Retriever
from ..sentences import ANAPHORIC, Candidate, candidates, join_runs, mmr, run_quote
from ..settings import Settings
from ..text import content_words, split_sentences
from .base import AnswerStream, Turn
from .condense import condense_without_llm
from .edition_point import EditionPoints
from .select import SelectionModel, fitted_model, pick, score_candidates

PROVIDER = "extractive"
MMR_LAMBDA = 0.72
MIN_RELATIVE = 0.6  # a sentence must reach this share of the best sentence's score


def select_sentences(
    question: str,
    hits: list[SearchHit],
    embeddings: LocalEmbeddings,
    n_sentences: int,
    top_chunks: int = 4,
) -> list[Candidate]:
    """The sentences that best answer ``question``, in reading order."""
    used_hits = hits[:top_chunks]
    cands = candidates(used_hits)
    if not cands:
        return []
    vectors = embeddings.encode([question] + [c.sentence.text for c in cands])
    qv, sv = vectors[0], vectors[1:]
    q_words = content_words(question)
    for c, vec in zip(cands, sv, strict=True):
        overlap = len(q_words & content_words(c.sentence.text)) / max(len(q_words), 1)
        rank_bonus = 0.04 * (top_chunks - c.hit.rank) / top_chunks if c.hit.rank else 0.0
        penalty = 0.08 if ANAPHORIC.match(c.sentence.text) else 0.0
        c.score = float(vec @ qv) + 0.15 * overlap + rank_bonus - penalty
    relevance = np.array([c.score for c in cands])
    picked = mmr(sv, relevance, n_sentences, MMR_LAMBDA)
    best = relevance[picked[0]]
    picked = [i for i in picked if relevance[i] >= MIN_RELATIVE * best]
    chosen = [cands[i] for i in picked]
    chosen.sort(key=lambda c: (c.hit.rank, c.index))
    return chosen


def compose(question: str, chosen: list[Candidate], provider: str = PROVIDER) -> Answer:
    """The lead (the quote that answers) as a paragraph, then what other passages add as a
    list; adjacent sentences of one chunk share a citation."""
    citations: list[Citation] = []
    parts: list[str] = []
    for n, run in enumerate(join_runs(chosen), start=1):
        chunk = run[0].hit.chunk
        quote = run_quote(run)
        citations.append(Citation.from_chunk(n, chunk, quote))
        parts.append(f"{quote} [{n}]")
    return Answer(
        question=question,
        answer=lead_and_points(parts),
        abstained=False,
        provider=provider,
        citations=citations,
    )


def lead_and_points(parts: Sequence[str]) -> str:
    """``lead`` then ``- point`` lines: a longer answer stays readable at a glance."""
    if len(parts) <= 1:
        return "".join(parts)
    return parts[0] + "\n\n" + "\n".join(f"- {p}" for p in parts[1:])


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
    question: str,
    result: SearchResult,
    embeddings: LocalEmbeddings,
    model: SelectionModel | None = None,
    follow_up: str | None = None,
    already_said: str = "",
    edition_point: EditionPoints | None = None,
) -> Answer:
    """Quote the sentences that answer ``question``: the best one first, then what the other
    passages add, never two that say the same thing, nothing the previous answer already said."""
    if result.abstain or not result.hits:
        return not_covered(question, result)
    model = model or fitted_model()
    query_vector = result.query_vector
    if query_vector is None:
        query_vector = embeddings.encode([question])[0]
    follow_vector = embeddings.encode([follow_up])[0] if follow_up else None
    said = re.sub(r"\s*\[\d+(?:\s*,\s*\d+)*\]", "", already_said)
    exclude = {s.text for s in split_sentences(said)} if said else set()
    scored = score_candidates(
        question,
        query_vector,
        result.hits,
        embeddings,
        model.top_chunks,
        follow_vector,
        result.edition,
        exclude,
    )
    if not scored.candidates:
        return not_covered(question, result)
    chosen = pick(
        scored, model.probabilities(scored.features), model.max_sentences, model.min_probability
    )
    answer = compose(question, chosen)
    answer.hits = list(result.hits)
    extra = edition_point.point_2026(result, answer.citations) if edition_point else None
    quote = edition_point.lead_of(extra.chunk) if edition_point and extra else ""
    if extra is not None and quote and quote not in exclude:
        n = len(answer.citations) + 1
        sep = "\n- " if "\n\n- " in answer.answer else "\n\n- "  # one more point
        answer.answer += f"{sep}{quote} [{n}]"
        answer.citations.append(Citation.from_chunk(n, extra.chunk, quote))
        answer.hits.append(extra)
    answer.edition = result.edition or DEFAULT_EDITION
    return answer


class ExtractiveAnswerer:
    """The default answerer: retrieve, then quote. Needs no model and no server."""

    name = PROVIDER

    def __init__(
        self, retriever: Retriever, embeddings: LocalEmbeddings, settings: Settings
    ) -> None:
        self.retriever = retriever
        self.embeddings = embeddings
        self.settings = settings
        self.editions = EditionPoints(retriever.store, clause_map_for(settings.corpus_dirs))

    def answer(
        self, standalone: str, question: str | None = None, history: Sequence[Turn] = ()
    ) -> Answer:
        """The answer to a standalone question; ``question`` is what the user typed. In a
        conversation the follow-up itself steers the choice, and the previous answer's
        sentences are not said again."""
        result = self.retriever.search(standalone)
        follow_up = question if question and question != standalone else None
        previous = next((text for role, text in reversed(history) if role == "assistant"), "")
        answer = extractive_answer(
            standalone,
            result,
            self.embeddings,
            follow_up=follow_up,
            already_said=previous if follow_up else "",
            edition_point=self.editions,
        )
        answer.question = question or standalone
        if standalone != answer.question:
            answer.standalone_question = standalone
        return answer

    def stream(self, question: str, history: Sequence[Turn] = ()) -> AnswerStream:
        return AnswerStream(self._events(question, history))

    def _events(self, question: str, history: Sequence[Turn]) -> Iterator[str | Answer]:
        answer = self.answer(condense_without_llm(question, history), question, history)
        for i, word in enumerate(answer.answer.split(" ")):
            yield word if i == 0 else " " + word
        yield answer
