from isoguide.models import Chunk
from isoguide.quiz.bank import materials, weakness


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


def test_a_term_whose_entry_names_no_clause_takes_the_clause_whose_guide_uses_it_most() -> None:
    # a trainer found a "Quality manual" definition item tagged with no clause
    entry = _chunk(0, "- **Quality manual**: A quality manual is a document describing the system.")

    def guide(clause: str, uses: int) -> Chunk:
        text = "Some firms keep a quality manual for new staff. " * uses
        return Chunk(
            f"{clause}:0", clause, f"Clause {clause} Title", "Why", (clause,), "c.md", "h", text
        )

    found = materials([entry, guide("7.5", 3), guide("4.4", 1)])
    assert next(m for m in found if m.kind == "definition").clause == "7.5"
    rare = materials([entry, guide("7.5", 2)])  # used twice: not enough to tag it
    assert next(m for m in rare if m.kind == "definition").clause == ""


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


def test_a_common_mistake_becomes_something_a_consultant_finds() -> None:
    # gerunds become the verbs of "its managers", coordinated ones too; examples keep theirs
    assert weakness("waiting for big projects and ignoring the small improvements", False) == (
        "that its managers wait for big projects and ignore the small improvements"
    )
    assert weakness("accepting an order by phone and never confirming it", False) == (
        "that its managers accept an order by phone and never confirm it"
    )
    assert weakness(
        "forgetting legal duties, such as registering an installation or disposing of it", False
    ) == (
        "that its managers forget legal duties, such as registering an installation or disposing of it"
    )
    # an "-ing" word that may be a noun stays one ("building services")
    assert weakness("listing machines but forgetting software and building services", False) == (
        "that its managers list machines but forget software and building services"
    )
    # "is to launch ...": the verb is already a verb; a thing found stays a noun phrase
    assert weakness("launch a full investigation for every slip", True) == (
        "that its managers launch a full investigation for every slip"
    )
    assert weakness("a tick-box audit that records OK", False) == "a tick-box audit that records OK"


def test_a_mistake_followed_by_what_works_and_what_does_not_gives_both() -> None:
    chunk = Chunk(
        "c:1",
        "c",
        "Clause 10.2 Nonconformity and corrective action",
        "Common mistakes",
        ("10.2",),
        "c.md",
        "h",
        "A common mistake is stopping at correction, so the record is closed without any look "
        "at the cause. What works instead is to find the cause and check later that the fix "
        "held. A tempting response that does not fix it is to add a second final inspection "
        "of every batch; it falls short because the cause stays where it was. Another tempting "
        "response that does not fix it is to retrain the "
        "whole team on the procedure. A third tempting response that does not fix it is to buy "
        "a new logging tool. A fourth tempting response that does not fix it is to post the "
        "defect rate on the notice board; it falls short because a figure on a wall removes no "
        "cause. A fifth tempting response that does not fix it is to reward the team that logs "
        "fewest faults. Clause 10.2.2 asks for evidence of the action taken.\n\nAnother "
        "common mistake is naming human error as the cause of "
        "every problem in the log.",
        position=0,
    )
    found = [m for m in materials([chunk]) if m.kind == "scenario"]
    assert len(found) == 2
    assert found[0].parts["remedy"] == "find the cause and check later that the fix held"
    assert found[0].parts["tempting"] == "add a second final inspection of every batch"
    # with why it falls short, when the guidance says so (for the key and the feedback)
    assert found[0].parts["tempting_why"] == "it falls short because the cause stays where it was"
    assert "tempting2_why" not in found[0].parts
    assert found[0].parts["tempting2"] == "retrain the whole team on the procedure"
    assert found[0].parts["tempting3"] == "buy a new logging tool"
    # up to five of its own, so that an item can offer three that keep the key from standing out
    assert found[0].parts["tempting4"] == "post the defect rate on the notice board"
    assert found[0].parts["tempting4_why"].endswith("removes no cause")
    assert found[0].parts["tempting5"] == "reward the team that logs fewest faults"
    assert "tempting5_why" not in found[0].parts
    # the sub-clause its paragraph cites tags the item (a trainer found 9.3 for 9.3.1)
    assert found[0].parts["clause"] == "10.2.2" and "clause" not in found[1].parts
    assert "remedy" not in found[1].parts  # no remedy after it: a which-clause scenario


def test_a_requirement_asked_about_stops_before_advice_that_follows_it() -> None:
    # a course asked "Which clause ... asks the company to decide how it verifies externally
    # provided services, so date the review, update the register ...?"
    text = (
        "Clause 8.4.2 asks the company to decide how it verifies externally provided services, "
        "so date the review, update the register and start an impact assessment."
    )
    chunk = Chunk("c:1", "c", "Clause 7.1.5 Title", "Why", ("7.1.5",), "c.md", "h", text)
    asked = [m for m in materials([chunk]) if m.kind == "which-clause"]
    assert [m.parts["rest"] for m in asked] == [
        "the company to decide how it verifies externally provided services"
    ]


def test_a_requirement_stops_before_a_second_subject_but_not_within_a_list() -> None:
    # a course asked "Which clause ... requires measuring equipment to be safeguarded, and a
    # van exposes instruments to heat, frost, damp and rattling?"
    text = (
        "Clause 7.1.5.2 requires measuring equipment to be safeguarded, and a van exposes "
        "instruments to heat, frost, damp and rattling. "
        "Clause 10.2.2 requires the company to retain evidence of the nature of each "
        "nonconformity, any action taken, and the results of any corrective action. "
        "Clause 4.4.2 asks you to keep the documented information your processes need to run."
    )
    chunk = Chunk("c:1", "c", "Clause 7.1.5 Title", "Why", ("7.1.5",), "c.md", "h", text)
    asked = [m.parts["rest"] for m in materials([chunk]) if m.kind == "which-clause"]
    assert asked == [
        "measuring equipment to be safeguarded",
        "the company to retain evidence of the nature of each nonconformity, any action taken, "
        "and the results of any corrective action",
        # and in the third person, as every stem (a trainer flagged "your processes")
        "the company to keep the documented information the company's processes need to run",
    ]
