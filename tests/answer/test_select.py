import numpy as np

from isoguide.answer.select import FEATURES, Scored, _consensus, pick
from isoguide.models import Chunk, SearchHit
from isoguide.sentences import Candidate, leans_back
from isoguide.text import Sentence, split_sentences


def _cand(doc: str, chunk: str, index: int) -> Candidate:
    c = Chunk(f"{doc}:{chunk}", doc, doc, "s", (), "x.md", "h", "text")
    return Candidate(SearchHit(c, 1.0), Sentence("text", 0, 4), index)


def test_a_point_two_documents_make_scores_higher_than_one_only_its_own_chunk_makes() -> None:
    cands = [_cand("a", "1", 0), _cand("a", "1", 1), _cand("b", "1", 0), _cand("c", "1", 0)]
    v = np.array([[1.0, 0.0], [1.0, 0.0], [0.8, 0.6], [0.0, 1.0]], dtype=np.float32)
    centrality, agreement = _consensus(cands, v)
    # sentence 0 and 1 say the same, but in one chunk: only b's sentence (cos 0.8) agrees
    assert agreement[0] == agreement[1] == 1 / 5
    assert agreement[3] == 1 / 5  # c agrees with b (cos 0.6), not with a (cos 0)
    assert centrality[2] > centrality[3]
    assert "centrality" in FEATURES and "agreement" in FEATURES


def test_a_single_candidate_has_no_consensus() -> None:
    centrality, agreement = _consensus([_cand("a", "1", 0)], np.ones((1, 2), dtype=np.float32))
    assert centrality.tolist() == [0.0] and agreement.tolist() == [0.0]


def _unit(text: str, drop_first: bool = False) -> Scored:
    """The sentences of one chunk as candidates (one-hot vectors, no features); without the
    first sentence when ``drop_first``."""
    chunk = Chunk("d:1", "d", "d", "s", (), "x.md", "h", text)
    hit = SearchHit(chunk, 1.0, rank=1)
    cands = [Candidate(hit, s, i) for i, s in enumerate(split_sentences(text))]
    vectors = np.eye(len(cands), dtype=np.float32)
    start = 1 if drop_first else 0
    features = np.zeros((len(cands) - start, len(FEATURES)), dtype=np.float32)
    return Scored(cands[start:], vectors[start:], features)


def test_a_sentence_that_points_back_comes_with_the_sentence_before_it_or_not_at_all() -> None:
    text = (
        "Clause 6.1.1 has the company list its risks and opportunities. "
        "Clause 6.1.2 requires the company to plan actions to address those risks. "
        "Most small firms keep one short register."
    )
    chosen = pick(_unit(text), np.array([0.2, 0.9, 0.5]), 2, 0.1)
    # the best sentence ("those risks") brings its antecedent, in reading order
    assert [c.index for c in chosen] == [0, 1]
    # without its antecedent among the candidates, it is skipped for the next best
    scored = _unit(text, drop_first=True)
    assert [c.index for c in pick(scored, np.array([0.9, 0.5]), 2, 0.1)] == [2]


def test_leans_back_reads_pointers_without_an_antecedent_in_the_sentence() -> None:
    assert leans_back("Clause 4.1 requires them to be monitored and reviewed.")
    assert leans_back("The firm must plan actions to address those risks.")
    assert not leans_back("Firms verify working gauges against masters and recheck those masters.")
    assert not leans_back("Suppliers must say what they supply.")
    assert not leans_back("Such records are kept for three years.")  # opening word: ANAPHORIC's
    assert leans_back("Clause 9.2.2 requires records to be retained for both, so keep the report.")
    assert not leans_back("Keep both the audit programme and the audit report.")


def test_a_tempting_response_comes_with_the_mistake_it_answers() -> None:
    # "Another tempting response ..." leans on the first, which leans on what works, which
    # leans on the mistake: quoted with all three, or not at all
    text = (
        "A common mistake is closing corrective actions without checking that they worked. "
        "What works instead is to set a review date and check the records for recurrence. "
        "A tempting response that does not fix it is to buy a reminder module for due dates. "
        "Another tempting response that does not fix it is to set a thirty-day closure target."
    )
    assert [leans_back(s.text) for s in split_sentences(text)] == [False, True, True, True]
    chosen = pick(_unit(text), np.array([0.1, 0.2, 0.3, 0.9]), 4, 0.05)
    assert [c.index for c in chosen] == [0, 1, 2, 3]
    # without the mistake among the candidates, none of the three is quoted
    scored = _unit(text, drop_first=True)
    assert pick(scored, np.array([0.2, 0.3, 0.9]), 4, 0.05) == []
