"""The vector store: Chroma behind LangChain's ``VectorStore`` interface, plus an index manifest.

Embedded Chroma (a folder under the data directory) and a ``chroma run`` server are the same
code path: only the client differs. The manifest records, per document, which version
(``doc_hash``) is complete in the store; only chunks of that version are ever served, so a run
killed half-way never serves a half-written or duplicated document.

The manifest lives in the store itself, beside the chunks: one record per document in the
``<collection>__documents`` collection, and a generation token in ``<collection>__control``
that changes with every switch. So any number of app servers and one ingest process, on other
machines with their own data directories, share one ``chroma run`` server and agree on what is
served; each reader reloads when the generation changes. Writers on a server also take a lease
in the control collection (the data directory's file lock only guards one machine).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np
from filelock import FileLock, Timeout
from langchain_chroma import Chroma
from langchain_core.documents import Document

from .clauses import parse_clause_list
from .embeddings import LocalEmbeddings
from .errors import StoreLockedError, StoreUnavailableError
from .manifest import DocRecord, Manifest, ServedState, get_all
from .models import Chunk
from .settings import Settings

__all__ = ["DocRecord", "Manifest", "Store", "chunk_from_record", "chunk_to_metadata"]


def chunk_to_metadata(chunk: Chunk) -> dict[str, Any]:
    return {
        "doc_id": chunk.doc_id,
        "title": chunk.title,
        "section": chunk.section,
        "clauses": ",".join(chunk.clauses),
        "source": chunk.source,
        "content_hash": chunk.content_hash,
        "doc_hash": chunk.doc_hash,
        "position": chunk.position,
        "kind": chunk.kind,
        "question": chunk.question,
        "editions": ",".join(chunk.editions),
        "sentence_spans": chunk.sentence_spans,
        "sentence_vectors": chunk.sentence_vectors,
    }


def chunk_from_record(chunk_id: str, text: str, meta: dict[str, Any]) -> Chunk:
    return Chunk(
        chunk_id=chunk_id,
        doc_id=str(meta.get("doc_id", "")),
        title=str(meta.get("title", "")),
        section=str(meta.get("section", "")),
        clauses=tuple(parse_clause_list(str(meta.get("clauses", "")))),
        source=str(meta.get("source", "")),
        content_hash=str(meta.get("content_hash", "")),
        text=text,
        doc_hash=str(meta.get("doc_hash", "")),
        position=int(meta.get("position", 0)),
        kind=str(meta.get("kind", "passage")),
        question=str(meta.get("question", "")),
        editions=tuple(e for e in str(meta.get("editions", "")).split(",") if e),
        sentence_spans=str(meta.get("sentence_spans", "")),
        sentence_vectors=str(meta.get("sentence_vectors", "")),
    )


class Store:
    """The index: a Chroma collection, its manifest, and the lock writers take."""

    def __init__(self, settings: Settings, embeddings: LocalEmbeddings | None = None) -> None:
        self.settings = settings
        self.embeddings = embeddings or LocalEmbeddings(
            settings.embedding.model_path, settings.embedding.batch_size
        )
        self._vectorstore: Chroma | None = None
        self._client: Any = None
        self._state: ServedState | None = None
        # (generation, served chunks, their ids): rebuilt when the generation changes
        self._chunk_cache: tuple[str, list[Chunk], frozenset[str]] | None = None
        self._saved: dict[str, DocRecord] | None = None  # the records as last written

    # -- locations -------------------------------------------------------------------------
    @property
    def is_server(self) -> bool:
        return self.settings.store.host is not None

    @property
    def manifest_path(self) -> Path:
        """Where the manifest was kept before it moved into the store (imported once)."""
        where = (
            f"{self.settings.store.host}_{self.settings.store.port}" if self.is_server else "local"
        )
        return self.settings.data_dir / f"manifest-{where}-{self.settings.store.collection}.json"

    @property
    def lock_path(self) -> Path:
        return self.settings.data_dir / "index.lock"

    def describe(self) -> str:
        if self.is_server:
            return f"Chroma server {self.settings.store.host}:{self.settings.store.port}"
        return f"embedded Chroma at {self.settings.chroma_dir}"

    # -- chroma ----------------------------------------------------------------------------
    @property
    def vectorstore(self) -> Chroma:
        if self._vectorstore is None:
            self._vectorstore = self._open()
        return self._vectorstore

    def _open(self) -> Chroma:
        cfg = self.settings.store
        try:
            if self.is_server:
                import chromadb

                client = chromadb.HttpClient(host=str(cfg.host), port=cfg.port)
                client.heartbeat()
            else:
                import chromadb

                self.settings.chroma_dir.mkdir(parents=True, exist_ok=True)
                client = chromadb.PersistentClient(path=str(self.settings.chroma_dir))
            self._client = client
            return Chroma(
                collection_name=cfg.collection,
                embedding_function=self.embeddings,
                client=client,
                collection_metadata={"hnsw:space": "cosine"},
            )
        except Exception as exc:  # chromadb raises many types; the user needs one message
            raise StoreUnavailableError(
                f"Could not open the vector store ({self.describe()}): {exc}. "
                + (
                    "Check that `chroma run` is serving on that host and port."
                    if self.is_server
                    else "Check that the data directory is writable, or delete it to rebuild."
                )
            ) from exc

    # -- manifest (in the store) and lock -----------------------------------------------------
    @property
    def state(self) -> ServedState:
        """The manifest's records in the store (opened with the store)."""
        if self._state is None:
            self.vectorstore  # noqa: B018 (opens the client)
            self._state = ServedState(self._client, self.settings.store, self.describe())
        return self._state

    def generation(self) -> str:
        """Changes whenever the served state changes (on any machine); "" before any index."""
        return self.state.generation()

    def manifest(self) -> Manifest:
        """The served state, as stored in the index (a copy the caller may change)."""
        return self.state.manifest()

    @contextmanager
    def write_lock(self) -> Iterator[None]:
        """Exclusive right to change the index; a clear error if another process has it."""
        self.settings.data_dir.mkdir(parents=True, exist_ok=True)
        lock = FileLock(str(self.lock_path))
        try:
            lock.acquire(timeout=self.settings.store.lock_timeout)
        except Timeout as exc:
            raise StoreLockedError(
                f"The index at {self.settings.data_dir} is locked by another isoguide process "
                f"(lock file {self.lock_path}). Wait for that indexing run to finish and try again."
            ) from exc
        try:
            if self.is_server:
                self.state.take_lease()
            try:
                self.state.forget_generation()
                self._saved = self.manifest().documents
                self._import_legacy_manifest()
                yield
            finally:
                self._saved = None
                if self.is_server:
                    self.state.drop_lease()
        finally:
            lock.release()

    def _import_legacy_manifest(self) -> None:
        """An index built before the manifest moved into the store: adopt its JSON file once."""
        if self._saved or not self.manifest_path.exists():
            return
        legacy = Manifest.load(self.manifest_path)
        if legacy.documents:
            self.save_manifest(legacy)
        self.manifest_path.rename(self.manifest_path.with_suffix(".json.imported"))

    # -- reading ---------------------------------------------------------------------------
    def is_empty(self) -> bool:
        return self.state.n_documents() == 0

    def all_chunks(self) -> list[Chunk]:
        """Every served chunk: complete documents at their manifest version."""
        return self._served()[0]

    def _served(self) -> tuple[list[Chunk], frozenset[str]]:
        """Served chunks and their ids, cached until the generation changes.

        The generation is read first and the chunks last, so a switch made meanwhile shows as
        a document with missing chunks (left out until the next reload), never as half a one.
        """
        generation = self.generation()
        if self._chunk_cache is not None and self._chunk_cache[0] == generation:
            return self._chunk_cache[1], self._chunk_cache[2]
        manifest = self.manifest()
        raw = get_all(self.vectorstore._collection, ["documents", "metadatas"])
        chunks = [
            chunk_from_record(cid, text or "", meta or {})
            for cid, text, meta in zip(raw["ids"], raw["documents"], raw["metadatas"], strict=True)
        ]
        current = [c for c in chunks if self._is_current(c, manifest)]
        counts = Counter(c.doc_id for c in current)
        served = [c for c in current if counts[c.doc_id] == manifest.documents[c.doc_id].n_chunks]
        served.sort(key=lambda c: (c.doc_id, c.position))
        ids = frozenset(c.chunk_id for c in served)
        self._chunk_cache = (generation, served, ids)
        return served, ids

    @staticmethod
    def _is_current(chunk: Chunk, manifest: Manifest) -> bool:
        record = manifest.documents.get(chunk.doc_id)
        return record is not None and record.doc_hash == chunk.doc_hash

    def dense_search(self, query: str, k: int) -> list[tuple[Chunk, float]]:
        """Chunks most similar to ``query`` with cosine similarity, served chunks only."""
        return self.dense_search_by_vector(self.embeddings.encode([query])[0], k)

    def dense_search_by_vector(self, vector: np.ndarray, k: int) -> list[tuple[Chunk, float]]:
        """Chunks most similar to a unit query vector, served chunks only."""
        _, served = self._served()
        if not served:
            return []
        raw = self.vectorstore._collection.query(
            query_embeddings=[vector.tolist()],
            n_results=min(k, max(self.count(), 1)),
            include=["documents", "metadatas", "distances"],  # type: ignore[list-item]
        )
        rows = zip(
            raw["ids"][0],
            (raw["documents"] or [[]])[0],
            (raw["metadatas"] or [[]])[0],
            (raw["distances"] or [[]])[0],
            strict=True,
        )
        return [
            (chunk_from_record(cid, text or "", dict(meta or {})), 1.0 - float(distance))
            for cid, text, meta, distance in rows
            if cid in served
        ]

    def count(self) -> int:
        return int(self.vectorstore._collection.count())

    # -- writing (callers hold write_lock) -------------------------------------------------
    def add_chunks(self, chunks: list[Chunk], vectors: list[list[float]]) -> None:
        if not chunks:
            return
        self.state.renew_lease()
        self.vectorstore._collection.upsert(
            ids=[c.chunk_id for c in chunks],
            embeddings=vectors,  # type: ignore[arg-type]
            documents=[c.text for c in chunks],
            metadatas=[chunk_to_metadata(c) for c in chunks],
        )

    def chunk_ids_for(self, doc_id: str) -> dict[str, str]:
        """``chunk_id -> doc_hash`` for every stored chunk of a document, served or not."""
        raw = self.vectorstore.get(where={"doc_id": doc_id}, include=["metadatas"])
        return {
            cid: str((m or {}).get("doc_hash", ""))
            for cid, m in zip(raw["ids"], raw["metadatas"], strict=True)
        }

    def all_ids(self) -> dict[str, tuple[str, str]]:
        """``chunk_id -> (doc_id, doc_hash)`` for the whole collection."""
        raw = get_all(self.vectorstore._collection, ["metadatas"])
        return {
            cid: (str((m or {}).get("doc_id", "")), str((m or {}).get("doc_hash", "")))
            for cid, m in zip(raw["ids"], raw["metadatas"], strict=True)
        }

    def delete_ids(self, ids: list[str]) -> None:
        if ids:
            self._chunk_cache = None
            self.vectorstore.delete(ids=ids)

    def save_manifest(self, manifest: Manifest) -> None:
        """Switch the served state to ``manifest`` (callers hold write_lock): only the document
        records that changed are written, then a new generation tells every reader to reload."""
        manifest.last_indexed = datetime.now(UTC).isoformat(timespec="seconds")
        saved = self._saved if self._saved is not None else self.manifest().documents
        self.state.save(manifest, saved)
        self._saved = {k: replace(r) for k, r in manifest.documents.items()}
        self._chunk_cache = None


def chunk_from_document(doc: Document) -> Chunk:
    return chunk_from_record(str(doc.id or ""), doc.page_content, dict(doc.metadata))
