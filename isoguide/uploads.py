"""Documents users add through the app: checked, saved under ``data_dir/uploads`` with safe
names, and indexed incrementally. A file that cannot be indexed is never kept."""

from __future__ import annotations

import io
import os
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from isoguide.ingest.loaders import SKIPPED_NAMES, SUPPORTED_SUFFIXES, LoadError, load_file
from isoguide.ingest.pipeline import IngestReport, ingest

from .errors import IsoguideError
from .settings import Settings
from .store import Store

#: File types the uploader accepts: the ones the loaders can read.
UPLOAD_SUFFIXES: tuple[str, ...] = SUPPORTED_SUFFIXES
MAX_STEM_CHARS = 80
INCOMING = ".incoming"  # hidden, so an indexing run never picks up a file still being checked

Progress = Callable[[str], object]


class UploadError(IsoguideError):
    """An uploaded file was rejected; the message says why and what to do."""


@dataclass
class UploadedDocument:
    """One file in the uploads folder and what the index holds for it."""

    name: str
    size: int
    doc_id: str | None
    title: str | None
    n_chunks: int


@dataclass
class UploadResult:
    name: str  # the saved file name (may differ from the uploaded one)
    path: Path
    doc_id: str
    title: str
    unchanged: bool  # the same file was already in the uploads folder
    renamed: bool  # another file already had the name, so this one got a new one
    report: IngestReport | None


def _noop(_: str) -> None:
    return None


def safe_filename(name: str) -> str:
    """A file name that stays inside the uploads folder: no folders, ASCII letters, digits,
    ``-`` and ``_``, a lower-case suffix, never hidden and never a name indexing skips."""
    base = re.split(r"[\\/]", name)[-1].replace("\x00", "")
    base = unicodedata.normalize("NFKD", base).encode("ascii", "ignore").decode("ascii")
    stem, dot, suffix = base.rpartition(".")
    if not dot:
        stem, suffix = base, ""
    stem = re.sub(r"-{2,}", "-", re.sub(r"[^A-Za-z0-9_-]+", "-", stem))
    stem = stem.strip("-_")[:MAX_STEM_CHARS].strip("-_")
    suffix = re.sub(r"[^a-z0-9]", "", suffix.lower())
    result = f"{stem or 'document'}.{suffix}" if suffix else (stem or "document")
    if result.lower() in SKIPPED_NAMES:
        result = f"upload-{result}"
    return result


def check_upload(settings: Settings, name: str, size: int) -> str:
    """The safe file name for an upload, or an UploadError for a wrong type or size."""
    suffix = Path(name.replace("\\", "/")).suffix.lower()
    if suffix not in UPLOAD_SUFFIXES:
        raise UploadError(
            f"{name!r} is a {suffix or 'suffix-less'} file, which isoguide cannot read. "
            f"Upload one of: {', '.join(UPLOAD_SUFFIXES)}."
        )
    if size == 0:
        raise UploadError(f"{name!r} is empty. Upload a file with guidance text in it.")
    limit = int(settings.max_upload_mb * 1024 * 1024)
    if size > limit:
        raise UploadError(
            f"{name!r} is {size / 1024 / 1024:.1f} MiB; the limit is {settings.max_upload_mb:g} MiB "
            "(setting ISOGUIDE_MAX_UPLOAD_MB). Split the document or upload a smaller file."
        )
    return safe_filename(name)


def _target(folder: Path, name: str, data: bytes) -> tuple[Path, bool]:
    """Where to save ``data``: ``(path, same)``; never a different existing file."""
    path = folder / name
    stem, suffix = path.stem, path.suffix
    for i in range(2, 1000):
        if not path.exists():
            return path, False
        if path.is_file() and path.read_bytes() == data:
            return path, True
        path = folder / f"{stem}-{i}{suffix}"
    raise UploadError(f"Too many uploaded files are called {name!r}; remove some first.")


def _names(warning: str, path: Path) -> bool:
    """Whether an ingest warning (``"<path>: reason"``) is about ``path``."""
    head = warning.split(": ", 1)[0]
    return Path(head).resolve() == path.resolve()


