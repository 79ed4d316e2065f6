"""The clause map: parts of a clause and checklist rows, from corpus/clause_map.yaml."""

from __future__ import annotations

from pathlib import Path

import pytest

from isoguide.deliverables.clause_map import ClauseMap, clause_map_for
from isoguide.errors import IsoguideError
from isoguide.settings import Settings

from ..conftest import FIXTURE_CORPUS, REAL_CORPUS


def test_parts_and_leaves_from_the_corpus_map(tmp_path: Path) -> None:
    cmap = clause_map_for(Settings(data_dir=tmp_path, corpus_dirs=[REAL_CORPUS]))
    assert cmap.source.endswith("clause_map.yaml")
    assert [p.label for p in cmap.parts("9.3")] == [
        "9.3.1 General",
        "9.3.2 Management review inputs",
        "9.3.3 Management review outputs",
    ]
    assert [p.number for p in cmap.parts("7.5")] == ["7.5.1", "7.5.2", "7.5.3"]
    assert [p.number for p in cmap.parts("7.2")] == ["7.2"]  # a clause without sub-clauses
    assert [p.number for p in cmap.leaves("7.5")] == ["7.5.1", "7.5.2", "7.5.3.1", "7.5.3.2"]
    assert (
        cmap.get("6.1.1").label
        == "6.1.1 Considering issues and determining risks and opportunities"
    )
    assert cmap.get("9.3").number_2026 == ("9.3",)
    assert (
        len(cmap.leaves()) == len([c for c in cmap.ordered() if not cmap.children(c.number)]) > 60
    )


def test_without_a_map_the_builtin_titles_stand_in(tmp_path: Path) -> None:
    cmap = clause_map_for(Settings(data_dir=tmp_path, corpus_dirs=[FIXTURE_CORPUS]))
    assert cmap.source == ClauseMap.builtin().source
    assert [p.number for p in cmap.parts("9.2")] == ["9.2.1", "9.2.2"]


def test_a_wrong_clause_number_is_a_clear_error() -> None:
    with pytest.raises(IsoguideError, match="not an ISO 9001:2015 clause"):
        ClauseMap.builtin().get("11.4")
