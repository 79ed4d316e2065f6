"""How exam writers write stems: negation ("NOT", "EXCEPT", "which is not"), "all / none of
the above", "Which TWO / THREE", true/false, and a stem that asks for a definition.

``read_stem`` turns a question and its options into a ``StemForm`` the checker acts on.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .items import FALSE, TRUE

_NEGATED = re.compile(
    r"\b(NOT|EXCEPT)\b"
    r"|(?i:\b(?:is|are|was|were|does|do|would|should|could|can|will|must)\s+not\b"
    r"|\bnot\s+(?:one|part|an?|required|included|listed|among|true|correct|considered)\b"
    r"|\bexcept\b|\b(?:false|incorrect|untrue|least (?:likely|supported))\b)"
)
_AFFIRM = {"false": "true", "incorrect": "correct", "untrue": "true"}
_HOW_MANY = re.compile(
    r"(?i)\b(?:select|choose|pick|which|identify|tick|mark)\s+(?:the\s+)?"
    r"(two|three|four|2|3|4)\b"
)
_ANY_NUMBER = re.compile(r"(?i)\b(all that apply|select all|check all|choose all|tick all)\b")
_NUMBERS = {"two": 2, "three": 3, "four": 4, "2": 2, "3": 3, "4": 4}
_ALL = re.compile(r"(?i)^\s*(all|each|both)\s+of\s+(the\s+)?(above|these|them)\b")
_NONE = re.compile(r"(?i)^\s*(none(\s+of\s+(the\s+)?(above|these|them))?|neither)\W*$")
_DEFINITION = re.compile(
    r"(?i)\b(defin\w*|is called|is known as|is termed|what is meant by|what does .{0,60}\bmean\b|"
    r"means?\b|term\b|refers? to)"
)


#: Text a stem quotes rather than asks: in quotation marks, or the definition after "means:"
#: ("Which term means: what removes a cause so that it does not recur?").
_QUOTED = re.compile(r"[\"“«][^\"“”«»]{12,}[\"”»‘’]|(?i:\bmeans?\s*:).*$", re.S)


def _quoted(question: str) -> list[tuple[int, int]]:
    return [m.span() for m in _QUOTED.finditer(question)]


@dataclass(frozen=True)
class StemForm:
    """What a stem asks for: the affirmative question to search with, how many options to pick,
    whether the pick is the exception, and which options are "all / none of the above"."""

    asked: str
    negated: bool
    count: int | None  # None: as many as the guidance supports ("check all that apply")
    all_option: int | None
    none_option: int | None
    true_false: bool
    definition: bool

    @property
    def content(self) -> list[int]:
        meta = {self.all_option, self.none_option}
        return [i for i in range(self._n) if i not in meta]

    _n: int = 0


def read_stem(question: str, options: list[str], answer_count: int | None = None) -> StemForm:
    """Read the stem's form; ``answer_count`` is the key's length when the caller knows it."""
    quoted = _quoted(question)

    def in_quote(m: re.Match[str]) -> bool:
        return any(a <= m.start() < b for a, b in quoted)

    def affirm(m: re.Match[str]) -> str:
        if in_quote(m):
            return m.group(0)  # the quoted definition's own "not" is not the stem's
        return _AFFIRM.get(
            m.group(0).lower(),
            re.sub(r"(?i)\s*\bnot\b", "", m.group(0))
            if re.search(r"(?i)\bnot\b", m.group(0))
            else "",
        )

    negated = any(not in_quote(m) for m in _NEGATED.finditer(question))
    asked = question
    if negated:
        asked = re.sub(r"\s{2,}", " ", _NEGATED.sub(affirm, question)).strip()
    match = _HOW_MANY.search(question)
    if answer_count:
        count: int | None = answer_count
    elif match:
        count = _NUMBERS[match.group(1).lower()]
    elif _ANY_NUMBER.search(question):
        count = None
    else:
        count = 1
    all_option = next((i for i, o in enumerate(options) if _ALL.match(o)), None)
    none_option = next((i for i, o in enumerate(options) if _NONE.match(o)), None)
    # true/false, also with filler options such as "Either A or B" or "None of the above"
    true_false = {TRUE.lower(), FALSE.lower()} <= {o.strip().lower() for o in options}
    return StemForm(
        asked=asked,
        negated=negated,
        count=count if count is None else min(count, len(options)),
        all_option=all_option,
        none_option=none_option,
        true_false=true_false,
        definition=bool(_DEFINITION.search(question)),
        _n=len(options),
    )


def tf_statement(question: str) -> str:
    """The statement a true/false item asks about, without "True or false:"."""
    return re.sub(r"(?i)^\s*(true\s+or\s+false|t\s*/\s*f)\s*[?:.-]*\s*", "", question).strip()
