"""Reading quiz items written by others (pasted text, GIFT or Aiken files) so they can be
checked item by item. GIFT is read by ``pygiftparser`` (the ``pygiftparserrgmf`` package)."""

from __future__ import annotations

import contextlib
import io
import re
from dataclasses import dataclass

from ..errors import IsoguideError
from .items import LETTERS, validate_item


@dataclass
class GivenItem:
    """A question with its options and (optionally) its author's key, before it is checked."""

    question: str
    options: list[str]
    answer: list[str]

    def __post_init__(self) -> None:
        if self.answer:
            validate_item(self.question, self.options, self.answer)


_LABEL = re.compile(r"^\s*(?:[-*•]|[A-Ha-h][.)]|\d+[.)])\s+")
_AIKEN_OPTION = re.compile(r"^([A-H])[.)]\s+(.+)$")
_AIKEN_ANSWER = re.compile(r"^ANSWER:\s*([A-H](?:\s*,\s*[A-H])*)\s*$", re.I)


def parse_options(text: str) -> list[str]:
    """Options typed one per line; a leading "A." / "b)" / "- " label is dropped."""
    return [o for o in (_LABEL.sub("", line).strip() for line in text.splitlines()) if o]


def parse_answer(text: str, options: list[str]) -> list[str]:
    """The answer key as option texts: letters ("B", "A, C") or an option's own text."""
    text = text.strip()
    if not text:
        return []
    lowered = {o.lower(): o for o in options}
    if text.lower() in lowered:
        return [lowered[text.lower()]]
    letters = [p.strip().upper() for p in re.split(r"[,\s;/&]+|\band\b", text) if p.strip()]
    if letters and all(len(x) == 1 and x in LETTERS[: len(options)] for x in letters):
        return [options[LETTERS.index(x)] for x in dict.fromkeys(letters)]
    last = LETTERS[max(len(options) - 1, 0)]
    raise IsoguideError(
        f"The answer {text!r} is neither an option letter (A to {last}) "
        "nor the text of one of the options. Leave it empty to let the guidance decide."
    )


def read_aiken(text: str) -> list[GivenItem]:
    """Aiken: a question line, lettered options, then ``ANSWER: B``; blank lines between."""
    items: list[GivenItem] = []
    question: list[str] = []
    options: list[str] = []
    for lineno, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line:
            continue
        answer = _AIKEN_ANSWER.match(line)
        option = _AIKEN_OPTION.match(line)
        if answer:
            if not question or len(options) < 2:
                raise IsoguideError(
                    f"Aiken line {lineno}: ANSWER comes before a question with two options."
                )
            letters = [x.strip().upper() for x in answer.group(1).split(",")]
            if any(LETTERS.index(x) >= len(options) for x in letters):
                raise IsoguideError(f"Aiken line {lineno}: ANSWER names a missing option.")
            items.append(
                GivenItem(" ".join(question), options, [options[LETTERS.index(x)] for x in letters])
            )
            question, options = [], []
        elif option and question:
            options.append(option.group(2).strip())
        elif options:
            raise IsoguideError(
                f'Aiken line {lineno}: expected an option ("C. ...") or "ANSWER: X", '
                f"got {line[:60]!r}."
            )
        else:
            question.append(line)
    if question or options:
        raise IsoguideError("The Aiken text ends with a question that has no ANSWER line.")
    if not items:
        raise IsoguideError("No Aiken questions found (a question, options A., B., ..., ANSWER:).")
    return items


def _gift_unescape(text: str) -> str:
    return re.sub(r"\\([~=#{}:\\])", r"\1", text).strip()


def read_gift(text: str) -> list[GivenItem]:
    """Multiple-choice and true/false questions of a GIFT file, read by pygiftparser."""
    from pygiftparser import gift, parser

    items: list[GivenItem] = []
    # pygiftparser keeps one category (the first line only), so each question is parsed alone.
    blocks = [b for b in re.split(r"\n\s*\n", text) if "{" in b]
    for n, block in enumerate(blocks, start=1):
        block = "\n".join(ln for ln in block.splitlines() if not ln.strip().startswith("$CATEGORY"))
        try:
            with contextlib.redirect_stdout(io.StringIO()):
                parsed = parser.parse(block)
        except Exception as exc:  # pygiftparser raises bare Exception on syntax errors
            raise IsoguideError(f"GIFT question {n} could not be read: {exc}") from exc
        for q in parsed.questions if parsed else []:
            answer = q.answer
            if isinstance(answer, gift.TrueFalse):
                truth = answer.options[0].text == "True"
                items.append(
                    GivenItem(
                        _gift_unescape(q.text), ["True", "False"], ["True" if truth else "False"]
                    )
                )
                continue
            if not isinstance(answer, gift.MultipleChoiceRadio | gift.MultipleChoiceCheckbox):
                continue
            options = [_gift_unescape(o.text) for o in answer.options]
            correct = [_gift_unescape(o.text) for o in answer.options if o.percentage > 0]
            items.append(GivenItem(_gift_unescape(q.text), options, correct))
    if not items:
        raise IsoguideError("No multiple-choice or true/false questions found in the GIFT text.")
    return items
