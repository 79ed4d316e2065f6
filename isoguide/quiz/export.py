"""Quizzes in the formats learning platforms import: Moodle GIFT and Moodle XML, Aiken, QTI
(Canvas and others, written by ``text2qti``), plus Markdown and JSON.

Every format keeps the question, the options, the key, per-option feedback where the format
has it, and the ISO clause; GIFT and Moodle XML file items into one category per clause.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any
from xml.sax.saxutils import escape

from ..clauses import clause_label
from ..errors import IsoguideError
from ..export import neutralise
from .items import LETTERS, QuizItem

FORMATS = ("gift", "moodle-xml", "aiken", "qti", "md", "json")
#: File name suffix per format (QTI is a zip package).
SUFFIXES = {
    "gift": ".gift.txt",
    "moodle-xml": ".xml",
    "aiken": ".aiken.txt",
    "qti": ".qti.zip",
    "md": ".md",
    "json": ".json",
}
CATEGORY_ROOT = "isoguide"


@dataclass
class Exported:
    """A quiz in one format, and the items the format could not carry (with the reason)."""

    data: bytes
    left_out: list[tuple[int, str]] = field(default_factory=list)  # (1-based number, reason)


def category(item: QuizItem) -> str:
    """The question-bank category of an item: its first ISO clause."""
    return clause_label(item.clauses[0]) if item.clauses else "General"


def _one_line(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


# -- GIFT ---------------------------------------------------------------------------------
def _gift_escape(text: str) -> str:
    return re.sub(r"([~=#{}:\\])", r"\\\1", _one_line(text))


def _gift_fraction(item: QuizItem, option: str) -> str:
    if not item.multi:
        return "=" if option in item.answer else "~"
    share = 100 / len(item.answer)
    if option in item.answer:
        return f"~%{share:g}%"
    return "~%-100%"


def to_gift(items: Sequence[QuizItem], title: str) -> str:
    """Moodle GIFT: one ``$CATEGORY`` per clause, per-option feedback, general feedback."""
    lines = [f"// {_one_line(title)}", "// exported by isoguide", ""]
    current = None
    for n, item in enumerate(items, start=1):
        cat = category(item)
        if cat != current:
            lines += [f"$CATEGORY: $course$/top/{CATEGORY_ROOT}/{cat.replace('/', '-')}", ""]
            current = cat
        tags = f"{item.kind}, {item.difficulty}, {item.bloom}"
        lines.append(f"// {tags}; clauses: {', '.join(item.clauses) or 'none'}")
        lines.append(f"::Q{n}::{_gift_escape(item.question)} {{")
        for option in item.options:
            feedback = item.feedback.get(option, "")
            fb = f" #{_gift_escape(feedback)}" if feedback else ""
            lines.append(f"\t{_gift_fraction(item, option)}{_gift_escape(option)}{fb}")
        lines.append(f"\t####{_gift_escape(item.explanation)}")
        lines += ["}", ""]
    return "\n".join(lines)


# -- Moodle XML ---------------------------------------------------------------------------
def _cdata(text: str) -> str:
    return f"<text><![CDATA[<p>{escape(_one_line(text)).replace(']]>', ']]&gt;')}</p>]]></text>"


def _fraction(item: QuizItem, option: str) -> str:
    if option not in item.answer:
        return "-100" if item.multi else "0"
    return f"{100 / len(item.answer):.5g}"


def to_moodle_xml(items: Sequence[QuizItem], title: str) -> str:
    """Moodle XML: a category question per clause, then multichoice questions with tags."""
    out = ['<?xml version="1.0" encoding="UTF-8"?>', f"<!-- {escape(_one_line(title))} -->"]
    out.append("<quiz>")
    current = None
    for n, item in enumerate(items, start=1):
        cat = category(item)
        if cat != current:
            out += [
                '  <question type="category">',
                f"    <category><text>$course$/top/{CATEGORY_ROOT}/{escape(cat)}</text></category>",
                "  </question>",
            ]
            current = cat
        out += [
            '  <question type="multichoice">',
            f"    <name><text>{escape(f'Q{n} {_one_line(item.question)[:60]}')}</text></name>",
            f'    <questiontext format="html">{_cdata(item.question)}</questiontext>',
            f'    <generalfeedback format="html">{_cdata(item.explanation)}</generalfeedback>',
            "    <defaultgrade>1</defaultgrade>",
            "    <penalty>0.3333333</penalty>",
            "    <hidden>0</hidden>",
            f"    <single>{'false' if item.multi else 'true'}</single>",
            "    <shuffleanswers>0</shuffleanswers>",
            "    <answernumbering>ABCD</answernumbering>",
        ]
        for option in item.options:
            out += [
                f'    <answer fraction="{_fraction(item, option)}" format="html">',
                f"      {_cdata(option)}",
                f'      <feedback format="html">{_cdata(item.feedback.get(option, ""))}</feedback>',
                "    </answer>",
            ]
        tags = [item.kind, item.difficulty, item.bloom] + [f"clause {c}" for c in item.clauses]
        out.append("    <tags>")
        out += [f"      <tag><text>{escape(t)}</text></tag>" for t in tags]
        out += ["    </tags>", "  </question>"]
    out.append("</quiz>")
    return "\n".join(out) + "\n"


# -- Aiken --------------------------------------------------------------------------------
def to_aiken(items: Sequence[QuizItem]) -> Exported:
    """Aiken (Moodle): single-answer items only; a multi-select item cannot be written."""
    blocks, left_out = [], []
    for n, item in enumerate(items, start=1):
        if item.multi:
            left_out.append(
                (
                    n,
                    "Aiken has one correct option per question; this item has "
                    f"{len(item.answer)} (multi-select).",
                )
            )
            continue
        lines = [_one_line(item.question)]
        lines += [f"{LETTERS[i]}. {_one_line(o)}" for i, o in enumerate(item.options)]
        lines.append(f"ANSWER: {item.key_letters}")
        blocks.append("\n".join(lines))
    return Exported(("\n\n".join(blocks) + "\n").encode("utf-8"), left_out)


# -- QTI (text2qti) -----------------------------------------------------------------------
def _md_escape(text: str) -> str:
    return re.sub(r"([\\`*_{}\[\]<>#+!|$])", r"\\\1", _one_line(text))


def to_text2qti(items: Sequence[QuizItem], title: str) -> str:
    """The quiz in text2qti's plain-text format (the input to ``to_qti``)."""
    lines = [f"Quiz title: {_md_escape(title)}", "Quiz description: exported by isoguide", ""]
    for n, item in enumerate(items, start=1):
        lines.append(f"Title: Q{n} ({', '.join(item.clauses) or 'general'})")
        lines.append(f"{n}.  {_md_escape(item.question)}")
        lines.append(f"... {_md_escape(item.explanation)}")
        for i, option in enumerate(item.options):
            letter = LETTERS[i].lower()
            if item.multi:
                mark = "[*]" if option in item.answer else "[ ]"
            else:
                mark = f"{'*' if option in item.answer else ''}{letter})"
            lines.append(f"{mark} {_md_escape(option)}")
            if item.feedback.get(option):
                lines.append(f"... {_md_escape(item.feedback[option])}")
        lines.append("")
    return "\n".join(lines)


