"""isoguide.history: conversations per user in SQLite; reopened after a restart, private to
their user, deletable by them; feedback records who rated."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from isoguide.errors import IsoguideError
from isoguide.feedback import FeedbackStore
from isoguide.history import HistoryStore, answer_from_json, answer_to_json
from isoguide.models import Answer, Chunk, Citation
from isoguide.settings import Settings

SEE_ALSO = Chunk("c#1", "c", "Calibration", "Intervals", ("7.1.5",), "c.md", "h", "text")


def _answer(question: str = "What is PDCA?", abstained: bool = False) -> Answer:
    cite = Citation(1, "pdca#0", "pdca", "The PDCA cycle", "Plan", ["4.4"], "PDCA is ...", "full")
    return Answer(
        question,
        "PDCA stands for Plan, Do, Check, Act. [1]",
        abstained,
        "extractive",
        [cite],
        unsupported=["An invented sentence."],
        see_also=[SEE_ALSO],
        notice="a notice",
    )


def test_answer_round_trips_without_its_hits() -> None:
    answer = _answer()
    again = answer_from_json(answer_to_json(answer))
    assert again == answer  # hits are empty on both
    assert again.see_also[0].clauses == ("7.1.5",)


def test_conversations_survive_a_restart_and_stay_private(tmp_path: Path) -> None:
    history = HistoryStore.from_settings(Settings(data_dir=tmp_path / "d"))
    assert history.conversations("ann") == [] and not history.path.exists()
    cid = history.new_conversation("ann", "  What is   PDCA? " + "x" * 200)
    history.add_message("ann", cid, "m1", "user", "What is PDCA?")
    history.add_message("ann", cid, "m2", "assistant", "PDCA ...", _answer())
    history.add_message("ann", cid, "m3", "user", "and 9.3?")
    history.add_message("ann", cid, "m4", "assistant", "The LLM failed", error=True)
    bob = history.new_conversation("bob", "Bob's question")

    restarted = HistoryStore(history.path)  # a new process opens the same file
    (summary,) = restarted.conversations("ann")
    assert summary.id == cid and summary.n_messages == 4
    assert summary.title.startswith("What is PDCA? x") and len(summary.title) == 80
    stored = restarted.messages("ann", cid)
    assert [(m.id, m.role, m.error) for m in stored] == [
        ("m1", "user", False),
        ("m2", "assistant", False),
        ("m3", "user", False),
        ("m4", "assistant", True),
    ]
    assert stored[1].answer == _answer() and stored[3].answer is None

    assert restarted.messages("bob", cid) == [], "nobody else's history is visible"
    assert [c.id for c in restarted.conversations("bob")] == [bob]
    with pytest.raises(IsoguideError, match="does not exist"):
        restarted.add_message("bob", cid, "m5", "user", "sneaking into Ann's conversation")
    assert not restarted.delete_conversation("bob", cid)


def test_a_user_deletes_only_their_own_history(tmp_path: Path) -> None:
    history = HistoryStore(tmp_path / "h.sqlite3")
    for user in ("ann", "ann", "bob"):
        cid = history.new_conversation(user, "q")
        history.add_message(user, cid, f"{user}-{cid}", "assistant", "a", _answer())
    assert history.delete_user_history("ann") == 2
    assert history.conversations("ann") == []
    assert len(history.conversations("bob")) == 1
    with sqlite3.connect(history.path) as conn:
        users = {u for (u,) in conn.execute("SELECT user_id FROM messages")}
    assert users == {"bob"}, "the messages went with the conversations"
    assert [a.user_id for a in history.answers()] == ["bob"]


def test_feedback_records_who_and_upgrades_an_old_database(tmp_path: Path) -> None:
    path = tmp_path / "fb.sqlite3"
    with sqlite3.connect(path) as conn:  # the table as it was before ratings had a user
        conn.execute(
            """CREATE TABLE feedback (id INTEGER PRIMARY KEY AUTOINCREMENT,
               answer_id TEXT NOT NULL UNIQUE, created_at TEXT NOT NULL,
               updated_at TEXT NOT NULL, question TEXT NOT NULL, answer TEXT NOT NULL,
               citations TEXT NOT NULL, provider TEXT NOT NULL, abstained INTEGER NOT NULL,
               rating TEXT NOT NULL CHECK (rating IN ('up', 'down')))"""
        )
        conn.execute(
            "INSERT INTO feedback VALUES (1, 'old', 't', 't', 'q', 'a', '[]', 'extractive', 0, 'up')"
        )
    store = FeedbackStore(path)
    store.record("a1", _answer(), "down", user_id="ann@example.com")
    by_id = {r.answer_id: r for r in store.records()}
    assert by_id["old"].user_id == "local"
    assert by_id["a1"].user_id == "ann@example.com" and by_id["a1"].rating == "down"
    assert [r.answer_id for r in store.records(rating="down")] == ["a1"]
