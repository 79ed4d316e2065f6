"""AppTest fixtures: the real app.py over a fresh data dir and a private copy of the fixture corpus.

AppTest runs the script in this process, so the environment set here is what ``Settings()``
reads inside the app. Streamlit's caches are process-wide; they are keyed by the settings (so
each data dir gets its own store) and cleared between tests anyway.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import streamlit as st
from streamlit.runtime.memory_media_file_storage import MemoryMediaFileStorage
from streamlit.testing.v1 import AppTest

from isoguide.settings import REPO_ROOT

FIXTURE_CORPUS = Path(__file__).resolve().parent.parent / "fixtures" / "corpus"
APP = REPO_ROOT / "app.py"
TIMEOUT = 180  # the first run loads the embedding model and builds the index


class AppEnv:
    """Where one test's app keeps its data, and a way to start the app there."""

    def __init__(self, data_dir: Path, corpus: Path) -> None:
        self.data_dir = data_dir
        self.corpus = corpus

    @property
    def uploads(self) -> Path:
        return self.data_dir / "uploads"

    def start(self) -> AppTest:
        return AppTest.from_file(str(APP), default_timeout=TIMEOUT).run()


@pytest.fixture
def app_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[AppEnv]:
    corpus = tmp_path / "corpus"
    shutil.copytree(FIXTURE_CORPUS, corpus)
    data = tmp_path / "data"
    monkeypatch.setenv("ISOGUIDE_DATA_DIR", str(data))
    monkeypatch.setenv("ISOGUIDE_CORPUS_DIRS", json.dumps([str(corpus)]))
    st.cache_resource.clear()
    st.cache_data.clear()
    yield AppEnv(data, corpus)
    st.cache_resource.clear()
    st.cache_data.clear()


@pytest.fixture
def downloads(monkeypatch: pytest.MonkeyPatch) -> dict[str, bytes]:
    """What each download button would hand the browser, by file name."""
    captured: dict[str, bytes] = {}
    original = MemoryMediaFileStorage.load_and_get_id

    def spy(self, path_or_data, mimetype, kind, filename=None):  # type: ignore[no-untyped-def]
        if filename and isinstance(path_or_data, bytes):
            captured[filename] = path_or_data
        return original(self, path_or_data, mimetype, kind, filename)

    monkeypatch.setattr(MemoryMediaFileStorage, "load_and_get_id", spy)
    return captured


def texts(at: AppTest) -> str:
    """Every Markdown, caption, text and alert on the page, joined (for "is it shown" checks)."""
    parts: list[str] = []
    for kind in ("markdown", "caption", "text", "error", "warning", "info", "success"):
        parts += [str(e.value) for e in getattr(at, kind)]
    return "\n".join(parts)


def ask(at: AppTest, question: str) -> AppTest:
    return at.chat_input(key="question").set_value(question).run()


def errors(at: AppTest) -> list[str]:
    return [str(e.value) for e in at.error]


def no_exception(at: AppTest) -> None:
    assert not at.exception, [e.value for e in at.exception]


Factory = Callable[[], AppTest]
