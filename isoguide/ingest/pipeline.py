"""Incremental, idempotent, crash-safe indexing of corpus folders into the store.

Per document: unchanged -> skipped (no embedding); changed -> new chunks written, the manifest
switched to the new version in one atomic write, then the old chunks deleted; gone -> chunks
deleted. Each run starts by removing chunks the manifest does not vouch for and by re-indexing
documents whose stored chunks are incomplete, which repairs a run killed at any point.
"""

from __future__ import annotations

import sys
import time
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TextIO

from tqdm import tqdm

from isoguide.errors import CorpusError
from isoguide.models import Chunk
from isoguide.sentences import with_sentence_vectors
from isoguide.settings import Settings
from isoguide.store import DocRecord, Manifest, Store

from .chunking import chunk_document, embedding_text
from .loaders import SKIPPED_NAMES, SUPPORTED_SUFFIXES, LoadError, SourceDocument, load_file

# Corpus folders also hold their own metadata (clause_terms.yaml): not documents, not warnings.
CORPUS_METADATA_SUFFIXES = (".yaml", ".yml", ".json")


@dataclass
class IngestReport:
    documents: int = 0  # documents now in the index from the scanned paths
    chunks: int = 0  # chunks of those documents
    embedded: int = 0  # chunks embedded in this run
    skipped: int = 0  # unchanged documents
    updated: int = 0  # new or changed documents
    removed: int = 0  # documents deleted from the index
    repaired: int = 0  # stray chunks removed from an interrupted run
    seconds: float = 0.0
    warnings: list[str] = field(default_factory=list)

    def summary(self) -> str:
        return (
            f"Indexed {self.documents} documents, {self.chunks} chunks: {self.embedded} embedded, "
            f"{self.skipped} unchanged, {self.updated} new or changed, {self.removed} removed, "
            f"{self.repaired} stray chunks repaired, {len(self.warnings)} warnings "
            f"in {self.seconds:.1f}s"
        )


def discover(paths: Iterable[Path]) -> tuple[list[Path], list[Path]]:
    """``(files, folders)`` under ``paths``; a missing path is an error the user must fix."""
    files: list[Path] = []
    roots: list[Path] = []
    for path in paths:
        path = Path(path)
        if not path.exists():
            raise CorpusError(
                f"Corpus path {path} does not exist. Create it, or set ISOGUIDE_CORPUS_DIRS "
                "(a JSON list, e.g. '[\"corpus\"]') to folders that do."
            )
        if path.is_dir():
            roots.append(path)
            files.extend(
                p
                for p in sorted(path.rglob("*"))
                if p.is_file()
                and not any(part.startswith(".") for part in p.relative_to(path).parts)
                and p.name.lower() not in SKIPPED_NAMES
            )
        else:
            files.append(path)
    return files, roots


def _under(source: str, roots: list[Path]) -> bool:
    src = Path(source).resolve()
    return any(src.is_relative_to(r.resolve()) for r in roots)


