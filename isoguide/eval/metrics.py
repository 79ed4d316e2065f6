"""Evaluation metrics over eval records. Pure functions: records in, numbers out."""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from typing import Any

import numpy as np

from isoguide.clauses import any_clause_matches
from isoguide.text import content_words

KEY_POINT_COVERAGE = 0.7  # share of a key point's content words that must appear in the top 5

Record = dict[str, Any]


def _relevant(chunk: dict[str, Any], expected: Sequence[str]) -> bool:
    return any_clause_matches(chunk.get("clauses", []), expected)


def clause_hit_at(records: Sequence[Record], k: int) -> float | None:
    rows = [r for r in records if r["kind"] == "answerable" and r.get("clauses")]
    if not rows:
        return None
    return sum(any(_relevant(c, r["clauses"]) for c in r["retrieved"][:k]) for r in rows) / len(
        rows
    )


def mrr(records: Sequence[Record]) -> float | None:
    rows = [r for r in records if r["kind"] == "answerable" and r.get("clauses")]
    if not rows:
        return None
    total = 0.0
    for r in rows:
        for rank, chunk in enumerate(r["retrieved"], start=1):
            if _relevant(chunk, r["clauses"]):
                total += 1.0 / rank
                break
    return total / len(rows)


def ndcg_at(records: Sequence[Record], k: int = 10) -> float | None:
    """Binary relevance (a chunk's clauses match an expected clause); the ideal ranking has a
    relevant chunk at every one of the first ``min(k, relevant in corpus)`` places."""
    rows = [r for r in records if r["kind"] == "answerable" and r.get("clauses")]
    if not rows:
        return None
    scores = []
    for r in rows:
        gains = [1.0 if _relevant(c, r["clauses"]) else 0.0 for c in r["retrieved"][:k]]
        dcg = sum(g / math.log2(i + 2) for i, g in enumerate(gains))
        ideal_n = min(k, max(int(r.get("relevant_in_corpus", k)), 1))
        idcg = sum(1.0 / math.log2(i + 2) for i in range(ideal_n))
        scores.append(dcg / idcg)
    return float(np.mean(scores))


def key_point_found(point: str, text_words: set[str]) -> bool:
    words = content_words(point)
    return bool(words) and len(words & text_words) / len(words) >= KEY_POINT_COVERAGE


def key_point_recall(records: Sequence[Record], k: int = 5) -> float | None:
    found = total = 0
    for r in records:
        if r["kind"] != "answerable" or not r.get("key_points"):
            continue
        words = content_words(" ".join(c["text"] for c in r["retrieved"][:k]))
        for point in r["key_points"]:
            total += 1
            found += key_point_found(point, words)
    return found / total if total else None


MARKER = re.compile(r"\s*\[\d+\]")
REDUNDANT_COSINE = 0.85  # two answer sentences this similar say the same thing


def answer_text(record: Record) -> str:
    """The answer a user reads, without the [n] markers."""
    return MARKER.sub("", record.get("answer", ""))


def answer_sentences(text: str) -> list[str]:
    from isoguide.text import split_sentences

    return [s.text for s in split_sentences(MARKER.sub("", text)) if len(s.text.split()) >= 3]


def _answered(records: Sequence[Record]) -> list[Record]:
    return [r for r in records if r["kind"] == "answerable" and r.get("key_points")]


def answer_key_point_recall(records: Sequence[Record]) -> float | None:
    """The headline: key points found in the answer text shown (an abstention finds none)."""
    found = total = 0
    for r in _answered(records):
        words = set() if r.get("abstained") else content_words(answer_text(r))
        for point in r["key_points"]:
            total += 1
            found += key_point_found(point, words)
    return found / total if total else None


def first_sentence_hit(records: Sequence[Record]) -> float | None:
    """Share of given answers whose first sentence carries a key point."""
    rows = [r for r in _answered(records) if not r.get("abstained") and "answer" in r]
    if not rows:
        return None
    hits = 0
    for r in rows:
        sentences = answer_sentences(r["answer"])
        words = content_words(sentences[0]) if sentences else set()
        hits += any(key_point_found(p, words) for p in r["key_points"])
    return hits / len(rows)


def _semantic_share(
    records: Sequence[Record], field: str, per_answer: bool = False
) -> float | None:
    """Share of key points the matcher found; ``per_answer``: share of given answers where it
    found any."""
    rows = [r for r in _answered(records) if field in r]
    if per_answer:
        rows = [r for r in rows if not r.get("abstained")]
    if not rows:
        return None
    if per_answer:
        return sum(any(r[field]) for r in rows) / len(rows)
    return sum(sum(r[field]) for r in rows) / sum(len(r[field]) for r in rows)


def semantic_metrics(records: Sequence[Record]) -> dict[str, float | None]:
    """The same measures read by the calibrated matcher (``keypoints.py``) instead of words."""
    return {
        "answer_key_point_recall_semantic": _semantic_share(records, "key_points_semantic"),
        "first_sentence_key_point_semantic": _semantic_share(
            records, "key_points_semantic_first", per_answer=True
        ),
        "key_point_recall@5_semantic": _semantic_share(records, "key_points_semantic_top5"),
    }


