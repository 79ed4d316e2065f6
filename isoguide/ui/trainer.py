"""Quiz mode (trainers). Draft mode lives in ``isoguide.ui.consultant``."""

from __future__ import annotations

import re
from typing import Any

import streamlit as st

from .. import quiz
from ..assistant import Assistant
from ..errors import IsoguideError
from .render import escape_markdown, show_sources

LETTERS = quiz.LETTERS
CORRECT_MARK = ":material/check_circle: **correct**"


# -- input parsing --------------------------------------------------------------------------
def parse_options(text: str) -> list[str]:
    """Options typed one per line; a leading "A." / "b)" / "- " label is dropped."""
    options = []
    for line in text.splitlines():
        line = re.sub(r"^\s*(?:[-*•]|[A-Ha-h][.)]|\d+[.)])\s+", "", line).strip()
        if line:
            options.append(line)
    return options


def parse_answer(text: str, options: list[str]) -> str | list[str] | None:
    """The answer key as option text(s): letters ("B", "A, C") or an option's own text."""
    text = text.strip()
    if not text:
        return None
    if text in options:
        return text
    letters = [p.strip().upper() for p in re.split(r"[,\s;/&]+|\band\b", text) if p.strip()]
    if letters and all(len(x) == 1 and x in LETTERS[: len(options)] for x in letters):
        chosen = [options[LETTERS.index(x)] for x in dict.fromkeys(letters)]
        return chosen[0] if len(chosen) == 1 else chosen
    lowered = {o.lower(): o for o in options}
    if text.lower() in lowered:
        return lowered[text.lower()]
    raise IsoguideError(
        f"The answer {text!r} is neither an option letter (A to {LETTERS[len(options) - 1]}) "
        "nor the text of one of the options. Leave it empty to let the guidance decide."
    )


# -- quiz -----------------------------------------------------------------------------------
def quiz_page(assistant: Assistant) -> None:
    st.header("Quiz for trainers")
    st.caption("Multiple-choice questions whose answers are quoted from the guidance.")
    with st.form("quiz-generate"):
        topic = st.text_input(
            "Topic", placeholder="e.g. calibration of measuring equipment", key="quiz-topic"
        )
        left, right = st.columns(2)
        n = left.number_input("Questions", min_value=1, max_value=15, value=5, step=1, key="quiz-n")
        seed = right.number_input(
            "Variant",
            min_value=0,
            max_value=999,
            value=0,
            step=1,
            key="quiz-seed",
            help="Another number gives another quiz on the same topic.",
        )
        generate = st.form_submit_button("Generate quiz", type="primary")
    if generate:
        if not topic.strip():
            st.error("Type a topic first, for example “internal audit” or “7.2 competence”.")
        else:
            try:
                with st.spinner("Building questions from the guidance …"):
                    items = quiz.generate_quiz(assistant, topic.strip(), n=int(n), seed=int(seed))
            except IsoguideError as exc:
                st.error(escape_markdown(str(exc)))
            else:
                st.session_state.quiz = {"topic": topic.strip(), "items": items}
    if "quiz" in st.session_state:
        _show_quiz(quiz, st.session_state.quiz["topic"], st.session_state.quiz["items"])
    st.divider()
    _check_form(assistant, quiz)


def _show_quiz(quiz: Any, topic: str, items: list[Any]) -> None:
    st.subheader(f"Quiz: {escape_markdown(topic)}")
    show_key = st.toggle("Show the answer key", key="quiz-show-key")
    for q, item in enumerate(items, start=1):
        with st.container(border=True):
            st.markdown(f"**{q}\\.** {escape_markdown(item.question)}")
            for i, option in enumerate(item.options):
                mark = f" {CORRECT_MARK}" if show_key and option in item.answer else ""
                st.markdown(f"{LETTERS[i]}\\. {escape_markdown(option)}{mark}")
            if show_key:
                st.markdown(f"*{escape_markdown(item.explanation)}*")
                show_sources(item.citations)
    title = f"Quiz: {topic}"
    st.download_button(
        "Download quiz with answer key (.md)",
        data=quiz.quiz_to_markdown(items, title),
        file_name=f"quiz-{re.sub(r'[^a-z0-9]+', '-', topic.lower()).strip('-') or 'isoguide'}.md",
        mime="text/markdown",
        key="quiz-download",
    )


def _check_form(assistant: Assistant, quiz: Any) -> None:
    st.subheader("Check a quiz item")
    st.caption("Paste a question you wrote; the guidance picks the option it supports best.")
    with st.form("quiz-check"):
        question = st.text_area("Question", height=80, key="check-question")
        options_text = st.text_area("Options, one per line", height=120, key="check-options")
        given = st.text_input(
            "Your answer key (optional)",
            placeholder="a letter such as B, or the option text",
            key="check-answer",
        )
        check = st.form_submit_button("Check against the guidance")
    if not check:
        return
    if not question.strip():
        st.error("Type the question of the quiz item to check.")
        return
    options = parse_options(options_text)
    try:
        answer = parse_answer(given, options) if options else None
        with st.spinner("Looking for evidence in the guidance …"):
            result = quiz.check_quiz_item(assistant, question.strip(), options, answer)
    except IsoguideError as exc:
        st.error(escape_markdown(str(exc)))
        return
    verdict = escape_markdown(result.verdict)
    if result.agrees is True:
        st.success(f"Your answer key agrees with the guidance. {verdict}")
    elif result.agrees is False:
        st.warning(f"Your answer key does not match the guidance. {verdict}")
    else:
        st.info(verdict)
    if not result.confident:
        st.caption("Low confidence: the options score close together.")
    rows = [
        {
            "option": f"{LETTERS[i]}. {o}",
            "score": round(result.scores.get(o, 0.0), 3),
            "picked": "yes" if o in result.chosen else "",
        }
        for i, o in enumerate(options)
    ]
    st.dataframe(rows, hide_index=True, width="stretch")
    show_sources(result.evidence, heading="Evidence")
