"""Shared fixtures: real Chroma in temp folders, the real embedding model, a tiny fixed corpus.

Offline and deterministic: the hub is off, seeds are fixed, every test gets its own data dir.
"""

from __future__ import annotations

import os
import random
import shutil
from pathlib import Path

import numpy as np
import pytest

os.environ["HF_HUB_OFFLINE"] = "1"
os.environ["TRANSFORMERS_OFFLINE"] = "1"
os.environ["ANONYMIZED_TELEMETRY"] = "False"

from isoguide.answer.fake import ScriptedChatModel  # noqa: E402
from isoguide.assistant import Assistant  # noqa: E402
from isoguide.embeddings import LocalEmbeddings  # noqa: E402
from isoguide.models import Chunk  # noqa: E402
from isoguide.providers import Provider, ProviderStatus, register_provider  # noqa: E402
from isoguide.settings import REPO_ROOT, Settings  # noqa: E402
from isoguide.store import Store  # noqa: E402

#: The tests' own provider: a scripted chat model, registered like any other provider.
SCRIPTED = "scripted"
register_provider(
    Provider(
        SCRIPTED,
        lambda llm: ScriptedChatModel(),
        lambda llm, timeout: ProviderStatus(SCRIPTED, True, "scripted test model"),
        listed=False,
    )
)

FIXTURE_CORPUS = Path(__file__).parent / "fixtures" / "corpus"
REAL_CORPUS = REPO_ROOT / "corpus"


@pytest.fixture(autouse=True)
def _isolate(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """No test reads the developer's ISOGUIDE_* variables or writes to the repo's .isoguide/."""
    for key in list(os.environ):
        if key.startswith("ISOGUIDE_"):
            monkeypatch.delenv(key)
    monkeypatch.setenv("ISOGUIDE_DATA_DIR", str(tmp_path / "default-data"))
    # the fitted out-of-scope model and reranker belong to the shipped corpus; tests use the
    # fixture corpus
    monkeypatch.setenv("ISOGUIDE_RETRIEVAL__ABSTAIN_MODEL", "similarity")
    monkeypatch.setenv("ISOGUIDE_RETRIEVAL__RERANK", "false")
    random.seed(0)
    np.random.seed(0)


@pytest.fixture(scope="session")
def embeddings() -> LocalEmbeddings:
    return LocalEmbeddings()


def make_settings(data_dir: Path, corpus: Path, **overrides: object) -> Settings:
    """Settings over ``corpus``. The fitted out-of-scope model and the fitted reranker belong to
    the shipped corpus: the tiny fixture corpus uses the similarity rule and the fused order."""
    settings = Settings(data_dir=data_dir, corpus_dirs=[corpus], **overrides)  # type: ignore[arg-type]
    shipped = corpus == REAL_CORPUS
    return settings.derive(abstain_model="fitted" if shipped else "similarity", rerank=shipped)


@pytest.fixture
def corpus_copy(tmp_path: Path) -> Path:
    """A private, writable copy of the fixture corpus."""
    dest = tmp_path / "corpus"
    shutil.copytree(FIXTURE_CORPUS, dest)
    return dest


@pytest.fixture
def fresh(tmp_path: Path, corpus_copy: Path, embeddings: LocalEmbeddings) -> tuple[Settings, Store]:
    """Settings and an empty store over a private copy of the fixture corpus."""
    settings = make_settings(tmp_path / "data", corpus_copy)
    return settings, Store(settings, embeddings)


@pytest.fixture(scope="session")
def fixture_index(
    tmp_path_factory: pytest.TempPathFactory, embeddings: LocalEmbeddings
) -> tuple[Settings, Store]:
    """The fixture corpus indexed once per session, for read-only tests."""
    from isoguide.ingest import ingest

    root = tmp_path_factory.mktemp("fixture-index")
    corpus = root / "corpus"
    shutil.copytree(FIXTURE_CORPUS, corpus)
    settings = make_settings(root / "data", corpus)
    store = Store(settings, embeddings)
    ingest(settings, store=store, progress=False)
    return settings, store


@pytest.fixture(scope="session")
def real_index(
    tmp_path_factory: pytest.TempPathFactory, embeddings: LocalEmbeddings
) -> tuple[Settings, Store]:
    """The real corpus/ indexed once per session (35-90 s on two cores, depending on load)."""
    from isoguide.ingest import ingest

    root = tmp_path_factory.mktemp("real-index")
    settings = make_settings(root / "data", REAL_CORPUS)
    store = Store(settings, embeddings)
    ingest(settings, store=store, progress=False)
    return settings, store


@pytest.fixture(scope="session")
def assistant(fixture_index: tuple[Settings, Store]) -> Assistant:
    """An extractive assistant over the session's fixture index."""
    settings, store = fixture_index
    return Assistant(settings, store=store)


@pytest.fixture(scope="session")
def chunks(assistant: Assistant) -> dict[str, Chunk]:
    """Every served chunk of the fixture index, by id."""
    return {c.chunk_id: c for c in assistant.store.all_chunks()}
