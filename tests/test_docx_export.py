"""Word files, opened again with python-docx: real headings, numbered references that link to a
"Sources" section quoting each passage (title, section, clauses, edition), and a page header."""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field
from datetime import date

import pytest
from docx import Document
from docx.oxml.ns import qn

from isoguide.assistant import Assistant
from isoguide.deliverables.handouts import conversation_deliverable, quiz_deliverable
from isoguide.docx_export import bookmark_name, deliverable_docx
from isoguide.draft import NOTICE, Draft, draft_explanation
from isoguide.models import Answer, Chunk, Citation
from isoguide.quiz import QuizItem


def open_docx(data: bytes):  # type: ignore[no-untyped-def]
    return Document(io.BytesIO(data))


def body_text(doc) -> list[str]:  # type: ignore[no-untyped-def]
    return [p.text for p in doc.paragraphs]


def sources(doc) -> dict[int, tuple[str, str]]:  # type: ignore[no-untyped-def]
    """n -> (source line, quoted passage) from the Sources section."""
    paras = doc.paragraphs
    start = next(
        i for i, p in enumerate(paras) if p.text == "Sources" and p.style.name == "Heading 1"
    )
    out: dict[int, tuple[str, str]] = {}
    for head, quote in zip(paras[start + 1 :: 2], paras[start + 2 :: 2], strict=False):
        m = re.match(r"\[(\d+)\] (.+)$", head.text)
        assert m, head.text
        assert quote.style.name == "Quote"
        names = [b.get(qn("w:name")) for b in head._p.iter(qn("w:bookmarkStart"))]
        assert names == [bookmark_name(int(m.group(1)))]
        out[int(m.group(1))] = (m.group(2), quote.text)
    return out


def links(doc) -> list[str]:  # type: ignore[no-untyped-def]
    return [h.get(qn("w:anchor")) for p in doc.paragraphs for h in p._p.iter(qn("w:hyperlink"))]


@pytest.fixture(scope="module")
def review(assistant: Assistant) -> Draft:
    return draft_explanation(
        assistant, "management review", "auditors", "size=12; sector=machine shop"
    )


def test_draft_docx_headings_references_sources_and_header(
    review: Draft, chunks: dict[str, Chunk]
) -> None:
    assert review.document is not None
    doc = open_docx(deliverable_docx(review.document))
    headings = [
        (p.style.name, p.text)
        for p in doc.paragraphs
        if p.style.name.startswith(("Heading", "Title"))
    ]
    assert headings[0] == ("Title", "Management review: a briefing for auditors")
    assert ("Heading 1", "What the clause asks, part by part") in headings
    assert ("Heading 2", "9.3.2 Management review inputs") in headings
    assert headings[-1] == ("Heading 1", "Sources")
    found = sources(doc)
    assert sorted(found) == [c.n for c in review.citations]
    for c in review.citations:
        line, quote = found[c.n]
        edition = review.document.editions.get(c.doc_id, "edition not stated")
        assert line == f"{c.title} — {c.section} (clauses {', '.join(c.clauses)}; {edition})"
        assert (
            " ".join(chunks[c.chunk_id].text.split()).find(quote) >= 0
        )  # the quote is in its chunk
    assert review.document.editions["management-review"] == "ISO 9001:2015"  # front matter
    body = "\n".join(body_text(doc)).split("\nSources\n")[0]
    refs = [int(n) for n in re.findall(r"\[(\d+)\]", body)]
    assert list(dict.fromkeys(refs)) == [c.n for c in review.citations]
    assert set(links(doc)) == {bookmark_name(c.n) for c in review.citations}
    header = "\n".join(p.text for p in doc.sections[0].header.paragraphs)
    assert "management review" in header and "auditors, a 12-person machine shop" in header
    assert date.today().isoformat() in header and "documents ·" in header  # the index version
    assert NOTICE in header


def test_conversation_docx_numbers_sources_across_answers() -> None:
    def cite(n: int, quote: str) -> Citation:
        return Citation(n, f"c{quote[:3]}", "d", "Doc", "Sec", ["7.2"], quote, "")

    first = Answer(
        "q1",
        "Keep training records. [1] Check them. [2]",
        False,
        "extractive",
        [cite(1, "Keep training records."), cite(2, "Check them.")],
    )
    second = Answer(
        "q2",
        "Review yearly. [1]",
        False,
        "ollama",
        [cite(1, "Review yearly.")],
        unsupported=["Records last 99 years."],
        notice="The LLM was slow.",
    )
    refused = Answer("q3", "Not covered.", True, "extractive")
    d = conversation_deliverable(
        [
            ("user", "q1"),
            ("assistant", first),
            ("user", "q2"),
            ("assistant", second),
            ("user", "q3"),
            ("assistant", refused),
        ],
        corpus_version="v1",
    )
    doc = open_docx(deliverable_docx(d))
    text = body_text(doc)
    assert [p.text for p in doc.paragraphs if p.style.name == "Heading 1"] == [
        "Question 1",
        "Question 2",
        "Question 3",
        "Sources",
    ]
    assert "Keep training records. [1] Check them. [2]" in text
    assert "Review yearly. [3]" in text  # renumbered for the whole file
    assert "Records last 99 years." in text and "Note: The LLM was slow." in text
    assert {n: q for n, (_, q) in sources(doc).items()} == {
        1: "Keep training records.",
        2: "Check them.",
        3: "Review yearly.",
    }


@dataclass
class FutureItem:
    """A quiz item shaped the way a later QuizItem might be: ``stem``, one answer, extras."""

    stem: str
    options: list[str]
    answer: str
    explanation: str
    citations: list[dict[str, object]]
    difficulty: str = "easy"
    tags: list[str] = field(default_factory=list)


def test_quiz_docx_has_questions_then_an_answer_key_with_sources() -> None:
    cite = Citation(
        1,
        "c1",
        "calibration-basics",
        "Calibrating",
        "Records",
        ["7.1.5"],
        "Keep a calibration register.",
        "",
    )
    items = [
        QuizItem(
            "What do you keep?",
            ["A register", "A diary"],
            ["A register"],
            'The guidance says: "Keep a calibration register." [1]',
            [cite],
            ["7.1.5"],
        ),
        FutureItem(
            "What stands for PDCA?",
            ["Plan Do Check Act", "Price Demand"],
            "Plan Do Check Act",
            "PDCA is plan, do, check, act. [1]",
            [
                {
                    "n": 1,
                    "chunk_id": "c2",
                    "doc_id": "pdca",
                    "title": "PDCA",
                    "section": "Plan",
                    "clauses": ["4.4"],
                    "quote": "Plan, Do, Check, Act.",
                }
            ],
        ),
    ]
    doc = open_docx(deliverable_docx(quiz_deliverable(items, "Quiz: calibration")))
    text = body_text(doc)
    assert [p.text for p in doc.paragraphs if p.style.name == "Heading 1"] == [
        "Questions",
        "Answer key",
        "Sources",
    ]
    assert (
        text.index("1. What do you keep?")
        < text.index("Answer key")
        < text.index("1. A: A register")
    )
    assert "2. What stands for PDCA?" in text and "B. Price Demand" in text
    assert "2. A: Plan Do Check Act" in text
    assert "PDCA is plan, do, check, act. [2]" in text
    assert {n: q for n, (_, q) in sources(doc).items()} == {
        1: "Keep a calibration register.",
        2: "Plan, Do, Check, Act.",
    }
    assert "edition not stated" in sources(doc)[1][0]
