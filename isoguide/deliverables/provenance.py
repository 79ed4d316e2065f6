"""Where a deliverable's quotes come from: the version of the index they were read from, and
the edition of ISO 9001 each cited document is written against (its front-matter ``edition``)."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path

import yaml

from ..store import Store


def corpus_version(store: Store) -> str:
    """``2026-05-01 · 74 documents · 3f9a0c1b``: the last indexing date and a fingerprint of
    every served document version, so two exports from the same index carry the same label."""
    manifest = store.manifest()
    digest = hashlib.sha256(
        "\n".join(f"{k}:{v.doc_hash}" for k, v in sorted(manifest.documents.items())).encode()
    ).hexdigest()[:8]
    when = (manifest.last_indexed or "not indexed")[:10]
    return f"{when} · {len(manifest.documents)} documents · {digest}"


@lru_cache(maxsize=512)
def _front_matter_edition(path: str, mtime: float) -> str:
    text = Path(path).read_text(encoding="utf-8", errors="replace")
    if not text.startswith("---"):
        return ""
    end = text.find("\n---", 3)
    if end < 0:
        return ""
    try:
        meta = yaml.safe_load(text[3:end]) or {}
    except yaml.YAMLError:
        return ""
    return str(meta.get("edition") or "") if isinstance(meta, dict) else ""


def edition_of(source: str) -> str:
    """The ``edition`` a Markdown source declares, or "" (no file, no front matter)."""
    path = Path(source)
    if path.suffix.lower() not in (".md", ".markdown") or not path.is_file():
        return ""
    return _front_matter_edition(str(path), path.stat().st_mtime)


def editions(store: Store, doc_ids: Iterable[str]) -> dict[str, str]:
    """doc_id -> edition for the given documents (documents without one are left out)."""
    documents = store.manifest().documents
    out: dict[str, str] = {}
    for doc_id in dict.fromkeys(doc_ids):
        record = documents.get(doc_id)
        edition = edition_of(record.source) if record else ""
        if edition:
            out[doc_id] = edition
    return out
