"""A `chroma run` server and embedded Chroma are the same code path: ingest and search through
a real server on loopback."""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from isoguide.assistant import Assistant
from isoguide.errors import StoreUnavailableError
from isoguide.ingest import ingest
from isoguide.settings import Settings, StoreSettings
from isoguide.store import Store


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def chroma_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[int]:
    exe = Path(sys.executable).with_name("chroma")
    if not exe.exists():
        pytest.skip("the chroma CLI is not installed next to this Python")
    port = _free_port()
    data = tmp_path_factory.mktemp("chroma-server")
    proc = subprocess.Popen(
        [str(exe), "run", "--path", str(data), "--host", "127.0.0.1", "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/api/v2/heartbeat", timeout=1)
                break
            except OSError:
                time.sleep(0.3)
        else:
            pytest.fail("chroma run did not start within 60 s")
        yield port
    finally:
        proc.terminate()
        proc.wait(timeout=20)


def test_ingest_and_ask_through_a_chroma_server(
    chroma_server: int, tmp_path: Path, corpus_copy: Path, embeddings
) -> None:  # type: ignore[no-untyped-def]
    settings = Settings(
        data_dir=tmp_path / "data",
        corpus_dirs=[corpus_copy],
        store=StoreSettings(host="127.0.0.1", port=chroma_server, collection="isoguide-test"),
    )
    store = Store(settings, embeddings)
    first = ingest(settings, store=store, progress=False)
    assert first.documents == 7 and first.embedded > 0
    assert ingest(settings, store=store, progress=False).embedded == 0
    answer = Assistant(settings, store=store).ask("What is the PDCA cycle?")
    assert answer.citations and answer.citations[0].doc_id == "pdca-cycle"
    assert not (tmp_path / "data" / "chroma").exists()  # nothing embedded on disk
    shutil.rmtree(tmp_path / "data")


def test_unreachable_server_is_a_clear_error(tmp_path: Path, embeddings) -> None:  # type: ignore[no-untyped-def]
    settings = Settings(data_dir=tmp_path, store=StoreSettings(host="127.0.0.1", port=_free_port()))
    with pytest.raises(StoreUnavailableError, match="chroma run"):
        Store(settings, embeddings).vectorstore  # noqa: B018
