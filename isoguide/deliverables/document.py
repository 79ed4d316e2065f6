"""One document model for every deliverable: headings and paragraphs whose pieces are either
our own words (``Words``, which never state a requirement) or a verbatim quote with its
citation number (``Quoted``), plus the numbered sources and a header.

Renderers (Markdown here, Word in ``isoguide.docx_export``) walk the same blocks, so what a
test checks in one format holds in the others.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Literal

from ..models import Citation

DRAFT_NOTICE = (
    "Draft built from quoted isoguide guidance: check and edit it before sending. ISO 9001 "
    "requirements are paraphrased by the guidance, not quoted from the standard's text."
)


@dataclass(frozen=True)
class Words:
    """A sentence of ours (a heading-like lead-in, a note, a statement of what the guidance
    does not cover). It never states a requirement."""

    text: str


@dataclass(frozen=True)
class Quoted:
    """A verbatim slice of a guidance chunk, cited as source ``n``."""

    text: str
    n: int


@dataclass(frozen=True)
class Ref:
    """A citation marker on its own, after text that is not a verbatim quote (an LLM answer
    in an exported conversation, a quiz explanation)."""

    n: int


Piece = Words | Quoted | Ref
Style = Literal["body", "bullet", "note", "question", "option"]


@dataclass
class Heading:
    text: str
    level: int = 2


@dataclass
class Paragraph:
    pieces: list[Piece]
    style: Style = "body"


Block = Heading | Paragraph


@dataclass
class Header:
    """What every page of an exported file repeats: what it is about, for whom, when, from
    which index, and that it is a draft built from the guidance."""

    topic: str
    audience: str = ""
    made_on: str = field(default_factory=lambda: date.today().isoformat())
    corpus_version: str = ""
    notice: str = DRAFT_NOTICE

    def line(self) -> str:
        parts = [self.topic]
        if self.audience:
            parts.append(f"for {self.audience}")
        parts.append(self.made_on)
        if self.corpus_version:
            parts.append(f"guidance index {self.corpus_version}")
        return " · ".join(parts)


@dataclass
class Deliverable:
    title: str
    header: Header
    blocks: list[Block] = field(default_factory=list)
    citations: list[Citation] = field(default_factory=list)
    editions: dict[str, str] = field(default_factory=dict)  # doc_id -> "ISO 9001:2015"

    # -- building ---------------------------------------------------------------------------
    def heading(self, text: str, level: int = 2) -> None:
        self.blocks.append(Heading(text, level))

    def words(self, text: str, style: Style = "body") -> None:
        self.blocks.append(Paragraph([Words(text)], style))

    def cite(self, citation: Citation) -> int:
        """Add a source (or find the same quote of the same chunk) and return its number."""
        for c in self.citations:
            if c.chunk_id == citation.chunk_id and c.quote == citation.quote:
                return c.n
        citation.n = len(self.citations) + 1
        self.citations.append(citation)
        return citation.n

    def renumber(self) -> None:
        """Number the sources in order of first appearance (sections may be written out of
        reading order) and drop sources no paragraph cites."""
        order: dict[int, int] = {}
        for q in self.quotes():
            order.setdefault(q.n, len(order) + 1)
        for para in self.paragraphs():
            para.pieces = [
                Quoted(p.text, order[p.n])
                if isinstance(p, Quoted)
                else (Ref(order[p.n]) if isinstance(p, Ref) and p.n in order else p)
                for p in para.pieces
            ]
        kept = [c for c in self.citations if c.n in order]
        for c in kept:
            c.n = order[c.n]
        self.citations = sorted(kept, key=lambda c: c.n)

    # -- reading ----------------------------------------------------------------------------
    def paragraphs(self) -> list[Paragraph]:
        return [b for b in self.blocks if isinstance(b, Paragraph)]

    def quotes(self) -> list[Quoted | Ref]:
        """Every citing piece, in reading order."""
        return [
            p for para in self.paragraphs() for p in para.pieces if isinstance(p, (Quoted, Ref))
        ]

    def to_json(self) -> dict[str, Any]:
        def piece(p: Piece) -> dict[str, Any]:
            if isinstance(p, Quoted):
                return {"quote": p.text, "n": p.n}
            if isinstance(p, Ref):
                return {"ref": p.n}
            return {"text": p.text}

        blocks: list[dict[str, Any]] = []
        for b in self.blocks:
            if isinstance(b, Heading):
                blocks.append({"heading": b.text, "level": b.level})
            else:
                blocks.append({"style": b.style, "pieces": [piece(p) for p in b.pieces]})
        return {
            "title": self.title,
            "header": vars(self.header),
            "blocks": blocks,
            "citations": [
                {**c.to_json(), "edition": self.editions.get(c.doc_id, "")} for c in self.citations
            ],
        }


def one_line(text: str) -> str:
    return " ".join(text.split())


def edition_label(deliverable: Deliverable, citation: Citation) -> str:
    return deliverable.editions.get(citation.doc_id) or "edition not stated"


def source_line(deliverable: Deliverable, c: Citation) -> str:
    """``Title — Section (clauses 9.3, 9.3.2; ISO 9001:2015)``."""
    clauses = f"clauses {', '.join(c.clauses)}; " if c.clauses else ""
    return f"{c.title} — {c.section} ({clauses}{edition_label(deliverable, c)})"


_MD_ESCAPE = re.compile(r"([<>])")


def _md_text(text: str) -> str:
    return _MD_ESCAPE.sub(lambda m: "&lt;" if m.group(1) == "<" else "&gt;", text)


def piece_markdown(p: Piece) -> str:
    if isinstance(p, Quoted):
        return f"{_md_text(one_line(p.text))} [{p.n}]"
    if isinstance(p, Ref):
        return f"[{p.n}]"
    return _md_text(p.text)


def to_markdown(d: Deliverable) -> str:
    """The deliverable as Markdown: title, header line and notice, blocks, numbered sources."""
    lines = [f"# {d.title}", "", f"_{d.header.line()}_", "", f"_{d.header.notice}_", ""]
    for b in d.blocks:
        if isinstance(b, Heading):
            lines += [f"{'#' * min(b.level, 6)} {b.text}", ""]
            continue
        text = " ".join(piece_markdown(p) for p in b.pieces).replace(" [", " [").strip()
        if b.style in ("bullet", "option"):
            lines.append(f"- {text}")
        elif b.style == "note":
            lines += [f"_{text}_", ""]
        elif b.style == "question":
            lines += [f"**{text}**", ""]
        else:
            lines += [text, ""]
    lines = _close_lists(lines)
    if d.citations:
        lines += ["## Sources", ""]
        for c in d.citations:
            lines += [f"[{c.n}] {source_line(d, c)}", "", f"> {_md_text(one_line(c.quote))}", ""]
    return "\n".join(lines).rstrip() + "\n"


def _close_lists(lines: list[str]) -> list[str]:
    """A blank line after each run of list items."""
    out: list[str] = []
    for i, line in enumerate(lines):
        out.append(line)
        nxt = lines[i + 1] if i + 1 < len(lines) else ""
        if line.startswith("- ") and nxt and not nxt.startswith("- "):
            out.append("")
    return out


_MARKER = re.compile(r"\s*\[(\d{1,3})\]")


def cited_pieces(text: str, renumber: dict[int, int]) -> list[Piece]:
    """Text with ``[n]`` markers as words and references, markers renumbered for one file."""
    pieces: list[Piece] = []
    pos = 0
    for m in _MARKER.finditer(text):
        if text[pos : m.start()].strip():
            pieces.append(Words(text[pos : m.start()].strip()))
        n = int(m.group(1))
        pieces.append(Ref(renumber[n]) if n in renumber else Words(f"[{n}]"))
        pos = m.end()
    if text[pos:].strip():
        pieces.append(Words(text[pos:].strip()))
    return pieces
