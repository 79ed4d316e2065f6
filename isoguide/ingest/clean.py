"""Web boilerplate removal for text scraped from guidance pages.

Real input looks like ``shared/seeds/``: the title repeated three times, "<<: previous" and
">>: next" links, a "Recommend" or "Related News" block of teasers at the end, a publication
date on its own line, list numbers split from their items, and the word "undefined".
"""

from __future__ import annotations

import re

# A line that is exactly one of these starts a trailing block of links and teasers.
_TAIL_MARKERS = re.compile(
    r"^(recommend(ed)?|related (news|articles?|downloads|posts|reading)|you may also like|"
    r"read more|more news|popular posts|latest news|hot tags|tags)\s*:?\s*$",
    re.IGNORECASE,
)
# A line that is navigation or page furniture wherever it stands.
_NOISE_LINE = re.compile(
    r"^(<<|>>)\s*:|^(previous|next)( (article|post|page))?\s*:|^undefined$|^(home|menu|search|share|"
    r"print|back to top|login|sign in|subscribe)$|^(release date|published|source|author|views|"
    r"click(s)?)\s*:\s*$|^\d{4}-\d{2}-\d{2}( \d{2}:\d{2}(:\d{2})?)?$|^copyright\b|^©",
    re.IGNORECASE,
)
_NAV_SEPARATORS = re.compile(r"\s(\||»|>|/)\s")
_TITLE_PREFIX = re.compile(r"^(recommended reading|news|article)\s*[|:]\s*", re.IGNORECASE)
_BARE_NUMBER = re.compile(r"^\(?(\d{1,2}|[ivx]{1,4})[.)]?$", re.IGNORECASE)


def _is_nav_line(line: str) -> bool:
    """``Home | About | News | Contact``: several short items joined by separators."""
    parts = _NAV_SEPARATORS.split(line)
    items = [p for p in parts if p.strip() and p.strip() not in "|»>/"]
    return len(items) >= 3 and all(len(p.strip()) <= 25 for p in items)


def _is_teaser(line: str) -> bool:
    """A truncated teaser from a link list: ends in '...' and is short."""
    return line.endswith(("...", "…")) and len(line) < 120


def clean_web_text(text: str) -> str:
    """Plain text with navigation, teasers, repeated titles and trailing link blocks removed."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\u00a0", " ")
    lines = [re.sub(r"[ \t]+", " ", ln).strip() for ln in text.split("\n")]

    # Cut a trailing link block: a marker in the second half, or a marker followed only by
    # short lines (teasers and titles) whatever its position.
    nonblank = [i for i, ln in enumerate(lines) if ln]
    for idx in nonblank:
        if _TAIL_MARKERS.match(lines[idx]):
            rest = [ln for ln in lines[idx + 1 :] if ln]
            in_tail = idx >= len(lines) // 2
            only_short = all(len(ln) < 160 for ln in rest)
            if in_tail or only_short:
                lines = lines[:idx]
                break

    out: list[str] = []
    seen_long: set[str] = set()
    pending_number: str | None = None
    for line in lines:
        if not line:
            if out and out[-1] != "":
                out.append("")
            continue
        if _TAIL_MARKERS.match(line) or _NOISE_LINE.search(line) or _is_nav_line(line):
            continue
        if _is_teaser(line):
            continue
        key = line.casefold()
        if len(line) >= 20:
            if key in seen_long:  # repeated title or repeated paragraph
                continue
            seen_long.add(key)
        if _BARE_NUMBER.match(line):
            pending_number = line.strip("().")
            continue
        if pending_number is not None:
            line = f"{pending_number}. {line}"
            pending_number = None
        out.append(line)
    cleaned = "\n".join(out).strip()
    return re.sub(r"\n{3,}", "\n\n", cleaned)


def strip_title_prefix(title: str) -> str:
    """``Recommended Reading | Reflections on ...`` -> ``Reflections on ...``."""
    return _TITLE_PREFIX.sub("", title).strip()


_SENTENCE_END = re.compile(r"[.!?;:。)\]\"”]$")


def looks_like_heading(line: str, next_line: str | None) -> bool:
    """A short line without closing punctuation, followed by body text."""
    if not line or len(line) > 120 or _SENTENCE_END.search(line):
        return False
    if len(line.split()) > 16:
        return False
    return next_line is not None and len(next_line) > len(line)


def text_to_markdown(text: str) -> tuple[str, str]:
    """Cleaned plain text as ``(title, markdown body)`` with likely headings marked ``##``."""
    cleaned = clean_web_text(text)
    lines = [ln for ln in cleaned.split("\n")]
    first = next((ln for ln in lines if ln.strip()), "")
    title = ""
    if first and len(first) <= 200 and not first.endswith("."):
        title = strip_title_prefix(first)
        lines = lines[lines.index(first) + 1 :]
    body: list[str] = []
    content = [ln for ln in lines if ln.strip()]
    for i, line in enumerate(content):
        nxt = content[i + 1] if i + 1 < len(content) else None
        if looks_like_heading(line, nxt):
            body.append(f"## {line}")
        else:
            body.append(line)
    return title, "\n\n".join(body)
