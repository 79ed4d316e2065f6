"""The vector store: Chroma behind LangChain's ``VectorStore`` interface, plus an index manifest.

Embedded Chroma (a folder under the data directory) and a ``chroma run`` server are the same
code path: only the client differs. The manifest records, per document, which version
(``doc_hash``) is complete in the store; only chunks of that version are ever served, so a run
killed half-way never serves a half-written or duplicated document.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
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
from .models import Chunk
from .settings import Settings

MANIFEST_VERSION = 1


@dataclass
class DocRecord:
    doc_hash: str
    n_chunks: int
    source: str
    title: str
    indexed_at: str


@dataclass
class Manifest:
    documents: dict[str, DocRecord] = field(default_factory=dict)
    last_indexed: str | None = None

    @classmethod
    def load(cls, path: Path) -> Manifest:
        if not path.exists():
            return cls()
        raw = json.loads(path.read_text(encoding="utf-8"))
        docs = {k: DocRecord(**v) for k, v in raw.get("documents", {}).items()}
        return cls(documents=docs, last_indexed=raw.get("last_indexed"))

    def save(self, path: Path) -> None:
        """Write atomically: a reader sees the old or the new manifest, never half of one."""
        path.parent.mkdir(parents=True, exist_ok=True)
        payload = {
            "version": MANIFEST_VERSION,
            "last_indexed": self.last_indexed,
            "documents": {k: vars(v) for k, v in sorted(self.documents.items())},
        }
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".manifest-", suffix=".tmp")
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            json.dump(payload, fh, indent=1)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)


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
        # (manifest text, served chunks, their ids): rebuilt when the manifest changes
        self._chunk_cache: tuple[str, list[Chunk], frozenset[str]] | None = None

    # -- locations -------------------------------------------------------------------------
    @property
    def is_server(self) -> bool:
        return self.settings.store.host is not None

    @property
    def manifest_path(self) -> Path:
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

    # -- manifest and lock -----------------------------------------------------------------
    def manifest(self) -> Manifest:
        return Manifest.load(self.manifest_path)

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
            yield
        finally:
            lock.release()

    # -- reading ---------------------------------------------------------------------------
    def is_empty(self) -> bool:
        return not self.manifest().documents

    def all_chunks(self) -> list[Chunk]:
        """Every served chunk: complete documents at their manifest version."""
        return self._served()[0]

    def _served(self) -> tuple[list[Chunk], frozenset[str]]:
        """Served chunks and their ids, cached until the manifest or the collection changes."""
        manifest_key = self.manifest_path.read_text("utf-8") if self.manifest_path.exists() else ""
        if self._chunk_cache is not None and self._chunk_cache[0] == manifest_key:
            return self._chunk_cache[1], self._chunk_cache[2]
        manifest = self.manifest()
        raw = self.vectorstore.get(include=["documents", "metadatas"])
        chunks = [
            chunk_from_record(cid, text or "", meta or {})
            for cid, text, meta in zip(raw["ids"], raw["documents"], raw["metadatas"], strict=True)
        ]
        current = [c for c in chunks if self._is_current(c, manifest)]
        counts = Counter(c.doc_id for c in current)
        served = [c for c in current if counts[c.doc_id] == manifest.documents[c.doc_id].n_chunks]
        served.sort(key=lambda c: (c.doc_id, c.position))
        ids = frozenset(c.chunk_id for c in served)
        self._chunk_cache = (manifest_key, served, ids)
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
        self._chunk_cache = None
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
        raw = self.vectorstore.get(include=["metadatas"])
        return {
            cid: (str((m or {}).get("doc_id", "")), str((m or {}).get("doc_hash", "")))
            for cid, m in zip(raw["ids"], raw["metadatas"], strict=True)
        }

    def delete_ids(self, ids: list[str]) -> None:
        if ids:
            self._chunk_cache = None
            self.vectorstore.delete(ids=ids)

    def save_manifest(self, manifest: Manifest) -> None:
        manifest.last_indexed = datetime.now(UTC).isoformat(timespec="seconds")
        manifest.save(self.manifest_path)
        self._chunk_cache = None


def chunk_from_document(doc: Document) -> Chunk:
    return chunk_from_record(str(doc.id or ""), doc.page_content, dict(doc.metadata))
