"""Thumbs up/down on answers, kept in SQLite under the data directory for a maintainer to review,
with who gave each rating (the signed-in user's id, or ``local`` when sign-in is off)."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal

from .errors import IsoguideError
from .models import Answer
from .settings import Settings

Rating = Literal["up", "down"]
RATINGS: tuple[Rating, ...] = ("up", "down")
FILE_NAME = "feedback.sqlite3"

_SCHEMA = """
CREATE TABLE IF NOT EXISTS feedback (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    answer_id  TEXT NOT NULL UNIQUE,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    question   TEXT NOT NULL,
    answer     TEXT NOT NULL,
    citations  TEXT NOT NULL,
    provider   TEXT NOT NULL,
    abstained  INTEGER NOT NULL,
    rating     TEXT NOT NULL CHECK (rating IN ('up', 'down')),
    user_id    TEXT NOT NULL DEFAULT 'local'
)
"""
# Databases written before ratings recorded who gave them get the column on first use.
_ADD_USER = "ALTER TABLE feedback ADD COLUMN user_id TEXT NOT NULL DEFAULT 'local'"
LOCAL_USER = "local"


@dataclass
class FeedbackRecord:
    id: int
    answer_id: str
    created_at: str
    updated_at: str
    question: str
    answer: str
    citations: list[dict[str, Any]]
    provider: str
    abstained: bool
    rating: Rating
    user_id: str = LOCAL_USER


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


class FeedbackStore:
    """One rating per answer (a second click changes it); a connection per call, so any
    Streamlit thread may use it."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)

    @classmethod
    def from_settings(cls, settings: Settings) -> FeedbackStore:
        return cls(settings.data_dir / FILE_NAME)

    @contextmanager
    def _connect(self) -> Iterator[sqlite3.Connection]:
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            with closing(sqlite3.connect(self.path, timeout=5.0)) as conn:
                conn.execute(_SCHEMA)
                columns = {row[1] for row in conn.execute("PRAGMA table_info(feedback)")}
                if "user_id" not in columns:
                    conn.execute(_ADD_USER)
                with conn:  # one transaction: committed on success, rolled back on error
                    yield conn
        except (sqlite3.Error, OSError) as exc:
            raise IsoguideError(
                f"Could not use the feedback database {self.path}: {exc}. "
                "Check that the data directory is writable."
            ) from exc

    def record(
        self, answer_id: str, answer: Answer, rating: Rating, user_id: str = LOCAL_USER
    ) -> None:
        """Store (or change) ``user_id``'s rating of one answer."""
        if rating not in RATINGS:
            raise ValueError(f"rating must be one of {RATINGS}, not {rating!r}")
        now = _now()
        citations = json.dumps([c.to_json() for c in answer.citations], ensure_ascii=False)
        with self._connect() as conn:
            conn.execute(
                """INSERT INTO feedback (answer_id, created_at, updated_at, question, answer,
                                         citations, provider, abstained, rating, user_id)
                   VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                   ON CONFLICT(answer_id) DO UPDATE SET rating = excluded.rating,
                                                        updated_at = excluded.updated_at,
                                                        user_id = excluded.user_id""",
                (
                    answer_id,
                    now,
                    now,
                    answer.question,
                    answer.answer,
                    citations,
                    answer.provider,
                    int(answer.abstained),
                    rating,
                    user_id,
                ),
            )

    def clear(self, answer_id: str) -> None:
        """Forget the rating of one answer (the user un-clicked it)."""
        with self._connect() as conn:
            conn.execute("DELETE FROM feedback WHERE answer_id = ?", (answer_id,))

    def records(self, limit: int = 200, rating: Rating | None = None) -> list[FeedbackRecord]:
        """The most recently rated answers first (only those rated ``rating``, when given)."""
        if not self.path.exists():
            return []
        with self._connect() as conn:
            rows = conn.execute(
                """SELECT id, answer_id, created_at, updated_at, question, answer, citations,
                          provider, abstained, rating, user_id
                   FROM feedback WHERE ? IS NULL OR rating = ?
                   ORDER BY updated_at DESC, id DESC LIMIT ?""",
                (rating, rating, limit),
            ).fetchall()
        return [
            FeedbackRecord(
                r[0], r[1], r[2], r[3], r[4], r[5], json.loads(r[6]), r[7], bool(r[8]), r[9], r[10]
            )
            for r in rows
        ]

    def counts(self) -> dict[str, int]:
        """``{"up": n, "down": m}`` over all stored ratings."""
        out: dict[str, int] = dict.fromkeys(RATINGS, 0)
        if not self.path.exists():
            return out
        with self._connect() as conn:
            for rating, n in conn.execute("SELECT rating, COUNT(*) FROM feedback GROUP BY rating"):
                out[rating] = n
        return out
