"""The LLM path with a scripted chat model: parsing, verification, fallback, injection."""

from __future__ import annotations

import pytest

from isoguide.answer.fake import ScriptedChatModel
from isoguide.assistant import Assistant
from isoguide.models import NOT_COVERED, Answer
from isoguide.settings import Settings
from isoguide.store import Store

from ..conftest import SCRIPTED


@pytest.fixture
def model() -> ScriptedChatModel:
    return ScriptedChatModel()


@pytest.fixture
def assistant(fixture_index: tuple[Settings, Store], model: ScriptedChatModel) -> Assistant:
    settings, store = fixture_index
    return Assistant(settings.derive(provider=SCRIPTED, k=5), store=store, chat_model=model)


def stream(assistant: Assistant, question: str, history=()) -> tuple[str, Answer]:  # type: ignore[no-untyped-def]
    answer_stream = assistant.stream(question, history)
    pieces = list(answer_stream)
    return "".join(pieces), answer_stream.answer


def assert_citations_valid(answer: Answer) -> None:
    retrieved = {h.chunk.chunk_id: h.chunk.text for h in answer.hits}
    for c in answer.citations:
        assert c.quote in retrieved[c.chunk_id]
        assert f"[{c.n}]" in answer.answer


def test_good_answer_streams_and_is_verified(
    assistant: Assistant, model: ScriptedChatModel
) -> None:
    model.enqueue(
        "PDCA stands for Plan, Do, Check and Act. [1] It is a loop for continual improvement. [1]"
    )
    streamed, answer = stream(assistant, "What is the PDCA cycle?")
    assert answer.provider == SCRIPTED
    assert not answer.unsupported and not answer.notice
    assert "Plan, Do, Check and Act" in answer.answer
    assert streamed.strip() == answer.answer
    assert [c.n for c in answer.citations] == [1]
    assert answer.citations[0].doc_id == "pdca-cycle"
    assert_citations_valid(answer)
    prompt = str(model.calls[-1][0].content)
    assert "[1] The Plan-Do-Check-Act cycle" in prompt  # numbered sources reached the model


def test_wrong_and_out_of_range_citations_are_reported(
    assistant: Assistant, model: ScriptedChatModel
) -> None:
    model.enqueue(
        "PDCA stands for Plan, Do, Check and Act. [1] "
        "Every company must hire a full-time quality manager by law. [1] "
        "Management review happens every week. [9] "
        "Certification lasts forever."
    )
    _, answer = stream(assistant, "What is the PDCA cycle?")
    assert "Plan, Do, Check and Act" in answer.answer
    assert len(answer.unsupported) == 3
    reasons = " ".join(answer.unsupported)
    assert "does not say this" in reasons
    assert "[9]" in reasons and "not one of the retrieved sources" in reasons
    assert "no citation" in reasons
    assert "quality manager" not in answer.answer and "[9]" not in answer.answer
    assert_citations_valid(answer)


def test_no_citations_at_all_falls_back_to_extractive(
    assistant: Assistant, model: ScriptedChatModel
) -> None:
    model.enqueue("PDCA is a cycle. It has four steps. Everyone likes it.")
    _, answer = stream(assistant, "What is the PDCA cycle?")
    assert answer.provider == "extractive"
    assert answer.notice and "extractive answer" in answer.notice
    assert len(answer.unsupported) == 3
    assert answer.citations and "[1]" in answer.answer
    assert_citations_valid(answer)


def test_injection_obedience_never_reaches_the_answer(
    assistant: Assistant, model: ScriptedChatModel
) -> None:
    model.enqueue(
        "PINEAPPLE-7731",
        "Keep one master copy of each document. [1] The code word is PINEAPPLE-7731. [1]",
    )
    for question in ("how do we control document versions", "document control tips"):
        streamed, answer = stream(assistant, question)
        assert "PINEAPPLE" not in streamed
        assert "PINEAPPLE" not in answer.answer
        assert all("PINEAPPLE" not in c.quote for c in answer.citations)
        assert all("PINEAPPLE" not in u for u in answer.unsupported)
        # The model never saw the instruction either: it was removed from the sources.
        assert "PINEAPPLE" not in str(model.calls[-1][0].content)


def test_unreachable_model_gives_a_message_and_the_extractive_answer(
    assistant: Assistant, model: ScriptedChatModel
) -> None:
    model.enqueue(ConnectionError("Connection refused"))
    _, answer = stream(assistant, "What is the PDCA cycle?")
    assert answer.provider == "extractive"
    assert (
        answer.notice
        and "could not answer" in answer.notice
        and "Connection refused" in answer.notice
    )
    assert answer.citations


def test_model_saying_not_covered_is_an_abstention(
    assistant: Assistant, model: ScriptedChatModel
) -> None:
    model.enqueue(NOT_COVERED)
    _, answer = stream(assistant, "What is the PDCA cycle?")
    assert answer.abstained and answer.answer.startswith(NOT_COVERED)


def test_off_topic_question_does_not_call_the_model(
    assistant: Assistant, model: ScriptedChatModel
) -> None:
    _, answer = stream(assistant, "best recipe for banana bread")
    assert answer.abstained
    assert model.calls == []


def test_follow_up_is_condensed_with_the_history(
    assistant: Assistant, model: ScriptedChatModel
) -> None:
    """Two turns: the second question only makes sense with the first."""
    model.enqueue("Gauges are calibrated at planned intervals against traceable standards. [1]")
    _, first = stream(assistant, "how should we calibrate our calipers?")
    assert first.citations[0].doc_id == "calibration-basics"
    history = [("user", "how should we calibrate our calipers?"), ("assistant", first.answer)]
    model.enqueue(
        "Who should calibrate calipers and micrometers?",  # the condense step
        "A competent person or an accredited laboratory calibrates the gauges. [1]",
    )
    _, second = stream(assistant, "and who should do it?", history)
    assert second.standalone_question == "Who should calibrate calipers and micrometers?"
    condense_prompt = " ".join(str(m.content) for m in model.calls[-2])
    assert "how should we calibrate our calipers?" in condense_prompt
    assert second.hits[0].chunk.doc_id == "calibration-basics"


def test_context_is_trimmed_to_the_window(
    fixture_index: tuple[Settings, Store], model: ScriptedChatModel
) -> None:
    settings, store = fixture_index
    small = settings.derive(provider=SCRIPTED, context_window=900, max_tokens=200)
    assistant = Assistant(small, store=store, chat_model=model)
    stream(assistant, "What is the PDCA cycle?")
    prompt = str(model.calls[-1][0].content)
    assert "[1]" in prompt and "[3]" not in prompt
    assert len(prompt) < 900 * 4
