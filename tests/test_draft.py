"""Drafts over the fixture index (real Chroma, real embeddings): fully cited, every sentence a
verbatim quote or a sentence of ours that states no requirement; readers and company contexts
change what is quoted."""

from __future__ import annotations

import re

import pytest

from isoguide.assistant import Assistant
from isoguide.deliverables.context import CompanyContext
from isoguide.deliverables.document import Heading, Quoted, Ref, Words
from isoguide.draft import NOTICE, Draft, draft_explanation
from isoguide.errors import IsoguideError, QuestionError
from isoguide.models import NOT_COVERED, Chunk

#: Words of ours never state a requirement: no "must", "shall", "requires" and the like.
REQUIREMENT_WORDS = re.compile(r"\b(must|shall|required?|requires|mandatory|need to)\b", re.I)


def assert_fully_cited(draft: Draft, chunks: dict[str, Chunk]) -> None:
    assert draft.document is not None and not draft.abstained
    doc = draft.document
    cited = [c.n for c in draft.citations]
    assert cited == list(range(1, len(cited) + 1))
    seen: list[int] = []
    for para in doc.paragraphs():
        for piece in para.pieces:
            if isinstance(piece, Quoted):
                citation = draft.citations[piece.n - 1]
                assert (
                    piece.text in citation.quote
                    and citation.quote in chunks[citation.chunk_id].text
                )
                seen.append(piece.n)
            elif isinstance(piece, Words):
                assert not REQUIREMENT_WORDS.search(piece.text), piece.text
            else:
                assert isinstance(piece, Ref)
    assert sorted(set(seen)) == cited  # every source is used, in order of first use
    assert list(dict.fromkeys(seen)) == cited
    body = draft.markdown.split("## Sources")[0]
    assert [int(n) for n in dict.fromkeys(re.findall(r"\[(\d+)\]", body))] == cited


@pytest.fixture(scope="module")
def review(assistant: Assistant) -> Draft:
    return draft_explanation(assistant, "management review", "owner/management")


def test_clause_draft_covers_every_part_and_is_fully_cited(
    review: Draft, chunks: dict[str, Chunk]
) -> None:
    assert_fully_cited(review, chunks)
    assert review.clause == "9.3"
    headings = [b.text for b in review.document.blocks if isinstance(b, Heading)]  # type: ignore[union-attr]
    assert headings[:2] == ["Why it matters", "What the clause asks, part by part"]
    assert {
        "9.3.1 General",
        "9.3.2 Management review inputs",
        "9.3.3 Management review outputs",
    } <= set(headings)
    # The fixture guidance never names 9.3.1, and the draft says so instead of guessing.
    assert review.uncovered_parts == ["9.3.1 General"]
    assert "9.3.1 General" in review.markdown.split("## Where the guidance is silent")[1]
    inputs = review.markdown.split("### 9.3.2")[1].split("###")[0]
    assert "the status of actions from earlier reviews" in inputs  # the list of inputs itself
    assert NOTICE in review.markdown


def test_two_readers_get_different_fully_cited_drafts(
    assistant: Assistant, review: Draft, chunks: dict[str, Chunk]
) -> None:
    staff = draft_explanation(assistant, "management review", "shop-floor staff")
    auditors = draft_explanation(assistant, "management review", "internal auditors")
    assert auditors.audience == "auditors"
    for d in (staff, auditors):
        assert_fully_cited(d, chunks)
    quotes = [{c.quote for c in d.citations} for d in (review, staff, auditors)]
    assert quotes[0] != quotes[1] and quotes[0] != quotes[2] and quotes[1] != quotes[2]
    assert "## What it means for your work" in staff.markdown
    assert "## Typical nonconformities" in auditors.markdown
    assert "## Typical nonconformities" not in staff.markdown


def test_two_company_contexts_give_different_fully_cited_drafts(
    assistant: Assistant, chunks: dict[str, Chunk]
) -> None:
    plain = draft_explanation(assistant, "calibration of measuring equipment")
    workshop = draft_explanation(
        assistant,
        "calibration of measuring equipment",
        context="8 people, machine shop, 9.3 not applicable",
    )
    for d in (plain, workshop):
        assert_fully_cited(d, chunks)
    assert workshop.context == CompanyContext(8, "machine shop", ("9.3",))
    assert "## In a machine shop" in workshop.markdown
    assert not any("9.3" in re.findall(r"\d+(?:\.\d+)+", c.quote) for c in workshop.citations)
    assert [c.quote for c in plain.citations] != [c.quote for c in workshop.citations]


def test_a_sector_the_guidance_never_mentions_is_named_as_silent(
    assistant: Assistant, chunks: dict[str, Chunk]
) -> None:
    draft = draft_explanation(assistant, "competence and training for a 10-person bakery")
    assert_fully_cited(draft, chunks)
    assert draft.topic == "competence and training"
    assert draft.context.size == 10 and draft.context.sector == "bakery"
    assert "The guidance has no passage on competence and training in a bakery." in draft.silent
    assert (
        "The guidance does not say how competence and training sits beside HACCP." in draft.silent
    )
    assert "## Where the guidance is silent" in draft.markdown


def test_off_topic_draft_abstains(assistant: Assistant) -> None:
    draft = draft_explanation(assistant, "lasagne recipes")
    assert draft.abstained and NOT_COVERED in draft.markdown
    assert not draft.citations and "[1]" not in draft.markdown


def test_empty_topic_and_unknown_reader_are_clear_errors(assistant: Assistant) -> None:
    with pytest.raises(QuestionError):
        draft_explanation(assistant, "   ")
    with pytest.raises(IsoguideError, match="Unknown audience"):
        draft_explanation(assistant, "management review", "astronauts")


@pytest.mark.parametrize("topic", ["document control and version numbers", "obsolete documents"])
def test_canary_never_reaches_a_draft(assistant: Assistant, topic: str) -> None:
    draft = draft_explanation(assistant, topic)
    assert "PINEAPPLE" not in draft.markdown and "code word" not in draft.markdown.lower()
