"""Read guidance files of any supported type into one shape: a title and a Markdown body."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .clean import clean_web_text, strip_title_prefix, text_to_markdown

SUPPORTED_SUFFIXES = (".md", ".markdown", ".txt", ".pdf", ".docx", ".html", ".htm")
SKIPPED_NAMES = {
    "readme.md",
    "changelog.md",
}  # a corpus folder's index and history are not guidance


class LoadError(Exception):
    """A file that cannot be ingested; the message names the file and the reason."""


@dataclass
class SourceDocument:
    doc_id: str
    title: str
    body: str  # Markdown: "#"-headings mark sections
    source: str
    clauses: list[str] = field(default_factory=list)
    meta: dict[str, Any] = field(default_factory=dict)


def slugify(text: str) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
    return slug[:80] or "document"


_FRONT_MATTER = re.compile(r"\A---\s*\n(.*?)\n---\s*(?:\n|\Z)", re.DOTALL)


def _read_text(path: Path) -> str:
    data = path.read_bytes()
    if b"\x00" in data[:8192]:
        raise LoadError(f"{path}: looks binary (NUL bytes), not a text file; skipped")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            return data.decode("cp1252")
        except UnicodeDecodeError as exc:
            raise LoadError(f"{path}: not UTF-8 text ({exc}); skipped") from exc


def load_markdown(path: Path) -> SourceDocument:
    text = _read_text(path)
    meta: dict[str, Any] = {}
    match = _FRONT_MATTER.match(text)
    if match:
        try:
            loaded = yaml.safe_load(match.group(1)) or {}
        except yaml.YAMLError as exc:
            raise LoadError(f"{path}: front-matter is not valid YAML ({exc}); skipped") from exc
        if not isinstance(loaded, dict):
            raise LoadError(f"{path}: front-matter must be a YAML mapping; skipped")
        meta = loaded
        text = text[match.end() :]
    title = str(meta.get("title") or "")
    heading = re.search(r"^#\s+(.+)$", text, re.MULTILINE)
    if not title and heading:
        title = heading.group(1).strip()
    if heading and heading.group(1).strip() == title:
        text = text[: heading.start()] + text[heading.end() :]
    clauses = [str(c) for c in (meta.get("clauses") or [])]
    return SourceDocument(
        doc_id=str(meta.get("id") or slugify(path.stem)),
        title=title or path.stem.replace("-", " ").replace("_", " "),
        body=text.strip(),
        source=str(path),
        clauses=clauses,
        meta=meta,
    )


def load_text(path: Path) -> SourceDocument:
    title, body = text_to_markdown(_read_text(path))
    return SourceDocument(slugify(path.stem), title or path.stem, body, str(path))


def load_pdf(path: Path) -> SourceDocument:
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(str(path))
        pages = [page.extract_text() or "" for page in reader.pages]
    except (PdfReadError, OSError, ValueError, KeyError) as exc:
        raise LoadError(f"{path}: unreadable PDF ({exc}); skipped") from exc
    meta_title = ""
    try:
        meta_title = str(reader.metadata.get("/Title") or "") if reader.metadata else ""
    except Exception:  # metadata is optional and often broken; the body still counts
        meta_title = ""
    title, body = text_to_markdown("\n\n".join(pages))
    return SourceDocument(slugify(path.stem), meta_title or title or path.stem, body, str(path))


def load_docx(path: Path) -> SourceDocument:
    import docx
    from docx.opc.exceptions import PackageNotFoundError

    try:
        document = docx.Document(str(path))
    except (PackageNotFoundError, ValueError, KeyError, OSError) as exc:
        raise LoadError(f"{path}: unreadable Word file ({exc}); skipped") from exc
    except Exception as exc:  # zipfile.BadZipFile and friends
        raise LoadError(f"{path}: unreadable Word file ({exc}); skipped") from exc
    title = (document.core_properties.title or "").strip()
    parts: list[str] = []
    for para in document.paragraphs:
        text = para.text.strip()
        if not text:
            continue
        style = (para.style.name if para.style is not None else "") or ""
        if style == "Title":
            title = title or text
        elif style.startswith("Heading"):
            level = int(style.split()[-1]) if style.split()[-1].isdigit() else 2
            parts.append("#" * min(level + 1, 4) + " " + text)
        else:
            parts.append(text)
    return SourceDocument(slugify(path.stem), title or path.stem, "\n\n".join(parts), str(path))


_HTML_NOISE = re.compile(
    r"nav|menu|footer|header|breadcrumb|related|recommend|share|social|comment|sidebar|advert|cookie",
    re.IGNORECASE,
)


def load_html(path: Path) -> SourceDocument:
    from bs4 import BeautifulSoup
    from bs4.element import Tag

    soup = BeautifulSoup(_read_text(path), "html.parser")
    for tag in soup(["script", "style", "nav", "header", "footer", "aside", "form", "noscript"]):
        tag.decompose()
    for tag in soup.find_all(True):
        if not isinstance(tag, Tag) or tag.attrs is None:
            continue
        classes: Any = tag.get("class") or []
        marks = " ".join(
            [*(classes if isinstance(classes, list) else [str(classes)]), str(tag.get("id", ""))]
        )
        if marks.strip() and _HTML_NOISE.search(marks) and tag.name not in ("html", "body", "main"):
            tag.decompose()
    title = ""
    if soup.title and soup.title.string:
        title = soup.title.string.strip()
    h1 = soup.find("h1")
    if h1 is not None:
        title = h1.get_text(" ", strip=True) or title
    lines: list[str] = []
    root = soup.find("main") or soup.find("article") or soup.body or soup
    for el in root.find_all(["h1", "h2", "h3", "h4", "p", "li", "td", "pre", "blockquote"]):
        text = el.get_text(" ", strip=True)
        if not text:
            continue
        if el.name == "h1":
            continue
        if el.name in ("h2", "h3", "h4"):
            lines.append("#" * int(el.name[1]) + " " + text)
        else:
            lines.append(text)
    # The cleaner still runs: teaser lists and nav furniture often sit in plain <p> and <li>.
    body = "\n\n".join(
        ln if ln.startswith("#") else clean_web_text(ln)
        for ln in lines
        if ln.startswith("#") or clean_web_text(ln)
    )
    return SourceDocument(
        slugify(path.stem), strip_title_prefix(title) or path.stem, body, str(path)
    )


def load_file(path: Path) -> SourceDocument:
    """Load one file by its suffix; raise LoadError with a reason the user can act on."""
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        raise LoadError(
            f"{path}: unsupported file type {suffix or '(none)'}; "
            f"supported: {', '.join(SUPPORTED_SUFFIXES)}"
        )
    try:
        if path.stat().st_size == 0:
            raise LoadError(f"{path}: empty file; skipped")
        if suffix in (".md", ".markdown"):
            doc = load_markdown(path)
        elif suffix == ".txt":
            doc = load_text(path)
        elif suffix == ".pdf":
            doc = load_pdf(path)
        elif suffix == ".docx":
            doc = load_docx(path)
        else:
            doc = load_html(path)
    except PermissionError as exc:
        raise LoadError(f"{path}: permission denied; skipped") from exc
    except OSError as exc:
        raise LoadError(f"{path}: cannot be read ({exc.strerror or exc}); skipped") from exc
    if len(re.sub(r"\W", "", doc.body)) < 20:
        raise LoadError(f"{path}: no readable text after cleaning; skipped")
    return doc
