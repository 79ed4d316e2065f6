"""isoguide.feedback: one rating per answer in SQLite, with what a reviewer needs."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from isoguide.errors import IsoguideError
from isoguide.feedback import FeedbackStore
from isoguide.models import Answer, Citation
from isoguide.settings import Settings


def _answer(question: str = "What is PDCA?") -> Answer:
    cite = Citation(
        1,
        "pdca#0",
        "pdca-cycle",
        "The PDCA cycle",
        "Plan",
        ["4.4"],
        "PDCA stands for Plan, Do, Check, Act.",
        "full text",
    )
    return Answer(
        question, "PDCA stands for Plan, Do, Check, Act. [1]", False, "extractive", [cite]
    )


def test_store_lives_in_the_data_dir(tmp_path: Path) -> None:
    store = FeedbackStore.from_settings(Settings(data_dir=tmp_path / "d"))
    assert store.path == tmp_path / "d" / "feedback.sqlite3"
    assert store.records() == [] and store.counts() == {"up": 0, "down": 0}
    assert not store.path.exists()  # reading creates nothing


def test_record_change_and_clear(tmp_path: Path) -> None:
    store = FeedbackStore(tmp_path / "fb.sqlite3")
    store.record("a1", _answer(), "down")
    store.record("a1", _answer(), "up")  # changed mind: still one row
    store.record("a2", _answer("What is 9.3?"), "down")
    records = store.records()
    assert [(r.answer_id, r.rating) for r in records] == [("a2", "down"), ("a1", "up")]
    first = next(r for r in records if r.answer_id == "a1")
    assert first.question == "What is PDCA?" and first.provider == "extractive"
    assert first.answer.startswith("PDCA stands for")
    assert first.citations == [_answer().citations[0].to_json()]
    assert first.created_at <= first.updated_at
    assert store.counts() == {"up": 1, "down": 1}
    store.clear("a1")
    assert [r.answer_id for r in store.records()] == ["a2"]
    with sqlite3.connect(store.path) as conn:
        (citations,) = conn.execute("SELECT citations FROM feedback").fetchone()
    assert json.loads(citations)[0]["title"] == "The PDCA cycle"


def test_bad_rating_and_unwritable_path(tmp_path: Path) -> None:
    store = FeedbackStore(tmp_path / "fb.sqlite3")
    with pytest.raises(ValueError):
        store.record("a1", _answer(), "meh")  # type: ignore[arg-type]
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    with pytest.raises(IsoguideError, match="feedback database"):
        FeedbackStore(blocker / "fb.sqlite3").record("a1", _answer(), "up")
