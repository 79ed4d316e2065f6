"""Showing answers and their sources. Corpus and model text is always escaped before it meets
Markdown, so a passage can show ``<script>`` or ``![img](...)`` but never run or load it."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

import streamlit as st

from ..editions import edition_clause_label, edition_note
from ..models import Answer, Chunk, Citation

# Every ASCII character Markdown, GFM, HTML entities or Streamlit directives give meaning to.
_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$:=&^\"'])")
_CLAUSE_NUMBER = re.compile(r"^\d{1,2}(\.\d{1,2}){0,3}$")
_ESCAPED_MARKER = re.compile(r"\\\[(\d{1,3})\\\]")
UNSUPPORTED_MARK = ":material/warning:"


def escape_markdown(text: str) -> str:
    """``text`` as literal Markdown: special characters backslash-escaped, indentation that
    would start a code block removed, line breaks kept."""
    lines = [_MD_SPECIAL.sub(r"\\\1", line.lstrip()) for line in text.splitlines()]
    return "  \n".join(lines) if len(lines) > 1 else (lines[0] if lines else "")


def _with_markers(escaped: str) -> str:
    """Citation markers ``[n]`` in bold so they stand out (still literal brackets)."""
    return _ESCAPED_MARKER.sub(r"**\\[\1\\]**", escaped)


def partial_markdown(text: str) -> str:
    """Text still being streamed, as safe Markdown."""
    return _with_markers(escape_markdown(text))


def answer_markdown(answer: Answer) -> str:
    """The answer text as safe Markdown, with every unsupported sentence flagged in place."""
    text = answer.answer
    spans: list[tuple[int, int]] = []
    for sentence in answer.unsupported:
        start = text.find(sentence.strip())
        if start >= 0 and sentence.strip():
            spans.append((start, start + len(sentence.strip())))
    spans.sort()
    out: list[str] = []
    pos = 0
    for start, end in spans:
        if start < pos:
            continue
        out.append(escape_markdown(text[pos:start]))
        out.append(
            f"{UNSUPPORTED_MARK} {escape_markdown(text[start:end])} *(not supported by the sources)*"
        )
        pos = end
    out.append(escape_markdown(text[pos:]))
    return _with_markers("".join(out))


def clause_chips(clauses: Iterable[str], editions: Sequence[str] = ()) -> str:
    """Clause badges such as ``7.2 Competence`` (titled from the clause map in the edition the
    passage describes) and an edition badge; anything not shaped like a clause is dropped."""
    edition = "2026" if list(editions) == ["2026"] else "2015"
    chips = [
        f":blue-badge[{escape_markdown(edition_clause_label(c, edition))}]"
        for c in clauses
        if _CLAUSE_NUMBER.match(c.strip())
    ]
    if editions:
        label = " and ".join(f"ISO 9001:{e}" for e in editions)
        chips.append(f":gray-badge[{escape_markdown(label)}]")
    return " ".join(chips)


def source_heading(n: int | None, title: str, section: str) -> str:
    head = f"**\\[{n}\\]** " if n is not None else ""
    return f"{head}{escape_markdown(title)} › {escape_markdown(section)}"


def show_sources(citations: Sequence[Citation], heading: str = "Sources") -> None:
    """The sources panel: heading, clause chips, quoted passage, and the full passage on demand."""
    if not citations:
        return
    with st.container(border=True):
        st.caption(heading)
        for c in citations:
            chips = clause_chips(c.clauses, c.editions)
            st.markdown(source_heading(c.n, c.title, c.section) + (f"  \n{chips}" if chips else ""))
            st.markdown("> " + escape_markdown(c.quote).replace("  \n", "  \n> "))
            if c.chunk_text:
                with st.expander(f"Full passage [{c.n}]"):
                    st.text(c.chunk_text)


def show_see_also(chunks: Sequence[Chunk]) -> None:
    if not chunks:
        return
    st.markdown("**Closest sections in the guidance:**")
    for c in chunks:
        chips = clause_chips(c.clauses)
        st.markdown(
            "- " + source_heading(None, c.title, c.section) + (f" {chips}" if chips else "")
        )


def show_answer(answer: Answer) -> None:
    """A finished answer: text (or a distinct "not covered" box), notices, then its sources."""
    if answer.abstained:
        st.warning(escape_markdown(answer.answer), icon=":material/search_off:")
        show_see_also(answer.see_also)
    else:
        st.markdown(answer_markdown(answer))
    if answer.notice:
        st.info(escape_markdown(answer.notice), icon=":material/info:")
    if answer.unsupported:
        items = "\n".join(f"- {escape_markdown(s)}" for s in answer.unsupported)
        st.warning(
            f"{UNSUPPORTED_MARK} The model wrote {len(answer.unsupported)} sentence(s) the cited "
            f"guidance does not support; check them before use:\n\n{items}"
        )
    show_sources(answer.citations)
    if not answer.abstained and answer.edition:
        st.caption(escape_markdown(edition_note(answer.edition)))
    st.caption(f"Answered by: {escape_markdown(answer.provider)}")