def redundant_pairs(records: Sequence[Record]) -> float | None:
    """Pairs of sentences in one answer with embedding cosine >= 0.85, summed over answers."""
    rows = [r for r in records if "redundant_pairs" in r]
    return float(sum(r["redundant_pairs"] for r in rows)) if rows else None


def answer_words(records: Sequence[Record]) -> float | None:
    rows = [
        r for r in records if r["kind"] == "answerable" and not r.get("abstained") and "answer" in r
    ]
    if not rows:
        return None
    return float(np.median([len(answer_text(r).split()) for r in rows]))


def answer_metrics(records: Sequence[Record]) -> dict[str, float | None]:
    return {
        "answer_key_point_recall": answer_key_point_recall(records),
        "first_sentence_key_point": first_sentence_hit(records),
        "redundant_pairs": redundant_pairs(records),
        "answer_words_p50": answer_words(records),
    }


def abstention(records: Sequence[Record]) -> dict[str, float | None]:
    """Positive class: out-of-scope questions, which should abstain."""
    rows = [r for r in records if r["kind"] in ("answerable", "out_of_scope")]
    tp = sum(r["abstained"] and r["kind"] == "out_of_scope" for r in rows)
    fp = sum(r["abstained"] and r["kind"] == "answerable" for r in rows)
    fn = sum((not r["abstained"]) and r["kind"] == "out_of_scope" for r in rows)
    precision = tp / (tp + fp) if tp + fp else None
    recall = tp / (tp + fn) if tp + fn else None
    f1 = (
        2 * precision * recall / (precision + recall)
        if precision is not None and recall is not None and precision + recall
        else (0.0 if precision is not None or recall is not None else None)
    )
    answerable = sum(r["kind"] == "answerable" for r in rows)
    false_rate = fp / answerable if answerable else None
    return {
        "abstain_precision": precision,
        "abstain_recall": recall,
        "abstain_f1": f1,
        "false_abstention": false_rate,
    }


def citation_problems(record: Record) -> list[str]:
    """Why a record's citations are not valid; empty when every [n] is backed by a quote."""
    problems: list[str] = []
    if record.get("abstained"):
        return problems
    by_n = {c["n"]: c for c in record.get("citations", [])}
    chunks = {c["chunk_id"]: c["text"] for c in record.get("answer_chunks", [])}
    markers = {int(n) for n in re.findall(r"\[(\d+)\]", record.get("answer", ""))}
    if not markers:
        problems.append("answer has no [n] citation")
    for n in sorted(markers):
        citation = by_n.get(n)
        if citation is None:
            problems.append(f"[{n}] has no citation")
        elif citation["chunk_id"] not in chunks:
            problems.append(f"[{n}] cites a chunk that was not retrieved")
        elif citation["quote"] not in chunks[citation["chunk_id"]]:
            problems.append(f"[{n}] quote is not in its chunk")
    return problems


def citation_validity(records: Sequence[Record]) -> float | None:
    answered = [r for r in records if r["kind"] == "answerable" and not r["abstained"]]
    if not answered:
        return None
    return sum(not citation_problems(r) for r in answered) / len(answered)


def unsupported_share(records: Sequence[Record]) -> float | None:
    """Share of answer sentences the verifier marked unsupported (LLM answers)."""
    total = unsupported = 0
    for r in records:
        if r["kind"] != "answerable" or r["abstained"]:
            continue
        total += max(int(r.get("sentences", 0)), len(r.get("unsupported", [])))
        unsupported += len(r.get("unsupported", []))
    return unsupported / total if total else None


def _as_set(value: Any) -> set[str]:
    return set(value) if isinstance(value, list) else {value}


def quiz_accuracy(records: Sequence[Record]) -> float | None:
    rows = [r for r in records if r["kind"] == "quiz"]
    if not rows:
        return None
    return sum(
        _as_set(r.get("chosen_option")) == _as_set(r.get("expected_answer")) for r in rows
    ) / len(rows)


def latency(records: Sequence[Record]) -> dict[str, float | None]:
    values = [r["latency_s"] for r in records if "latency_s" in r]
    if not values:
        return {"latency_p50_s": None, "latency_p95_s": None}
    return {
        "latency_p50_s": float(np.percentile(values, 50)),
        "latency_p95_s": float(np.percentile(values, 95)),
    }


def retrieval_metrics(records: Sequence[Record]) -> dict[str, float | None]:
    return {
        "clause_hit@1": clause_hit_at(records, 1),
        "clause_hit@5": clause_hit_at(records, 5),
        "mrr": mrr(records),
        "ndcg@10": ndcg_at(records, 10),
        "key_point_recall@5": key_point_recall(records, 5),
    }


def all_metrics(records: Sequence[Record]) -> dict[str, float | None]:
    semantic = {k: v for k, v in semantic_metrics(records).items() if v is not None}
    return {
        **answer_metrics(records),
        **semantic,
        **retrieval_metrics(records),
        **abstention(records),
        "citation_validity": citation_validity(records),
        "unsupported_share": unsupported_share(records),
        "quiz_accuracy": quiz_accuracy(records),
        **latency(records),
        "questions": float(len(records)),
    }
