"""Definition items are checked against the guidance's glossary entries: parsing the entries,
and both shapes of item over the real corpus (our own items, not the eval split's)."""

from __future__ import annotations

import pytest

from isoguide.assistant import Assistant
from isoguide.models import Chunk
from isoguide.quiz import check_quiz_item
from isoguide.quiz.glossary import Glossary, normalise
from isoguide.settings import Settings
from isoguide.store import Store

TEXT = (
    "- **Correction**: A correction is the fix applied to a problem already found. More text.\n"
    "- **Provider / supplier**: A provider is whoever supplies a product or service to you.\n"
    "- **Measuring equipment** (ISO 9000:2015, 3.11.6): Measuring equipment is any instrument "
    "used to measure.\n"
    "Plain paragraph with **bold** words: not an entry.\n"
)


def test_entries_are_parsed_with_verbatim_first_sentences() -> None:
    chunk = Chunk("g:1:000", "g", "Glossary", "Terms", (), "corpus/g.md", "h", TEXT)
    terms = Glossary([chunk])
    # an entry may name its ISO 9000 term number between the term and the colon
    assert sorted(terms.entries) == ["correction", "measuring equipment", "provider", "supplier"]
    assert terms.lookup("measuring equipment")[0].text.startswith("Measuring equipment is any")
    entry = terms.lookup("A Correction")[0]
    assert entry.text == "A correction is the fix applied to a problem already found."
    assert entry.text in chunk.text  # a citation quotes the chunk verbatim
    assert terms.lookup("Suppliers")[0].term == "supplier"
    assert [d.term for d in terms.named_in("How does ISO 9000 define correction?")] == [
        "correction"
    ]
    assert terms.lookup("bold") == []
    assert normalise("“The <organization>” (ISO 9000)") == "organization"


@pytest.fixture(scope="module")
def real(real_index: tuple[Settings, Store]) -> Assistant:
    settings, store = real_index
    return Assistant(settings, store=store)


def test_a_definition_stem_picks_the_term_its_entry_defines(real: Assistant) -> None:
    check = check_quiz_item(
        real,
        "The effect of uncertainty, which can be positive or negative, is known as:",
        ["Opportunity", "Risk", "Nonconformity", "None of the above"],
        "Risk",
    )
    assert check.agrees, check.to_json()
    assert check.evidence and check.evidence[0].doc_id.startswith("glossary")
    assert check.evidence[0].quote in check.evidence[0].chunk_text


# the second stem opens with its source, as exam writers often do ("According to ISO 9000, ...")
@pytest.mark.parametrize(
    "stem",
    ["What is meant by corrective action?", "According to ISO 9000, what is corrective action?"],
)
def test_a_named_term_picks_the_option_that_reads_like_its_entry(
    real: Assistant, stem: str
) -> None:
    check = check_quiz_item(
        real,
        stem,
        [
            "Fixing the faulty product that was found",
            "Removing the cause of a problem so that it does not happen again",
            "Checking a supplier before placing an order",
            "Writing the quality policy",
        ],
        "Removing the cause of a problem so that it does not happen again",
    )
    assert check.agrees, check.to_json()
    assert "corrective action" in check.verdict
