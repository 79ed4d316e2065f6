"""Drafts for consultants: an editable Markdown explanation of a topic, built from quotes.

Extractive like the default answerer: every sentence of the draft is quoted verbatim from a
guidance chunk and cited with ``[n]``; nothing is generated. The consultant edits the draft
before sending it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from .answer.extractive import select_sentences
from .assistant import Assistant
from .models import NOT_COVERED, Chunk, Citation, SearchHit
from .sentences import in_injected_paragraph, join_runs, run_quote

#: Draft sections: heading, the search phrasing, and the guidance sections that fit it best.
SECTIONS: tuple[tuple[str, str, str], ...] = (
    ("What it asks", "What does ISO 9001 require about {topic}?", r"asks|requires|requirement"),
    (
        "What it means for your company",
        "What does {topic} mean in practice for a small company?",
        r"means|small compan|in practice|actions",
    ),
    (
        "What evidence to keep",
        "What records and evidence of {topic} will an auditor look for?",
        r"evidence|auditor|records",
    ),
    ("Common pitfalls", "What are common mistakes with {topic}?", r"mistake|pitfall|misconception"),
)
SENTENCES_PER_SECTION = 3
TOPIC_DOCUMENTS = 3  # sections quote only the documents that best cover the topic
NOTICE = (
    "_Draft built from quoted isoguide guidance: edit it before sending. ISO 9001 requirements "
    "are paraphrased by the guidance, not quoted from the standard's text._"
)


@dataclass
class Draft:
    """An editable explanation of ``topic`` for ``audience``, with its sources."""

    topic: str
    audience: str
    markdown: str
    citations: list[Citation] = field(default_factory=list)
    abstained: bool = False


def _fitting(hits: list[SearchHit], pattern: str) -> list[SearchHit]:
    """The hits whose guidance section fits the draft section (all hits when none do),
    re-ranked from 1."""
    fits = [h for h in hits if re.search(pattern, h.chunk.section, re.I)] or hits
    return [replace(h, rank=i) for i, h in enumerate(fits, start=1)]


def _title(topic: str) -> str:
    return topic[:1].upper() + topic[1:]


def _not_covered(topic: str, audience: str, see_also: list[Chunk]) -> Draft:
    text = f"# {_title(topic)}\n\n{NOT_COVERED}\n"
    if see_also:
        text += (
            "\nYou may want to read: "
            + "; ".join(f"{c.title} ({c.section})" for c in see_also)
            + ".\n"
        )
    return Draft(topic, audience, text, [], abstained=True)


def _quotes_for_section(
    assistant: Assistant,
    topic: str,
    phrasing: str,
    fits: str,
    docs: list[str],
    used: set[tuple[str, int]],
) -> list[tuple[Chunk, str]]:
    """The best new sentences for one section, adjacent ones of a chunk joined into one quote."""
    query = phrasing.format(topic=topic)
    hits = [h for h in assistant.search(query, k=8).hits if h.chunk.doc_id in docs]
    ranked = select_sentences(
        query, _fitting(hits, fits), assistant.store.embeddings, SENTENCES_PER_SECTION + 2
    )
    chosen = [
        c
        for c in ranked
        if (c.hit.chunk.chunk_id, c.sentence.start) not in used
        and not in_injected_paragraph(c.hit.chunk, c.sentence)
    ][:SENTENCES_PER_SECTION]
    for cand in chosen:
        used.add((cand.hit.chunk.chunk_id, cand.sentence.start))
    return [(run[0].hit.chunk, run_quote(run)) for run in join_runs(chosen)]


def _one_line(text: str) -> str:
    return " ".join(text.split())


def draft_explanation(
    assistant: Assistant, topic: str, audience: str = "client management"
) -> Draft:
    """A sectioned Markdown draft on ``topic`` made only of quoted, cited guidance sentences."""
    topic = topic.strip()
    base = assistant.search(topic)
    if base.abstain or not base.hits:
        return _not_covered(topic, audience, [h.chunk for h in base.hits[:3]])
    docs = list(dict.fromkeys(h.chunk.doc_id for h in base.hits))[:TOPIC_DOCUMENTS]
    used: set[tuple[str, int]] = set()
    citations: list[Citation] = []
    body: list[str] = []
    for heading, phrasing, fits in SECTIONS:
        body += [f"## {heading}", ""]
        quotes = _quotes_for_section(assistant, topic, phrasing, fits, docs, used)
        if not quotes:
            body.append(
                f"_The guidance says nothing specific here about {topic}; add your own text or remove this section._"
            )
        for chunk, quote in quotes:
            citations.append(Citation.from_chunk(len(citations) + 1, chunk, quote))
            body.append(f"- {_one_line(quote)} [{len(citations)}]")
        body.append("")
    if not citations:
        return _not_covered(topic, audience, [h.chunk for h in base.hits[:3]])
    lines = [
        f"# {_title(topic)}: a briefing for {audience}",
        "",
        NOTICE,
        "",
        f"This note explains {topic} for {audience}. Each point is quoted from the guidance; "
        "the numbers in brackets lead to the sources at the end.",
        "",
        *body,
        "## Sources",
        "",
    ]
    for c in citations:
        clauses = f" (clauses {', '.join(c.clauses)})" if c.clauses else ""
        lines += [f'[{c.n}] {c.title} — {c.section}{clauses}: "{_one_line(c.quote)}"', ""]
    return Draft(topic, audience, "\n".join(lines).rstrip() + "\n", citations, abstained=False)
