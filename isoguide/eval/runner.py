"""``isoguide eval``: run a question set through retrieval and the answerer, and measure it."""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
from tqdm import tqdm

from isoguide.assistant import Assistant
from isoguide.clauses import any_clause_matches
from isoguide.errors import IsoguideError
from isoguide.settings import Settings

from . import TEST, TUNE
from .metrics import (
    REDUNDANT_COSINE,
    Record,
    all_metrics,
    answer_sentences,
    retrieval_metrics,
)

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
    from .keypoints import fitted_matcher

    matcher = fitted_matcher()
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
                redundant_pairs=count_redundant(ans.answer, assistant) if not ans.abstained else 0,
                answer_chunks=[
                    {"chunk_id": h.chunk.chunk_id, "text": h.chunk.text} for h in ans.hits
                ],
            )
        if matcher is not None and record["key_points"]:
            record.update(_semantic_found(record, matcher, assistant))
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


def _semantic_found(record: Record, matcher: Any, assistant: Assistant) -> Record:
    """Per key point, whether the calibrated matcher finds it in the answer, in its first
    sentence, and in the top 5 passages (the ceiling): one table over all those sentences."""
    from isoguide.text import split_sentences

    points = record["key_points"]
    passages = [s.text for c in record["retrieved"][:5] for s in split_sentences(c["text"])]
    answered = "answer" in record and not record.get("abstained")
    sentences = answer_sentences(record["answer"]) if answered else []
    table = matcher.table(points, passages + sentences, assistant.store.embeddings)
    top5, said = table[:, : len(passages)], table[:, len(passages) :]
    out: Record = {"key_points_semantic_top5": top5.any(axis=1).tolist()}
    if "answer" in record:
        out["key_points_semantic"] = said.any(axis=1).tolist()
        out["key_points_semantic_first"] = said[:, :1].any(axis=1).tolist()
    return out


def count_redundant(answer: str, assistant: Assistant) -> int:
    """Pairs of answer sentences that say the same thing (embedding cosine >= 0.85)."""
    sentences = answer_sentences(answer)
    if len(sentences) < 2:
        return 0
    vectors = assistant.store.embeddings.encode(sentences)
    sims = vectors @ vectors.T
    upper = sims[np.triu_indices(len(sentences), k=1)]
    return int((upper >= REDUNDANT_COSINE).sum())


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


def main(args: argparse.Namespace) -> int:
    settings = Settings().derive(
        provider=args.provider,
        mode=args.mode,
        clause_boost=False if args.no_clause_boost else None,
    )
    questions = load_questions(Path(args.questions or TEST))
    assistant = Assistant(settings)
    assistant.ensure_index()

    if args.compare:
        table = compare(settings, questions)
        print(format_comparison(table))
        if args.json_out:
            Path(args.json_out).write_text(json.dumps(table, indent=2))
        return 0

    if args.fit:
        from .fit import fit_all

        if args.questions is None:
            questions = load_questions(TUNE)
        fit_all(assistant, questions)
        return 0
    records = evaluate(assistant, questions, answer=True, progress=True)
    metrics = all_metrics(records)
    print(
        f"{len(records)} questions from {args.questions or TEST}; provider {assistant.provider}; "
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
