"""The CI gate: the test split of the real questions (eval/data/test.jsonl, never used for
fitting) against the real corpus/. Thresholds are the values measured when they were set (see
the closing note of issue 10) less a small margin, so a regression in the answers, retrieval,
abstention, citations or quiz checking fails the build. Timing is never asserted."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from isoguide.assistant import Assistant
from isoguide.eval import DEV_SET, TEST, TUNE
from isoguide.eval.metrics import all_metrics, citation_problems
from isoguide.eval.runner import evaluate, format_table, load_questions
from isoguide.settings import Settings
from isoguide.store import Store

DEV = DEV_SET

# measured value -> gate (measured minus margin), on the test split with the default settings
# (reranker on; `isoguide eval --json F` at the commit that turned it on, 2026-11-28)
# measured 0.603 (47 of 78) at d73598c, 0.615 before its 322 corpus pairs moved one item's
# evidence: gate two items under (python -m isoguide.eval.quiz_eval test)
QUIZ_GATE = 0.57
GATES = {
    "answer_key_point_recall": 0.25,  # measured 0.287 (words: 70% of a point's words)
    "first_sentence_key_point": 0.22,  # measured 0.261
    # the calibrated matcher (eval/keypoints.py), fitted on judged pairs of tune questions
    "answer_key_point_recall_semantic": 0.32,  # measured 0.361 (lead + points, median 204 words)
    "key_point_recall@5_semantic": 0.45,  # measured 0.490 (the ceiling)
    "clause_hit@5": 0.87,  # measured 0.915
    "clause_hit@1": 0.76,  # measured 0.777
    "mrr": 0.80,  # measured 0.836
    "ndcg@10": 0.69,  # measured 0.734
    "key_point_recall@5": 0.44,  # measured 0.488
    "abstain_f1": 0.86,  # measured 0.885 (199 out-of-scope test questions; P 0.923, R 0.849)
    "citation_validity": 1.0,  # measured 1.000; the extractive answerer quotes verbatim
    # the checker (issue 12) on the test split's multiple-choice items; see the closing note
    "quiz_accuracy": QUIZ_GATE,
}
# false abstentions: measured 0.054 (14 of 259), over the 5% target (0.046 under the
# previous fit, on the index before d73598c): the ceiling catches a regression, the note
# reports the miss
CEILINGS = {"redundant_pairs": 0.0, "false_abstention": 0.07}  # measured 0 and 0.054


@pytest.fixture(scope="module")
def dev_records(
    real_index: tuple[Settings, Store], tmp_path_factory: pytest.TempPathFactory
) -> list[dict]:  # type: ignore[type-arg]
    settings, store = real_index
    assistant = Assistant(settings, store=store)
    records = evaluate(assistant, load_questions(TEST))
    out = tmp_path_factory.mktemp("eval") / "test-eval.json"
    out.write_text(json.dumps({"metrics": all_metrics(records), "records": records}, indent=1))
    return records


def test_real_question_set_has_the_promised_shape() -> None:
    from isoguide.eval.split import split_of

    tune, test = load_questions(TUNE), load_questions(TEST)
    items = tune + test
    kinds = [i["kind"] for i in items]
    assert kinds.count("answerable") >= 300
    assert kinds.count("out_of_scope") >= 80
    assert kinds.count("quiz") >= 80
    assert len({i["id"] for i in items}) == len(items)
    assert all(i["source_url"].startswith("http") for i in items), "every question has its source"
    assert all(split_of(i["id"]) == "tune" for i in tune)
    assert all(split_of(i["id"]) == "test" for i in test)
    assert len(load_questions(DEV)) >= 100  # the team-written set stays for tests, not for claims
    for item in items:
        if item["kind"] == "quiz":
            answers = item["answer"] if isinstance(item["answer"], list) else [item["answer"]]
            assert set(answers) <= set(item["options"]), item["id"]


@pytest.mark.slow
def test_metrics_stay_above_the_gates(dev_records: list[dict]) -> None:  # type: ignore[type-arg]
    metrics = all_metrics(dev_records)
    print("\n" + format_table(metrics))
    failing = {k: (metrics[k], gate) for k, gate in GATES.items() if (metrics[k] or 0.0) < gate}
    failing |= {k: (metrics[k], cap) for k, cap in CEILINGS.items() if (metrics[k] or 0.0) > cap}
    assert not failing, failing


@pytest.mark.slow
def test_every_extractive_citation_is_valid(dev_records: list[dict]) -> None:  # type: ignore[type-arg]
    problems = {r["id"]: citation_problems(r) for r in dev_records if citation_problems(r)}
    assert not problems, problems


@pytest.mark.slow
def test_eval_json_records_have_the_documented_fields(dev_records: list[dict]) -> None:  # type: ignore[type-arg]
    for record in dev_records:
        assert {"id", "retrieved", "abstained", "answer", "citations"} <= set(record)
        for chunk in record["retrieved"]:
            assert {"chunk_id", "doc_id", "clauses", "score", "text"} <= set(chunk)
        if record["kind"] == "quiz":
            assert "chosen_option" in record


def test_eval_cli_accepts_any_file_in_the_format(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    fixture_index: tuple[Settings, Store],
    capsys: pytest.CaptureFixture[str],
) -> None:
    from isoguide.cli import main

    settings, _ = fixture_index
    monkeypatch.setenv("ISOGUIDE_DATA_DIR", str(settings.data_dir))
    monkeypatch.setenv("ISOGUIDE_CORPUS_DIRS", json.dumps([str(p) for p in settings.corpus_dirs]))
    questions = tmp_path / "mine.jsonl"
    questions.write_text(
        '{"id": "x1", "kind": "answerable", "question": "what is PDCA", "clauses": ["10.3"], "key_points": ["Plan, Do, Check, Act"]}\n'
        '{"id": "x2", "kind": "out_of_scope", "question": "banana bread recipe"}\n'
        '{"id": "x3", "kind": "quiz", "question": "Is a written training procedure required by ISO 9001?", '
        '"options": ["Yes, always", "No, but competence evidence must be kept", "Only for big firms", "Only in Europe"], '
        '"answer": "No, but competence evidence must be kept"}\n'
    )
    out = tmp_path / "out.json"
    assert main(["eval", "--questions", str(questions), "--json", str(out)]) == 0
    printed = capsys.readouterr().out
    assert "clause_hit@5" in printed and "abstain_f1" in printed and "quiz_accuracy" in printed
    data = json.loads(out.read_text())
    assert set(data) == {"metrics", "records"} and len(data["records"]) == 3
    by_id = {r["id"]: r for r in data["records"]}
    assert by_id["x2"]["abstained"] is True
    assert by_id["x1"]["retrieved"][0]["doc_id"] == "pdca-cycle"
    assert "chosen_option" in by_id["x3"]


def test_bad_question_file_is_a_clear_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from isoguide.cli import main

    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"kind": "answerable", "question": "ok"}\nnot json\n')
    assert main(["eval", "--questions", str(bad)]) == 2
    assert "bad.jsonl:2" in capsys.readouterr().err
