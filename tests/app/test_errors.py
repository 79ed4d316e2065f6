"""Error states reach the page as messages a user can act on, never as a stack trace."""

from __future__ import annotations

import json

import pytest
from filelock import FileLock

from .conftest import AppEnv, errors, no_exception


def test_a_missing_corpus_folder_is_a_clear_error(
    app_env: AppEnv, monkeypatch: pytest.MonkeyPatch
) -> None:
    missing = app_env.corpus.parent / "no-such-corpus"
    monkeypatch.setenv("ISOGUIDE_CORPUS_DIRS", json.dumps([str(missing)]))
    at = app_env.start()
    no_exception(at)
    message = " ".join(errors(at)).replace("\\", "")
    assert f"Corpus path {missing} does not exist" in message, message


def test_invalid_settings_are_a_clear_error(
    app_env: AppEnv, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ISOGUIDE_RETRIEVAL__K", "zero")
    at = app_env.start()
    no_exception(at)
    message = " ".join(errors(at)).replace("\\", "")
    assert "ISOGUIDE_" in message and "retrieval.k" in message, message


def test_a_locked_index_rejects_an_upload_cleanly(
    app_env: AppEnv, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ISOGUIDE_STORE__LOCK_TIMEOUT", "0.2")
    at = app_env.start()
    with FileLock(str(app_env.data_dir / "index.lock")):
        upload = (
            "notes.md",
            b"# Notes\n\nEvery gauge is checked before use and the check is recorded.",
            "text/markdown",
        )
        at = at.sidebar.file_uploader[0].set_value(upload).run()
    no_exception(at)
    message = " ".join(errors(at)).replace("\\", "")
    assert "locked by another isoguide process" in message, message
    assert not (app_env.uploads / "notes.md").exists()
