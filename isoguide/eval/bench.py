"""``make bench``: measured timings, printed, never asserted.

Builds a fresh index of ``corpus/`` in a temporary data directory (cold ingest), re-runs it
(unchanged corpus), then times search, extractive answers (first token and full answer), the
LLM path with the scripted model (verification overhead), and llama.cpp where it is installed.
"""

from __future__ import annotations

import argparse
import io
import statistics
import sys
import tempfile
import time
from pathlib import Path

from isoguide.assistant import Assistant
from isoguide.embeddings import LocalEmbeddings, default_model_path, load_model
from isoguide.models import Answer
from isoguide.settings import REPO_ROOT, Settings
from isoguide.store import Store

from . import TEST
from .runner import load_questions


def _pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def _row(name: str, values: list[float]) -> str:
    return (
        f"{name:<42} n={len(values):<4} p50={statistics.median(values) * 1000:8.1f} ms"
        f"  p95={_pct(values, 0.95) * 1000:8.1f} ms"
    )


def _stream_timing(assistant: Assistant, question: str) -> tuple[float, float, Answer]:
    started = time.perf_counter()
    first = None
    stream = assistant.stream(question)
    for _ in stream:
        if first is None:
            first = time.perf_counter() - started
    total = time.perf_counter() - started
    return (first if first is not None else total), total, stream.answer


def _report(name: str, assistant: Assistant, questions: list[str]) -> list[Answer]:
    """Time each question's stream; print first-token and full-answer percentiles."""
    timings = [_stream_timing(assistant, q) for q in questions]
    print(_row(f"{name}: first token", [first for first, _, _ in timings]))
    print(_row(f"{name}: full answer", [total for _, total, _ in timings]))
    return [answer for _, _, answer in timings]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--questions", type=int, default=40, help="test-split questions to time")
    parser.add_argument("--llamacpp", type=int, default=3, help="questions for llama.cpp (0: skip)")
    parser.add_argument(
        "--index", type=Path, help="time against this existing data dir (no ingest timings)"
    )
    args = parser.parse_args(argv)

    questions = [q["question"] for q in load_questions(TEST) if q["kind"] == "answerable"][
        : args.questions
    ]

    started = time.perf_counter()
    load_model(str(default_model_path()))
    print(f"{'embedding model load':<38} {time.perf_counter() - started:8.2f} s")

    with tempfile.TemporaryDirectory(prefix="isoguide-bench-") as tmp:
        settings = Settings(data_dir=args.index or Path(tmp), corpus_dirs=[REPO_ROOT / "corpus"])
        store = Store(settings, LocalEmbeddings())
        from isoguide.ingest import ingest

        if args.index is None:
            report = ingest(settings, store=store, progress=False, stream=io.StringIO())
            print(
                f"{'ingest corpus/ (cold)':<38} {report.seconds:8.2f} s  ({report.documents} "
                f"documents, {report.chunks} chunks, {report.embedded} embedded)"
            )
        again = ingest(settings, store=store, progress=False, stream=io.StringIO())
        print(
            f"{'ingest corpus/ (unchanged re-run)':<38} {again.seconds:8.2f} s  "
            f"({again.embedded} embedded, {again.skipped} unchanged)"
        )

        assistant = Assistant(settings, store=store)
        assistant.search(questions[0])  # warm the BM25 index
        assistant.ask(questions[0])  # and the answerer's caches
        # the four timings of a question are taken back to back, in an order that rotates
        # from one question to the next: the same text run again is faster (warm caches), so
        # a fixed order would flatter whichever step came last
        steps = {
            "encode": lambda q: store.embeddings.encode([q]),
            "plain": lambda q: store.vectorstore.similarity_search(q, k=settings.retrieval.k),
            "search": assistant.search,
            "full": lambda q: streamed.append(_stream_timing(assistant, q)),
        }
        streamed: list[tuple[float, float, Answer]] = []  # first token, full, answer
        times: dict[str, list[float]] = {name: [] for name in steps}
        names = list(steps)
        for i, q in enumerate(questions):
            for name in names[i % 4 :] + names[: i % 4]:
                t = time.perf_counter()
                steps[name](q)
                times[name].append(time.perf_counter() - t)
        encode, plain, search = (times[n] for n in names[:3])
        full = [total for _, total, _ in streamed]
        print(_row("reference: one raw query encode", encode))
        print(_row("reference: plain LangChain Chroma search", plain))
        print(_row("search (hybrid + clause-aware + abstention)", search))

        print(_row("extractive: first token", [first for first, _, _ in streamed]))
        print(_row("extractive: full answer", full))
        answers = [answer for _, _, answer in streamed]
        enc, srch, ans = (statistics.median(v) for v in (encode, search, full))
        print(
            f"ratios (same run, p50): search / encode {srch / enc:.2f}x; "
            f"plain LangChain / encode {statistics.median(plain) / enc:.2f}x; "
            f"extractive answer / search {ans / srch:.2f}x; extractive answer / encode "
            f"{ans / enc:.2f}x ({sum(a.abstained for a in answers)} of {len(answers)} declined)"
        )
        _report(
            "scripted LLM + verification",
            Assistant(settings.derive(provider="fake"), store=store),
            questions,
        )

        if args.llamacpp:
            try:
                import llama_cpp  # noqa: F401
            except ImportError:
                print("llama.cpp: not installed (WITH_LLAMACPP=1 make venv), skipped")
            else:
                local = Assistant(settings.derive(provider="llamacpp", max_tokens=160), store=store)
                t = time.perf_counter()
                local.answerer.chat_model()  # type: ignore[attr-defined]
                print(
                    f"{'llama.cpp model load (Gemma 3 270M)':<38} {time.perf_counter() - t:8.2f} s"
                )
                answers = _report("llama.cpp", local, questions[: args.llamacpp])
                fallbacks = sum(a.provider != "llamacpp" for a in answers)
                print(f"llama.cpp answers that fell back to extractive: {fallbacks}/{len(answers)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
