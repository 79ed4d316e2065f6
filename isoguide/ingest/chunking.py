"""Split a document along its headings into sections, capped in size with overlap."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

from isoguide.clauses import VALID_CLAUSES, find_clauses
from isoguide.models import Chunk

from .loaders import SourceDocument

CHUNKER_VERSION = "3"
#: The answer-first section every corpus document ends with; each pair is its own unit.
QA_SECTION = "Questions people ask"
_HEADING = re.compile(r"^(#{1,6})\s+(.+?)\s*#*\s*$")
_SENTENCE_SPLIT = re.compile(r"(?<=[.!?])\s+(?=[A-Z0-9\"'(“])")


def sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def split_sections(body: str) -> list[tuple[list[str], str]]:
    """``[(heading path, section text)]``: text before the first heading has an empty path."""
    sections: list[tuple[list[str], str]] = []
    path: list[tuple[int, str]] = []
    buf: list[str] = []

    def flush() -> None:
        text = "\n".join(buf).strip()
        if text:
            sections.append(([h for _, h in path], text))
        buf.clear()

    for line in body.split("\n"):
        match = _HEADING.match(line)
        if match:
            flush()
            level, heading = len(match.group(1)), match.group(2).strip()
            path = [(lvl, h) for lvl, h in path if lvl < level] + [(level, heading)]
        else:
            buf.append(line)
    flush()
    return sections


def _pieces(text: str, max_chars: int) -> list[str]:
    """Paragraphs, with any paragraph longer than ``max_chars`` split into sentences."""
    out: list[str] = []
    for para in re.split(r"\n\s*\n", text):
        para = para.strip()
        if not para:
            continue
        if len(para) <= max_chars:
            out.append(para)
        else:
            out.extend(s.strip() for s in _SENTENCE_SPLIT.split(para) if s.strip())
    return out


def pack(text: str, max_chars: int, overlap_chars: int) -> list[str]:
    """Greedy packing of paragraphs up to ``max_chars``; each new window repeats the tail of the last."""
    pieces = _pieces(text, max_chars)
    windows: list[str] = []
    current: list[str] = []
    for piece in pieces:
        size = sum(len(p) + 2 for p in current)
        if current and size + len(piece) > max_chars:
            windows.append("\n\n".join(current))
            carry: list[str] = []
            for prev in reversed(current):
                if sum(len(p) for p in carry) + len(prev) > overlap_chars:
                    break
                carry.insert(0, prev)
            current = carry
        current.append(piece)
    if current:
        windows.append("\n\n".join(current))
    return windows


def doc_editions(doc: SourceDocument) -> tuple[str, ...]:
    """The ISO 9001 editions a document describes (front-matter ``editions``; else 2015)."""
    raw = doc.meta.get("editions") or ["2015"]
    return tuple(str(e) for e in (raw if isinstance(raw, list) else [raw]))


def section_editions(path: list[str], default: tuple[str, ...]) -> tuple[str, ...]:
    """A section headed "... in ISO 9001:2026 ..." describes the 2026 edition only."""
    return ("2026",) if any("9001:2026" in h for h in path) else default


def chunk_document(doc: SourceDocument, max_chars: int, overlap_chars: int) -> list[Chunk]:
    """Chunks of ``doc`` with ids, clause tags and hashes that change only when the content does.

    Passages are cut along headings; each pair of the "Questions people ask" section becomes
    one "qa" unit whose question is what gets embedded."""
    doc_clauses = [c for c in doc.clauses if c in VALID_CLAUSES]
    editions = doc_editions(doc)
    drafts: list[tuple[str, str, list[str], str, str, tuple[str, ...]]] = []
    for path, text in split_sections(doc.body):
        section = " > ".join(path) if path else "Introduction"
        eds = section_editions(path, editions)
        if len(path) >= 2 and path[-2] == QA_SECTION:
            clauses = list(dict.fromkeys(doc_clauses + find_clauses(path[-1] + "\n" + text)))
            drafts.append((section, text.strip(), clauses, "qa", path[-1], eds))
            continue
        # a section headed with its own clause ("Clause 6.3 in ISO 9001:2026: ...") is about it
        own = find_clauses(path[-1]) if path and eds == ("2026",) else []
        for window in pack(text, max_chars, overlap_chars):
            found = find_clauses(section + "\n" + window)
            clauses = list(dict.fromkeys(own + doc_clauses + found))
            drafts.append((section, window, clauses, "passage", "", eds))
    # The file's name, not its path: the same corpus in another folder or on another machine
    # (several servers sharing one Chroma server) is the same version and embeds nothing.
    fingerprint = "\x1e".join(
        [CHUNKER_VERSION, str(max_chars), str(overlap_chars), doc.doc_id, doc.title]
        + [Path(doc.source).name]
        + [f"{s}\x1f{t}\x1f{','.join(c)}\x1f{k}\x1f{','.join(e)}" for s, t, c, k, _, e in drafts]
    )
    doc_hash = sha256(fingerprint)
    return [
        Chunk(
            chunk_id=f"{doc.doc_id}:{doc_hash[:12]}:{i:03d}",
            doc_id=doc.doc_id,
            title=doc.title,
            section=section,
            clauses=tuple(clauses),
            source=doc.source,
            content_hash=sha256(section + "\n" + text),
            text=text,
            doc_hash=doc_hash,
            position=i,
            kind=kind,
            question=question,
            editions=eds,
        )
        for i, (section, text, clauses, kind, question, eds) in enumerate(drafts)
    ]


def embedding_text(chunk: Chunk) -> str:
    """What is embedded: a question-answer unit by its question (question-to-question
    similarity is what all-MiniLM-L6-v2 was trained for); a passage with its title and section
    for context."""
    if chunk.kind == "qa":
        return chunk.question
    return f"{chunk.title}. {chunk.section}.\n{chunk.text}"
