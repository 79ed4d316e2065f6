"""The real question set and its fixed tune/test split.

``real.jsonl`` holds questions real people asked in public (forums, certification-body FAQs,
practice exams), each with its ``source_url``. The split is a rule declared before any method
work, not a choice: an item goes to ``test`` when the SHA-1 of its id falls in the lower half,
so items added later land in a split without moving any other. Fit on ``tune``; report and
gate on ``test``.

    python -m isoguide.eval.split        # rewrite tune.jsonl and test.jsonl from real.jsonl
"""

from __future__ import annotations

import hashlib
import json
import sys
from pathlib import Path
from typing import Any

from . import DATA, TEST, TUNE

REAL = DATA / "real.jsonl"


def split_of(item_id: str) -> str:
    digest = int(hashlib.sha1(item_id.encode("utf-8")).hexdigest(), 16)
    return "test" if digest % 100 < 50 else "tune"


def read(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]


def write(path: Path, items: list[dict[str, Any]]) -> None:
    path.write_text(
        "".join(json.dumps(i, ensure_ascii=False) + "\n" for i in items), encoding="utf-8"
    )


def main() -> int:
    items = read(REAL)
    parts: dict[str, list[dict[str, Any]]] = {"tune": [], "test": []}
    for item in items:
        parts[split_of(item["id"])].append(item)
    write(TUNE, parts["tune"])
    write(TEST, parts["test"])
    for name, rows in parts.items():
        kinds: dict[str, int] = {}
        for r in rows:
            kinds[r["kind"]] = kinds.get(r["kind"], 0) + 1
        print(f"{name}: {len(rows)} items {kinds}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
