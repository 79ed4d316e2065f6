from pathlib import Path

import pytest

from isoguide.ingest.loaders import LoadError, load_file

from ..conftest import FIXTURE_CORPUS


def test_markdown_front_matter_is_read() -> None:
    doc = load_file(FIXTURE_CORPUS / "calibration.md")
    assert doc.doc_id == "calibration-basics"
    assert doc.title == "Calibrating measuring equipment"
    assert doc.clauses == ["7.1.5"]
    assert not doc.body.startswith("---")


def test_pdf_is_read(tmp_path: Path) -> None:
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("Helvetica", size=12)
    pdf.multi_cell(
        0,
        8,
        "Internal audits in a small firm\n\nClause 9.2 asks for internal audits at planned intervals. Auditors should not audit their own work.",
    )
    path = tmp_path / "audits.pdf"
    pdf.output(str(path))
    doc = load_file(path)
    assert doc.doc_id == "audits"
    assert "planned intervals" in doc.body


def test_docx_headings_become_sections(tmp_path: Path) -> None:
    import docx

    d = docx.Document()
    d.add_heading("Release of products", level=1)
    d.add_paragraph(
        "Clause 8.6 says nothing ships until the planned checks are done and signed off."
    )
    d.add_heading("Who signs", level=2)
    d.add_paragraph("The person who authorised release is recorded on the job card in every case.")
    path = tmp_path / "release.docx"
    d.save(str(path))
    doc = load_file(path)
    assert "## Release of products" in doc.body
    assert "### Who signs" in doc.body
    assert "job card" in doc.body


@pytest.mark.parametrize(
    ("name", "content", "reason"),
    [
        ("empty.md", b"", "empty"),
        ("binary.txt", b"\x00\x01\x02binary\x00" * 50, "binary"),
        ("broken.pdf", b"%PDF-1.4 this is not really a pdf", "PDF"),
        ("broken.docx", b"PK not a zip at all", "Word"),
        ("image.png", b"\x89PNG\r\n", "unsupported"),
        ("blank.md", b"---\nid: x\n---\n\n   \n", "no readable text"),
    ],
)
def test_bad_files_raise_a_load_error_naming_the_file(
    tmp_path: Path, name: str, content: bytes, reason: str
) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(LoadError) as info:
        load_file(path)
    assert name in str(info.value)
    assert reason.lower() in str(info.value).lower()


def test_unreadable_path_is_a_load_error(tmp_path: Path) -> None:
    # A directory named like a document cannot be read as one (mode-000 files do not work
    # for this under root, which CI runs as).
    path = tmp_path / "notes.md"
    path.mkdir()
    with pytest.raises(LoadError, match="cannot be read"):
        load_file(path)
