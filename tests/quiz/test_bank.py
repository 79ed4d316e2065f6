from isoguide.models import Chunk
from isoguide.quiz.bank import materials


def _chunk(position: int, text: str) -> Chunk:
    return Chunk(
        f"g:{position}", "g", "Glossary", "Terms", (), "g.md", "h", text, position=position
    )


def test_a_glossary_entry_cut_across_chunks_keeps_the_clause_its_rest_names() -> None:
    # the chunker cuts an over-long list into sentences: the entry's second sentence, which
    # names its clause, opens the next chunk (or follows after a blank line in the same one)
    first = _chunk(0, "- **Monitoring**: Monitoring is keeping track of how something stands.")
    second = _chunk(
        1,
        "In clause 9.1.1, the company decides what to monitor.\n"
        "- **Review**: Review is checking that something is fit for purpose.\n\n"
        "Clause 9.3 applies it to the whole system.",
    )
    found = {m.parts["term"]: m for m in materials([first, second]) if m.kind == "definition"}
    assert found["Monitoring"].clause == "9.1"
    assert found["Monitoring"].quote in first.text  # the quote stays verbatim in its chunk
    assert found["Review"].clause == "9.3"
    assert found["Review"].quote.endswith("Clause 9.3 applies it to the whole system.")
    assert found["Review"].quote in second.text
    alone = {m.parts["term"]: m for m in materials([first]) if m.kind == "definition"}
    assert alone["Monitoring"].clause == ""  # no next chunk, no clause: nothing invented


def test_a_glossary_entry_with_its_iso_9000_term_number_keeps_it_in_the_quote() -> None:
    from isoguide.models import Chunk
    from isoguide.quiz.bank import materials

    text = (
        "- **Measuring equipment** (ISO 9000:2015, 3.11.6): Measuring equipment is any "
        "instrument, software or device used to carry out a measurement. Clause 7.1.5 covers it.\n"
    )
    chunk = Chunk("g:1:000", "g", "Glossary", "Terms", (), "corpus/g.md", "h", text)
    found = [m for m in materials([chunk]) if m.kind == "definition"]
    assert len(found) == 1
    m = found[0]
    assert m.quote.startswith("**Measuring equipment** (ISO 9000:2015, 3.11.6): Measuring")
    assert m.quote in chunk.text  # verbatim: the citation quotes the chunk
    assert m.parts["ref"] == "ISO 9000:2015, 3.11.6" and m.clause == "7.1.5"
    assert "3.11.6" not in m.parts["masked"]  # the stem never shows the term number


def test_a_conditional_yes_or_no_answer_gives_no_true_false_item() -> None:
    from isoguide.models import Chunk
    from isoguide.quiz.bank import materials

    def true_false(answer: str) -> list[str]:
        text = f"{answer} Clause 7.1.5.2 asks for calibration at intervals the company sets."
        chunk = Chunk(
            "c:1:000",
            "c",
            "Clause 7.1.5",
            "Questions people ask > Can a gauge be used late?",
            ("7.1.5",),
            "corpus/c.md",
            "h",
            text,
        )
        return [m.parts["truth"] for m in materials([chunk]) if m.kind == "true-false"]

    assert true_false("No. An overdue gauge is tagged and withdrawn until it is checked.") == ["No"]
    # true only on a condition the statement leaves out: not an unambiguous item
    assert true_false("No, unless the company's own system allows a set grace period.") == []
    assert true_false("Yes, provided the regraded items meet the lower grade's requirements.") == []
