"""Per-user history through AppTest, with sign-in configured: a conversation is reopened after a
restart, another user never sees it, its owner deletes it, and a rating records who gave it."""

from __future__ import annotations

import sqlite3

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from .conftest import APP, TIMEOUT, AppEnv, ask, no_exception
from .test_signin import AUTH

QUESTION = "What does PDCA stand for?"


def _as(email: str) -> AppTest:
    at = AppTest.from_file(str(APP), default_timeout=TIMEOUT)
    at.secrets["auth"] = AUTH
    at.user = {"is_logged_in": True, "email": email, "name": email.split("@")[0]}
    return at.run()


def _reopen_buttons(at: AppTest) -> list:  # type: ignore[type-arg]
    return [b for b in at.sidebar.button if str(b.key).startswith("reopen-")]


def _restart() -> None:
    st.cache_resource.clear()
    st.cache_data.clear()


def test_history_is_per_user_reopened_after_restart_and_deletable(
    app_env: AppEnv, monkeypatch: pytest.MonkeyPatch
) -> None:
    # History is under test, not abstention: answer every question, so sources are shown.
    monkeypatch.setenv("ISOGUIDE_RETRIEVAL__ABSTAIN_THRESHOLD", "0")
    at = ask(_as("ann@example.com"), QUESTION)
    no_exception(at)
    asked = at.session_state["messages"]
    at = at.feedback[0].set_value(0).run()  # thumbs down
    with sqlite3.connect(app_env.data_dir / "feedback.sqlite3") as conn:
        assert conn.execute("SELECT user_id, rating FROM feedback").fetchall() == [
            ("ann@example.com", "down")
        ]

    _restart()
    bob = _as("bob@example.com")
    no_exception(bob)
    assert _reopen_buttons(bob) == [], "nobody else's history is visible"

    _restart()
    at = _as("ann@example.com")
    (button,) = _reopen_buttons(at)
    assert button.label == QUESTION
    at = button.click().run()
    no_exception(at)
    reopened = at.session_state["messages"]
    assert [(m.id, m.role, m.content) for m in reopened] == [
        (m.id, m.role, m.content) for m in asked
    ]
    assert reopened[1].answer.citations == asked[1].answer.citations
    assert any(e.label == "Full passage [1]" for e in at.expander), "sources are shown again"

    at = at.button(key="delete-history").click().run()
    no_exception(at)
    assert _reopen_buttons(at) == [] and at.session_state["messages"] == []
    notices = [str(s.value).replace("\\", "") for s in at.sidebar.success]
    assert "Deleted your 1 conversation(s)." in notices
