"""The index manifest: which version of each document is served, kept in the store itself.

One record per document (``doc_hash``, ``n_chunks``, ``source``, ``title``, ``indexed_at``) in
the ``<collection>__documents`` collection, and in ``<collection>__control`` a generation token
that changes with every switch, plus, on a server, the lease a writer holds. Any number of app
servers and one ingest process on other machines share them through one ``chroma run`` server.
Before it moved here the manifest was a JSON file in the data directory; :class:`Manifest` still
reads that file, once, to adopt an old index without embedding it again.
"""

from __future__ import annotations

import json
import os
import socket
import tempfile
import time
import uuid
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from .errors import StoreLockedError, StoreUnavailableError
from .settings import StoreSettings

MANIFEST_VERSION = 1
#: Records of the state collections carry their data in metadata; the vector means nothing.
_PLACEHOLDER = [1.0]
_STATE_ID = "state"
_LEASE_ID = "writer"
#: Rows per request: Chroma's SQLite refuses a get of ~30,000+ ids at once.
PAGE = 5000
#: How long a reader trusts the generation it read before asking the store again.
GENERATION_TTL = 1.0


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


def get_all(collection: Any, include: list[str]) -> dict[str, list[Any]]:
    """Every record of a Chroma collection, read in pages (one get of 100,000 rows fails)."""
    out: dict[str, list[Any]] = {"ids": [], **{k: [] for k in include}}
    offset = 0
    while True:
        raw = collection.get(include=include, limit=PAGE, offset=offset)
        for key in out:
            out[key].extend(raw[key] or [])
        if len(raw["ids"]) < PAGE:
            return out
        offset += PAGE


class ServedState:
    """The manifest's collections in one Chroma client, with a short-lived generation cache."""

    def __init__(self, client: Any, settings: StoreSettings, where: str) -> None:
        self.settings = settings
        self.where = where
        try:
            self.documents = client.get_or_create_collection(
                f"{settings.collection}__documents", embedding_function=None
            )
            self.control = client.get_or_create_collection(
                f"{settings.collection}__control", embedding_function=None
            )
        except Exception as exc:  # chromadb raises many types; the user needs one message
            raise StoreUnavailableError(
                f"Could not open the index state in {where}: {exc}"
            ) from exc
        self._generation: tuple[float, str] | None = None  # (read at, value)
        self._manifest: tuple[str, Manifest] | None = None
        self._lease: str | None = None

    def _control_record(self, record_id: str) -> dict[str, Any] | None:
        raw = self.control.get(ids=[record_id], include=["metadatas"])
        return dict(raw["metadatas"][0] or {}) if raw["ids"] else None

    def forget_generation(self) -> None:
        self._generation = None

    def generation(self) -> str:
        now = time.monotonic()
        if self._generation is not None and now - self._generation[0] < GENERATION_TTL:
            return self._generation[1]
        state = self._control_record(_STATE_ID)
        value = str(state.get("generation", "")) if state else ""
        self._generation = (now, value)
        return value

    def n_documents(self) -> int:
        return int(self.documents.count())

    def manifest(self) -> Manifest:
        """The stored manifest (a copy the caller may change), reloaded when it changed."""
        generation = self.generation()
        if self._manifest is None or self._manifest[0] != generation:
            raw = get_all(self.documents, ["metadatas"])
            documents = {
                doc_id: DocRecord(
                    doc_hash=str(m["doc_hash"]),
                    n_chunks=int(m["n_chunks"]),
                    source=str(m.get("source", "")),
                    title=str(m.get("title", "")),
                    indexed_at=str(m.get("indexed_at", "")),
                )
                for doc_id, m in zip(raw["ids"], raw["metadatas"], strict=True)
                if m
            }
            state = self._control_record(_STATE_ID) or {}
            last = state.get("last_indexed")
            self._manifest = (generation, Manifest(documents, str(last) if last else None))
        cached = self._manifest[1]
        return Manifest({k: replace(r) for k, r in cached.documents.items()}, cached.last_indexed)

    def save(self, manifest: Manifest, saved: dict[str, DocRecord]) -> None:
        """Write the records that differ from ``saved`` (each document's switch is one record),
        drop the ones gone, then a new generation."""
        changed = [(k, r) for k, r in manifest.documents.items() if saved.get(k) != r]
        removed = [k for k in saved if k not in manifest.documents]
        self.renew_lease()
        for start in range(0, len(changed), PAGE):
            batch = changed[start : start + PAGE]
            self.documents.upsert(
                ids=[k for k, _ in batch],
                embeddings=[_PLACEHOLDER] * len(batch),
                metadatas=[vars(r) for _, r in batch],
            )
        for start in range(0, len(removed), PAGE):
            self.documents.delete(ids=removed[start : start + PAGE])
        self.control.upsert(
            ids=[_STATE_ID],
            embeddings=[_PLACEHOLDER],
            metadatas=[{"generation": uuid.uuid4().hex, "last_indexed": manifest.last_indexed}],
        )
        self._generation = None

    def _lease_record(self, token: str) -> dict[str, Any]:
        return {
            "owner": token,
            "host": socket.gethostname(),
            "pid": os.getpid(),
            "expires": time.time() + self.settings.lease_seconds,
        }

    def take_lease(self) -> None:
        """Claim the shared server for writing: another machine's live claim makes this wait
        up to lock_timeout, then fail; a claim not renewed within lease_seconds (its writer
        crashed) lapses."""
        token = uuid.uuid4().hex
        control = self.control
        deadline = time.monotonic() + self.settings.lock_timeout
        while True:
            held = self._control_record(_LEASE_ID)
            if held and held.get("owner") != token and float(held.get("expires", 0)) > time.time():
                if time.monotonic() > deadline:
                    raise StoreLockedError(
                        f"The index on {self.where} is locked by another isoguide process "
                        f"(on {held.get('host')}, pid {held.get('pid')}). Wait for that indexing "
                        "run to finish and try again; a crashed run's lock lapses after "
                        f"{self.settings.lease_seconds:g} s."
                    )
                time.sleep(0.2)
                continue
            control.upsert(
                ids=[_LEASE_ID], embeddings=[_PLACEHOLDER], metadatas=[self._lease_record(token)]
            )
            time.sleep(0.05)  # a writer that raced us wrote last: check who holds it
            held = self._control_record(_LEASE_ID)
            if held and held.get("owner") == token:
                self._lease = token
                return

    def renew_lease(self) -> None:
        if self._lease is not None:
            self.control.upsert(
                ids=[_LEASE_ID],
                embeddings=[_PLACEHOLDER],
                metadatas=[self._lease_record(self._lease)],
            )

    def drop_lease(self) -> None:
        token, self._lease = self._lease, None
        held = self._control_record(_LEASE_ID)
        if token is not None and held and held.get("owner") == token:
            self.control.delete(ids=[_LEASE_ID])
