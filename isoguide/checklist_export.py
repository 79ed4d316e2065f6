"""An internal-audit checklist as a Word table (landscape) and as an Excel workbook, both with
columns for the auditor's finding (conforming / minor / major / observation) and notes, and a
"Sources" part quoting every cited passage with its title, section, clauses and edition."""

from __future__ import annotations

import io
from collections.abc import Sequence

from docx.shared import Pt
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from .checklist import FINDINGS, NO_EVIDENCE, NO_NONCONFORMITY, Checklist
from .deliverables.document import Ref, Words, one_line
from .docx_export import add_pieces, add_sources, new_document, page_header, to_bytes

XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
COLUMNS = (
    ("Clause", 10),
    ("Title", 24),
    ("ISO 9001:2026", 11),
    ("Audit question", 40),
    ("Evidence to look for", 60),
    ("Typical nonconformities", 50),
    ("Guidance sources", 12),
    ("Finding", 14),
    ("Auditor's notes", 40),
)
DOCX_COLUMNS = (
    "Clause",
    "Audit question",
    "Evidence to look for",
    "Typical nonconformities",
    "Finding",
    "Notes",
)


def checklist_docx(checklist: Checklist) -> bytes:
    d = checklist.document
    doc = new_document(d, landscape=True)
    page_header(doc, d.header)
    doc.add_paragraph(
        "One row per clause part. Tick one finding per row: " + " / ".join(FINDINGS) + ". "
        "Each [n] leads to the quoted guidance passage under Sources."
    )
    table = doc.add_table(rows=1, cols=len(DOCX_COLUMNS))
    table.style = "Table Grid"
    for cell, name in zip(table.rows[0].cells, DOCX_COLUMNS, strict=True):
        cell.text = ""
        cell.paragraphs[0].add_run(name).bold = True
    for r in checklist.rows:
        cells = table.add_row().cells
        cells[0].text = r.clause.label
        if not r.covered:
            cells[1].paragraphs[0].add_run(r.question).italic = True
        else:
            assert r.rests_on is not None
            add_pieces(cells[1].paragraphs[0], [Words(r.question), Ref(r.rests_on.n)])
            for i, e in enumerate(r.evidence):
                para = cells[2].paragraphs[0] if i == 0 else cells[2].add_paragraph()
                add_pieces(para, [Words(f"({e.kind})"), e.quote])
            if not r.evidence:
                cells[2].paragraphs[0].add_run(NO_EVIDENCE).italic = True
            for i, q in enumerate(r.nonconformities):
                para = cells[3].paragraphs[0] if i == 0 else cells[3].add_paragraph()
                add_pieces(para, [q])
            if not r.nonconformities:
                cells[3].paragraphs[0].add_run(NO_NONCONFORMITY).italic = True
        cells[4].text = "\n".join(f"☐ {f}" for f in FINDINGS)
    for row in table.rows:
        for cell in row.cells:
            for para in cell.paragraphs:
                for run in para.runs:
                    run.font.size = Pt(8)
    add_sources(doc, d)
    return to_bytes(doc)


SOURCE_WIDTHS = (5, 40, 40, 16, 16, 90)


def _wrap(ws: Worksheet, row: int, widths: Sequence[int]) -> None:
    """Wrap a row's text and give the row the height its longest cell needs (spreadsheet
    programs do not grow rows on opening)."""
    lines = 1
    for cell, width in zip(ws[row], widths, strict=False):
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        text = str(cell.value or "")
        lines = max(lines, sum(1 + len(part) // max(width - 2, 1) for part in text.split("\n")))
    ws.row_dimensions[row].height = 15 * lines


def checklist_xlsx(checklist: Checklist) -> bytes:
    d = checklist.document
    wb = Workbook()
    ws = wb.active
    ws.title = "Checklist"
    ws.append([d.title])
    ws["A1"].font = Font(bold=True, size=14)
    ws.append([d.header.line()])
    ws.append([d.header.notice])
    ws.append([])
    ws.append([name for name, _ in COLUMNS])
    head_row = ws.max_row
    ws.row_dimensions[head_row].height = 30
    for i, (_, width) in enumerate(COLUMNS, start=1):
        cell = ws.cell(head_row, i)
        cell.font = Font(bold=True, color="FFFFFF")
        cell.fill = PatternFill("solid", fgColor="1F4E79")
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        ws.column_dimensions[cell.column_letter].width = width
    for r in checklist.rows:
        evidence = "\n".join(
            f"({e.kind}) {one_line(e.quote.text)} [{e.quote.n}]" for e in r.evidence
        )
        mistakes = "\n".join(f"{one_line(q.text)} [{q.n}]" for q in r.nonconformities)
        question = f"{r.question} [{r.rests_on.n}]" if r.rests_on else r.question
        ws.append(
            [
                r.clause.number,
                r.clause.label.split(" ", 1)[1],
                ", ".join(r.clause.number_2026),
                question,
                evidence or (NO_EVIDENCE if r.covered else ""),
                mistakes or (NO_NONCONFORMITY if r.covered else ""),
                ", ".join(f"[{n}]" for n in r.sources()),
                "",
                "",
            ]
        )
        _wrap(ws, ws.max_row, [w for _, w in COLUMNS])
    finding_col = next(i for i, (n, _) in enumerate(COLUMNS, start=1) if n == "Finding")
    letter = ws.cell(head_row, finding_col).column_letter
    check = DataValidation(type="list", formula1='"' + ",".join(FINDINGS) + '"', allow_blank=True)
    check.error = "Pick conforming, minor, major or observation."
    ws.add_data_validation(check)
    if checklist.rows:
        check.add(f"{letter}{head_row + 1}:{letter}{ws.max_row}")
    ws.freeze_panes = ws.cell(head_row + 1, 1)
    src = wb.create_sheet("Sources")
    src.append(["n", "Title", "Section", "Clauses", "Edition", "Quoted passage"])
    for i, width in enumerate(SOURCE_WIDTHS, start=1):
        src.cell(1, i).font = Font(bold=True)
        src.column_dimensions[src.cell(1, i).column_letter].width = width
    for c in checklist.citations:
        src.append(
            [
                c.n,
                c.title,
                c.section,
                ", ".join(c.clauses),
                d.editions.get(c.doc_id, "edition not stated"),
                one_line(c.quote),
            ]
        )
        _wrap(src, src.max_row, SOURCE_WIDTHS)
    for sheet in (ws, src):
        sheet.page_setup.orientation = "landscape"
        sheet.page_setup.fitToWidth = 1
        sheet.page_setup.fitToHeight = 0
        sheet.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_title_rows = f"{head_row}:{head_row}"
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
