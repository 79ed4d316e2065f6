"""A chat conversation and a quiz with its answer key as deliverables, so they export to Word
like drafts: one numbering of sources across the whole file, each ``[n]`` leading to the
"Sources" section.

Quiz items are read by duck typing (``question`` or ``stem``, ``options``, ``answer`` as a
list or one option, ``explanation``, ``citations`` as objects or dicts), so fields added to
``QuizItem`` later do no harm.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from ..models import Answer, Citation
from .document import Deliverable, Header, Paragraph, cited_pieces

LETTERS = "ABCDEFGH"


def _adopt(d: Deliverable, citations: Iterable[Any]) -> dict[int, int]:
    """Add an answer's (or quiz item's) sources to ``d``; old number -> new number."""
    mapping: dict[int, int] = {}
    for c in citations:
        get = c.get if isinstance(c, dict) else (lambda k, c=c: getattr(c, k, None))
        copy = Citation(
            0,
            str(get("chunk_id") or ""),
            str(get("doc_id") or ""),
            str(get("title") or ""),
            str(get("section") or ""),
            [str(x) for x in get("clauses") or []],
            str(get("quote") or ""),
            str(get("chunk_text") or ""),
        )
        mapping[int(get("n") or 0)] = d.cite(copy)
    return mapping


def _cited(d: Deliverable, text: str, mapping: dict[int, int], style: str = "body") -> None:
    d.blocks.append(Paragraph(cited_pieces(text, mapping), style))  # type: ignore[arg-type]


def conversation_deliverable(
    turns: Iterable[tuple[str, str | Answer]],
    title: str = "isoguide conversation",
    corpus_version: str = "",
    made_on: str = "",
) -> Deliverable:
    header = Header(title, "", corpus_version=corpus_version)
    if made_on:
        header.made_on = made_on
    header.notice = (
        "Answers quote the isoguide guidance: check the sources before relying on them. "
        "ISO 9001 requirements are paraphrased by the guidance, not quoted from the standard."
    )
    d = Deliverable(title, header)
    n = 0
    for role, content in turns:
        if role == "user":
            n += 1
            d.heading(f"Question {n}")
            d.words(str(content), "question")
        elif isinstance(content, Answer):
            if content.abstained:
                d.words(content.answer, "note")
                for c in content.see_also:
                    d.words(f"Closest section: {c.title} › {c.section}", "bullet")
            else:
                _cited(d, content.answer, _adopt(d, content.citations))
            if content.notice:
                d.words(f"Note: {content.notice}", "note")
            if content.unsupported:
                d.words("Not supported by the cited guidance (check before use):")
                for s in content.unsupported:
                    d.words(s, "bullet")
        else:
            d.words(str(content), "note")
    if n == 0:
        d.words("No questions asked yet.", "note")
    return d


def _field(item: Any, *names: str, default: Any = None) -> Any:
    for name in names:
        value = item.get(name) if isinstance(item, dict) else getattr(item, name, None)
        if value is not None:
            return value
    return default


def quiz_deliverable(
    items: Sequence[Any], title: str, corpus_version: str = "", audience: str = "trainees"
) -> Deliverable:
    """Questions first, then a separate answer key with explanations and cited sources."""
    header = Header(title, audience, corpus_version=corpus_version)
    header.notice = (
        "Quiz built from quoted isoguide guidance: check it before use. The answer key follows "
        "the questions; remove it before handing the quiz out."
    )
    d = Deliverable(title, header)
    d.heading("Questions")
    for q, item in enumerate(items, start=1):
        d.words(f"{q}. {_field(item, 'question', 'stem', default='')}", "question")
        for i, option in enumerate(_field(item, "options", default=[])):
            d.words(f"{LETTERS[i]}. {option}", "option")
    d.heading("Answer key")
    for q, item in enumerate(items, start=1):
        options = list(_field(item, "options", default=[]))
        answer = _field(item, "answer", "answers", default=[])
        answers = [answer] if isinstance(answer, str) else list(answer)
        letters = ", ".join(LETTERS[options.index(a)] for a in answers if a in options)
        d.words(f"{q}. {letters or '?'}: {'; '.join(str(a) for a in answers)}", "question")
        mapping = _adopt(d, _field(item, "citations", default=[]))
        explanation = str(_field(item, "explanation", default="") or "")
        if explanation:
            _cited(d, explanation, mapping)
        elif mapping:
            _cited(d, "Source: " + " ".join(f"[{k}]" for k in mapping), mapping)
    return d
