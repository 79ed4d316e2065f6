from __future__ import annotations

import numpy as np
import pytest

from isoguide.embeddings import LocalEmbeddings


def test_encode_memo_gives_the_model_s_vectors_and_encodes_each_text_once(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    embeddings = LocalEmbeddings(memo_size=3)
    texts = ["calibration records", "management review inputs", "calibration records"]
    plain = embeddings.encode(texts)
    seen: list[list[str]] = []
    encode = embeddings.encode

    def counting(batch: list[str]) -> np.ndarray:
        seen.append(list(batch))
        return encode(batch)

    monkeypatch.setattr(embeddings, "encode", counting)
    memo = embeddings.encode_memo(texts)
    assert memo.shape == (3, 384)
    np.testing.assert_allclose(memo, plain, atol=1e-5)
    assert seen == [["calibration records", "management review inputs"]]  # a repeat once
    again = embeddings.encode_memo(["management review inputs", "corrective action"])
    np.testing.assert_allclose(again[0], plain[1], atol=1e-5)
    assert seen[-1] == ["corrective action"]  # the one it had not seen
    embeddings.encode_memo(["internal audit"])  # a fourth text: the least recently used goes
    assert len(embeddings._memo) == 3 and "calibration records" not in embeddings._memo
    assert embeddings.encode_memo([]).shape == (0, 384)


def test_a_caller_changing_a_memo_vector_does_not_change_the_memo() -> None:
    embeddings = LocalEmbeddings()
    first = embeddings.encode_memo(["supplier evaluation"])
    first[0] *= 0
    assert float(
        np.linalg.norm(embeddings.encode_memo(["supplier evaluation"])[0])
    ) == pytest.approx(1, abs=1e-4)
