from pathlib import Path

import pytest
from pydantic import ValidationError

from isoguide.settings import Settings


def test_defaults_are_offline_and_extractive(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("ISOGUIDE_DATA_DIR")
    s = Settings()
    assert s.llm.provider == "extractive"
    assert s.data_dir == Path(".isoguide")
    assert s.store.host is None  # embedded Chroma
    assert s.embedding.model_path is None  # the packaged model


def test_environment_overrides_with_prefix_and_nesting(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ISOGUIDE_RETRIEVAL__K", "8")
    monkeypatch.setenv("ISOGUIDE_LLM__PROVIDER", "ollama")
    monkeypatch.setenv("ISOGUIDE_STORE__HOST", "localhost")
    s = Settings()
    assert s.retrieval.k == 8 and s.llm.provider == "ollama" and s.store.host == "localhost"


def test_unknown_keys_and_bad_values_are_rejected() -> None:
    with pytest.raises(ValidationError):
        Settings(colour="blue")  # type: ignore[call-arg]
    with pytest.raises(ValidationError):
        Settings(llm={"provider": "skynet"})  # type: ignore[arg-type]
