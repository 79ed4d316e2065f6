"""Quiz mode (trainers): generate checked items, preview and edit them, regenerate one,
download the quiz for an LMS, and check items written by others (pasted, GIFT or Aiken)."""

from __future__ import annotations

import re

import streamlit as st

from .. import quiz
from ..assistant import Assistant
from ..clauses import parse_clause_list
from ..errors import IsoguideError
from .render import escape_markdown, show_sources

LETTERS = quiz.LETTERS
CORRECT_MARK = ":material/check_circle: **correct**"
FORMAT_LABELS = {
    "gift": "Moodle GIFT",
    "moodle-xml": "Moodle XML",
    "aiken": "Aiken",
    "qti": "QTI (Canvas)",
    "md": "Markdown",
    "json": "JSON",
}
MIMES = {"qti": "application/zip", "moodle-xml": "application/xml", "json": "application/json"}


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "isoguide"


def quiz_page(assistant: Assistant) -> None:
    st.header("Quiz for trainers")
    st.caption(
        "Items built from the guidance; each is confirmed by the checker before it is shown. "
        "Keys name the ISO 9001 clause and quote the guidance."
    )
    with st.form("quiz-generate"):
        topic = st.text_input(
            "Topic",
            placeholder="e.g. calibration",
            key="quiz-topic",
            help="Several topics separated by ';' make a course: one quiz per topic, the "
            "questions spread over them, none repeating another's points or options.",
        )
        clauses = st.text_input(
            "Clauses (optional)", placeholder="e.g. 9.3, 10.2", key="quiz-clauses"
        )
        left, mid, right = st.columns(3)
        n = left.number_input("Questions", min_value=1, max_value=20, value=5, step=1, key="quiz-n")
        difficulty = mid.selectbox(
            "Difficulty", ["mixed", *quiz.DIFFICULTIES], key="quiz-difficulty"
        )
        seed = right.number_input(
            "Variant",
            min_value=0,
            max_value=999_999,
            value=0,
            step=1,
            key="quiz-seed",
            help="Another number gives another quiz.",
        )
        kinds = st.multiselect(
            "Item types", list(quiz.KINDS), default=list(quiz.KINDS), key="quiz-kinds"
        )
        generate = st.form_submit_button("Generate quiz", type="primary")
    if generate:
        request = {
            "topic": topic.strip(),
            "clauses": parse_clause_list(clauses.replace(";", ",")),
            "kinds": kinds or list(quiz.KINDS),
            "difficulty": None if difficulty == "mixed" else difficulty,
            "seed": int(seed),
        }
        topics = [t.strip() for t in topic.strip().split(";") if t.strip()]
        if not request["topic"] and not request["clauses"]:
            st.error("Type a topic or clauses first, for example “internal audit” or “9.3”.")
        elif len(topics) > 1:
            _generate_course(assistant, request, topics, int(n))
        else:
            unconfirmed: list[str] = []
            held_back: list[str] = []
            try:
                with st.spinner("Building and checking items against the guidance …"):
                    items = quiz.generate_quiz(
                        assistant,
                        n=int(n),
                        unconfirmed=unconfirmed,
                        held_back=held_back,
                        **request,  # type: ignore[arg-type]
                    )
            except IsoguideError as exc:
                st.error(escape_markdown(str(exc)))
            else:
                st.session_state.quiz = {
                    "request": request,
                    "items": items,
                    "round": 0,
                    "asked": int(n),
                    "unconfirmed": unconfirmed,
                    "held_back": held_back,
                }
    if "quiz" in st.session_state:
        _show_quiz(assistant, st.session_state.quiz)
    st.divider()
    _check_section(assistant)