def ingest(
    settings: Settings,
    paths: Iterable[Path] | None = None,
    store: Store | None = None,
    progress: bool = True,
    stream: TextIO | None = None,
) -> IngestReport:
    """Bring the index in line with ``paths`` (default: the configured corpus folders)."""
    started = time.perf_counter()
    store = store or Store(settings)
    stream = stream or sys.stderr
    report = IngestReport()
    files, roots = discover(paths if paths is not None else settings.all_corpus_dirs)

    with store.write_lock():
        manifest = store.manifest()
        report.repaired, incomplete = _repair(store, manifest)

        interactive = hasattr(stream, "isatty") and stream.isatty()
        bar = tqdm(
            total=len(files),
            desc="Indexing",
            unit="doc",
            file=stream,
            disable=not progress,
            dynamic_ncols=True,
            mininterval=0.1 if interactive else 5.0,
        )
        seen: dict[str, str] = {}
        failed: set[str] = set()  # unreadable now: keep what was indexed before, lose nothing
        for path in files:
            bar.update(1)
            if path.suffix.lower() not in SUPPORTED_SUFFIXES:
                if path.suffix.lower() not in CORPUS_METADATA_SUFFIXES:
                    report.warnings.append(
                        f"{path}: unsupported file type {path.suffix or '(none)'}; skipped"
                    )
                continue
            try:
                doc = load_file(path)
            except LoadError as exc:
                report.warnings.append(str(exc))
                failed.add(str(path))
                continue
            if doc.doc_id in seen:
                report.warnings.append(
                    f"{path}: document id {doc.doc_id!r} is already used by {seen[doc.doc_id]}; skipped"
                )
                continue
            seen[doc.doc_id] = str(path)
            _index_document(store, manifest, doc, settings, report, force=doc.doc_id in incomplete)
            bar.set_postfix(
                docs=len(seen),
                chunks=report.chunks,
                embedded=report.embedded,
                skipped=report.skipped,
            )
        bar.close()

        for doc_id, record in list(manifest.documents.items()):
            gone = doc_id not in seen and record.source not in failed
            if gone and roots and _under(record.source, roots):
                store.delete_ids(list(store.chunk_ids_for(doc_id)))
                del manifest.documents[doc_id]
                report.removed += 1
        store.save_manifest(manifest)

    report.documents = len(seen)
    report.seconds = time.perf_counter() - started
    for warning in report.warnings:
        print(f"warning: {warning}", file=stream)
    if progress:
        print(report.summary(), file=stream)
    return report


def _repair(store: Store, manifest: Manifest) -> tuple[int, set[str]]:
    """Delete chunks the manifest does not vouch for; return docs whose chunks are incomplete."""
    stray: list[str] = []
    counts: Counter[str] = Counter()
    for chunk_id, (doc_id, doc_hash) in store.all_ids().items():
        record = manifest.documents.get(doc_id)
        if record is None or record.doc_hash != doc_hash:
            stray.append(chunk_id)
        else:
            counts[doc_id] += 1
    store.delete_ids(stray)
    incomplete = {d for d, r in manifest.documents.items() if counts[d] != r.n_chunks}
    return len(stray), incomplete


def _index_document(
    store: Store,
    manifest: Manifest,
    doc: SourceDocument,
    settings: Settings,
    report: IngestReport,
    force: bool,
) -> None:
    chunks: list[Chunk] = chunk_document(
        doc, settings.chunking.max_chars, settings.chunking.overlap_chars
    )
    if not chunks:
        report.warnings.append(f"{doc.source}: no text to index; skipped")
        return
    new_hash = chunks[0].doc_hash
    record = manifest.documents.get(doc.doc_id)
    report.chunks += len(chunks)
    if record is not None and record.doc_hash == new_hash and not force:
        report.skipped += 1
        return
    old_ids = [cid for cid, h in store.chunk_ids_for(doc.doc_id).items() if h != new_hash]
    chunks = with_sentence_vectors(chunks, store.embeddings.encode)
    vectors = store.embeddings.embed_documents([embedding_text(c) for c in chunks])
    store.add_chunks(chunks, vectors)  # new version stored beside the old one ...
    manifest.documents[doc.doc_id] = DocRecord(
        doc_hash=new_hash,
        n_chunks=len(chunks),
        source=doc.source,
        title=doc.title,
        indexed_at=datetime.now(UTC).isoformat(timespec="seconds"),
    )
    store.save_manifest(manifest)  # ... served from this atomic write on ...
    store.delete_ids(old_ids)  # ... and the old version dropped.
    report.embedded += len(chunks)
    report.updated += 1


def ensure_index(
    settings: Settings, store: Store | None = None, stream: TextIO | None = None
) -> bool:
    """Build the index on first use; return True when it had to be built."""
    store = store or Store(settings)
    if not store.is_empty():
        return False
    print(
        f"No index yet in {settings.data_dir}: building it from "
        f"{', '.join(str(p) for p in settings.all_corpus_dirs)} (first run only).",
        file=stream or sys.stderr,
    )
    ingest(settings, store=store, stream=stream)
    return True
