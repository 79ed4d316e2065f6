"""``make bench-scale`` at a small size: it runs end to end and prints ratios (never timed)."""

from __future__ import annotations

import pytest

from isoguide.eval.bench_scale import (
    CHUNKS_PER_DOC,
    fill,
    main,
    synthetic_chunks,
    synthetic_vectors,
)
from isoguide.retrieval import Retriever
from isoguide.settings import Settings
from isoguide.store import Store


def test_synthetic_corpus_is_served_and_searchable(tmp_path, embeddings) -> None:  # type: ignore[no-untyped-def]
    chunks = synthetic_chunks(200)
    assert len({c.doc_id for c in chunks}) == 200 // CHUNKS_PER_DOC
    assert all(c.clauses for c in chunks)
    vectors = synthetic_vectors(chunks, embeddings, 20)
    assert vectors.shape == (200, 384)
    store = Store(Settings(data_dir=tmp_path, corpus_dirs=[tmp_path / "none"]), embeddings)
    fill(store, chunks, vectors)
    assert len(store.all_chunks()) == 200
    clause = chunks[0].clauses[0]
    result = Retriever(store, store.settings.retrieval).search(f"What does clause {clause} say?")
    assert result.hits and result.hits[0].chunk.clauses[0] == clause


def test_bench_prints_figures_as_ratios(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--chunks", "300", "--embed", "30", "--queries", "4", "--no-server"]) == 0
    out = capsys.readouterr().out
    assert "embedded Chroma: 4 queries" in out
    assert "x encode)" in out and "start to first answer" in out and "RSS" in out