def _generate_course(
    assistant: Assistant,
    request: dict,  # type: ignore[type-arg]
    topics: list[str],
    n: int,
) -> None:
    """One quiz per topic (``quiz.course``), kept as one list of items with each item's topic,
    so that editing, regenerating and downloads work as for one quiz."""
    from ..quiz.course import course_note, generate_course

    if request["clauses"]:
        st.error("A course takes its topics only: clear the clauses, or ask for one topic.")
        return
    try:
        with st.spinner(f"Building and checking a course of {len(topics)} quizzes …"):
            course = generate_course(
                assistant,
                topics,
                n,
                seed=request["seed"],
                kinds=request["kinds"],
                difficulty=request["difficulty"],
            )
    except IsoguideError as exc:
        st.error(escape_markdown(str(exc)))
        return
    st.session_state.quiz = {
        "request": {**request, "topic": "; ".join(topics)},
        "items": [item for q in course for item in q.items],
        "topics": [q.topic for q in course for _ in q.items],
        "notes": {q.topic: q.note for q in course if q.note},
        "course_note": course_note(course, n),
        "round": 0,
        "asked": n,
    }


def _title(request: dict) -> str:  # type: ignore[type-arg]
    topics = [t.strip() for t in request["topic"].split(";") if t.strip()]
    if len(topics) > 1:
        return "Course: " + ", ".join(topics)
    return f"Quiz: {request['topic'] or 'clauses ' + ', '.join(request['clauses'])}"


def _show_quiz(assistant: Assistant, state: dict) -> None:  # type: ignore[type-arg]
    items: list[quiz.QuizItem] = state["items"]
    st.subheader(escape_markdown(_title(state["request"])))
    asked = state.get("asked", len(items))
    topics = state.get("topics")  # a course: each item's topic
    if topics is None:
        note = quiz.generate.shortfall(
            items, asked, state.get("unconfirmed", ()), state.get("held_back", ())
        )
    else:
        note = state.get("course_note", "")
    if note:
        st.info(escape_markdown(note))  # its line breaks kept, one point per line
    show_key = st.toggle("Show the answer key", key="quiz-show-key")
    for q, item in enumerate(items, start=1):
        if topics and (q == 1 or topics[q - 1] != topics[q - 2]):
            st.markdown(f"#### Quiz: {escape_markdown(topics[q - 1])}")
            if topic_note := state["notes"].get(topics[q - 1]):
                st.info(escape_markdown(topic_note))
        with st.container(border=True):
            meta = f"{item.kind} · {item.difficulty} · Bloom: {item.bloom}"
            st.caption(f"{meta} · clause {', '.join(item.clauses) or 'none'}")
            st.markdown(f"**{q}\\.** {escape_markdown(item.question)}")
            for i, option in enumerate(item.options):
                mark = f" {CORRECT_MARK}" if show_key and option in item.answer else ""
                st.markdown(f"{LETTERS[i]}\\. {escape_markdown(option)}{mark}")
            if show_key:
                st.markdown(f"*{escape_markdown(item.explanation)}*")
                show_sources(item.citations)
            _edit_item(state, q - 1)
            if st.button("Regenerate this item", key=f"quiz-regen-{q}-{state['round']}"):
                _regenerate(assistant, state, q - 1)
    _downloads(items, _title(state["request"]))
    _word_download(assistant, items, _title(state["request"]))


def _edit_item(state: dict, index: int) -> None:  # type: ignore[type-arg]
    item: quiz.QuizItem = state["items"][index]
    key = f"{index}-{state['round']}"
    with st.expander("Edit this item"), st.form(f"quiz-edit-{key}"):
        stem = st.text_area("Stem", value=item.question, key=f"quiz-edit-stem-{key}")
        options = st.text_area(
            "Options, one per line", value="\n".join(item.options), key=f"quiz-edit-options-{key}"
        )
        answer = st.text_input(
            "Key (letters, e.g. B or A, C)", value=item.key_letters, key=f"quiz-edit-key-{key}"
        )
        if st.form_submit_button("Save item"):
            try:
                new_options = quiz.parse_options(options)
                new_answer = quiz.parse_answer(answer, new_options)
                quiz.QuizItem(
                    stem.strip(),
                    new_options,
                    new_answer,
                    item.explanation,
                    item.citations,
                    item.clauses,
                )  # validates before changing
            except IsoguideError as exc:
                st.error(escape_markdown(str(exc)))
                return
            kept = {o: f for o, f in item.feedback.items() if o in new_options}
            item.question, item.options, item.answer, item.feedback = (
                stem.strip(),
                new_options,
                new_answer,
                kept,
            )
            item.checked = ""  # edited by the trainer: no longer the checker's confirmed item
            state["round"] += 1
            st.rerun()


