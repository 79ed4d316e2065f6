"""``isoguide eval``: run a question set through retrieval and the answerer, and measure it."""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from tqdm import tqdm

from isoguide.abstain import decide
from isoguide.assistant import Assistant
from isoguide.clauses import any_clause_matches
from isoguide.errors import IsoguideError
from isoguide.settings import Settings

from . import DEV_SET, SUPPORT_EXAMPLES
from .metrics import Record, all_metrics, retrieval_metrics

KINDS = ("answerable", "out_of_scope", "quiz")
EVAL_K = 10
CONFIGS: dict[str, dict[str, Any]] = {
    "dense": {"mode": "dense", "clause_boost": False},
    "bm25": {"mode": "bm25", "clause_boost": False},
    "hybrid": {"mode": "hybrid", "clause_boost": False},
    "hybrid+clause": {"mode": "hybrid", "clause_boost": True},
    "hybrid+clause+mmr": {"mode": "hybrid", "clause_boost": True, "mmr": True},
}


class QuestionFileError(IsoguideError):
    exit_code = 2


def load_questions(path: Path) -> list[dict[str, Any]]:
    """Questions from a JSONL file in the documented format; errors name the line."""
    if not path.is_file():
        raise QuestionFileError(f"Question file {path} does not exist.")
    items: list[dict[str, Any]] = []
    for lineno, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            item = json.loads(line)
        except json.JSONDecodeError as exc:
            raise QuestionFileError(f"{path}:{lineno}: not valid JSON ({exc.msg}).") from exc
        if not isinstance(item, dict) or not item.get("question") or item.get("kind") not in KINDS:
            raise QuestionFileError(
                f"{path}:{lineno}: each line needs a 'question' and a 'kind' of {', '.join(KINDS)}."
            )
        if item["kind"] == "quiz" and (not item.get("options") or "answer" not in item):
            raise QuestionFileError(f"{path}:{lineno}: a quiz item needs 'options' and 'answer'.")
        item.setdefault("id", f"line{lineno}")
        items.append(item)
    if not items:
        raise QuestionFileError(f"{path} holds no questions.")
    return items


def _relevant_in_corpus(assistant: Assistant, clauses: Sequence[str]) -> int:
    return sum(any_clause_matches(c.clauses, clauses) for c in assistant.store.all_chunks())


def evaluate(
    assistant: Assistant,
    questions: Sequence[dict[str, Any]],
    answer: bool = True,
    progress: bool = False,
) -> list[Record]:
    """One record per question: what was retrieved, the abstain decision, the answer."""
    records: list[Record] = []
    bar = tqdm(
        questions,
        desc="Evaluating",
        unit="q",
        file=sys.stderr,
        disable=not progress,
        mininterval=1.0 if sys.stderr.isatty() else 15.0,
    )
    for item in bar:
        record: Record = {
            "id": item["id"],
            "kind": item["kind"],
            "question": item["question"],
            "clauses": list(item.get("clauses") or []),
            "key_points": list(item.get("key_points") or []),
        }
        result = assistant.retriever.search(item["question"], k=EVAL_K)
        record["retrieved"] = [
            {
                "chunk_id": h.chunk.chunk_id,
                "doc_id": h.chunk.doc_id,
                "clauses": list(h.chunk.clauses),
                "score": h.score,
                "text": h.chunk.text,
            }
            for h in result.hits
        ]
        record["best_similarity"] = result.best_similarity
        record["abstained"] = result.abstain
        if record["clauses"]:
            record["relevant_in_corpus"] = _relevant_in_corpus(assistant, record["clauses"])
        if answer:
            started = time.perf_counter()
            ans = assistant.ask(item["question"])
            record["latency_s"] = time.perf_counter() - started
            record.update(
                abstained=ans.abstained,
                answer=ans.answer,
                provider=ans.provider,
                citations=[c.to_json() for c in ans.citations],
                unsupported=list(ans.unsupported),
                notice=ans.notice,
                sentences=ans.answer.count("[") if not ans.abstained else 0,
                answer_chunks=[
                    {"chunk_id": h.chunk.chunk_id, "text": h.chunk.text} for h in ans.hits
                ],
            )
        if item["kind"] == "quiz":
            from isoguide.quiz import check_quiz_item

            check = check_quiz_item(assistant, item["question"], item["options"], item["answer"])
            record["expected_answer"] = item["answer"]
            multi = isinstance(item["answer"], list)
            single = check.chosen[0] if check.chosen else None  # None: no option supported
            record["chosen_option"] = check.chosen if multi else single
            record["quiz_verdict"] = check.verdict
        records.append(record)
    return records


