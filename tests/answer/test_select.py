import numpy as np

from isoguide.answer.select import FEATURES, _consensus
from isoguide.models import Chunk, SearchHit
from isoguide.sentences import Candidate
from isoguide.text import Sentence


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
