import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from isoguide.cli import main
from isoguide.settings import Settings
from isoguide.store import Store

from .conftest import FIXTURE_CORPUS


@pytest.fixture
def indexed_env(monkeypatch: pytest.MonkeyPatch, fixture_index: tuple[Settings, Store]) -> Settings:
    settings, _ = fixture_index
    monkeypatch.setenv("ISOGUIDE_DATA_DIR", str(settings.data_dir))
    monkeypatch.setenv("ISOGUIDE_CORPUS_DIRS", json.dumps([str(p) for p in settings.corpus_dirs]))
    return settings


def run_cli(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_ask_json_contract(indexed_env: Settings, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run_cli(capsys, "ask", "What is the PDCA cycle?", "--json")
    assert code == 0
    data = json.loads(out)
    assert {"question", "answer", "abstained", "provider", "citations"} <= set(data)
    assert data["provider"] == "extractive" and data["abstained"] is False
    assert data["citations"]
    for c in data["citations"]:
        assert set(c) == {
            "n",
            "chunk_id",
            "doc_id",
            "title",
            "section",
            "clauses",
            "quote",
            "editions",
        }
        assert f"[{c['n']}]" in data["answer"]


def test_search_json_contract(indexed_env: Settings, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run_cli(capsys, "search", "calibration of gauges", "-k", "3", "--json")
    assert code == 0
    data = json.loads(out)
    assert set(data) == {"query", "abstain", "results"}
    assert len(data["results"]) == 3
    assert data["results"][0]["doc_id"] == "calibration-basics"
    assert [r["rank"] for r in data["results"]] == [1, 2, 3]


def test_ask_plain_text_lists_sources(
    indexed_env: Settings, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run_cli(capsys, "ask", "what are the outputs of management review")
    assert code == 0
    assert "Sources:" in out and "[1]" in out


@pytest.mark.parametrize("question", ["", "   ", "x" * 4001])
def test_bad_questions_exit_2_with_a_message(
    capsys: pytest.CaptureFixture[str], question: str
) -> None:
    for command in ("ask", "search"):
        code, out, err = run_cli(capsys, command, question)
        assert code == 2
        assert "error:" in err and out == ""
        assert ("empty" in err) or ("4,000" in err)


def test_missing_corpus_folder_is_a_clear_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("ISOGUIDE_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("ISOGUIDE_CORPUS_DIRS", json.dumps([str(tmp_path / "missing")]))
    code, _, err = run_cli(capsys, "ingest", "--quiet")
    assert code == 1
    assert "does not exist" in err


def test_first_use_builds_the_index(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    shutil.copy(FIXTURE_CORPUS / "pdca-cycle.md", corpus)
    monkeypatch.setenv("ISOGUIDE_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("ISOGUIDE_CORPUS_DIRS", json.dumps([str(corpus)]))
    code, out, err = run_cli(capsys, "ask", "What is the PDCA cycle?", "--json")
    assert code == 0
    assert "No index yet" in err and "Indexed 1 documents" in err
    assert json.loads(out)["citations"][0]["doc_id"] == "pdca-cycle"


def test_console_script_exit_code() -> None:
    exe = Path(sys.executable).with_name("isoguide")
    proc = subprocess.run([str(exe), "ask", " "], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 2
    assert "question is empty" in proc.stderr


def test_quiz_and_draft_commands(
    indexed_env: Settings, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    code, out, _ = run_cli(
        capsys, "quiz", "calibration of measuring equipment", "-n", "2", "--seed", "1", "--json"
    )
    assert code == 0
    items = json.loads(out)["items"]
    assert 1 <= len(items) <= 2
    for item in items:
        assert set(item["answer"]) <= set(item["options"]) and item["citations"]
        assert item["kind"] and item["difficulty"] and item["bloom"] and item["clauses"]
    code, out, _ = run_cli(
        capsys,
        "quiz",
        "calibration of measuring equipment",
        "-n",
        "2",
        "--seed",
        "1",
        "--format",
        "gift",
    )
    assert code == 0 and "$CATEGORY: $course$/top/isoguide/" in out and "::Q1::" in out
    # more than the small fixture corpus holds: the note names its quiz (several may run)
    code, out, err = run_cli(
        capsys, "quiz", "calibration of measuring equipment", "-n", "8", "--format", "gift"
    )
    assert code == 0, err
    assert re.search(
        r"note on 'Quiz: calibration of measuring equipment': \d of the 8 items asked for", err
    )
    target = tmp_path / "quiz.zip"
    code, _, err = run_cli(
        capsys,
        "quiz",
        "calibration of measuring equipment",
        "-n",
        "1",
        "--seed",
        "1",
        "--format",
        "qti",
        "--output",
        str(target),
    )
    assert code == 0 and target.read_bytes()[:2] == b"PK" and "wrote 1 items" in err
    code, _, err = run_cli(capsys, "quiz", "calibration of measuring equipment", "--format", "qti")
    assert code == 1 and "--output" in err
    code, _, err = run_cli(capsys, "quiz", "calibration", "--types", "essay")
    assert code == 1 and "Unknown item type" in err
    # a second quiz of a course repeats none of the first one's options
    first = tmp_path / "first.json"
    topic = "calibration of measuring equipment"
    code, out, err = run_cli(capsys, "quiz", topic, "-n", "3", "--seed", "2", "--json")
    assert code == 0, err
    first.write_text(out, encoding="utf-8")
    code, out, err = run_cli(
        capsys,
        "quiz",
        "management review",
        "-n",
        "3",
        "--seed",
        "2",
        "--json",
        "--avoid",
        str(first),
    )
    assert code == 0, err
    before = json.loads(first.read_text())["items"]
    after = json.loads(out)["items"]
    words = {o for i in before for o in i["options"] if not o[0].isdigit()} - {"True", "False"}
    assert not words & {o for i in after for o in i["options"]}
    assert not {i["question"] for i in before} & {i["question"] for i in after}
    # a course: one quiz per topic, the items spread over them, each quiz in its own section
    code, out, err = run_cli(
        capsys, "quiz", "--course", f"{topic}; management review", "-n", "3", "--seed", "2"
    )
    assert code == 0, err
    assert out.count("# Quiz: ") == 2 and out.count("## Answer key") == 2
    code, _, err = run_cli(capsys, "quiz", topic, "--course", "a; b")
    assert code == 1 and "--course" in err
    code, _, err = run_cli(capsys, "quiz", "--course", topic)
    assert code == 1 and "two or more topics" in err
    code, _, err = run_cli(capsys, "quiz", topic, "--avoid", str(tmp_path / "none.json"))
    assert code == 1 and "--avoid" in err and "--format json" in err
    code, out, _ = run_cli(capsys, "draft", "management review")
    assert code == 0
    assert "[1]" in out and "Sources" in out
    code, out, _ = run_cli(capsys, "draft", "banana bread recipes")
    assert code == 1 and "does not cover" in out
