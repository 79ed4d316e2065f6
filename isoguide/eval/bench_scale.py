"""``make bench-scale``: retrieval at company scale, measured on a synthetic corpus.

Builds a synthetic corpus (100,000 chunks by default) in embedded Chroma and in a ``chroma run``
server on loopback, then prints, in one run: retrieval p50/p95 (the whole hybrid search with the
clause boost, and the dense search alone) beside one raw query encode measured in the same run,
the first search after start (it builds the BM25 index), the time from a fresh process's start to
its first answer, and memory (RSS). Every figure is also given as a ratio to the raw encode, so
runs on different machines compare. Printed, never asserted.

The vectors: ``--embed`` distinct synthetic texts are embedded by the real model; every other
chunk reuses one of those vectors plus a little noise (embedding 100,000 texts on a CPU would
take the bench most of an hour and measure the model, not retrieval).
"""

from __future__ import annotations

import argparse
import hashlib
import random
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

import numpy as np

from isoguide.clauses import CLAUSE_TITLES, VALID_CLAUSES
from isoguide.embeddings import LocalEmbeddings
from isoguide.models import Chunk
from isoguide.retrieval import Retriever
from isoguide.settings import Settings, StoreSettings
from isoguide.store import DocRecord, Manifest, Store

CHUNKS_PER_DOC = 10
BATCH = 4000
TERMS = [
    "supplier",
    "evaluation",
    "calibration",
    "record",
    "competence",
    "training",
    "audit",
    "nonconformity",
    "corrective",
    "action",
    "management",
    "review",
    "risk",
    "opportunity",
    "objective",
    "customer",
    "satisfaction",
    "monitoring",
    "measurement",
    "documented",
    "information",
    "control",
    "change",
    "design",
    "development",
    "production",
    "service",
    "release",
    "traceability",
    "property",
    "preservation",
    "complaint",
    "improvement",
    "leadership",
    "policy",
    "context",
    "interested",
    "party",
    "scope",
    "process",
    "approach",
    "planning",
    "resources",
    "infrastructure",
    "environment",
    "awareness",
    "communication",
    "operation",
    "requirement",
    "verification",
    "validation",
    "outsourced",
    "provider",
    "performance",
    "evaluation",
    "analysis",
    "internal",
]


def _words(rng: random.Random, n: int) -> str:
    # ISO terms and a long tail of rarer words, as real guidance has.
    return " ".join(
        rng.choice(TERMS) if rng.random() < 0.4 else f"w{int(rng.paretovariate(1.1)) % 20000}"
        for _ in range(n)
    )


def synthetic_chunks(n: int, seed: int = 7) -> list[Chunk]:
    """``n`` chunks in documents of ``CHUNKS_PER_DOC``, each tagged with a random clause."""
    rng = random.Random(seed)
    clauses = sorted(VALID_CLAUSES)
    chunks = []
    for i in range(n):
        doc = i // CHUNKS_PER_DOC
        clause = clauses[doc % len(clauses)]
        text = f"{CLAUSE_TITLES.get(clause, '')}: {_words(rng, rng.randint(40, 90))}."
        chunks.append(
            Chunk(
                chunk_id=f"syn{doc:06d}#{i % CHUNKS_PER_DOC}",
                doc_id=f"syn{doc:06d}",
                title=f"Synthetic guide {doc}",
                section=f"Part {i % CHUNKS_PER_DOC}",
                clauses=(clause,),
                source=f"synthetic/{doc}.md",
                content_hash=hashlib.sha256(text.encode()).hexdigest()[:16],
                text=text,
                doc_hash=f"h{doc}",
                position=i % CHUNKS_PER_DOC,
            )
        )
    return chunks


def synthetic_vectors(
    chunks: list[Chunk], embeddings: LocalEmbeddings, n_embedded: int, seed: int = 7
) -> np.ndarray:
    """Real vectors for the first ``n_embedded`` chunks; the others reuse one plus noise."""
    base = np.asarray(embeddings.encode([c.text for c in chunks[:n_embedded]]), dtype=np.float32)
    rng = np.random.default_rng(seed)
    picks = rng.integers(0, len(base), size=len(chunks))
    picks[: len(base)] = np.arange(len(base))
    vectors = base[picks] + rng.normal(0.0, 0.02, size=(len(chunks), base.shape[1]))
    vectors[: len(base)] = base
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    return vectors.astype(np.float32)


def fill(store: Store, chunks: list[Chunk], vectors: np.ndarray) -> float:
    """Write the chunks and a manifest serving them; returns the seconds it took."""
    started = time.perf_counter()
    for start in range(0, len(chunks), BATCH):
        store.add_chunks(chunks[start : start + BATCH], vectors[start : start + BATCH].tolist())
    now = datetime.now(UTC).isoformat(timespec="seconds")
    manifest = Manifest()
    for c in chunks:
        if c.doc_id not in manifest.documents:
            manifest.documents[c.doc_id] = DocRecord(c.doc_hash, 0, c.source, c.title, now)
        manifest.documents[c.doc_id].n_chunks += 1
    store.save_manifest(manifest)
    return time.perf_counter() - started


def queries(n: int, seed: int = 11) -> list[str]:
    rng = random.Random(seed)
    clauses = sorted(VALID_CLAUSES)
    out = []
    for i in range(n):
        if i % 3 == 0:  # a third name a clause: the clause boost runs
            out.append(f"What does clause {rng.choice(clauses)} require for {rng.choice(TERMS)}?")
        else:
            out.append(f"How should we handle {rng.choice(TERMS)} and {rng.choice(TERMS)} records?")
    return out


def _timed(fn: Callable[[str], object], items: list[str]) -> list[float]:
    times = []
    for item in items:
        started = time.perf_counter()
        fn(item)
        times.append(time.perf_counter() - started)
    return times


