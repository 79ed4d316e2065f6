"""A conversation as a Markdown file: each question, its answer, and the sources it quotes."""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import UTC, datetime

from .clauses import clause_label
from .models import Answer, Citation

#: A turn as the app keeps it: ("user", question) or ("assistant", Answer or an error text).
ExportTurn = tuple[str, "str | Answer"]


def neutralise(text: str) -> str:
    """Corpus or model text that stays text in any Markdown viewer: no raw HTML, no images,
    no reference-link definitions."""
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    text = text.replace("![", "!\\[")
    return re.sub(r"(?m)^(\s*)\[([^\]]*)\]:", r"\1\\[\2\\]:", text)


def _quote_block(text: str) -> str:
    return "\n".join(f"> {line}".rstrip() for line in neutralise(text.strip()).splitlines())


def _clauses(clauses: Iterable[str]) -> str:
    labels = [clause_label(c) for c in clauses]
    return f" (clauses: {'; '.join(labels)})" if labels else ""


def _source(c: Citation) -> str:
    head = f"[{c.n}] {neutralise(c.title)} › {neutralise(c.section)}{_clauses(c.clauses)}"
    return f"{head}\n\n{_quote_block(c.quote)}"


def answer_markdown(answer: Answer) -> str:
    """One answer with its notices and numbered sources."""
    parts = [f"**Answer** ({answer.provider}{', not covered' if answer.abstained else ''})", ""]
    parts.append(neutralise(answer.answer.strip()))
    if answer.notice:
        parts += ["", f"*Note: {neutralise(answer.notice)}*"]
    if answer.unsupported:
        parts += ["", "**Not supported by the cited guidance (check before use):**", ""]
        parts += [f"- {neutralise(s)}" for s in answer.unsupported]
    if answer.abstained and answer.see_also:
        parts += ["", "**Closest sections in the guidance:**", ""]
        parts += [
            f"- {neutralise(c.title)} › {neutralise(c.section)}{_clauses(c.clauses)}"
            for c in answer.see_also
        ]
    if answer.citations:
        parts += ["", "**Sources**", ""]
        parts += ["\n\n".join(_source(c) for c in answer.citations)]
    return "\n".join(parts)


def conversation_markdown(
    turns: Iterable[ExportTurn],
    title: str = "isoguide conversation",
    exported_at: datetime | None = None,
) -> str:
    """The whole conversation, questions numbered, ready to save as ``.md``."""
    when = (exported_at or datetime.now(UTC)).isoformat(timespec="seconds")
    lines = [
        f"# {neutralise(title)}",
        "",
        f"Exported {when}. Answers quote the isoguide guidance; "
        "check the sources before relying on them.",
        "",
    ]
    n = 0
    for role, content in turns:
        if role == "user":
            n += 1
            lines += [f"## Question {n}", "", _quote_block(str(content)), ""]
        elif isinstance(content, Answer):
            lines += [answer_markdown(content), ""]
        else:
            lines += [f"*{neutralise(str(content))}*", ""]
    if n == 0:
        lines += ["(No questions asked yet.)", ""]
    return "\n".join(lines).rstrip() + "\n"
