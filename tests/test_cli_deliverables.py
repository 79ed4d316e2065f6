"""``isoguide draft`` and ``isoguide checklist`` with --format and --output."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from docx import Document
from openpyxl import load_workbook

from isoguide.settings import Settings
from isoguide.store import Store

from .test_cli import run_cli


@pytest.fixture
def indexed_env(monkeypatch: pytest.MonkeyPatch, fixture_index: tuple[Settings, Store]) -> Settings:
    settings, _ = fixture_index
    monkeypatch.setenv("ISOGUIDE_DATA_DIR", str(settings.data_dir))
    monkeypatch.setenv("ISOGUIDE_CORPUS_DIRS", json.dumps([str(p) for p in settings.corpus_dirs]))
    return settings


def test_checklist_to_xlsx_json_and_md(
    indexed_env: Settings,
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
) -> None:
    out = tmp_path / "audit.xlsx"
    code, _, err = run_cli(capsys, "checklist", "9.3", "--format", "xlsx", "--output", str(out))
    assert code == 0 and f"wrote {out}" in err
    ws = load_workbook(out)["Checklist"]
    assert [
        r[0] for r in ws.iter_rows(values_only=True) if r[0] in ("9.3.1", "9.3.2", "9.3.3")
    ] == ["9.3.1", "9.3.2", "9.3.3"]
    code, text, _ = run_cli(capsys, "checklist", "9.2", "--format", "json")
    assert code == 0 and [r["covered"] for r in json.loads(text)["rows"]] == [False, False]
    code, text, _ = run_cli(capsys, "checklist", "9.3")
    assert code == 0 and text.startswith("# Internal audit checklist: clause 9.3")


def test_draft_to_docx_and_json(
    indexed_env: Settings,
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
) -> None:
    out = tmp_path / "draft.docx"
    code, _, _ = run_cli(
        capsys,
        "draft",
        "clause 9.3 management review",
        "--audience",
        "auditors",
        "--context",
        "size=6; sector=bakery",
        "--format",
        "docx",
        "--output",
        str(out),
    )
    assert code == 0
    doc = Document(io.BytesIO(out.read_bytes()))
    assert doc.paragraphs[0].text == "Clause 9.3 management review: a briefing for auditors"
    assert any(p.text == "In a bakery" for p in doc.paragraphs)
    code, text, _ = run_cli(capsys, "draft", "management review", "--format", "json")
    data = json.loads(text)
    assert code == 0 and data["clause"] == "9.3" and data["document"]["citations"]


def test_binary_formats_need_a_file_and_bad_input_is_clear(
    indexed_env: Settings,
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
) -> None:
    code, _, err = run_cli(capsys, "checklist", "9.3", "--format", "xlsx")
    assert code == 1 and "--output" in err
    code, _, err = run_cli(capsys, "checklist", "13.2")
    assert code == 1 and "not an ISO 9001:2015 clause" in err
    code, _, err = run_cli(capsys, "draft", "management review", "--audience", "pilots")
    assert code == 1 and "Unknown audience" in err
    code, _, err = run_cli(
        capsys,
        "draft",
        "management review",
        "--format",
        "docx",
        "--output",
        str(tmp_path / "no" / "x.docx"),
    )
    assert code == 1 and "does not exist" in err
