import pytest

from isoguide.retrieval import Retriever
from isoguide.settings import Settings
from isoguide.store import Store


@pytest.fixture(scope="module")
def retriever(fixture_index: tuple[Settings, Store]) -> Retriever:
    settings, store = fixture_index
    return Retriever.from_settings(settings, store)


@pytest.mark.parametrize(
    ("question", "doc_id"),
    [
        ("What is the PDCA cycle?", "pdca-cycle"),
        ("how often should our calipers be calibrated", "calibration-basics"),
        ("what goes into a management review meeting", "management-review"),
        ("do we need a written procedure for training?", "competence-training"),
        ("how do we check our subcontractors", "supplier-control"),
        ("is preventive action still required", "risk-thinking"),
    ],
)
def test_the_right_document_comes_first(retriever: Retriever, question: str, doc_id: str) -> None:
    result = retriever.search(question, k=5)  # the default: hybrid with clause-aware ranking
    assert result.hits, question
    assert result.hits[0].chunk.doc_id == doc_id, [h.chunk.doc_id for h in result.hits]
    for mode in ("dense", "bm25"):  # each half alone still finds it near the top
        single = retriever.search(question, k=3, mode=mode)  # type: ignore[arg-type]
        assert doc_id in [h.chunk.doc_id for h in single.hits], (mode, question)


def test_a_named_clause_ranks_its_guidance_first(retriever: Retriever) -> None:
    result = retriever.search("what is 9.3 about", k=3)
    assert result.hits[0].chunk.doc_id == "management-review"
    assert not result.abstain  # a question naming an ISO 9001 clause is in scope


def test_off_topic_questions_abstain(retriever: Retriever) -> None:
    for question in ("best recipe for banana bread", "who won the football world cup in 2014"):
        assert retriever.search(question).abstain, question


def test_hits_are_ranked_unique_and_scored(retriever: Retriever) -> None:
    result = retriever.search("calibration register for gauges", k=5)
    ids = [h.chunk.chunk_id for h in result.hits]
    assert len(ids) == len(set(ids))
    assert [h.rank for h in result.hits] == list(range(1, len(ids) + 1))
    scores = [h.score for h in result.hits]
    assert scores == sorted(scores, reverse=True)
    data = result.to_json()
    assert set(data) == {"query", "abstain", "results"}
    assert set(data["results"][0]) == {
        "rank",
        "chunk_id",
        "doc_id",
        "title",
        "section",
        "clauses",
        "kind",
        "editions",
        "score",
        "text",
    }
