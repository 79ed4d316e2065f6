"""isoguide.analytics over real stored conversations (SQLite) and the real embedding model."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from isoguide.analytics import build_report, gap_rows, group_gaps, to_csv, week_of
from isoguide.embeddings import LocalEmbeddings
from isoguide.feedback import FeedbackStore
from isoguide.history import HistoryStore, StoredAnswer
from isoguide.models import NOT_COVERED, Answer, Citation


def _cite(title: str, clauses: list[str]) -> Citation:
    return Citation(1, f"{title}#0", title, title, "Section", clauses, "quote")


def _stored(question: str, at: str, cite: Citation | None = None) -> StoredAnswer:
    declined = cite is None
    answer = Answer(
        question,
        NOT_COVERED if declined else "An answer. [1]",
        declined,
        "extractive",
        [] if declined else [cite],
    )
    return StoredAnswer(question, "ann", at, answer)


def test_week_of_is_the_monday() -> None:
    assert week_of("2026-11-26T10:00:00+00:00") == "2026-11-23"  # a Thursday
    assert week_of("2026-11-23T00:00:00+00:00") == "2026-11-23"


def test_declined_questions_group_by_meaning(embeddings: LocalEmbeddings) -> None:
    declined = [
        _stored(q, f"2026-11-2{i}T09:00:00+00:00")
        for i, q in enumerate(
            [
                "How do we get ISO 14001 environmental certification?",
                "What is the best recipe for chocolate cake?",
                "What does ISO 14001 require for environmental management?",
                "How long to bake a chocolate cake?",
                "Environmental management system ISO 14001 requirements",
            ]
        )
    ]
    gaps = group_gaps(declined, embeddings.encode)
    assert [g.count for g in gaps] == [3, 2], [g.questions for g in gaps]
    assert all("14001" in q for q in gaps[0].questions)
    assert all("cake" in q for q in gaps[1].questions)
    assert gaps[0].last_asked == "2026-11-24T09:00:00+00:00"
    # Without a model only identical word sets group.
    plain = group_gaps(
        declined + [_stored("how long to bake a chocolate cake", "2026-11-29")], None
    )
    assert sorted(g.count for g in plain) == [1, 1, 1, 1, 2]


def test_report_from_stored_conversations_and_csv(tmp_path: Path, embeddings) -> None:  # type: ignore[no-untyped-def]
    history = HistoryStore(tmp_path / "h.sqlite3")
    feedback = FeedbackStore(tmp_path / "f.sqlite3")
    asked = [
        ("What is clause 9.3 about?", _cite("Management review", ["9.3"])),
        ("What are the inputs to a management review?", _cite("Management review", ["9.3.2"])),
        ("How should we calibrate gauges?", _cite("Calibration", ["7.1.5"])),
        ("Chocolate cake recipe?", None),
    ]
    cid = history.new_conversation("ann", "q")
    for i, (question, cite) in enumerate(asked):
        item = _stored(question, "", cite)
        history.add_message("ann", cid, f"m{i}", "assistant", item.answer.answer, item.answer)
    feedback.record("m2", _stored(*asked[2]).answer, "down", user_id="bob@example.com")
    feedback.record("m1", _stored(*asked[1]).answer, "up", user_id="ann@example.com")

    report = build_report(history.answers(), feedback.records(rating="down"), embeddings.encode)
    assert (report.n_questions, report.n_declined, report.n_thumbs_down) == (4, 1, 1)
    (week,) = report.per_week  # all asked just now
    assert (week["answered"], week["declined"]) == (3, 1)
    clauses = {row["clause"]: row["questions"] for row in report.by_clause}
    assert clauses["9.3 Management review"] == 1  # named in the question itself
    assert any(k.startswith("9.3.2") for k in clauses) and any(
        k.startswith("7.1.5") for k in clauses
    )
    assert report.topics[0] == {"topic": "Management review", "questions": 2}
    assert [g.question for g in report.gaps] == ["Chocolate cake recipe?"]
    assert report.thumbs_down[0].user_id == "bob@example.com"

    rows = list(csv.DictReader(io.StringIO(to_csv(report.rows).decode("utf-8-sig"))))
    assert [r["question"] for r in rows] == [q for q, _ in asked]
    assert [r["declined"] for r in rows] == ["False", "False", "False", "True"]
    gaps = list(csv.DictReader(io.StringIO(to_csv(gap_rows(report.gaps)).decode("utf-8-sig"))))
    assert gaps[0]["times_asked"] == "1"


def test_weeks_without_questions_are_zero() -> None:
    items = [
        _stored("a?", "2026-11-02T10:00:00+00:00", _cite("A", [])),
        _stored("b?", "2026-11-20T10:00:00+00:00"),
    ]
    report = build_report(items)
    assert [(w["week"], w["answered"], w["declined"]) for w in report.per_week] == [
        ("2026-11-02", 1, 0),
        ("2026-11-09", 0, 0),
        ("2026-11-16", 0, 1),
    ]
