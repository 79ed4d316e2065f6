"""A course: one quiz per topic, the items asked for spread over the topics, no quiz repeating
another's points, options or terms. A topic whose guidance runs short leaves its places to the
topics that still have material (a trainer who asked for 20 items over five topics got 17).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from ..assistant import Assistant
from ..errors import IsoguideError
from .bank import materials
from .generate import generate_quiz, relevant_material, shortfall
from .items import KINDS, QuizItem

#: Quizzes tried per topic when the first falls short of the items it was asked for.
VARIANTS = 3


@dataclass
class CourseQuiz:
    """One topic's quiz, with the note for the trainer when it has fewer items than its share."""

    topic: str
    items: list[QuizItem]
    share: int  # the items first asked of this topic
    note: str = ""


def generate_course(
    assistant: Assistant,
    topics: Sequence[str],
    n: int,
    seed: int | None = 0,
    kinds: Sequence[str] = KINDS,
    difficulty: str | None = None,
) -> list[CourseQuiz]:
    """``n`` items over ``topics`` (as even a share as ``n`` allows, the first topics taking
    the remainder), then one more item at a time from each topic that gave its full share, up
    to one and a half times its share, until the course has ``n`` or no topic can give more.
    Each quiz avoids all the others."""
    topics = [t.strip() for t in topics if t.strip()]
    if len(topics) < 2:
        raise IsoguideError("A course needs two or more topics; for one topic ask for a quiz.")
    if len(set(t.lower() for t in topics)) < len(topics):
        raise IsoguideError("Each topic of a course must be different.")
    if n < len(topics):
        raise IsoguideError(f"{n} items cannot cover {len(topics)} topics: ask for more items.")
    course = [
        CourseQuiz(t, [], n // len(topics) + (1 if i < n % len(topics) else 0))
        for i, t in enumerate(topics)
    ]

    def build(quiz: CourseQuiz, size: int) -> tuple[list[QuizItem], str]:
        """The fullest of up to VARIANTS quizzes on the topic: which items fit together
        depends on the order material is tried in, which the seed sets (a customer-
        satisfaction quiz gave one item or two, by seed)."""
        others = [item for q in course if q is not quiz for item in q.items]
        best: tuple[list[QuizItem], str] | None = None
        for variant in range(VARIANTS):
            unconfirmed: list[str] = []
            held_back: list[str] = []
            items = generate_quiz(
                assistant,
                quiz.topic,
                n=size,
                seed=None if seed is None else seed + 1000 * variant,
                kinds=kinds,
                difficulty=difficulty,
                unconfirmed=unconfirmed,
                held_back=held_back,
                avoid=others,
            )
            if best is None or len(items) > len(best[0]):
                best = items, shortfall(items, quiz.share, unconfirmed, held_back)
            if len(items) >= size:
                break
        assert best is not None
        return best

    # the topic with the least material first: the quizzes after it avoid its points and
    # options, not it theirs (a customer-satisfaction quiz built fourth kept one item, its
    # glossary term taken as another quiz's wrong option)
    pool = materials(assistant.store.all_chunks())
    material = {q.topic: len(relevant_material(assistant, pool, q.topic, ())) for q in course}
    for quiz in sorted(course, key=lambda q: material[q.topic]):
        quiz.items, quiz.note = build(quiz, quiz.share)
    # a topic grows to half its share again at most: a course of one topic's items is not
    # the course asked for (a run gave documented information ten items, five definitions)
    growing = [q for q in course if len(q.items) >= q.share]
    while growing and sum(len(q.items) for q in course) < n:
        for quiz in list(growing):
            if sum(len(q.items) for q in course) >= n:
                break
            if len(quiz.items) >= quiz.share + -(-quiz.share // 2):
                growing.remove(quiz)
                continue
            items, _ = build(quiz, len(quiz.items) + 1)
            if len(items) > len(quiz.items):
                quiz.items = items
            else:
                growing.remove(quiz)
    return course


def course_note(course: Sequence[CourseQuiz], n: int) -> str:
    """What the trainer should know about the course as a whole ("" when nothing)."""
    total = sum(len(q.items) for q in course)
    short = [q for q in course if len(q.items) < q.share]
    grown = [q for q in course if len(q.items) > q.share]
    parts = []
    if short and grown:
        # and what that costs: a trainer found the note silent on the course's balance
        sizes = ", ".join(f"{q.topic!r} {len(q.items)}" for q in course)
        # (points to write from only when a short topic's note lists some: a trainer found
        # the note sending them to a list that was not there)
        listed = any("worth writing by hand" in q.note for q in short)
        parts.append(
            f"{', '.join(repr(q.topic) for q in grown)} took the places that "
            f"{', '.join(repr(q.topic) for q in short)} could not fill, so the topics are "
            f"not equally weighted (items per topic: {sizes}); write the missing items by "
            + ("hand from the points listed under the short topics" if listed else "hand")
            + " to restore the balance"
        )
    if total < n:
        parts.append(f"the course has {total} of the {n} items asked for")
    text = "; ".join(parts)
    return text[:1].upper() + text[1:] + "." if text else ""
