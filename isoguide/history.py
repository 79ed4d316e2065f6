"""Conversations kept per user in SQLite under the data directory, to reopen after a restart.

Every read and delete names the user, so one user's history is never handed to another. The
analytics (``isoguide.analytics``) read the stored answers through :meth:`HistoryStore.answers`.
"""

from __future__ import annotations

import json
import sqlite3
import uuid
from collections.abc import Iterator
from contextlib import closing, contextmanager
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from .errors import IsoguideError
from .models import Answer, Chunk, Citation
from .settings import Settings

FILE_NAME = "history.sqlite3"
TITLE_CHARS = 80

_SCHEMA = (
    """CREATE TABLE IF NOT EXISTS conversations (
        id         TEXT PRIMARY KEY,
        user_id    TEXT NOT NULL,
        title      TEXT NOT NULL,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
    )""",
    "CREATE INDEX IF NOT EXISTS conversations_user ON conversations (user_id, updated_at)",
    """CREATE TABLE IF NOT EXISTS messages (
        id              TEXT PRIMARY KEY,
        conversation_id TEXT NOT NULL REFERENCES conversations (id) ON DELETE CASCADE,
        user_id         TEXT NOT NULL,
        seq             INTEGER NOT NULL,
        role            TEXT NOT NULL CHECK (role IN ('user', 'assistant')),
        content         TEXT NOT NULL,
        answer          TEXT,
        error           INTEGER NOT NULL DEFAULT 0,
        created_at      TEXT NOT NULL
    )""",
    "CREATE INDEX IF NOT EXISTS messages_conversation ON messages (conversation_id, seq)",
)


@dataclass(frozen=True)
class ConversationSummary:
    id: str
    title: str
    created_at: str
    updated_at: str
    n_messages: int


@dataclass(frozen=True)
class StoredMessage:
    id: str
    role: str
    content: str
    answer: Answer | None
    error: bool
    created_at: str


@dataclass(frozen=True)
class StoredAnswer:
    """One answered question, for the analytics."""

    message_id: str
    user_id: str
    created_at: str
    answer: Answer


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def answer_to_json(answer: Answer) -> str:
    """Everything needed to show the answer again (the search hits are left out)."""
    data = asdict(answer)
    data.pop("hits", None)
    for chunk in data.get("see_also", []):
        chunk.pop("sentence_vectors", None)  # large, and only answering reads them
    return json.dumps(data, ensure_ascii=False)


def answer_from_json(text: str) -> Answer:
    data: dict[str, Any] = json.loads(text)
    data.pop("hits", None)
    data["citations"] = [Citation(**c) for c in data.get("citations", [])]
    data["see_also"] = [
        Chunk(**{**c, **{k: tuple(v) for k, v in c.items() if isinstance(v, list)}})
        for c in data.get("see_also", [])
    ]
    return Answer(**data)