def _regenerate(assistant: Assistant, state: dict, index: int) -> None:  # type: ignore[type-arg]
    request = state["request"]
    try:
        with st.spinner("Finding another checked item …"):
            new = quiz.regenerate_item(
                assistant,
                state["items"],
                index,
                state["topics"][index] if "topics" in state else request["topic"],
                request["seed"] + index + 1,
                kinds=request["kinds"],
                difficulty=request["difficulty"],
                clauses=request["clauses"],
            )
    except IsoguideError as exc:
        st.error(escape_markdown(str(exc)))
        return
    state["items"][index] = new
    state["round"] += 1
    st.rerun()


def _downloads(items: list[quiz.QuizItem], title: str) -> None:
    st.caption("Download for your learning platform")
    columns = st.columns(len(quiz.FORMATS))
    for column, fmt in zip(columns, quiz.FORMATS, strict=True):
        exported = quiz.export_quiz(items, title, fmt)
        suffix = quiz.SUFFIXES[fmt]
        column.download_button(
            FORMAT_LABELS[fmt],
            data=exported.data,
            file_name=f"quiz-{_slug(title.removeprefix('Quiz: '))}{suffix}",
            mime=MIMES.get(fmt, "text/plain"),
            key=f"quiz-download-{fmt}",
        )
        if exported.left_out:
            numbers = ", ".join(str(n) for n, _ in exported.left_out)
            st.caption(f"Aiken leaves out item(s) {numbers}: {exported.left_out[0][1]}")


def _word_download(assistant: Assistant, items: list[quiz.QuizItem], title: str) -> None:
    """The quiz with its answer key as a Word handout (numbered references, Sources section)."""
    from ..cli_output import quiz_docx_bytes

    st.download_button(
        "Word handout with answer key (.docx)",
        data=quiz_docx_bytes(assistant, items, title),
        file_name=f"quiz-{_slug(title.removeprefix('Quiz: '))}.docx",
        mime="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        key="quiz-download-docx",
    )


# -- checking items written by others --------------------------------------------------------
def _check_section(assistant: Assistant) -> None:
    st.subheader("Check quiz items")
    st.caption(
        "Paste one item, or upload a GIFT or Aiken file; each item is checked against "
        "the guidance, with a verdict and the evidence."
    )
    with st.form("quiz-check"):
        question = st.text_area("Question", height=80, key="check-question")
        options_text = st.text_area("Options, one per line", height=120, key="check-options")
        given = st.text_input(
            "Your answer key (optional)",
            placeholder="a letter such as B, or the option text",
            key="check-answer",
        )
        check = st.form_submit_button("Check against the guidance")
    if check:
        if not question.strip():
            st.error("Type the question of the quiz item to check.")
        else:
            try:
                options = quiz.parse_options(options_text)
                answer = quiz.parse_answer(given, options) if options else []
                _show_check(assistant, 1, quiz.GivenItem(question.strip(), options, answer))
            except IsoguideError as exc:
                st.error(escape_markdown(str(exc)))
    upload = st.file_uploader("GIFT or Aiken file", type=["txt", "gift"], key="check-file")
    if upload is not None and st.button("Check every item in the file", key="check-file-run"):
        text = upload.getvalue().decode("utf-8", errors="replace")
        try:
            given_items = quiz.read_gift(text) if "{" in text else quiz.read_aiken(text)
        except IsoguideError as exc:
            st.error(escape_markdown(f"{upload.name}: {exc}"))
            return
        for n, item in enumerate(given_items, start=1):
            _show_check(assistant, n, item)


def _show_check(assistant: Assistant, n: int, item: quiz.GivenItem) -> None:
    with st.spinner(f"Checking item {n} …"):
        result = quiz.check_quiz_item(assistant, item.question, item.options, item.answer or None)
    with st.container(border=True):
        st.markdown(f"**Item {n}\\.** {escape_markdown(item.question)}")
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
                "key": "yes" if o in item.answer else "",
            }
            for i, o in enumerate(item.options)
        ]
        st.dataframe(rows, hide_index=True, width="stretch")
        show_sources(result.evidence, heading="Evidence")