def _index_uploads(settings: Settings, store: Store) -> IngestReport:
    settings.uploads_dir.mkdir(parents=True, exist_ok=True)
    return ingest(
        settings, paths=[settings.uploads_dir], store=store, progress=False, stream=io.StringIO()
    )


def add_upload(
    settings: Settings, store: Store, name: str, data: bytes, progress: Progress = _noop
) -> UploadResult:
    """Check, save and index one uploaded file; on any rejection nothing is left behind."""
    safe = check_upload(settings, name, len(data))
    folder = settings.uploads_dir
    folder.mkdir(parents=True, exist_ok=True)
    target, same = _target(folder, safe, data)
    progress(f"Checking {name} …")

    incoming = folder / INCOMING
    incoming.mkdir(exist_ok=True)
    staged = incoming / target.name
    staged.write_bytes(data)
    try:
        try:
            doc = load_file(staged)
        except LoadError as exc:
            reason = str(exc).replace(str(staged), repr(name))
            raise UploadError(f"{reason.removesuffix('; skipped')}. Nothing was added.") from exc
        record = store.manifest().documents.get(doc.doc_id)
        if record is not None and Path(record.source).resolve() != target.resolve():
            how = "change the id: in its front-matter" if doc.meta.get("id") else "rename the file"
            raise UploadError(
                f"{name!r} would replace {record.title!r} ({Path(record.source).name}), which "
                f"already uses the document id {doc.doc_id!r}. To add it, {how}; to replace "
                "an uploaded document, remove the old one first."
            )
        if same:
            progress(f"{target.name} is already in the guidance, unchanged.")
            return UploadResult(target.name, target, doc.doc_id, doc.title, True, False, None)
        os.replace(staged, target)
    finally:
        staged.unlink(missing_ok=True)

    renamed = target.name != safe
    progress(f"Saved as {target.name}" + (f" ({safe} is another file)" if renamed else ""))
    progress("Indexing the uploads folder …")
    try:
        report = _index_uploads(settings, store)
    except BaseException:
        target.unlink(missing_ok=True)
        raise
    problems = [w for w in report.warnings if _names(w, target)]
    if problems:
        target.unlink(missing_ok=True)
        _index_uploads(settings, store)
        reason = problems[0].replace(str(target), repr(name)).removesuffix("; skipped")
        raise UploadError(f"{reason}. Nothing was added.")
    progress(f"Indexed {doc.title!r}: {report.embedded} passages embedded.")
    return UploadResult(target.name, target, doc.doc_id, doc.title, False, renamed, report)


def list_uploads(settings: Settings, store: Store) -> list[UploadedDocument]:
    """Uploaded files, by name, with the index record of each (if it is indexed)."""
    folder = settings.uploads_dir
    if not folder.is_dir():
        return []
    by_source = {
        Path(r.source).resolve(): (doc_id, r) for doc_id, r in store.manifest().documents.items()
    }
    out: list[UploadedDocument] = []
    for path in sorted(folder.iterdir()):
        if not path.is_file() or path.name.startswith("."):
            continue
        doc_id, record = by_source.get(path.resolve(), (None, None))
        out.append(
            UploadedDocument(
                name=path.name,
                size=path.stat().st_size,
                doc_id=doc_id,
                title=record.title if record else None,
                n_chunks=record.n_chunks if record else 0,
            )
        )
    return out


def remove_upload(
    settings: Settings, store: Store, name: str, progress: Progress = _noop
) -> IngestReport:
    """Delete an uploaded file and its passages from the index."""
    path = settings.uploads_dir / name
    if safe_filename(name) != name or not path.is_file():
        raise UploadError(f"There is no uploaded document called {name!r}; refresh the list.")
    path.unlink()
    progress(f"Deleted {name}; removing its passages from the index …")
    report = _index_uploads(settings, store)
    progress(f"Removed {report.removed} document(s) from the index.")
    return report
