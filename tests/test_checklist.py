"""Internal-audit checklists over the fixture index, and their Word and Excel files opened again
with python-docx and openpyxl."""

from __future__ import annotations

import io

import pytest
from docx import Document
from openpyxl import load_workbook

from isoguide.assistant import Assistant
from isoguide.checklist import (
    FINDINGS,
    NOT_COVERED_ROW,
    Checklist,
    build_checklist,
    checklist_markdown,
    question_from,
)
from isoguide.checklist_export import COLUMNS, checklist_docx, checklist_xlsx
from isoguide.errors import IsoguideError
from isoguide.models import Chunk


@pytest.fixture(scope="module")
def audit(assistant: Assistant) -> Checklist:
    return build_checklist(assistant, ["9.2", "9.3", "7.1.5"])


def test_rows_per_part_grounded_and_cited(audit: Checklist, chunks: dict[str, Chunk]) -> None:
    assert [r.clause.number for r in audit.rows] == [
        "9.2.1",
        "9.2.2",
        "9.3.1",
        "9.3.2",
        "9.3.3",
        "7.1.5.1",
        "7.1.5.2",
    ]
    by = {r.clause.number: r for r in audit.rows}
    # The fixture corpus has nothing on internal audit: those rows say so, with no citation.
    for n in ("9.2.1", "9.2.2"):
        assert not by[n].covered and by[n].question == NOT_COVERED_ROW and not by[n].sources()
    covered = [r for r in audit.rows if r.covered]
    assert {r.clause.number for r in covered} >= {"9.3.2", "9.3.3", "7.1.5.2"}
    for r in covered:
        assert r.rests_on is not None and r.question.endswith("?")
        for q in [r.rests_on] + [e.quote for e in r.evidence] + r.nonconformities:
            c = audit.citations[q.n - 1]
            assert q.text == c.quote and c.quote in chunks[c.chunk_id].text
        assert all(audit.citations[q.n - 1].section == "Common mistakes" for q in r.nonconformities)
    assert any(r.evidence for r in covered) and any(r.nonconformities for r in covered)
    assert [c.n for c in audit.citations] == list(range(1, len(audit.citations) + 1))


def test_question_is_the_cited_requirement_turned_round() -> None:
    assert (
        question_from(
            "Clause 9.3.1 requires top management to review the system at planned intervals."
        )
        == "Does top management review the system at planned intervals?"
    )
    assert (
        question_from("Clause 9.3.3 requires the outputs of the review to include decisions.")
        == "Do the outputs of the review include decisions?"
    )
    assert question_from("Management review is a meeting.") is None


def test_bad_clause_arguments_are_clear_errors(assistant: Assistant) -> None:
    with pytest.raises(IsoguideError, match="not an ISO 9001:2015 clause"):
        build_checklist(assistant, ["12.1"])
    with pytest.raises(IsoguideError, match="at least one clause"):
        build_checklist(assistant, [])


def test_markdown_json_docx_and_xlsx(audit: Checklist) -> None:
    md = checklist_markdown(audit)
    assert md.count("**Finding:** ☐ conforming ☐ minor ☐ major ☐ observation") == sum(
        r.covered for r in audit.rows
    )
    assert "## Sources" in md and NOT_COVERED_ROW in md
    data = audit.to_json()
    assert data["findings"] == list(FINDINGS) and len(data["rows"]) == len(audit.rows)

    doc = Document(io.BytesIO(checklist_docx(audit)))
    table = doc.tables[0]
    assert [c.text for c in table.rows[0].cells] == [
        "Clause",
        "Audit question",
        "Evidence to look for",
        "Typical nonconformities",
        "Finding",
        "Notes",
    ]
    assert len(table.rows) == len(audit.rows) + 1
    row = table.rows[1 + [r.clause.number for r in audit.rows].index("9.3.3")].cells
    r33 = next(r for r in audit.rows if r.clause.number == "9.3.3")
    assert row[1].text.startswith(r33.question) and f"[{r33.rests_on.n}]" in row[1].text  # type: ignore[union-attr]
    assert row[4].text == "\n".join(f"☐ {f}" for f in FINDINGS)
    assert doc.sections[0].page_width > doc.sections[0].page_height  # landscape
    assert "Internal audit checklist" in doc.sections[0].header.paragraphs[0].text

    wb = load_workbook(io.BytesIO(checklist_xlsx(audit)))
    ws = wb["Checklist"]
    rows = list(ws.iter_rows(values_only=True))
    head = rows.index(tuple(name for name, _ in COLUMNS))
    body = rows[head + 1 :]
    assert [b[0] for b in body] == [r.clause.number for r in audit.rows]
    assert all(b[7] is None and b[8] is None for b in body)  # finding and notes left to the auditor
    validations = ws.data_validations.dataValidation
    assert validations and validations[0].formula1 == '"conforming,minor,major,observation"'
    src = list(wb["Sources"].iter_rows(values_only=True))
    assert src[0] == ("n", "Title", "Section", "Clauses", "Edition", "Quoted passage")
    assert [s[0] for s in src[1:]] == [c.n for c in audit.citations]
    assert all(s[4] for s in src[1:])
