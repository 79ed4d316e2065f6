"""Which standards a question names, and whether this guidance covers them."""

from __future__ import annotations

import pytest

from isoguide.glossary import covered, named_standards, names_other_standard
from isoguide.ingest.loaders import load_markdown

from .corpus.test_corpus import FILES


@pytest.mark.parametrize(
    ("question", "other"),
    [
        ("We run an ISO-14001 programme; how do we list environmental aspects?", True),
        ("Can an internal auditor audit us against AS13100?", True),
        ("Are gauge studies required under IATF16949?", True),
        ("Which ISO/IEC 27001 Annex A controls apply to us?", True),
        ("Is HACCP enough for a food plant?", True),
        ("We hold ISO 9001 and ISO 14001: can one internal audit cover both?", False),
        ("How does ISO 19011 describe an audit programme?", False),
        ("Is ISO 10002 useful for handling complaints?", False),
        ("What does clause 7.1.5 ask about calibration?", False),
    ],
)
def test_other_standards_are_recognised_by_their_identifier(question: str, other: bool) -> None:
    assert names_other_standard(question) is other


def test_the_corpus_is_about_covered_standards_only() -> None:
    """Every document's edition names a standard the abstention treats as covered."""
    for path in FILES:
        edition = str(load_markdown(path).meta["edition"])
        named = named_standards(edition)
        assert named and all(covered(n) for n in named), (path.name, edition)
