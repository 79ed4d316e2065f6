"""What staff ask, computed from the stored conversations (no third-party analytics): questions
per week, by clause, the most-asked topics, declined questions grouped as the guidance's gaps,
and the answers rated thumbs-down. For the quality lead's clause 9.1.3 / 10.3 loop."""

from __future__ import annotations

import csv
import io
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

import numpy as np

from .clauses import clause_label, find_clauses
from .feedback import FeedbackRecord
from .history import StoredAnswer

#: Two declined questions this similar (cosine of their embeddings) are the same gap.
GAP_SIMILARITY = 0.6
Embed = Callable[[list[str]], "np.ndarray | list[list[float]]"]


@dataclass(frozen=True)
class Gap:
    """Declined questions that ask about the same thing."""

    question: str  # the group's most typical question
    count: int
    questions: list[str]
    last_asked: str


@dataclass
class Report:
    n_questions: int = 0
    n_declined: int = 0
    n_thumbs_down: int = 0
    per_week: list[dict[str, object]] = field(default_factory=list)
    by_clause: list[dict[str, object]] = field(default_factory=list)
    topics: list[dict[str, object]] = field(default_factory=list)
    gaps: list[Gap] = field(default_factory=list)
    thumbs_down: list[FeedbackRecord] = field(default_factory=list)
    rows: list[dict[str, object]] = field(default_factory=list)  # one per question, for CSV


def week_of(timestamp: str) -> str:
    """The Monday (ISO date) of the week ``timestamp`` falls in."""
    day = datetime.fromisoformat(timestamp).date()
    return (day - timedelta(days=day.weekday())).isoformat()


def _clauses(item: StoredAnswer) -> list[str]:
    """Clauses a question is about: those it names, else those of the passages it cited."""
    named = find_clauses(item.answer.question)
    if named:
        return named
    seen: dict[str, None] = {}
    for citation in item.answer.citations:
        for clause in citation.clauses:
            seen.setdefault(clause, None)
    return list(seen)


def _topic(item: StoredAnswer) -> str | None:
    """The guidance document that answered (its first source)."""
    if item.answer.abstained or not item.answer.citations:
        return None
    return item.answer.citations[0].title


def _weeks(items: Sequence[StoredAnswer]) -> list[dict[str, object]]:
    asked: Counter[str] = Counter()
    declined: Counter[str] = Counter()
    for item in items:
        week = week_of(item.created_at)
        asked[week] += 1
        declined[week] += item.answer.abstained
    if not asked:
        return []
    first, last = date.fromisoformat(min(asked)), date.fromisoformat(max(asked))
    weeks, day = [], first
    while day <= last:  # weeks with no question are shown as 0, not left out
        key = day.isoformat()
        weeks.append(
            {"week": key, "answered": asked[key] - declined[key], "declined": declined[key]}
        )
        day += timedelta(days=7)
    return weeks


def group_gaps(
    declined: Sequence[StoredAnswer], embed: Embed | None, threshold: float = GAP_SIMILARITY
) -> list[Gap]:
    """Declined questions grouped by meaning (greedy: each joins the first group whose centre is
    at least ``threshold`` similar), the largest group first. Without ``embed``, questions group
    only when their words are the same."""
    if not declined:
        return []
    questions = [d.answer.question for d in declined]
    if embed is not None:
        vectors = np.asarray(embed(questions), dtype=np.float32)
        vectors /= np.linalg.norm(vectors, axis=1, keepdims=True) + 1e-12
    else:
        vectors = None
    groups: list[list[int]] = []
    centres: list[np.ndarray] = []
    keys: list[str] = []
    for i, question in enumerate(questions):
        key = " ".join(sorted(set(question.lower().strip(" ?.!").split())))
        target = None
        for g in range(len(groups)):
            if vectors is not None:
                centre = centres[g] / (np.linalg.norm(centres[g]) + 1e-12)
                if float(vectors[i] @ centre) >= threshold:
                    target = g
                    break
            elif keys[g] == key:
                target = g
                break
        if target is None:
            groups.append([i])
            keys.append(key)
            centres.append(vectors[i].copy() if vectors is not None else np.zeros(1))
        else:
            groups[target].append(i)
            if vectors is not None:
                centres[target] = centres[target] + vectors[i]
    gaps = []
    for g, members in enumerate(groups):
        if vectors is not None:
            centre = centres[g] / (np.linalg.norm(centres[g]) + 1e-12)
            typical = max(members, key=lambda i: float(vectors[i] @ centre))
        else:
            typical = members[0]
        gaps.append(
            Gap(
                question=questions[typical],
                count=len(members),
                questions=[questions[i] for i in members],
                last_asked=max(declined[i].created_at for i in members),
            )
        )
    return sorted(gaps, key=lambda g: (-g.count, g.question))


def build_report(
    answers: Sequence[StoredAnswer],
    thumbs_down: Sequence[FeedbackRecord] = (),
    embed: Embed | None = None,
    top: int = 15,
) -> Report:
    """The analytics over stored answers and the thumbs-down ratings."""
    report = Report(
        n_questions=len(answers),
        n_declined=sum(a.answer.abstained for a in answers),
        n_thumbs_down=len(thumbs_down),
        thumbs_down=list(thumbs_down),
    )
    report.per_week = _weeks(answers)
    clauses: Counter[str] = Counter()
    topics: Counter[str] = Counter()
    for item in answers:
        found = _clauses(item)
        clauses.update(found)
        topic = _topic(item)
        if topic:
            topics[topic] += 1
        report.rows.append(
            {
                "asked_at": item.created_at,
                "week": week_of(item.created_at),
                "question": item.answer.question,
                "declined": item.answer.abstained,
                "clauses": " ".join(found),
                "topic": topic or "",
                "sources": "; ".join(f"{c.title} › {c.section}" for c in item.answer.citations),
                "provider": item.answer.provider,
            }
        )
    report.by_clause = [
        {"clause": clause_label(c), "questions": n} for c, n in clauses.most_common(top)
    ]
    report.topics = [{"topic": t, "questions": n} for t, n in topics.most_common(top)]
    report.gaps = group_gaps([a for a in answers if a.answer.abstained], embed)
    return report


def to_csv(rows: Sequence[dict[str, object]]) -> bytes:
    """Rows as CSV (UTF-8 with a BOM, so spreadsheet programs read the accents right)."""
    out = io.StringIO()
    if rows:
        writer = csv.DictWriter(out, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def gap_rows(gaps: Sequence[Gap]) -> list[dict[str, object]]:
    return [
        {
            "question": g.question,
            "times_asked": g.count,
            "last_asked": g.last_asked,
            "all_questions": " | ".join(g.questions),
        }
        for g in gaps
    ]


def thumbs_down_rows(records: Sequence[FeedbackRecord]) -> list[dict[str, object]]:
    return [
        {
            "rated_at": r.updated_at,
            "rated_by": r.user_id,
            "question": r.question,
            "answer": r.answer,
            "sources": "; ".join(f"{c.get('title')} › {c.get('section')}" for c in r.citations),
            "provider": r.provider,
        }
        for r in records
    ]
