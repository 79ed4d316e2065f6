"""Checker accuracy on the multiple-choice items of a question set, by stem form.

    python -m isoguide.eval.quiz_eval tune      # fit on this split
    python -m isoguide.eval.quiz_eval test      # report (and gate) on this one

An item counts as right when the checker's chosen option(s) equal the key exactly. The key's
length is handed to the checker only as the number of options to choose, as the runner does.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from isoguide.assistant import Assistant
from isoguide.settings import Settings

from . import DATA
from .runner import load_questions

SPLITS = {"tune": DATA / "tune.jsonl", "test": DATA / "test.jsonl", "dev": DATA / "dev.jsonl"}


def quiz_items(path: Path) -> list[dict[str, Any]]:
    return [q for q in load_questions(path) if q["kind"] == "quiz"]


def check_items(assistant: Assistant, items: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    """One row per item: its form, the key, what the checker chose, and whether they agree."""
    from isoguide.quiz import check_quiz_item

    rows = []
    for item in items:
        check = check_quiz_item(assistant, item["question"], item["options"], item["answer"])
        key = item["answer"] if isinstance(item["answer"], list) else [item["answer"]]
        rows.append(
            {
                "id": item["id"],
                "form": item.get("form") or "plain",
                "question": item["question"],
                "key": key,
                "chosen": check.chosen,
                "right": sorted(check.chosen) == sorted(key),
                "verdict": check.verdict,
            }
        )
    return rows


def summary(rows: Sequence[dict[str, Any]]) -> dict[str, Any]:
    forms = Counter(r["form"] for r in rows)
    right = Counter(r["form"] for r in rows if r["right"])
    return {
        "items": len(rows),
        "accuracy": sum(r["right"] for r in rows) / len(rows) if rows else None,
        "by_form": {f: f"{right[f]}/{n}" for f, n in sorted(forms.items())},
        "errors": [
            {k: r[k] for k in ("id", "form", "question", "key", "chosen")}
            for r in rows
            if not r["right"]
        ],
    }


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("split", choices=sorted(SPLITS), help="which question set")
    parser.add_argument("--json", action="store_true", help="print every row as JSON")
    args = parser.parse_args(argv)
    rows = check_items(Assistant(Settings()), quiz_items(SPLITS[args.split]))
    result = summary(rows)
    if args.json:
        print(json.dumps({"summary": result, "rows": rows}, indent=2))
        return 0
    print(f"{args.split}: {result['items']} quiz items, accuracy {result['accuracy']:.3f}")
    print("by form: " + ", ".join(f"{f} {v}" for f, v in result["by_form"].items()))
    for e in result["errors"]:
        print(
            f"- {e['id']} [{e['form']}] {e['question'][:90]!r}\n    key {e['key']}\n    got {e['chosen']}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
