"""What the ``draft``, ``checklist`` and ``quiz`` commands write: the bytes or text for each
format, and writing them to a file (binary formats only to a file, never to a terminal)."""

from __future__ import annotations

import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from .assistant import Assistant
from .checklist import Checklist, checklist_markdown
from .checklist_export import checklist_docx, checklist_xlsx
from .deliverables.handouts import quiz_deliverable
from .deliverables.provenance import corpus_version
from .docx_export import deliverable_docx
from .draft import Draft
from .errors import IsoguideError

BINARY = ("docx", "xlsx")


def write_output(output: str | None, data: bytes | str, fmt: str) -> int:
    """Write to ``output`` (or print text); a binary format without a file is a usage error."""
    if output is None:
        if isinstance(data, bytes):
            raise IsoguideError(f"--format {fmt} writes a file: add --output FILE.{fmt}")
        sys.stdout.write(data if data.endswith("\n") else data + "\n")
        return 0
    path = Path(output)
    if path.is_dir():
        raise IsoguideError(f"{output} is a folder: give a file name such as {output}/out.{fmt}")
    if not path.parent.exists():
        raise IsoguideError(f"The folder {path.parent} does not exist: create it or pick another.")
    if isinstance(data, bytes):
        path.write_bytes(data)
    else:
        path.write_text(data, encoding="utf-8")
    print(f"wrote {path} ({path.stat().st_size:,} bytes)", file=sys.stderr)
    return 0


def _json(data: Any) -> str:
    return json.dumps(data, indent=2, ensure_ascii=False)


def draft_output(draft: Draft, fmt: str) -> bytes | str:
    if fmt == "docx":
        assert draft.document is not None
        return deliverable_docx(draft.document)
    if fmt == "json":
        return _json(draft.to_json())
    return draft.markdown


def checklist_output(checklist: Checklist, fmt: str) -> bytes | str:
    if fmt == "docx":
        return checklist_docx(checklist)
    if fmt == "xlsx":
        return checklist_xlsx(checklist)
    if fmt == "json":
        return _json(checklist.to_json())
    return checklist_markdown(checklist)


def quiz_docx_bytes(assistant: Assistant, items: Sequence[Any], title: str) -> bytes:
    return deliverable_docx(quiz_deliverable(items, title, corpus_version(assistant.store)))
