"""isoguide.uploads: safe names, checks, and that a rejected file leaves nothing behind."""

from __future__ import annotations

from pathlib import Path

import pytest

from isoguide.settings import Settings
from isoguide.store import Store
from isoguide.uploads import (
    UploadError,
    add_upload,
    check_upload,
    list_uploads,
    remove_upload,
    safe_filename,
)

GUIDE = b"# Wombat gauge log\n\n## Keeping the log\n\nEvery wombat gauge is logged with its check date, the person who checked it and the result of the check.\n"


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("guide.md", "guide.md"),
        ("../../etc/passwd.md", "passwd.md"),
        ("..\\..\\windows\\evil.TXT", "evil.txt"),
        ("/abs/path/Quality Manual v2.docx", "Quality-Manual-v2.docx"),
        ("Qualitätshandbuch (Entwurf).pdf", "Qualitatshandbuch-Entwurf.pdf"),
        (".hidden.md", "hidden.md"),
        ("..", "document"),
        ("", "document"),
        ("README.md", "upload-README.md"),
        ("a\x00b.md", "ab.md"),
        ("x" * 300 + ".md", "x" * 80 + ".md"),
        ("rm -rf $(whoami);.html", "rm-rf-whoami.html"),
    ],
)
def test_safe_filename(given: str, expected: str) -> None:
    assert safe_filename(given) == expected
    assert "/" not in expected and "\\" not in expected and not expected.startswith(".")


def _settings(tmp_path: Path, corpus: Path, **kw: object) -> Settings:
    return Settings(data_dir=tmp_path / "data", corpus_dirs=[corpus], **kw)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("name", "size", "message"),
    [
        ("tool.exe", 10, "cannot read"),
        ("noext", 10, "suffix-less"),
        ("notes.md", 0, "empty"),
        ("big.pdf", 11 * 1024 * 1024, "limit is 10 MiB"),
    ],
)
def test_check_upload_rejects(tmp_path: Path, name: str, size: int, message: str) -> None:
    with pytest.raises(UploadError, match=message):
        check_upload(_settings(tmp_path, tmp_path), name, size)


def test_check_upload_accepts_the_limit_exactly(tmp_path: Path) -> None:
    settings = _settings(tmp_path, tmp_path, max_upload_mb=1)
    assert check_upload(settings, "Notes.MD", 1024 * 1024) == "Notes.md"


def test_add_list_and_remove(fresh: tuple[Settings, Store]) -> None:
    settings, store = fresh
    from isoguide.ingest import ingest

    ingest(settings, store=store, progress=False)
    before = len(store.manifest().documents)
    steps: list[str] = []
    result = add_upload(settings, store, "../Wombat log.md", GUIDE, progress=steps.append)
    assert result.name == "Wombat-log.md" and not result.unchanged and not result.renamed
    assert (settings.uploads_dir / "Wombat-log.md").read_bytes() == GUIDE
    assert [p.name for p in settings.uploads_dir.iterdir() if not p.name.startswith(".")] == [
        "Wombat-log.md"
    ]
    assert not any((settings.uploads_dir / ".incoming").iterdir())
    assert any("Indexed" in s for s in steps)
    listed = list_uploads(settings, store)
    assert [(d.name, d.title) for d in listed] == [("Wombat-log.md", "Wombat gauge log")]
    assert listed[0].n_chunks >= 1
    assert len(store.manifest().documents) == before + 1

    again = add_upload(settings, store, "Wombat log.md", GUIDE)
    assert again.unchanged and again.report is None

    changed = add_upload(
        settings, store, "Wombat log.md", GUIDE.replace(b"check date", b"next due date")
    )
    assert changed.renamed and changed.name == "Wombat-log-2.md"
    assert (settings.uploads_dir / "Wombat-log.md").read_bytes() == GUIDE  # not overwritten
    assert len(store.manifest().documents) == before + 2

    report = remove_upload(settings, store, "Wombat-log.md")
    assert report.removed == 1
    assert not (settings.uploads_dir / "Wombat-log.md").exists()
    assert "wombat-log" not in store.manifest().documents
    assert len(store.manifest().documents) == before + 1


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("broken.pdf", b"%PDF-1.7\n1 0 obj garbage\n%%EOF", "unreadable PDF"),
        ("broken.docx", b"PK\x03\x04 not really a zip", "unreadable Word file"),
        ("blob.txt", b"\x00\xff" * 300, "binary"),
        ("short.md", b"# Hi\n\nok", "no readable text"),
    ],
)
def test_an_unreadable_file_leaves_nothing_behind(
    fresh: tuple[Settings, Store], name: str, data: bytes, message: str
) -> None:
    settings, store = fresh
    from isoguide.ingest import ingest

    ingest(settings, store=store, progress=False)
    manifest_before = store.manifest().documents.keys()
    with pytest.raises(UploadError, match=message) as info:
        add_upload(settings, store, name, data)
    assert "Nothing was added" in str(info.value)
    assert str(settings.uploads_dir) not in str(info.value)  # the user's name, not our path
    assert [p for p in settings.uploads_dir.rglob("*") if p.is_file()] == []
    assert store.manifest().documents.keys() == manifest_before


def test_an_upload_cannot_take_over_a_corpus_document_id(fresh: tuple[Settings, Store]) -> None:
    settings, store = fresh
    from isoguide.ingest import ingest

    ingest(settings, store=store, progress=False)
    clash = b"---\nid: management-review\ntitle: Fake\n---\n\nThis would replace the real management review guidance entirely."
    with pytest.raises(UploadError, match="front-matter"):
        add_upload(settings, store, "mr.md", clash)
    record = store.manifest().documents["management-review"]
    assert Path(record.source).name == "management-review.md"
    assert not (settings.uploads_dir / "mr.md").exists()


def test_remove_refuses_names_outside_the_uploads_folder(fresh: tuple[Settings, Store]) -> None:
    settings, store = fresh
    settings.uploads_dir.mkdir(parents=True)
    victim = settings.data_dir / "keep.md"
    victim.write_text("keep me")
    for name in ("../keep.md", "missing.md", ".incoming"):
        with pytest.raises(UploadError, match="no uploaded document"):
            remove_upload(settings, store, name)
    assert victim.exists()
