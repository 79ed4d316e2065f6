"""The company deployment files, checked without Docker: the compose file's services and the
settings it passes are ones isoguide accepts, and the Dockerfile copies what exists."""

from __future__ import annotations

import re

import pytest
import yaml

from isoguide.settings import REPO_ROOT, Settings

COMPOSE = REPO_ROOT / "docker-compose.yml"
DOCKERFILE = REPO_ROOT / "Dockerfile"


def _compose() -> dict:  # type: ignore[type-arg]
    if not COMPOSE.exists():
        pytest.skip("not a checkout (docker-compose.yml is not packaged)")
    return yaml.safe_load(COMPOSE.read_text())


def test_compose_has_chroma_app_and_optional_ollama() -> None:
    services = _compose()["services"]
    assert set(services) == {"chroma", "app", "ollama"}
    assert services["ollama"]["profiles"] == ["ollama"], "Ollama is optional"
    assert "chroma" in services["chroma"]["command"] and "run" in services["chroma"]["command"]
    app = services["app"]
    assert app["depends_on"]["chroma"]["condition"] == "service_healthy"
    assert any(v.endswith(":/app/.streamlit/secrets.toml:ro") for v in app["volumes"])
    assert app["environment"]["ISOGUIDE_STORE__HOST"] == "chroma"


def test_compose_settings_are_valid_isoguide_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    env = _compose()["services"]["app"]["environment"]
    for name, value in env.items():
        # "${NAME:-default}" is what compose passes when the operator sets nothing.
        value = re.sub(r"\$\{[A-Z_]+:-([^}]*)\}", r"\1", str(value))
        if value:
            monkeypatch.setenv(name, value)
    settings = Settings()
    assert settings.store.host == "chroma" and settings.store.port == 8000
    assert settings.auth.required is True
    assert settings.llm.provider == "extractive"


def test_dockerfile_copies_what_exists() -> None:
    if not DOCKERFILE.exists():
        pytest.skip("not a checkout")
    for line in DOCKERFILE.read_text().splitlines():
        if line.startswith("COPY "):
            for source in line.split()[1:-1]:
                assert (REPO_ROOT / source).exists(), source
