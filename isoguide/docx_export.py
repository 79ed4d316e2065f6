"""Word files (python-docx) for drafts, checklists, conversations and quizzes.

Every file has real headings and paragraphs, numbered references ``[n]`` that link to a
"Sources" section quoting each passage with its title, section, clauses and edition, and a
page header with the topic, the audience, the date, the index version and the draft notice.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from datetime import UTC, datetime

from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.section import WD_ORIENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Pt, RGBColor
from docx.text.paragraph import Paragraph as DocxParagraph

from .deliverables.document import (
    Deliverable,
    Header,
    Heading,
    Paragraph,
    Piece,
    Quoted,
    Ref,
    one_line,
    source_line,
)

DOCX_MIME = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
_STYLE = {"bullet": "List Bullet", "option": "List Bullet", "note": None, "question": None}


def bookmark_name(n: int) -> str:
    return f"source_{n}"


def _link(paragraph: DocxParagraph, n: int) -> None:
    """``[n]`` as an internal hyperlink to the source's bookmark."""
    link = OxmlElement("w:hyperlink")
    link.set(qn("w:anchor"), bookmark_name(n))
    run = OxmlElement("w:r")
    props = OxmlElement("w:rPr")
    props.append(OxmlElement("w:b"))
    color = OxmlElement("w:color")
    color.set(qn("w:val"), "1F4E79")
    props.append(color)
    run.append(props)
    text = OxmlElement("w:t")
    text.text = f"[{n}]"
    run.append(text)
    link.append(run)
    paragraph._p.append(link)


def _bookmark(paragraph: DocxParagraph, n: int) -> None:
    start = OxmlElement("w:bookmarkStart")
    start.set(qn("w:id"), str(n))
    start.set(qn("w:name"), bookmark_name(n))
    end = OxmlElement("w:bookmarkEnd")
    end.set(qn("w:id"), str(n))
    paragraph._p.insert(0, start)
    paragraph._p.append(end)


def add_pieces(paragraph: DocxParagraph, pieces: Sequence[Piece], italic: bool = False) -> None:
    for i, p in enumerate(pieces):
        if isinstance(p, Ref):
            paragraph.add_run(" ")
            _link(paragraph, p.n)
            continue
        lead = " " if i else ""
        run = paragraph.add_run(lead + (one_line(p.text) if isinstance(p, Quoted) else p.text))
        run.italic = italic
        if isinstance(p, Quoted):
            paragraph.add_run(" ")
            _link(paragraph, p.n)


def page_header(doc: DocxDocument, header: Header) -> None:
    for section in doc.sections:
        part = section.header
        first = part.paragraphs[0]
        first.text = header.line()
        note = part.add_paragraph(header.notice)
        for para in (first, note):
            for run in para.runs:
                run.font.size = Pt(8)
                run.font.color.rgb = RGBColor(0x55, 0x55, 0x55)


def new_document(d: Deliverable, landscape: bool = False) -> DocxDocument:
    doc = Document()
    if landscape:
        section = doc.sections[0]
        section.orientation = WD_ORIENT.LANDSCAPE
        section.page_width, section.page_height = section.page_height, section.page_width
    doc.core_properties.title = d.title
    doc.core_properties.subject = d.header.topic
    doc.core_properties.comments = d.header.notice
    doc.add_heading(d.title, level=0)
    meta = doc.add_paragraph()
    meta.add_run(d.header.line()).italic = True
    doc.add_paragraph().add_run(d.header.notice).italic = True
    return doc


def add_blocks(doc: DocxDocument, d: Deliverable) -> None:
    for b in d.blocks:
        if isinstance(b, Heading):
            doc.add_heading(b.text, level=min(max(b.level - 1, 1), 9))
            continue
        assert isinstance(b, Paragraph)
        para = doc.add_paragraph(style=_STYLE.get(b.style))
        add_pieces(para, b.pieces, italic=b.style == "note")
        if b.style == "question":
            for run in para.runs:
                run.bold = True


def add_sources(doc: DocxDocument, d: Deliverable) -> None:
    if not d.citations:
        return
    doc.add_heading("Sources", level=1)
    for c in d.citations:
        head = doc.add_paragraph()
        head.add_run(f"[{c.n}] ").bold = True
        head.add_run(source_line(d, c))
        _bookmark(head, c.n)
        doc.add_paragraph(one_line(c.quote), style="Quote")


def to_bytes(doc: DocxDocument) -> bytes:
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def deliverable_docx(d: Deliverable) -> bytes:
    """A draft or any other deliverable as a Word file."""
    doc = new_document(d)
    page_header(doc, d.header)
    add_blocks(doc, d)
    add_sources(doc, d)
    return to_bytes(doc)


def stamp(when: datetime | None = None) -> str:
    return (when or datetime.now(UTC)).date().isoformat()
