from isoguide.ingest.chunking import chunk_document, pack, split_sections
from isoguide.ingest.loaders import SourceDocument, load_file

from ..conftest import FIXTURE_CORPUS


def test_sections_follow_the_heading_path() -> None:
    body = "Intro text here.\n\n## Plan\n\nPlan text.\n\n### Detail\n\nDetail text.\n\n## Do\n\nDo text."
    sections = split_sections(body)
    assert [p for p, _ in sections] == [[], ["Plan"], ["Plan", "Detail"], ["Do"]]


def test_long_sections_are_capped_with_overlap() -> None:
    paragraphs = [
        f"Paragraph {i} says something useful about audits and records." for i in range(40)
    ]
    windows = pack("\n\n".join(paragraphs), max_chars=400, overlap_chars=120)
    assert len(windows) > 3
    assert all(len(w) <= 400 for w in windows)
    for a, b in zip(windows, windows[1:], strict=False):
        carried = b.split("\n\n")[0]
        assert carried in a.split("\n\n")[-3:]  # b opens with the tail of a
        assert a.endswith(carried) or carried in a


def test_chunks_carry_full_metadata_and_detected_clauses() -> None:
    doc = load_file(FIXTURE_CORPUS / "calibration.md")
    chunks = chunk_document(doc, max_chars=1200, overlap_chars=150)
    assert chunks
    for i, chunk in enumerate(chunks):
        assert chunk.doc_id == "calibration-basics"
        assert chunk.title == "Calibrating measuring equipment"
        assert chunk.section
        assert chunk.source.endswith("calibration.md")
        assert len(chunk.content_hash) == 64
        assert chunk.position == i
        assert chunk.clauses[0] == "7.1.5"  # front-matter clauses come first
    every_clause = {c for chunk in chunks for c in chunk.clauses}
    assert {"7.1.5", "7.1.5.2", "8.7"} <= every_clause
    sections = {c.section for c in chunks}
    assert "What the clause asks (in our words)" in sections


def test_ids_are_stable_and_change_with_content() -> None:
    doc = SourceDocument("d", "Title", "## A\n\nSome text about clause 8.5.2 traceability.", "x.md")
    first = chunk_document(doc, 1200, 150)
    again = chunk_document(doc, 1200, 150)
    assert [c.chunk_id for c in first] == [c.chunk_id for c in again]
    doc.body += " More."
    changed = chunk_document(doc, 1200, 150)
    assert changed[0].doc_hash != first[0].doc_hash
    assert changed[0].clauses == ("8.5.2",)
