"""isoguide.ui.render: escaping, citation markers, unsupported sentences, clause chips."""

from __future__ import annotations

import re

from isoguide.models import Answer
from isoguide.quiz import parse_answer, parse_options
from isoguide.ui.render import (
    UNSUPPORTED_MARK,
    answer_markdown,
    clause_chips,
    escape_markdown,
    partial_markdown,
)


def _unescape(md: str) -> str:
    return re.sub(r"\\(.)", r"\1", md)


def test_escape_markdown_keeps_the_text_and_drops_the_markup() -> None:
    text = "<b>x</b> ![i](http://a/b.png) [l](javascript:x) *em* `c` $x$ :red[y]\n    indented\n# heading"
    md = escape_markdown(text)
    assert (
        _unescape(md.replace("  \n", "\n"))
        == "<b>x</b> ![i](http://a/b.png) [l](javascript:x) *em* `c` $x$ :red[y]\nindented\n# heading"
    )
    assert not re.search(r"(?<!\\)[<>\[\]()*`$#]", md)


def test_markers_are_bold_and_unsupported_sentences_flagged() -> None:
    answer = Answer(
        "q",
        "Keep records [1]. The moon is cheese. Train staff [2].",
        False,
        "ollama",
        unsupported=["The moon is cheese."],
    )
    md = answer_markdown(answer)
    assert r"**\[1\]**" in md and r"**\[2\]**" in md
    assert f"{UNSUPPORTED_MARK} The moon is cheese\\. *(not supported by the sources)*" in md
    assert partial_markdown("a [3]") == r"a **\[3\]**"


def test_clause_chips_label_valid_clauses_only() -> None:
    chips = clause_chips(["7.2", "9.3.2", "<img src=x>", "7.1.5.2"])
    assert chips.startswith(":blue-badge[7\\.2 Competence]")
    assert "9\\.3\\.2 Management review inputs" in chips
    assert "img" not in chips and chips.count(":blue-badge[") == 3


def test_quiz_check_inputs() -> None:
    options = parse_options("A. Plan, Do, Check, Act\nb) Prepare\n\n- Count\n")
    assert options == ["Plan, Do, Check, Act", "Prepare", "Count"]
    assert parse_answer("", options) == []
    assert parse_answer("a", options) == ["Plan, Do, Check, Act"]
    assert parse_answer("A, C", options) == ["Plan, Do, Check, Act", "Count"]
    assert parse_answer("prepare", options) == ["Prepare"]


def test_history_leaves_out_failed_turns() -> None:
    from isoguide.ui.session import ChatMessage, history

    answer = Answer("q1", "a1 [1]", False, "extractive")
    conversation = [
        ChatMessage("user", "q1"),
        ChatMessage("assistant", "a1 [1]", answer=answer),
        ChatMessage("user", "q2"),
        ChatMessage("assistant", "store locked", error=True),
        ChatMessage("user", "q3"),
    ]
    assert history(conversation) == [("user", "q1"), ("assistant", "a1 [1]"), ("user", "q3")]