def _pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def _rss_mib() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


@contextmanager
def chroma_server(path: Path) -> Iterator[int]:
    """``chroma run`` on a free loopback port, stopped afterwards."""
    import socket

    exe = shutil.which("chroma") or str(Path(sys.executable).with_name("chroma"))
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = int(s.getsockname()[1])
    proc = subprocess.Popen(  # noqa: S603 (the chroma CLI, loopback only)
        [exe, "run", "--path", str(path), "--host", "127.0.0.1", "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/api/v2/heartbeat", timeout=1)  # noqa: S310
                break
            except OSError:
                if time.monotonic() > deadline or proc.poll() is not None:
                    raise RuntimeError("chroma run did not start within 60 s") from None
                time.sleep(0.3)
        yield port
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def first_answer(settings_json: str, question: str) -> None:
    """Child process: from a cold start to the first answer; prints seconds and peak RSS."""
    from isoguide.assistant import Assistant

    settings = Settings.model_validate_json(settings_json)
    answer = Assistant(settings).ask(question)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"FIRST-ANSWER abstained={answer.abstained} peak_rss_mib={peak:.0f}")


def _first_answer_in_child(settings: Settings, question: str) -> tuple[float, float]:
    started = time.perf_counter()
    out = subprocess.run(  # noqa: S603 (this module, this interpreter)
        [sys.executable, "-m", "isoguide.eval.bench_scale", "--child", settings.model_dump_json()],
        input=question,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    seconds = time.perf_counter() - started
    line = next(line for line in out.splitlines() if line.startswith("FIRST-ANSWER"))
    return seconds, float(line.rsplit("=", 1)[1])


def measure(name: str, store: Store, items: list[str]) -> tuple[list[str], float]:
    """Retrieval and dense-search timings, each query's raw encode timed right beside it (so a
    busy machine slows both alike); returns the lines and that encode p50 in seconds."""
    retriever = Retriever(store, store.settings.retrieval)
    embed = store.embeddings.embed_query
    started = time.perf_counter()
    retriever.search(items[0])
    cold = time.perf_counter() - started
    encode: list[float] = []
    full: list[float] = []
    dense: list[float] = []
    for item in items:
        encode += _timed(embed, [item])
        full += _timed(retriever.search, [item])
        dense += _timed(lambda q: store.dense_search(q, store.settings.retrieval.fetch_k), [item])
    encode_s = statistics.median(encode)

    def row(label: str, values: list[float]) -> str:
        p50, p95 = statistics.median(values), _pct(values, 0.95)
        return (
            f"  {label:<34} p50 {p50 * 1000:8.1f} ms ({p50 / encode_s:4.2f}x encode)"
            f"  p95 {p95 * 1000:8.1f} ms ({p95 / encode_s:4.2f}x)"
        )

    return [
        f"{name}: {len(items)} queries, a third naming a clause",
        row("raw query encode (beside each)", encode),
        row("retrieval (hybrid + clause boost)", full),
        row("dense search alone (incl. encode)", dense),
        f"  {'first search (loads chunks, BM25)':<34} {cold:8.2f} s ({cold / encode_s:.0f}x encode)",
    ], encode_s


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--chunks", type=int, default=100_000)
    parser.add_argument("--embed", type=int, default=1_000, help="texts embedded by the model")
    parser.add_argument("--queries", type=int, default=60)
    parser.add_argument("--no-server", action="store_true", help="skip the chroma run server")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        first_answer(args.child, sys.stdin.read())
        return 0

    embeddings = LocalEmbeddings()
    items = queries(args.queries)
    embeddings.embed_query("warm up")
    chunks = synthetic_chunks(args.chunks)
    started = time.perf_counter()
    vectors = synthetic_vectors(chunks, embeddings, min(args.embed, len(chunks)))
    lines = [
        f"corpus: {len(chunks):,} synthetic chunks in {len(chunks) // CHUNKS_PER_DOC:,} documents; "
        f"{min(args.embed, len(chunks)):,} embedded by the model "
        f"({time.perf_counter() - started:.1f} s), the rest those vectors plus noise",
    ]
    with tempfile.TemporaryDirectory(prefix="isoguide-scale-") as tmp:
        embedded = Settings(data_dir=Path(tmp) / "embedded", corpus_dirs=[Path(tmp) / "none"])
        store = Store(embedded, embeddings)
        lines.append(f"write to embedded Chroma: {fill(store, chunks, vectors):.1f} s")
        found, encode_s = measure("embedded Chroma", store, items)
        lines += found
        lines.append(f"  RSS of this process now: {_rss_mib():.0f} MiB")
        seconds, peak = _first_answer_in_child(embedded, items[1])
        lines.append(
            f"  fresh process, start to first answer: {seconds:.1f} s "
            f"({seconds / encode_s:.0f}x encode), its peak RSS {peak:.0f} MiB"
        )
        if not args.no_server:
            with chroma_server(Path(tmp) / "server") as port:
                server = embedded.model_copy(
                    update={
                        "data_dir": Path(tmp) / "client",
                        "store": StoreSettings(host="127.0.0.1", port=port),
                    }
                )
                store = Store(server, embeddings)
                lines.append(f"write to chroma run server: {fill(store, chunks, vectors):.1f} s")
                found, encode_s = measure("chroma run server (loopback)", store, items)
                lines += found
                seconds, peak = _first_answer_in_child(server, items[1])
                lines.append(
                    f"  fresh process, start to first answer: {seconds:.1f} s "
                    f"({seconds / encode_s:.0f}x encode), its peak RSS {peak:.0f} MiB"
                )
    lines.append(
        f"peak RSS of the bench process: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MiB"
    )
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
