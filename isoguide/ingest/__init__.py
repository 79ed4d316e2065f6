"""Writing the corpus into the index: load, clean, chunk, embed, upsert."""

from .pipeline import IngestReport, ensure_index, ingest

__all__ = ["IngestReport", "ensure_index", "ingest"]
