"""Editions as data: the clause map, edition detection and preference, the 2026 point."""

from __future__ import annotations

import re

import pytest

from isoguide.assistant import Assistant
from isoguide.clauses import VALID_CLAUSES
from isoguide.editions import load_clause_map, named_edition
from isoguide.settings import REPO_ROOT, Settings
from isoguide.store import Store

CLAUSE_MAP = REPO_ROOT / "corpus" / "clause_map.yaml"


def test_clause_map_covers_every_2015_clause_and_round_trips() -> None:
    cmap = load_clause_map(str(CLAUSE_MAP))
    wanted = {c for c in VALID_CLAUSES if c.split(".")[0] in {"4", "5", "6", "7", "8", "9", "10"}}
    assert wanted <= set(cmap.rows), sorted(wanted - set(cmap.rows))
    for clause, row in cmap.rows.items():
        assert row.title2015 and row.title2026, clause
        assert row.change in {"unchanged", "amended", "renamed", "moved", "split", "new"}
        assert row.c2026, clause
        for target in row.c2026:  # 2015 -> 2026 -> back to a row that names the 2015 clause
            back = [r for r in cmap.rows.values() if target in r.c2026]
            assert any(r.c2015 == clause for r in back), (clause, target)
    assert cmap.title("5.1", "2015") == cmap.rows["5.1"].title2015


@pytest.mark.parametrize(
    ("question", "edition"),
    [
        ("What changes in ISO 9001:2026 for a small company?", "2026"),
        ("does the new version still need a quality policy", "2026"),
        ("When does the transition to the new standard end?", "2026"),
        ("What does clause 7.2 of ISO 9001:2015 require?", "2015"),
        ("What is a management review?", None),
    ],
)
def test_the_edition_a_question_names(question: str, edition: str | None) -> None:
    assert named_edition(question) == edition


@pytest.fixture(scope="module")
def real(real_index: tuple[Settings, Store]) -> Assistant:
    settings, store = real_index
    return Assistant(settings, store=store)


@pytest.mark.slow
def test_a_question_naming_2026_gets_2026_guidance_first(real: Assistant) -> None:
    result = real.search("What changes in ISO 9001:2026 for a small company?")
    assert result.edition == "2026"
    assert "2026" in result.hits[0].chunk.editions, result.hits[0].chunk.section
    answer = real.ask("What changes in ISO 9001:2026 for a small company?")
    assert answer.edition == "2026" and not answer.abstained
    assert all("2026" in c.editions for c in answer.citations[:2]), answer.citations


@pytest.mark.slow
def test_by_default_answers_describe_2015_and_add_the_2026_point(real: Assistant) -> None:
    answer = real.ask("What does clause 5.1 require from top management?")
    assert answer.edition == "2015"
    first = answer.citations[0]
    assert first.editions != ["2026"], first
    points = [c for c in answer.citations if c.quote.startswith("In ISO 9001:2026")]
    assert len(points) == 1, answer.answer
    assert f"[{points[0].n}]" in answer.answer and points[0].editions == ["2026"]


@pytest.mark.slow
def test_the_edition_setting_filters_preference(real_index: tuple[Settings, Store]) -> None:
    settings, store = real_index
    pinned = Assistant(settings.derive(edition="2026"), store=store)
    result = pinned.search("What does clause 6.1 require about risks?")
    assert result.edition == "2026"
    assert "2026" in result.hits[0].chunk.editions


@pytest.mark.slow
def test_no_served_passage_says_the_revision_content_is_unknown(real: Assistant) -> None:
    stale = re.compile(
        r"(?i)(content|requirements|changes)[^.]{0,60}\b(not (yet )?(settled|known|final)|unknown)"
        r"|expected around 2026"
    )
    bad = [(c.doc_id, c.section) for c in real.store.all_chunks() if stale.search(c.text)]
    assert not bad, bad


@pytest.mark.slow
def test_the_bare_question_who_replaced_the_iaf_is_answered(real: Assistant) -> None:
    assert not real.ask("Who replaced the IAF?").abstained


def test_who_replaced_the_iaf(real: Assistant) -> None:
    answer = real.ask("Who replaced the IAF as the body behind accredited ISO 9001 certification?")
    assert not answer.abstained
    assert "Global Accreditation Cooperation" in answer.answer, answer.answer
    assert "2026" in answer.answer, answer.answer
