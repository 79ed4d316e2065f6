"""The corpus's "Questions people ask" pairs are written from topics, not from the eval's test
questions: no pair's question may sit at cosine >= 0.9 to a test question (the embedding
model's question-to-question similarity, the same one retrieval uses)."""

from __future__ import annotations

import numpy as np

from isoguide.embeddings import LocalEmbeddings
from isoguide.eval import DATA
from isoguide.eval.runner import load_questions
from isoguide.ingest.loaders import load_markdown

from .test_corpus import FILES, qa_pairs

LIMIT = 0.9


def test_no_pair_question_is_a_near_copy_of_a_test_question(embeddings: LocalEmbeddings) -> None:
    pairs = [(p.stem, q) for p in FILES for q, _ in qa_pairs(load_markdown(p).body)]
    tests = [q["question"] for q in load_questions(DATA / "test.jsonl")]
    assert len(pairs) >= 600 and len(tests) >= 200
    sims = embeddings.encode([q for _, q in pairs]) @ embeddings.encode(tests).T
    worst = np.argwhere(sims >= LIMIT)
    near = [(pairs[i][0], pairs[i][1], tests[j], round(float(sims[i, j]), 3)) for i, j in worst]
    assert not near, near
