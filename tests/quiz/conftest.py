from __future__ import annotations

import pytest

from isoguide.assistant import Assistant
from isoguide.quiz.course import CourseQuiz, generate_course
from isoguide.quiz.items import QuizItem
from isoguide.settings import Settings
from isoguide.store import Store

FIVE_TOPICS = (
    "calibration",
    "management review",
    "corrective action",
    "customer satisfaction",
    "documented information",
)


@pytest.fixture(scope="session")
def course(real_index: tuple[Settings, Store]) -> list[CourseQuiz]:
    """The course a trainer reviewed: 20 items over five topics, seed 7."""
    settings, store = real_index
    return generate_course(Assistant(settings, store=store), FIVE_TOPICS, 20, seed=7)


@pytest.fixture(scope="session")
def five_topics(course: list[CourseQuiz]) -> dict[str, list[QuizItem]]:
    return {quiz.topic: quiz.items for quiz in course}
