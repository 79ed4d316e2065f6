"""Prompts are files in ``isoguide/prompts/`` (package data, read with ``importlib.resources``)
or in a folder the settings name: YAML front-matter declaring their variables, then
``# system`` and ``# user`` sections. A prompt whose text and declaration disagree is an error."""

from __future__ import annotations

import string
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path

import yaml
from langchain_core.prompts import ChatPromptTemplate

from .errors import PromptError

_ROLES = ("system", "user")


@dataclass(frozen=True)
class PromptFile:
    name: str
    variables: frozenset[str]
    messages: tuple[tuple[str, str], ...]

    def template(self) -> ChatPromptTemplate:
        return ChatPromptTemplate.from_messages(list(self.messages))

    def format_messages(self, **values: str) -> list[object]:
        missing = self.variables - set(values)
        extra = set(values) - self.variables
        if missing or extra:
            raise PromptError(
                f"Prompt {self.name!r} takes {sorted(self.variables)}; "
                f"missing {sorted(missing)}, unexpected {sorted(extra)}."
            )
        return list(self.template().format_messages(**values))


def _placeholders(text: str) -> set[str]:
    return {field for _, field, _, _ in string.Formatter().parse(text) if field}


def parse_prompt(text: str, source: str) -> PromptFile:
    if not text.startswith("---"):
        raise PromptError(f"{source}: a prompt file starts with YAML front-matter (---).")
    try:
        _, front, body = text.split("---", 2)
        meta = yaml.safe_load(front) or {}
    except (ValueError, yaml.YAMLError) as exc:
        raise PromptError(f"{source}: unreadable front-matter ({exc}).") from exc
    declared = frozenset(str(v) for v in meta.get("variables") or [])
    messages: list[tuple[str, str]] = []
    role: str | None = None
    lines: list[str] = []
    for line in body.strip("\n").split("\n"):
        heading = line.strip().lower()
        if heading.startswith("# ") and heading[2:] in _ROLES:
            if role:
                messages.append((role, "\n".join(lines).strip()))
            role, lines = heading[2:], []
        else:
            lines.append(line)
    if role:
        messages.append((role, "\n".join(lines).strip()))
    if not messages:
        raise PromptError(f"{source}: no '# system' or '# user' section.")
    used = set().union(*(_placeholders(t) for _, t in messages))
    if used != declared:
        raise PromptError(
            f"{source}: the text uses {sorted(used)} but the front-matter declares {sorted(declared)}."
        )
    return PromptFile(str(meta.get("name") or Path(source).stem), declared, tuple(messages))


@lru_cache(maxsize=16)
def load_prompt(prompts_dir: str | None, name: str) -> PromptFile:
    """The prompt ``name`` from ``prompts_dir``, or from the package when that is None."""
    if prompts_dir is None:
        resource = resources.files("isoguide") / "prompts" / f"{name}.md"
        if not resource.is_file():
            raise PromptError(f"Prompt {name!r} is not among the packaged prompts.")
        return parse_prompt(resource.read_text(encoding="utf-8"), f"isoguide/prompts/{name}.md")
    path = Path(prompts_dir) / f"{name}.md"
    if not path.is_file():
        raise PromptError(f"Prompt file {path} is missing.")
    return parse_prompt(path.read_text(encoding="utf-8"), str(path))