def format_table(metrics: dict[str, float | None]) -> str:
    width = max(len(k) for k in metrics)
    lines = [f"{'metric':<{width}}  value", f"{'-' * width}  -----"]
    for key, value in metrics.items():
        shown = (
            "n/a" if value is None else (f"{value:.0f}" if key == "questions" else f"{value:.3f}")
        )
        lines.append(f"{key:<{width}}  {shown}")
    return "\n".join(lines)


def compare(
    settings: Settings, questions: Sequence[dict[str, Any]]
) -> dict[str, dict[str, float | None]]:
    """Retrieval metrics and abstention for each retrieval configuration on the same questions."""
    store = Assistant(settings).store
    out: dict[str, dict[str, float | None]] = {}
    for name, cfg in CONFIGS.items():
        assistant = Assistant(settings.derive(**cfg), store=store)
        records = evaluate(assistant, [q for q in questions if q["kind"] != "quiz"], answer=False)
        metrics = retrieval_metrics(records)
        from .metrics import abstention

        metrics.update(abstention(records))
        out[name] = metrics
    return out


def format_comparison(table: dict[str, dict[str, float | None]]) -> str:
    names = list(table)
    keys = list(next(iter(table.values())))
    lines = ["metric".ljust(20) + "".join(n.rjust(19) for n in names)]
    for key in keys:
        cells = ["n/a" if table[n][key] is None else f"{table[n][key]:.3f}" for n in names]
        lines.append(key.ljust(20) + "".join(c.rjust(19) for c in cells))
    return "\n".join(lines)


def fit_threshold(records: Sequence[Record], vocabulary: set[str]) -> tuple[float, float]:
    """The similarity threshold that maximises abstention F1, with the abstain rules in place
    (see isoguide/abstain.py): only questions no rule decides are moved by the threshold."""
    rows = [r for r in records if r["kind"] != "quiz"]
    sims = sorted({round(r["best_similarity"], 4) for r in rows})
    cuts = [(a + b) / 2 for a, b in zip(sims, sims[1:], strict=False)]
    scored: list[tuple[float, float]] = []
    for cut in cuts:
        tp = fp = fn = 0
        for r in rows:
            said = decide(
                r["question"], r["best_similarity"], cut, vocabulary, bool(r["retrieved"])
            ).abstain
            oos = r["kind"] == "out_of_scope"
            tp += said and oos
            fp += said and not oos
            fn += (not said) and oos
        scored.append((cut, 2 * tp / (2 * tp + fp + fn) if tp else 0.0))
    if not scored:
        return 0.0, 0.0
    top = max(f1 for _, f1 in scored)
    ties = [cut for cut, f1 in scored if f1 == top]
    return ties[len(ties) // 2], top  # the middle of the best plateau: the widest margin


def main(args: argparse.Namespace) -> int:
    settings = Settings().derive(
        provider=args.provider,
        mode=args.mode,
        clause_boost=False if args.no_clause_boost else None,
    )
    questions = load_questions(Path(args.questions or DEV_SET))
    assistant = Assistant(settings)
    assistant.ensure_index()

    if args.compare:
        table = compare(settings, questions)
        print(format_comparison(table))
        if args.json_out:
            Path(args.json_out).write_text(json.dumps(table, indent=2))
        return 0

    records = evaluate(assistant, questions, answer=not args.fit, progress=True)
    if args.fit:
        threshold, f1 = fit_threshold(records, assistant.retriever.vocabulary())
        print(
            f"best abstain threshold {threshold:.4f} (abstention F1 {f1:.3f} on {args.questions})"
        )
        print(
            f"store it: ISOGUIDE_RETRIEVAL__ABSTAIN_THRESHOLD={threshold:.4f} or the settings default"
        )
        from isoguide.answer.verify import calibrate

        examples = SUPPORT_EXAMPLES
        support, accuracy, n = calibrate(examples, assistant.store.embeddings)
        print(
            f"best support threshold {support:.4f} (accuracy {accuracy:.3f} on {n} labelled sentences)"
        )
        print(f"store it: ISOGUIDE_LLM__SUPPORT_THRESHOLD={support:.4f} or the settings default")
        return 0
    metrics = all_metrics(records)
    print(
        f"{len(records)} questions from {args.questions}; provider {assistant.provider}; "
        f"retrieval {settings.retrieval.mode}{' + clause-aware' if settings.retrieval.clause_boost else ''}"
    )
    print(format_table(metrics))
    if args.json_out:
        out = Path(args.json_out)
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(
            json.dumps({"metrics": metrics, "records": records}, indent=1, ensure_ascii=False)
        )
        print(f"wrote {out}", file=sys.stderr)
    return 0