class HistoryStore:
    """A connection per call, so any Streamlit thread may use it."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)

    @classmethod
    def from_settings(cls, settings: Settings) -> HistoryStore:
        return cls(settings.data_dir / FILE_NAME)

    @contextmanager
    def _connect(self) -> Iterator[sqlite3.Connection]:
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            with closing(sqlite3.connect(self.path, timeout=5.0)) as conn:
                conn.execute("PRAGMA foreign_keys = ON")
                for statement in _SCHEMA:
                    conn.execute(statement)
                with conn:  # one transaction: committed on success, rolled back on error
                    yield conn
        except (sqlite3.Error, OSError) as exc:
            raise IsoguideError(
                f"Could not use the history database {self.path}: {exc}. "
                "Check that the data directory is writable."
            ) from exc

    def new_conversation(self, user_id: str, title: str) -> str:
        conversation_id = uuid.uuid4().hex
        now = _now()
        title = " ".join(title.split())
        if len(title) > TITLE_CHARS:
            title = title[: TITLE_CHARS - 1].rstrip() + "…"
        with self._connect() as conn:
            conn.execute(
                "INSERT INTO conversations VALUES (?, ?, ?, ?, ?)",
                (conversation_id, user_id, title or "Conversation", now, now),
            )
        return conversation_id

    def add_message(
        self,
        user_id: str,
        conversation_id: str,
        message_id: str,
        role: str,
        content: str,
        answer: Answer | None = None,
        error: bool = False,
    ) -> None:
        """Append one message to one of ``user_id``'s conversations."""
        now = _now()
        with self._connect() as conn:
            owned = conn.execute(
                "SELECT 1 FROM conversations WHERE id = ? AND user_id = ?",
                (conversation_id, user_id),
            ).fetchone()
            if not owned:
                raise IsoguideError("That conversation does not exist (it may have been deleted).")
            (seq,) = conn.execute(
                "SELECT COALESCE(MAX(seq), -1) + 1 FROM messages WHERE conversation_id = ?",
                (conversation_id,),
            ).fetchone()
            conn.execute(
                "INSERT INTO messages VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    message_id,
                    conversation_id,
                    user_id,
                    seq,
                    role,
                    content,
                    answer_to_json(answer) if answer is not None else None,
                    int(error),
                    now,
                ),
            )
            conn.execute(
                "UPDATE conversations SET updated_at = ? WHERE id = ?", (now, conversation_id)
            )

    def conversations(self, user_id: str, limit: int = 50) -> list[ConversationSummary]:
        """``user_id``'s conversations, the most recent first."""
        if not self.path.exists():
            return []
        with self._connect() as conn:
            rows = conn.execute(
                """SELECT c.id, c.title, c.created_at, c.updated_at, COUNT(m.id)
                   FROM conversations c LEFT JOIN messages m ON m.conversation_id = c.id
                   WHERE c.user_id = ? GROUP BY c.id
                   ORDER BY c.updated_at DESC, c.rowid DESC LIMIT ?""",
                (user_id, limit),
            ).fetchall()
        return [ConversationSummary(*r) for r in rows]

    def messages(self, user_id: str, conversation_id: str) -> list[StoredMessage]:
        """The messages of one of ``user_id``'s conversations; [] for anyone else's."""
        if not self.path.exists():
            return []
        with self._connect() as conn:
            rows = conn.execute(
                """SELECT m.id, m.role, m.content, m.answer, m.error, m.created_at
                   FROM messages m JOIN conversations c ON c.id = m.conversation_id
                   WHERE m.conversation_id = ? AND c.user_id = ? ORDER BY m.seq""",
                (conversation_id, user_id),
            ).fetchall()
        return [
            StoredMessage(
                r[0], r[1], r[2], answer_from_json(r[3]) if r[3] else None, bool(r[4]), r[5]
            )
            for r in rows
        ]

    def delete_conversation(self, user_id: str, conversation_id: str) -> bool:
        with self._connect() as conn:
            cursor = conn.execute(
                "DELETE FROM conversations WHERE id = ? AND user_id = ?",
                (conversation_id, user_id),
            )
        return cursor.rowcount > 0

    def delete_user_history(self, user_id: str) -> int:
        """Delete every conversation of ``user_id``; returns how many there were."""
        if not self.path.exists():
            return 0
        with self._connect() as conn:
            cursor = conn.execute("DELETE FROM conversations WHERE user_id = ?", (user_id,))
        return cursor.rowcount

    def answers(self, since: str | None = None) -> list[StoredAnswer]:
        """Every stored answer of every user, oldest first (for the maintainers' analytics)."""
        if not self.path.exists():
            return []
        with self._connect() as conn:
            rows = conn.execute(
                """SELECT id, user_id, created_at, answer FROM messages
                   WHERE role = 'assistant' AND answer IS NOT NULL AND created_at >= ?
                   ORDER BY created_at, rowid""",
                (since or "",),
            ).fetchall()
        return [StoredAnswer(r[0], r[1], r[2], answer_from_json(r[3])) for r in rows]
