"""isoguide.export: a conversation as Markdown with its sources, safe to open in any viewer."""

from __future__ import annotations

from datetime import UTC, datetime

from isoguide.export import conversation_markdown, neutralise
from isoguide.models import NOT_COVERED, Answer, Chunk, Citation

WHEN = datetime(2025, 1, 2, 3, 4, 5, tzinfo=UTC)


def _cited() -> Answer:
    cite = Citation(
        1,
        "c1",
        "competence",
        "Competence",
        "Records",
        ["7.2"],
        "Keep records of training.\nAnd of evaluation.",
        "",
    )
    return Answer(
        "What records?",
        "Keep records of training. [1]",
        False,
        "ollama",
        [cite],
        unsupported=["Records must be kept for 99 years."],
        notice="The LLM was slow.",
    )


def test_conversation_with_sources_notices_and_not_covered() -> None:
    chunk = Chunk("c2", "pdca", "PDCA", "Plan", ("4.4",), "x", "h", "text")
    refused = Answer("Cake?", NOT_COVERED, True, "extractive", see_also=[chunk])
    md = conversation_markdown(
        [
            ("user", "What records?"),
            ("assistant", _cited()),
            ("user", "Cake?"),
            ("assistant", refused),
            ("user", "   "),
            ("assistant", "The question is empty."),
        ],
        exported_at=WHEN,
    )
    assert md.startswith("# isoguide conversation\n\nExported 2025-01-02T03:04:05+00:00.")
    assert "## Question 1\n\n> What records?" in md
    assert "Keep records of training. [1]" in md
    assert (
        "[1] Competence › Records (clauses: 7.2 Competence)\n\n> Keep records of training.\n> And of evaluation."
        in md
    )
    assert "*Note: The LLM was slow.*" in md
    assert "- Records must be kept for 99 years." in md
    assert "## Question 2" in md and NOT_COVERED in md
    assert (
        "**Closest sections in the guidance:**\n\n- PDCA › Plan (clauses: 4.4 Quality management system and its processes)"
        in md
    )
    assert "*The question is empty.*" in md
    assert md.endswith("\n") and not md.endswith("\n\n")


def test_empty_conversation() -> None:
    assert "(No questions asked yet.)" in conversation_markdown([], exported_at=WHEN)


def test_corpus_markup_is_neutralised() -> None:
    text = "<script>alert(1)</script> ![x](http://t/p.png) a & b\n[1]: http://evil"
    safe = neutralise(text)
    assert "<script>" not in safe and "&lt;script&gt;" in safe
    assert "![" not in safe and "a &amp; b" in safe
    assert "\\[1\\]: http://evil" in safe
    cite = Citation(1, "c", "d", "T <b>", "S", [], text, "")
    md = conversation_markdown(
        [("user", "<img src=x>"), ("assistant", Answer("q", "a [1]", False, "x", [cite]))],
        exported_at=WHEN,
    )
    assert "<img" not in md and "<b>" not in md and "<script>" not in md
