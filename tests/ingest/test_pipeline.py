import os
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest

from isoguide.errors import CorpusError, StoreLockedError
from isoguide.ingest import ingest
from isoguide.ingest.chunking import chunk_document
from isoguide.ingest.loaders import load_file
from isoguide.settings import Settings
from isoguide.store import Store


def served_counts(store: Store) -> Counter[str]:
    return Counter(c.doc_id for c in store.all_chunks())


def assert_consistent(store: Store) -> None:
    """Every served document is complete and nothing is served twice."""
    manifest = store.manifest()
    chunks = store.all_chunks()
    ids = [c.chunk_id for c in chunks]
    assert len(ids) == len(set(ids))
    texts = Counter((c.doc_id, c.position) for c in chunks)
    assert all(n == 1 for n in texts.values()), "a chunk position is served twice"
    counts = served_counts(store)
    for doc_id, record in manifest.documents.items():
        assert counts[doc_id] == record.n_chunks, doc_id


def test_second_run_embeds_nothing(fresh: tuple[Settings, Store]) -> None:
    settings, store = fresh
    first = ingest(settings, store=store, progress=False)
    assert first.documents == 7 and first.embedded == first.chunks > 0 and not first.warnings
    second = ingest(settings, store=store, progress=False)
    assert second.embedded == 0
    assert second.skipped == 7
    assert second.chunks == first.chunks
    assert store.count() == first.chunks
    assert_consistent(store)


def test_changed_document_replaces_exactly_its_chunks(
    fresh: tuple[Settings, Store], corpus_copy: Path
) -> None:
    settings, store = fresh
    ingest(settings, store=store, progress=False)
    before = {c.chunk_id: c for c in store.all_chunks()}
    path = corpus_copy / "management-review.md"
    path.write_text(
        path.read_text() + "\n\n## Extra\n\nA short agenda keeps the review to ninety minutes.\n"
    )
    report = ingest(settings, store=store, progress=False)
    new_chunks = chunk_document(
        load_file(path), settings.chunking.max_chars, settings.chunking.overlap_chars
    )
    assert report.updated == 1 and report.embedded == len(new_chunks)
    after = {c.chunk_id: c for c in store.all_chunks()}
    untouched_before = {k for k, c in before.items() if c.doc_id != "management-review"}
    untouched_after = {k for k, c in after.items() if c.doc_id != "management-review"}
    assert untouched_before == untouched_after
    assert {k for k, c in after.items() if c.doc_id == "management-review"} == {
        c.chunk_id for c in new_chunks
    }
    assert store.count() == len(after)  # the old version's chunks are gone from Chroma too
    assert any("ninety minutes" in c.text for c in after.values())


def test_deleted_document_is_removed(fresh: tuple[Settings, Store], corpus_copy: Path) -> None:
    settings, store = fresh
    ingest(settings, store=store, progress=False)
    (corpus_copy / "pdca-cycle.md").unlink()
    report = ingest(settings, store=store, progress=False)
    assert report.removed == 1
    assert "pdca-cycle" not in served_counts(store)
    assert "pdca-cycle" not in store.manifest().documents
    assert all(doc_id != "pdca-cycle" for doc_id, _ in store.all_ids().values())


def test_bad_files_warn_by_name_and_the_rest_is_ingested(
    fresh: tuple[Settings, Store], corpus_copy: Path
) -> None:
    settings, store = fresh
    (corpus_copy / "empty.md").write_bytes(b"")
    (corpus_copy / "binary.txt").write_bytes(b"\x00\xff" * 100)
    (corpus_copy / "broken.pdf").write_bytes(b"%PDF-1.4 garbage")
    (corpus_copy / "photo.jpg").write_bytes(b"\xff\xd8\xff")
    report = ingest(settings, store=store, progress=False)
    assert report.documents == 7
    joined = "\n".join(report.warnings)
    for name in ("empty.md", "binary.txt", "broken.pdf", "photo.jpg"):
        assert name in joined


def test_a_document_that_breaks_later_keeps_its_indexed_version(
    fresh: tuple[Settings, Store], corpus_copy: Path
) -> None:
    settings, store = fresh
    ingest(settings, store=store, progress=False)
    (corpus_copy / "pdca-cycle.md").write_bytes(b"\x00\x00 now binary")
    report = ingest(settings, store=store, progress=False)
    assert any("pdca-cycle.md" in w for w in report.warnings)
    assert "pdca-cycle" in served_counts(store)  # nothing lost


