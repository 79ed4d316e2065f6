"""Several app servers and an ingest process on one `chroma run` server, for real: a server on
loopback, two data directories standing for two machines, and two app processes. The served
state lives in the store, so they all agree on what is served."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from isoguide.eval.bench_scale import chroma_server
from isoguide.ingest import ingest
from isoguide.settings import Settings, StoreSettings
from isoguide.store import Store

FIXTURE_CORPUS = Path(__file__).parent / "fixtures" / "corpus"
NEW_SECTION = (
    "\n\n## The zebracorn review\n\nEvery quarter the zebracorn review walks the whole PDCA "
    "loop once more: the zebracorn review checks each objective, each record and each action.\n"
)
HALF_SECTION = (
    "\n\n## The quokkafest\n\nThe quokkafest is a half-written version that must never be "
    "served: the quokkafest text exists only in chunks written before the crash.\n"
)

APP_SCRIPT = """
import json, sys
from isoguide.assistant import Assistant
from isoguide.settings import Settings
assistant = Assistant(Settings.model_validate_json(sys.argv[1]))
assistant.search("warm up")
print("READY", flush=True)
for line in sys.stdin:
    result = assistant.search(line.strip())  # what retrieval serves (abstaining or not)
    served = [c for c in assistant.store.all_chunks() if c.doc_id == "pdca-cycle"]
    print(json.dumps({
        "cited": [(h.chunk.doc_id, h.chunk.text) for h in result.hits],
        "pdca": [c.text for c in served],
        "pdca_record": assistant.store.manifest().documents["pdca-cycle"].n_chunks,
    }), flush=True)
"""

CRASH_SCRIPT = """
import sys, time
from isoguide.ingest import ingest
from isoguide.settings import Settings
from isoguide.store import Store
def stall(self, manifest):  # the new chunks are written; die before the switch
    print("ADDED", flush=True)
    time.sleep(600)
Store.save_manifest = stall
ingest(Settings.model_validate_json(sys.argv[1]), progress=False)
"""


class App:
    """One app server process over one machine's settings."""

    def __init__(self, settings: Settings) -> None:
        self.proc = subprocess.Popen(
            [sys.executable, "-c", APP_SCRIPT, settings.model_dump_json()],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            env={**os.environ, "HF_HUB_OFFLINE": "1", "ANONYMIZED_TELEMETRY": "False"},
        )
        assert self._line() == "READY"

    def _line(self) -> str:
        assert self.proc.stdout is not None
        line = self.proc.stdout.readline()
        assert line, f"the app process exited ({self.proc.poll()})"
        return line.strip()

    def ask(self, question: str) -> dict[str, Any]:
        assert self.proc.stdin is not None
        self.proc.stdin.write(question + "\n")
        self.proc.stdin.flush()
        return json.loads(self._line())  # type: ignore[no-any-return]

    def close(self) -> None:
        assert self.proc.stdin is not None
        self.proc.stdin.close()
        self.proc.wait(timeout=30)


def _machine(tmp_path: Path, name: str, port: int) -> Settings:
    corpus = tmp_path / name / "corpus"
    shutil.copytree(FIXTURE_CORPUS, corpus)
    return Settings(
        data_dir=tmp_path / name / "data",
        corpus_dirs=[corpus],
        store=StoreSettings(
            host="127.0.0.1", port=port, collection="shared", lock_timeout=2, lease_seconds=3
        ),
    )


@pytest.fixture
def server(tmp_path: Path) -> Iterator[int]:
    if not Path(sys.executable).with_name("chroma").exists():
        pytest.skip("the chroma CLI is not installed next to this Python")
    with chroma_server(tmp_path / "chroma-server") as port:
        yield port


def _until(app: App, question: str, ok, seconds: float = 15.0) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + seconds
    while True:
        reply = app.ask(question)
        if ok(reply) or time.monotonic() > deadline:
            return reply
        time.sleep(0.3)


