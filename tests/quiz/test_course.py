from __future__ import annotations

from collections import Counter

import pytest

from isoguide.assistant import Assistant
from isoguide.errors import IsoguideError
from isoguide.quiz.course import CourseQuiz, course_note, generate_course
from isoguide.settings import Settings
from isoguide.store import Store


def test_a_course_fills_its_items_from_the_topics_that_have_material(
    course: list[CourseQuiz],
) -> None:
    # a trainer asked for 20 items over five topics and got 17: customer satisfaction has
    # guidance for two distinct items, so topics with more material take its places
    assert [q.share for q in course] == [4, 4, 4, 4, 4]
    total = sum(len(q.items) for q in course)
    assert total == 20, [(q.topic, len(q.items)) for q in course]  # (measured: 4 4 4 2 6)
    kinds = Counter(i.kind for q in course for i in q.items)
    assert kinds["true-false"] <= 5 and len(kinds) == 5, kinds  # a quarter at most, all types
    short = [q for q in course if len(q.items) < q.share]
    for quiz in course:
        assert bool(quiz.note) == (quiz in short), (quiz.topic, quiz.note)
        if quiz.note:
            assert quiz.note.startswith(f"{len(quiz.items)} of the {quiz.share} items")
    note = course_note(course, 20)
    assert (short and any(len(q.items) > q.share for q in course)) == ("took the places" in note)
    assert "of the 20 items" not in note
    questions = [i.question for q in course for i in q.items]
    assert len(questions) == len(set(questions))


def test_a_course_request_that_cannot_work_is_a_clear_error(
    real_index: tuple[Settings, Store],
) -> None:
    settings, store = real_index
    assistant = Assistant(settings, store=store)
    with pytest.raises(IsoguideError, match="two or more topics"):
        generate_course(assistant, ["calibration", " "], 4)
    with pytest.raises(IsoguideError, match="different"):
        generate_course(assistant, ["calibration", "Calibration"], 4)
    with pytest.raises(IsoguideError, match="cannot cover 3 topics"):
        generate_course(assistant, ["calibration", "management review", "internal audit"], 2)


def test_the_course_note_says_what_is_missing() -> None:
    quizzes = [CourseQuiz("a", [], 2), CourseQuiz("b", [], 2)]
    assert course_note(quizzes, 4) == "The course has 0 of the 4 items asked for."