def to_qti(items: Sequence[QuizItem], title: str) -> bytes:
    """A QTI 1.2 zip package (Canvas, Blackboard, Moodle's QTI importers), built by text2qti."""
    from text2qti.config import Config
    from text2qti.err import Text2qtiError
    from text2qti.qti import QTI
    from text2qti.quiz import Quiz

    try:
        quiz = Quiz(to_text2qti(items, title), config=Config(), source_name="isoguide-quiz")
    except Text2qtiError as exc:
        raise IsoguideError(f"text2qti could not build the QTI package: {exc}") from exc
    return QTI(quiz).zip_bytes()


# -- Markdown and JSON ----------------------------------------------------------------------
def to_markdown(items: Sequence[QuizItem], title: str) -> str:
    """A printable quiz, then a separate answer key naming the clause and quoting the guidance."""
    lines = [f"# {neutralise(title)}", ""]
    for q, item in enumerate(items, start=1):
        how_many = f" *(choose {len(item.answer)})*" if item.multi else ""
        lines.append(f"{q}. {neutralise(item.question)}{how_many}")
        lines += [f"   - {LETTERS[i]}. {neutralise(o)}" for i, o in enumerate(item.options)]
        lines.append("")
    lines += ["---", "", "## Answer key", ""]
    for q, item in enumerate(items, start=1):
        answer = "; ".join(neutralise(a) for a in sorted(item.answer, key=item.options.index))
        lines.append(f"{q}. **{item.key_letters}**: {answer}")
        meta = f"{item.kind}, {item.difficulty}, Bloom: {item.bloom}"
        # (a term no clause guide uses much is tagged with none, and its ISO 9000 entry when
        # the glossary gives one: a trainer found "work instruction" called an ISO 9000 term)
        vocabulary = re.search(
            r"ISO 9000:2015, 3(?:\.\d+)+", item.citations[0].quote if item.citations else ""
        )
        untagged = f"none; term {vocabulary.group(0)}" if vocabulary else "none"
        lines.append(f"   ISO 9001 clause: {', '.join(item.clause_labels) or untagged} ({meta})")
        # the line above names the clause: the explanation does not say it again (a trainer
        # found each key repeating its clause line)
        explanation = re.sub(
            r"^ISO 9001:2015 clause (?:\d+(?:\.\d+)*|[^.\d])+?\. ", "", item.explanation
        )
        lines.append(f"   {neutralise(explanation)}")
        # one line per section: two quotes from one section are not two sources (a trainer
        # found "[1] Clause 7.1.5 ... — Common mistakes" listed again as [2])
        sources: dict[tuple[str, str], list[int]] = {}
        for c in item.citations:
            sources.setdefault((c.title, c.section), []).append(c.n)
        for (title, section), numbers in sources.items():
            marks = ", ".join(f"[{n}]" for n in numbers)
            where = neutralise(section.replace(" > ", " › "))
            lines.append(f"   {marks} {neutralise(title)} — {where}")
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"


def to_json(items: Sequence[QuizItem], title: str) -> str:
    data: dict[str, Any] = {"title": title, "items": [i.to_json() for i in items]}
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def export_quiz(items: Sequence[QuizItem], title: str, fmt: str) -> Exported:
    """The quiz in ``fmt`` (one of ``FORMATS``), as bytes to save or download."""
    if not items:
        raise IsoguideError("There are no quiz items to export.")
    if fmt == "aiken":
        return to_aiken(items)
    if fmt == "qti":
        return Exported(to_qti(items, title))
    writers = {"gift": to_gift, "moodle-xml": to_moodle_xml, "md": to_markdown, "json": to_json}
    if fmt not in writers:
        raise IsoguideError(f"Unknown quiz format {fmt!r}; pick one of {', '.join(FORMATS)}.")
    return Exported(writers[fmt](items, title).encode("utf-8"))
