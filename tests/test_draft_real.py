"""Drafts over the real corpus answer the consultant's review of two earlier drafts: clause 9.3
with its purpose, every input and the yearly expectation of certification bodies; risk-based
thinking for a bakery with the bakery, HACCP and "no documented information for 6.1"; and a
company that declares 8.3 not applicable getting the guidance on justifying that."""

from __future__ import annotations

import re

import pytest

from isoguide.assistant import Assistant
from isoguide.draft import draft_explanation
from isoguide.settings import Settings
from isoguide.store import Store

from .test_draft import assert_fully_cited

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def real(real_index: tuple[Settings, Store]) -> Assistant:
    settings, store = real_index
    return Assistant(settings, store=store)


@pytest.fixture(scope="module")
def real_chunks(real: Assistant):  # type: ignore[no-untyped-def]
    return {c.chunk_id: c for c in real.store.all_chunks()}


def test_clause_9_3_is_complete(real: Assistant, real_chunks) -> None:  # type: ignore[no-untyped-def]
    draft = draft_explanation(real, "clause 9.3 management review")
    assert_fully_cited(draft, real_chunks)
    assert draft.uncovered_parts == []
    md = draft.markdown
    assert (
        "The purpose is to confirm that the system remains suitable, adequate and effective" in md
    )
    inputs = md.split("### 9.3.2")[1].split("###")[0]
    for item in (
        "The status of actions from previous management reviews.",
        "The adequacy of resources.",
        "Opportunities for improvement.",
    ):
        assert item in inputs
    assert re.search(
        r"certification bodies expect .*at least once a year"
        r"|at least once a year is what (most )?certification bodies expect",
        md,
    )


def test_risk_based_thinking_for_a_bakery(real: Assistant, real_chunks) -> None:  # type: ignore[no-untyped-def]
    draft = draft_explanation(real, "Risk-based thinking for a 10-person bakery")
    assert_fully_cited(draft, real_chunks)
    assert draft.clause == "6.1" and draft.context.sector == "bakery"
    documented = draft.markdown.split("## Documented information")[1].split("\n## ")[0]
    assert re.search(r"does not (explicitly )?require", documented)
    bakery = draft.markdown.split("## In a bakery")[1].split("\n## ")[0]
    assert "bakery" in bakery.split("Elsewhere", 1)[1]  # passages that do mention bakeries
    assert "HACCP" in bakery
    assert "The guidance does not say how risk-based thinking sits beside HACCP." in draft.silent


def test_a_clause_declared_not_applicable_gets_the_justification(
    real: Assistant, real_chunks
) -> None:  # type: ignore[no-untyped-def]
    excluded = draft_explanation(
        real, "clause 8.3 design and development", context="8.3 not applicable"
    )
    normal = draft_explanation(real, "clause 8.3 design and development")
    for d in (excluded, normal):
        assert_fully_cited(d, real_chunks)
    assert "## Justifying the decision" in excluded.markdown
    assert all(
        re.search(r"not applicable|exclu|justif|cannot (be )?appl", c.quote, re.I)
        for c in excluded.citations
    )
    assert not any("design review" in c.quote.lower() for c in excluded.citations)
    assert "## Justifying the decision" not in normal.markdown
    other = draft_explanation(
        real, "clause 7.5 documented information", context="8.3 not applicable"
    )
    assert not any(re.search(r"(?<![\d.])8\.3(?![\d])", c.quote) for c in other.citations)