def test_two_machines_two_app_servers_one_chroma_server(
    server: int, tmp_path: Path, embeddings
) -> None:  # type: ignore[no-untyped-def]
    a, b = _machine(tmp_path, "machine-a", server), _machine(tmp_path, "machine-b", server)
    first = ingest(a, store=Store(a, embeddings), progress=False)
    assert first.documents == 7 and first.embedded > 0
    again = ingest(b, store=Store(b, embeddings), progress=False)
    assert (again.embedded, again.skipped) == (0, 7), "unchanged corpus from machine B"
    assert not list(a.data_dir.glob("manifest-*")) and not list(b.data_dir.glob("manifest-*"))

    apps = [App(a), App(b)]
    try:
        for app in apps:
            reply = app.ask("What does PDCA stand for?")
            assert reply["cited"] and reply["cited"][0][0] == "pdca-cycle", reply

        # A document changed on machine B is served by both app servers.
        pdca_b = b.corpus_dirs[0] / "pdca-cycle.md"
        pdca_b.write_text(pdca_b.read_text() + NEW_SECTION)
        changed = ingest(b, store=Store(b, embeddings), progress=False)
        assert changed.updated == 1 and 0 < changed.embedded < first.embedded
        for app in apps:
            reply = _until(
                app,
                "What is the zebracorn review?",
                lambda r: any("zebracorn" in text for _, text in r["cited"]),
            )
            assert any(d == "pdca-cycle" and "zebracorn" in t for d, t in reply["cited"]), reply
            assert len(reply["pdca"]) == reply["pdca_record"], "the whole new version"
            assert sum("zebracorn" in t for t in reply["pdca"]) >= 1

        # An ingest on machine A dies after writing a new version of the document, before the
        # switch: both app servers keep serving the whole previous version.
        pdca_a = a.corpus_dirs[0] / "pdca-cycle.md"
        pdca_a.write_text(pdca_a.read_text() + HALF_SECTION)
        crash = subprocess.Popen(
            [sys.executable, "-c", CRASH_SCRIPT, a.model_dump_json()],
            stdout=subprocess.PIPE,
            text=True,
            env={**os.environ, "HF_HUB_OFFLINE": "1", "ANONYMIZED_TELEMETRY": "False"},
        )
        assert crash.stdout is not None and crash.stdout.readline().strip() == "ADDED"
        crash.kill()
        crash.wait(timeout=30)
        stored = Store(a, embeddings).vectorstore.get(where={"doc_id": "pdca-cycle"})
        assert any("quokkafest" in t for t in stored["documents"]), "the half version is stored"
        for app in apps:
            reply = app.ask("What is the quokkafest?")
            assert not any("quokkafest" in t for _, t in reply["cited"]), reply
            assert len(reply["pdca"]) == reply["pdca_record"]
            assert any("zebracorn" in t for t in reply["pdca"])
            assert not any("quokkafest" in t for t in reply["pdca"])

        # The crashed writer's lock lapses; the next ingest removes its stray chunks.
        time.sleep(a.store.lease_seconds + 0.5)
        repaired = ingest(b, store=Store(b, embeddings), progress=False)
        assert repaired.repaired > 0 and repaired.embedded == 0
        stored = Store(a, embeddings).vectorstore.get(where={"doc_id": "pdca-cycle"})
        assert not any("quokkafest" in t for t in stored["documents"])
    finally:
        for app in apps:
            app.close()


def test_a_live_writer_on_another_machine_holds_the_others_off(
    server: int, tmp_path: Path, embeddings
) -> None:  # type: ignore[no-untyped-def]
    from isoguide.errors import StoreLockedError

    a, b = _machine(tmp_path, "machine-a", server), _machine(tmp_path, "machine-b", server)
    with Store(a, embeddings).write_lock():
        started = time.monotonic()
        with pytest.raises(StoreLockedError, match="locked by another isoguide process"):
            ingest(b, store=Store(b, embeddings), progress=False)
        assert time.monotonic() - started < 10
    assert ingest(b, store=Store(b, embeddings), progress=False).documents == 7


def test_an_old_json_manifest_is_adopted_without_re_embedding(
    tmp_path: Path, corpus_copy: Path, embeddings
) -> None:  # type: ignore[no-untyped-def]
    settings = Settings(data_dir=tmp_path / "d", corpus_dirs=[corpus_copy])
    store = Store(settings, embeddings)
    ingest(settings, store=store, progress=False)
    served = store.manifest()
    # Take the index back to how it was kept before: a JSON file, nothing in the store.
    served.save(store.manifest_path)
    import chromadb

    client = chromadb.PersistentClient(path=str(settings.chroma_dir))
    client.get_collection("isoguide__documents").delete(ids=list(served.documents))
    fresh = Store(settings, embeddings)
    assert fresh.is_empty()
    report = ingest(settings, store=fresh, progress=False)
    assert report.embedded == 0 and report.skipped == 7
    assert fresh.manifest().documents.keys() == served.documents.keys()
    assert not store.manifest_path.exists()