def test_missing_corpus_folder_is_a_clear_error(tmp_path: Path, embeddings) -> None:  # type: ignore[no-untyped-def]
    settings = Settings(data_dir=tmp_path / "d", corpus_dirs=[tmp_path / "nope"])
    with pytest.raises(CorpusError, match="does not exist"):
        ingest(settings, store=Store(settings, embeddings), progress=False)


def test_locked_store_fails_fast_with_a_message(fresh: tuple[Settings, Store]) -> None:
    from filelock import FileLock

    settings, store = fresh
    settings.store.lock_timeout = 0.5
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    with FileLock(str(store.lock_path)):
        started = time.monotonic()
        with pytest.raises(StoreLockedError, match="locked by another isoguide process"):
            ingest(settings, store=store, progress=False)
        assert time.monotonic() - started < 10


def test_stray_and_missing_chunks_are_repaired(
    fresh: tuple[Settings, Store], corpus_copy: Path
) -> None:
    """The states a killed run can leave: a new version written but not switched to, and a
    served version missing chunks. The next run removes the first and rebuilds the second."""
    settings, store = fresh
    ingest(settings, store=store, progress=False)
    path = corpus_copy / "calibration.md"
    doc = load_file(path)
    doc.body += "\n\nAn interrupted edit."
    stray = chunk_document(doc, settings.chunking.max_chars, settings.chunking.overlap_chars)
    store.add_chunks(stray, store.embeddings.embed_documents([c.text for c in stray]))
    victim = next(c for c in store.all_chunks() if c.doc_id == "pdca-cycle")
    store.delete_ids([victim.chunk_id])
    # A half document is not served at all, and stray chunks are never served, before the repair.
    assert "pdca-cycle" not in served_counts(store)
    assert all(c.doc_id != "pdca-cycle" for c, _ in store.dense_search("Plan Do Check Act", 20))
    assert all(c.doc_hash != stray[0].doc_hash for c in store.all_chunks())

    report = ingest(settings, store=store, progress=False)
    assert report.repaired == len(stray)
    assert report.updated == 1  # pdca-cycle rebuilt
    assert_consistent(store)
    assert store.count() == sum(r.n_chunks for r in store.manifest().documents.values())


KILL_SCRIPT = """
import sys
from pathlib import Path
from isoguide.settings import Settings
from isoguide.ingest import ingest
from isoguide.store import Store
save = Store.save_manifest
def announce(self, manifest):  # tell the test each time a document is switched
    save(self, manifest)
    print("SAVED", flush=True)
Store.save_manifest = announce
settings = Settings(data_dir=Path(sys.argv[1]), corpus_dirs=[Path(sys.argv[2])])
ingest(settings, progress=False)
"""


def test_kill_9_mid_run_leaves_a_store_the_next_run_repairs(
    tmp_path: Path, corpus_copy: Path, embeddings
) -> None:  # type: ignore[no-untyped-def]
    data = tmp_path / "killed"
    # Make the run long enough to be killed mid-way: many small documents.
    for i in range(30):
        (corpus_copy / f"extra-{i:02d}.md").write_text(
            f'---\nid: extra-{i:02d}\ntitle: Extra {i}\nclauses: ["7.5"]\n---\n\n## Records\n\n'
            + f"Record number {i} is kept for audits under clause 7.5.3 in the small firm. " * 30
        )
    proc = subprocess.Popen(
        [sys.executable, "-c", KILL_SCRIPT, str(data), str(corpus_copy)],
        env={**os.environ, "HF_HUB_OFFLINE": "1"},
        stdout=subprocess.PIPE,
        text=True,
    )
    assert proc.stdout is not None
    for _ in range(3):  # three documents switched: the run is under way
        assert proc.stdout.readline().strip() == "SAVED", "the ingest ended before the kill"
    time.sleep(0.3)
    proc.send_signal(signal.SIGKILL)
    proc.wait()

    settings = Settings(data_dir=data, corpus_dirs=[corpus_copy])
    store = Store(settings, embeddings)
    assert proc.returncode == -signal.SIGKILL
    assert 0 < len(store.manifest().documents) < 37, "the kill should land mid-run"
    assert_consistent(store)  # what is served after the kill is whole
    ingest(settings, store=store, progress=False)
    assert_consistent(store)
    assert len(store.manifest().documents) == 37
    assert store.count() == sum(r.n_chunks for r in store.manifest().documents.values())
