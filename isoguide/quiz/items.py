"""A quiz item and the words that describe it: its kind, difficulty and Bloom level."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from ..clauses import standard_label
from ..errors import IsoguideError
from ..models import Citation

LETTERS = "ABCDEFGH"
TRUE, FALSE = "True", "False"

#: The item kinds the generator writes; "given" marks an item written by someone else.
KINDS = ("scenario", "which-clause", "true-false", "multi-select", "definition")
DIFFICULTIES = ("easy", "medium", "hard")
BLOOM_LEVELS = ("remember", "understand", "apply")


@dataclass
class QuizItem:
    """One multiple-choice (or true/false, or multi-select) question with its answer key.

    ``answer`` lists the correct option texts (two for a multi-select item); ``feedback`` says
    for each option why it is right or wrong; ``explanation`` names the ISO 9001 clause and
    cites the guidance (``citations``).
    """

    question: str
    options: list[str]
    answer: list[str]
    explanation: str
    citations: list[Citation]
    clauses: list[str]
    kind: str = "given"
    difficulty: str = "medium"
    bloom: str = "understand"
    feedback: dict[str, str] = field(default_factory=dict)
    checked: str = ""  # the checker's verdict when the item was confirmed

    def __post_init__(self) -> None:
        validate_item(self.question, self.options, self.answer)

    @property
    def multi(self) -> bool:
        return len(self.answer) > 1

    @property
    def key_letters(self) -> str:
        return ", ".join(LETTERS[i] for i in sorted(self.options.index(a) for a in self.answer))

    @property
    def clause_labels(self) -> list[str]:
        return [standard_label(c) for c in self.clauses]

    def to_json(self) -> dict[str, Any]:
        return {**asdict(self), "citations": [c.to_json() for c in self.citations]}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> QuizItem:
        known = {k: v for k, v in data.items() if k in cls.__dataclass_fields__}
        known["citations"] = [Citation(**c) for c in data.get("citations", [])]
        return cls(**known)


def validate_item(question: str, options: list[str], answer: list[str]) -> None:
    """A clear error for an item no LMS (and no learner) could use."""
    if not question.strip():
        raise IsoguideError("A quiz item needs a question (its stem); the stem is empty.")
    if len(options) < 2 or len(options) > len(LETTERS):
        raise IsoguideError(
            f"A quiz item needs 2 to {len(LETTERS)} options; this one has {len(options)}."
        )
    if len({o.strip() for o in options}) != len(options) or not all(o.strip() for o in options):
        raise IsoguideError(f"A quiz item needs distinct, non-empty options; got {options!r}.")
    if not answer or any(a not in options for a in answer):
        raise IsoguideError(
            f"The answer key {answer!r} must name one or more of the options {options!r}."
        )
