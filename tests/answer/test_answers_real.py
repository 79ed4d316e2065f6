"""What a user reads, on the real corpus: answers lead with the answer, never repeat
themselves, quote whole sentences, and a follow-up is answered about the follow-up."""

from __future__ import annotations

import pytest

from isoguide.assistant import Assistant
from isoguide.eval.metrics import REDUNDANT_COSINE, answer_sentences
from isoguide.settings import Settings
from isoguide.store import Store

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def real(real_index: tuple[Settings, Store]) -> Assistant:
    settings, store = real_index
    return Assistant(settings, store=store)


def test_question_answer_pairs_are_units_of_their_own(real: Assistant) -> None:
    units = [c for c in real.store.all_chunks() if c.kind == "qa"]
    assert len(units) >= 600
    assert all(u.question.endswith("?") and u.section.endswith(u.question) for u in units[:50])
    unit = units[0]
    hits = real.search(unit.question).hits
    assert unit.chunk_id in [h.chunk.chunk_id for h in hits[:3]], unit.question


@pytest.mark.parametrize(
    "question",
    [
        "Is a training matrix mandatory?",
        "What changes in ISO 9001:2026?",
        "How often do we need to do a management review?",
        "Do we need a quality manual?",
    ],
)
def test_no_two_sentences_say_the_same_thing(real: Assistant, question: str) -> None:
    answer = real.ask(question)
    assert not answer.abstained
    sentences = answer_sentences(answer.answer)
    vectors = real.store.embeddings.encode(sentences)
    sims = vectors @ vectors.T
    for i in range(len(sentences)):
        for j in range(i + 1, len(sentences)):
            assert sims[i, j] < REDUNDANT_COSINE, (sentences[i], sentences[j])
    for c in answer.citations:
        assert c.quote in c.chunk_text
        assert "\n-" not in c.quote and "\n*" not in c.quote  # no list fragments quoted


def test_a_yes_no_question_gets_its_answer_in_the_answer(real: Assistant) -> None:
    answer = real.ask("Is a training matrix mandatory?")
    assert (
        answer.answer.split()[0].rstrip(".,:") in {"No", "Not"} or " no " in answer.answer.lower()
    )


def test_a_follow_up_is_answered_about_the_follow_up(real: Assistant) -> None:
    first = real.ask("What are the inputs to a management review?")
    follow = real.ask(
        "what about in a 5-person company?",
        history=[("user", first.question), ("assistant", first.answer)],
    )
    assert not follow.abstained
    said = set(answer_sentences(first.answer))
    again = [s for s in answer_sentences(follow.answer) if s in said]
    assert not again, again
    assert follow.standalone_question and "5-person" in follow.standalone_question
