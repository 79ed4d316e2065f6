"""Consultant drafts over the real fixture index (real Chroma, real embeddings)."""

from __future__ import annotations

import re

import pytest

from isoguide.assistant import Assistant
from isoguide.draft import NOTICE, SECTIONS, Draft, draft_explanation
from isoguide.errors import QuestionError
from isoguide.models import NOT_COVERED, Chunk


@pytest.fixture(scope="module")
def calibration(assistant: Assistant) -> Draft:
    return draft_explanation(
        assistant, "calibration of measuring equipment", audience="the workshop owner"
    )


def _body_and_sources(draft: Draft) -> tuple[str, str]:
    body, sources = draft.markdown.split("## Sources")
    return body, sources


def test_draft_has_header_notice_sections_and_sources(calibration: Draft) -> None:
    assert not calibration.abstained
    md = calibration.markdown
    assert md.startswith(
        "# Calibration of measuring equipment: a briefing for the workshop owner\n"
    )
    assert NOTICE in md and "paraphrased" in md and "edit it before sending" in md
    headings = re.findall(r"^## (.+)$", md, re.M)
    assert headings == [h for h, _, _ in SECTIONS] + ["Sources"]


def test_markers_match_citations_and_sources(calibration: Draft) -> None:
    body, sources = _body_and_sources(calibration)
    markers = [int(n) for n in re.findall(r"\[(\d+)\]", body)]
    assert markers == [c.n for c in calibration.citations] == list(range(1, len(markers) + 1))
    assert len(markers) >= 6
    for c in calibration.citations:
        assert f"[{c.n}] {c.title} — {c.section}" in sources
        assert " ".join(c.quote.split()) in sources


def test_every_quote_is_verbatim_in_its_chunk(calibration: Draft, chunks: dict[str, Chunk]) -> None:
    for c in calibration.citations:
        assert c.quote in chunks[c.chunk_id].text
        assert f"{' '.join(c.quote.split())} [{c.n}]" in calibration.markdown


@pytest.mark.parametrize("topic", ["PDCA cycle", "risk-based thinking"])
def test_no_sentence_is_repeated_across_sections(assistant: Assistant, topic: str) -> None:
    # Topic documents without "what the clause asks"-style sections give every draft section
    # the same few chunks; without the de-duplication these topics repeat sentences.
    draft = draft_explanation(assistant, topic)
    quotes = [c.quote for c in draft.citations]
    assert len(quotes) >= 4
    for i, a in enumerate(quotes):
        for b in quotes[i + 1 :]:
            assert a not in b and b not in a
    body = draft.markdown.split("## Sources")[0]
    assert [int(n) for n in re.findall(r"\[(\d+)\]", body)] == [c.n for c in draft.citations]


def test_draft_stays_on_the_topic_documents(calibration: Draft) -> None:
    assert calibration.citations[0].doc_id == "calibration-basics"
    assert (
        sum(c.doc_id == "calibration-basics" for c in calibration.citations)
        >= len(calibration.citations) - 2
    )


def test_pitfalls_section_quotes_the_common_mistakes(calibration: Draft) -> None:
    pitfalls = calibration.markdown.split("## Common pitfalls")[1].split("## Sources")[0]
    cited = [calibration.citations[int(n) - 1] for n in re.findall(r"\[(\d+)\]", pitfalls)]
    assert cited and all(c.section == "Common mistakes" for c in cited)


def test_off_topic_draft_abstains(assistant: Assistant) -> None:
    draft = draft_explanation(assistant, "lasagne recipes")
    assert draft.abstained
    assert NOT_COVERED in draft.markdown
    assert not draft.citations
    assert "[1]" not in draft.markdown


def test_empty_topic_is_a_question_error(assistant: Assistant) -> None:
    with pytest.raises(QuestionError):
        draft_explanation(assistant, "   ")


@pytest.mark.parametrize("topic", ["document control and version numbers", "obsolete documents"])
def test_canary_never_reaches_a_draft(assistant: Assistant, topic: str) -> None:
    draft = draft_explanation(assistant, topic)
    assert not draft.abstained
    assert "PINEAPPLE" not in draft.markdown
    assert "code word" not in draft.markdown.lower()
    assert all("PINEAPPLE" not in c.quote for c in draft.citations)
