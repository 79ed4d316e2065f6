"""The exported files open in LibreOffice: the issue's two commands over the real corpus, then
``soffice --headless --convert-to pdf`` on each file, and the PDF's text checked.

Enable with: apt-get install --no-install-recommends libreoffice-writer-nogui
libreoffice-calc-nogui poppler-utils (about 100 MB download). Run alone with:
.venv/bin/python -m pytest -q -m office tests/office
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from isoguide.cli import main
from isoguide.settings import Settings
from isoguide.store import Store

pytestmark = [pytest.mark.office, pytest.mark.slow]
SOFFICE = shutil.which("soffice")
PDFTOTEXT = shutil.which("pdftotext")
COPY_DIR = Path("/tmp/isoguide-office")  # the files and PDFs are kept here to look at


@pytest.fixture
def real_env(monkeypatch: pytest.MonkeyPatch, real_index: tuple[Settings, Store]) -> Settings:
    settings, _ = real_index
    monkeypatch.setenv("ISOGUIDE_DATA_DIR", str(settings.data_dir))
    monkeypatch.setenv("ISOGUIDE_CORPUS_DIRS", json.dumps([str(p) for p in settings.corpus_dirs]))
    return settings


def to_pdf(path: Path, out: Path) -> str:
    """Convert with LibreOffice and return the PDF's text."""
    profile = out / "lo-profile"
    subprocess.run(
        [
            SOFFICE or "soffice",
            f"-env:UserInstallation=file://{profile}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(out),
            str(path),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    pdf = out / (path.stem + ".pdf")
    assert pdf.exists() and pdf.read_bytes().startswith(b"%PDF"), f"no PDF for {path.name}"
    text = subprocess.run(
        [PDFTOTEXT or "pdftotext", "-layout", str(pdf), "-"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return text


@pytest.mark.skipif(
    SOFFICE is None or PDFTOTEXT is None, reason="needs LibreOffice and poppler-utils"
)
def test_the_issue_commands_produce_files_libreoffice_opens(
    real_env: Settings, tmp_path: Path
) -> None:
    xlsx, docx = tmp_path / "audit.xlsx", tmp_path / "draft.docx"
    assert main(["checklist", "9.2", "9.3", "--format", "xlsx", "--output", str(xlsx)]) == 0
    assert (
        main(
            [
                "draft",
                "clause 7.5 documented information",
                "--format",
                "docx",
                "--output",
                str(docx),
            ]
        )
        == 0
    )
    sheet = " ".join(to_pdf(xlsx, tmp_path).split())
    assert "Internal audit checklist: clauses 9.2, 9.3" in sheet
    for clause in ("9.2.1", "9.2.2", "9.3.1", "9.3.2", "9.3.3"):
        assert clause in sheet
    draft = " ".join(to_pdf(docx, tmp_path).split())
    assert "Clause 7.5 documented information: a briefing for owner/management" in draft
    assert "7.5.3 Control of documented information" in draft and "Sources" in draft
    assert "[1]" in draft
    COPY_DIR.mkdir(exist_ok=True)
    for f in tmp_path.iterdir():
        if f.suffix in (".pdf", ".xlsx", ".docx"):
            shutil.copy(f, COPY_DIR / f.name)
