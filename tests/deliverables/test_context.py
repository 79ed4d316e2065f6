"""Company context, readers and topics with a sector tail, read from plain words."""

from __future__ import annotations

import pytest

from isoguide.deliverables.context import (
    CompanyContext,
    parse_context,
    resolve_audience,
    split_topic,
)
from isoguide.errors import IsoguideError


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "12 people, machine shop, 8.3 not applicable",
            CompanyContext(12, "machine shop", ("8.3",)),
        ),
        (
            "size=10; sector=bakery; not-applicable=8.3, 8.5.3",
            CompanyContext(10, "bakery", ("8.3", "8.5.3")),
        ),
        ("8.3 and 7.1.5 not applicable", CompanyContext(None, "", ("8.3", "7.1.5"))),
        ("", CompanyContext()),
    ],
)
def test_parse_context(text: str, expected: CompanyContext) -> None:
    assert parse_context(text) == expected


def test_bad_context_is_a_clear_error() -> None:
    with pytest.raises(IsoguideError, match="not ISO 9001 clause numbers"):
        parse_context("size=5; not-applicable=3.2")
    with pytest.raises(IsoguideError, match="number of people"):
        parse_context("size=ten; sector=bakery")


def test_topic_with_a_company_tail() -> None:
    assert split_topic("Risk-based thinking for a 10-person bakery") == (
        "Risk-based thinking",
        CompanyContext(10, "bakery"),
    )
    assert split_topic("clause 7.5 documented information") == (
        "clause 7.5 documented information",
        CompanyContext(),
    )


def test_sector_families_and_schemes() -> None:
    bakery = CompanyContext(10, "bakery")
    assert bakery.sector_family() == "food" and bakery.schemes() == ["HACCP"]
    assert bakery.describe() == "a 10-person bakery"
    assert CompanyContext(sector="nail salon").sector_family() is None


@pytest.mark.parametrize(
    ("typed", "reader"),
    [
        (None, "owner/management"),
        ("client management", "owner/management"),
        ("shop-floor staff", "shop-floor staff"),
        ("warehouse team", "shop-floor staff"),
        ("internal auditors", "auditors"),
    ],
)
def test_readers(typed: str | None, reader: str) -> None:
    assert resolve_audience(typed) == reader
