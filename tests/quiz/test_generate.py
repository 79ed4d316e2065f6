"""Generating quizzes over the real corpus (real Chroma, real embeddings): item types, clause
keys, neighbouring-clause and glossary distractors, the self-check, key positions, options."""

from __future__ import annotations

import random
import re
from collections import Counter
from itertools import combinations

import numpy as np
import pytest

from isoguide.assistant import Assistant
from isoguide.clauses import (
    CLAUSE_TITLES,
    clause_label,
    clause_matches,
    clause_outline,
    find_clauses,
)
from isoguide.embeddings import LocalEmbeddings
from isoguide.errors import IsoguideError
from isoguide.quiz import KINDS, QuizItem, check_quiz_item, generate_quiz, spread
from isoguide.quiz.bank import TEMPTING_PARTS, Material, materials
from isoguide.quiz.generate import (
    ODD_MARGIN,
    SWAPPED_MARGIN,
    TWIN_MARGIN,
    Contrasts,
    _action,
    _confusion,
    _shown_statements,
    absolute_cue,
    asks_clause,
    balance_pairs,
    clause_content,
    converges,
    crossed,
    framing,
    framing_cues,
    gives_away,
    key_position,
    length_guessable,
    named_together,
    nested_apart,
    odd_one_out,
    outlier_gaps,
    scoped,
    shortfall,
    sibling,
    sibling_cue,
    subject,
    topic_clauses,
    twin_cue,
    twin_gaps,
    worded_keys,
)
from isoguide.settings import Settings
from isoguide.store import Store

CLAUSE_OPTION = re.compile(r"^(\d+(?:\.\d+)+)(?: (.+))?$")


@pytest.fixture(scope="module")
def real(real_index: tuple[Settings, Store]) -> Assistant:
    settings, store = real_index
    return Assistant(settings, store=store)


@pytest.fixture(scope="module")
def review_quiz(real: Assistant) -> list[QuizItem]:
    return generate_quiz(real, "management review", n=8, seed=5)


def test_items_are_mixed_checked_and_keyed_to_a_clause(
    real: Assistant, review_quiz: list[QuizItem]
) -> None:
    # eight asked; fewer when the guidance holds fewer distinct points: each clause is asked
    # once and no point twice (measured: 5 of 8), and the trainer is told so
    assert 4 <= len(review_quiz) <= 8
    note = shortfall(review_quiz, 8, ["9.3.3: The outputs of the review include ..."])
    assert note.startswith(f"{len(review_quiz)} of the 8 items") == (len(review_quiz) < 8)
    assert ("9.3.3: The outputs" in note) == (len(review_quiz) < 8)
    assert shortfall(review_quiz, len(review_quiz)) == ""
    assert len({i.kind for i in review_quiz}) >= 3, [i.kind for i in review_quiz]
    chunks = {c.chunk_id: c for c in real.store.all_chunks()}
    for item in review_quiz:
        assert item.kind in KINDS and item.bloom and item.difficulty
        assert item.checked, "every shown item was confirmed by the checker"
        assert re.search(r"\[1\]", item.explanation)
        assert item.explanation.endswith(f"[{len(item.citations)}]")
        for citation in item.citations:  # verbatim guidance, each cited
            assert citation.quote in chunks[citation.chunk_id].text
            assert f"[{citation.n}]" in item.explanation
        if item.clauses:
            assert (
                "clause" in item.explanation and clause_label(item.clauses[0]) in item.explanation
            )
        assert set(item.feedback) == set(item.options)  # per-option feedback for the LMS
        again = check_quiz_item(real, item.question, item.options, item.answer)
        assert again.agrees is True


def test_clause_items_use_neighbouring_clauses_of_one_shape(review_quiz: list[QuizItem]) -> None:
    clause_items = [i for i in review_quiz if asks_clause(i)]
    assert clause_items
    for item in clause_items:
        numbers = [CLAUSE_OPTION.match(o).group(1) for o in item.options]  # type: ignore[union-attr]
        assert all(n in CLAUSE_TITLES for n in numbers)
        # clause numbers only: a title names the topic the stem describes
        assert item.answer[0] == item.clauses[0] and all(o in CLAUSE_TITLES for o in item.options)
        if item.kind == "scenario" and len(item.citations) > 1:
            # the key quotes the requirement the weakness concerns, verbatim and cited [2]
            assert item.citations[1].quote in item.explanation and "[2]" in item.explanation
        # no option's number contains another's: one unambiguous best option
        assert not any(a != b and clause_matches(a, b) for a in numbers for b in numbers)
        # every option at the key's depth: "10.2" against 8.7 and 10.3, not against 8.7.1
        assert len({n.count(".") for n in numbers}) == 1, numbers
        # in numerical order, as exam writers set numbers (trainers asked)
        assert numbers == sorted(numbers, key=lambda n: [int(p) for p in n.split(".")])
        # and the key is not the one option with its sibling beside it
        assert not sibling_cue(numbers, item.answer[0]), numbers


def test_the_key_and_its_sibling_are_not_the_one_pair_among_the_options() -> None:
    # a trainer: the key's numeric sibling was always offered, so a learner guesses within
    # the pair; the sibling stays (a real confusion) and another pair joins it
    assert sibling_cue(["4.4.2", "4.4.1", "7.5.3", "9.2.1"], "4.4.2")
    assert not sibling_cue(["7.1.5", "7.1.4", "8.5.2", "8.5.3"], "7.1.5")
    assert not sibling_cue(["7.1.5", "8.5.2", "9.1.2", "10.2"], "7.1.5")
    balanced = balance_pairs("4.4.2", ["4.4.1", "7.5.3", "9.2.1"])
    assert balanced[:2] == ["4.4.1", "7.5.3"] and sibling(balanced[2], "7.5.3")
    assert not sibling_cue(["4.4.2", *balanced], "4.4.2")
    assert balance_pairs("9.3.3", ["9.3.2", "5.2.1", "5.2.2"]) == ["9.3.2", "5.2.1", "5.2.2"]
    # a sibling that would hold or be held by an option is never added
    assert all(
        not clause_matches(a, b)
        for c, p in [("9.1.2", ["9.1.3", "8.2.2", "5.1.2"]), ("8.7.1", ["8.7.2", "10.2", "9.2"])]
        for opts in [[c, *balance_pairs(c, p)]]
        for a in opts
        for b in opts
        if a != b
    )


def test_clauses_named_together_are_counted_once_per_sentence_and_pair() -> None:
    together = named_together(
        [
            "Do not confuse clause 8.7 with clause 10.2. Clause 10.2.1 and 8.7 differ.",
            "Clause 9.3 and its part 9.3.2 are one topic. So are 7.5 and 7.5 said twice.",
        ]
    )
    assert together["8.7"] == {"10.2": 1, "10.2.1": 1} and together["10.2"] == {"8.7": 1}
    assert "9.3" not in together and "7.5" not in together  # a clause within another: no pair


def test_wrong_clauses_are_the_ones_a_learner_would_confuse(real: Assistant) -> None:
    # ranked by how close their titles are to the point, not by number alone: for a
    # corrective-action point, 8.7 (nonconforming outputs) is offered, as a trainer asked
    listed = [c for c in CLAUSE_TITLES if CLAUSE_TITLES[c] != "General"]
    vectors = real.store.embeddings.encode([clause_outline(c) for c in listed])
    titles = dict(zip(listed, vectors, strict=True))
    point = real.store.embeddings.encode(
        [
            "Clause 10.2.2 requires retained documented information on the nature of each "
            "nonconformity, what was done about it and how any corrective action turned out."
        ]
    )[0]
    assert "8.7" in _confusion("10.2", point, titles)[:3]
    # and by what the guidance names together: 8.7 and 10.2 are contrasted again and again,
    # so 8.7.1 ranks among the first wrong paragraphs for a 10.2.1 point
    together = named_together(c.text for c in real.store.all_chunks())
    assert together["10.2"]["8.7"] >= 5 and together["7.5.2"]["7.5.3"] >= 3
    reacting = real.store.embeddings.encode(
        [
            "Clause 10.2.1 requires the company to react to a nonconformity and evaluate the need "
            "for action to eliminate its cause."
        ]
    )[0]
    assert "8.7.1" in _confusion("10.2.1", reacting, titles, together)[:3]
    # and by what the guidance says about each clause: customer satisfaction (9.1.2) is
    # written about like analysis (9.1.3) and customer communication (8.2.1), the confusions a
    # trainer named; the quality policy (5.2.x), which a trainer called implausible against
    # management review outputs (9.3.3), drops out of the first six (it is fifth on titles)
    content = clause_content(real.store.all_chunks())
    perceived, outputs = real.store.embeddings.encode(
        [
            "Clause 9.1.2 requires the company to monitor how customers perceive the degree to "
            "which their needs and expectations have been fulfilled.",
            "Clause 9.3.3 requires the outputs of management review to include decisions and "
            "actions on improvement opportunities, changes to the QMS and resource needs.",
        ]
    )
    assert {"8.2.1", "9.1.3"} <= set(_confusion("9.1.2", perceived, titles, together, content)[:3])
    first = _confusion("9.3.3", outputs, titles, together, content)[:6]
    assert "9.3.2" in first and not {"5.2.1", "5.2.2"} & set(first)
    items = generate_quiz(real, "corrective action", n=5, seed=7, kinds=["which-clause"])
    for item in items:  # the options are the key and the clauses ranked first for its point
        assert item.answer[0] in item.options and len(set(item.options)) == 4


def test_key_positions_are_spread_and_the_seed_matters(real: Assistant) -> None:
    counts: Counter[str] = Counter()
    for topic in ("quality management system", "internal audit", "management review"):
        quiz = generate_quiz(
            real, topic, n=12, seed=3, kinds=["which-clause", "scenario", "definition"]
        )
        counts.update(spread(quiz))
        if topic == "quality management system":
            items = quiz
    singles = sum(counts.values())
    # (few per quiz: each clause is asked once, definition items that cue each other or
    # define the topic itself are left out; measured 4 + 3 + 3)
    assert singles >= 8 and max(counts.values()) <= singles // 2, counts
    same = generate_quiz(
        real,
        "quality management system",
        n=12,
        seed=3,
        kinds=["which-clause", "scenario", "definition"],
    )
    assert [i.to_json() for i in same] == [i.to_json() for i in items]
    other = generate_quiz(
        real,
        "quality management system",
        n=12,
        seed=4,
        kinds=["which-clause", "scenario", "definition"],
    )
    assert [i.question for i in other] != [i.question for i in items]


def test_trainer_choices_are_respected(real: Assistant) -> None:
    items = generate_quiz(
        real, "", n=4, seed=1, clauses=["10.2"], kinds=["which-clause", "true-false"]
    )
    assert items and all(i.kind in ("which-clause", "true-false") for i in items)
    assert all(any(clause_matches(c, "10.2") for c in i.clauses) for i in items)
    easy = generate_quiz(real, "calibration", n=3, seed=2, difficulty="easy")
    assert easy and {i.difficulty for i in easy} == {"easy"}


def test_true_false_and_definitions_read_like_exam_items(real: Assistant) -> None:
    items = generate_quiz(
        real, "documented information", n=6, seed=2, kinds=["true-false", "definition"]
    )
    for item in items:
        if item.kind == "true-false":
            assert item.options == ["True", "False"]
            assert item.question.startswith("True or false? ") and item.question.endswith(".")
            # the key gives the verdict with its clause, then the reason
            assert re.match(
                rf"{item.answer[0]}( \(ISO 9001:2015 clause [^)]+\))?\. ", item.explanation
            )
        else:
            # the glossary holds more than ISO 9000 terms, so the stem claims no source
            assert item.question.startswith("In quality management, which term means")
            assert item.answer[0].lower() not in item.question.lower()


def test_core_points_are_in_the_material(real: Assistant) -> None:
    found = materials(real.store.all_chunks())
    manual = [
        m for m in found if m.kind == "true-false" and "quality manual" in m.parts["statement"]
    ]
    assert any(m.parts["truth"] == "No" for m in manual)  # "no mandatory quality manual"
    inputs = [m for m in found if m.kind == "multi-select" and m.clause.startswith("9.3")]
    assert any("previous management reviews" in " ".join(m.items) for m in inputs)
    assert Counter(m.kind for m in found).keys() == set(KINDS)


def test_bad_requests_are_clear_errors(real: Assistant) -> None:
    with pytest.raises(IsoguideError, match="does not cover 'lasagne recipes'"):
        generate_quiz(real, "lasagne recipes")
    with pytest.raises(IsoguideError, match="at least one"):
        generate_quiz(real, "calibration", n=0)
    with pytest.raises(IsoguideError, match="Unknown item type"):
        generate_quiz(real, "calibration", kinds=["essay"])
    with pytest.raises(IsoguideError, match="Unknown ISO 9001 clause"):
        generate_quiz(real, "", clauses=["99.9"])


def test_a_topic_quiz_asks_for_a_clause_once_while_other_kinds_are_at_hand(
    real: Assistant,
) -> None:
    for topic in ("calibration", "management review", "corrective action"):
        items = generate_quiz(real, topic, n=4, seed=7)
        keyed = [i.clauses[0] for i in items if asks_clause(i)]
        assert len(keyed) == len(set(keyed)), (topic, [(i.kind, i.clauses) for i in items])


def test_multi_select_options_carry_no_clause_note_but_the_key_quotes_the_list() -> None:
    from isoguide.quiz.generate import _without_clause_note

    assert _without_clause_note("The quality policy (clause 5.2).") == "The quality policy."
    assert _without_clause_note("Records (clauses 8.1 and 8.5.1), kept") == "Records, kept"
    assert (
        _without_clause_note("Clause 7.2 calls for evidence.") == "Clause 7.2 calls for evidence."
    )


def test_multi_select_distractors_match_the_right_options_in_form_and_length() -> None:
    import random

    from isoguide.quiz.generate import _same_form_distractors

    right = ["The adequacy of resources.", "Opportunities for improvement."]
    others = [
        "The quality policy.",
        "The quality objectives.",
        "The company considers the purpose of the change and its potential consequences.",
        "The documented information needed to support the operation of processes, to the "
        "extent the company judges necessary.",
    ]
    wrong = _same_form_distractors(right, others, random.Random(0))
    # the sentence and the entry four times as long as the right ones are never picked
    assert wrong is not None and sorted(wrong) == ["The quality objectives.", "The quality policy."]
    assert _same_form_distractors(right, others[2:], random.Random(0)) is None
    # nor, when another pair is at hand, two wrong entries both well longer than both keys
    # (a trainer: the keys were the two short options)
    longer = ["The quality policy and its objectives.", "The outcomes of the supplier reviews."]
    assert _same_form_distractors(right, longer, random.Random(0)) == longer  # no other pair
    mixed = _same_form_distractors(right, [*longer, "The audit results."], random.Random(0))
    assert mixed is not None and "The audit results." in mixed
    # nor, strictly, a word both keys share and neither wrong entry has (a trainer found both
    # review inputs keyed with "actions"): None then, so that another pair of keys is tried
    acted = ["The status of actions from previous reviews.", "The effectiveness of actions taken."]
    plain = ["The quality policy in force.", "The quality objectives set."]
    assert _same_form_distractors(acted, plain, random.Random(0)) == plain  # lenient: kept
    assert _same_form_distractors(acted, plain, random.Random(0), strict=True) is None
    one = ["The actions needed for the audit.", *plain]
    strict = _same_form_distractors(acted, one, random.Random(0), strict=True)
    assert strict is not None and "The actions needed for the audit." in strict


def test_a_list_with_one_unlucky_pair_still_gives_its_multi_select_item(real: Assistant) -> None:
    # some seeds first draw a pair of management review inputs no wrong option matches in
    # form; the next pair is tried, so the quiz keeps its item on the 9.3.2 inputs
    items = generate_quiz(real, "management review", n=1, seed=7, kinds=["multi-select"])
    multi = [i for i in items if i.kind == "multi-select"]
    assert multi and multi[0].clauses[0].startswith("9.3.2"), [i.kind for i in items]


@pytest.mark.parametrize(
    ("statement", "scoped_statement"),
    [
        (
            "Calibration has to be done by an accredited laboratory.",
            "Under ISO 9001:2015, calibration has to be done by an accredited laboratory.",
        ),
        (
            "A company needs a customer satisfaction survey.",
            "Under ISO 9001:2015, a company needs a customer satisfaction survey.",
        ),
        ("QMS records need a signature.", "Under ISO 9001:2015, QMS records need a signature."),
        # a statement that names its source keeps it
        ("ISO 9001:2015 still has preventive action.", None),
        ("Service companies need to worry about clause 7.1.5.", None),
    ],
)
def test_true_false_statements_are_claims_about_the_standard(
    statement: str, scoped_statement: str | None
) -> None:
    assert scoped(statement) == (scoped_statement or statement)


def test_true_false_items_state_one_claim_about_the_standard(
    review_quiz: list[QuizItem],
) -> None:
    for item in review_quiz:
        if item.kind == "true-false":
            claim = item.question.removeprefix("True or false? ")
            assert claim.startswith("Under ISO 9001:2015, ") or scoped(claim) == claim


def test_a_topic_that_names_a_clause_title_is_that_clause() -> None:
    assert topic_clauses("customer satisfaction") == ["9.1.2"]
    assert "9.3" in topic_clauses("management review")
    assert topic_clauses("calibration") == []  # no clause title names it


def test_off_topic_pieces_are_left_out(real: Assistant) -> None:
    items = generate_quiz(real, "customer satisfaction", n=6, seed=7)
    keyed = [c for i in items for c in i.clauses]
    # only the named clause (and its parent or sub-clauses) or a term naming none: a piece
    # keyed to another clause is off the topic whatever its words, so the quiz is shorter
    assert keyed and all(c.startswith("9.1") for c in keyed), [(i.kind, i.clauses) for i in items]


def test_a_stem_does_not_name_the_clause_another_item_is_keyed_to(real: Assistant) -> None:
    from isoguide.quiz.generate import _unname_clause

    assert _unname_clause("Clause 7.1.5 applies only to gauges.", "7.1.5") == (
        "The clause on monitoring and measuring resources applies only to gauges."
    )
    assert "7.1.5" not in _unname_clause("Under ISO 9001:2015, 7.1.5 asks ...", "7.1.5")
    assert _unname_clause("True or false? Clause 7.1.5 asks ...", "7.1.5").startswith(
        "True or false? The clause on"
    )
    assert _unname_clause("Clause 7.1.5.2 asks ...", "7.1.5") == "Clause 7.1.5.2 asks ..."
    for topic in ("calibration", "management review", "corrective action"):
        items = generate_quiz(real, topic, n=5, seed=7)
        keyed = {c for i in items if asks_clause(i) for c in i.clauses}
        for item in items:
            if item.kind == "true-false":  # "(... clause 10.2.1, in 10.2 ...)": no nesting
                assert not re.match(r"\w+ \([^()]*\(", item.explanation), item.explanation
            if not asks_clause(item):
                named = re.findall(r"\b(?:10|[4-9])(?:\.\d+)+\b", item.question)
                assert not any(clause_matches(n, k) for n in named for k in keyed), item.question


CONTRAST = re.compile(r' Not ([^:"]+): "([^"]+)" \[(\d)\]$')


def test_keys_say_why_the_likeliest_wrong_clause_or_term_is_wrong(real: Assistant) -> None:
    # a trainer: keys restated the stem exactly where learners slip (8.7 for a 10.2 record,
    # Verification for Review); the key now quotes what the closest wrong option is about
    contrasted = 0
    topics = ("corrective action", "management review", "calibration", "internal audit")
    for topic in topics:
        for item in generate_quiz(real, topic, n=5, seed=7):
            if not asks_clause(item) and item.kind != "definition":
                continue
            found = CONTRAST.search(item.explanation)
            if found is None:
                continue
            contrasted += 1
            other, quote, n = found.group(1), found.group(2), int(found.group(3))
            wrong = [o for o in item.options if o not in item.answer]
            assert other in wrong or other.capitalize() in wrong or other in map(str.lower, wrong)
            cited = item.citations[n - 1]
            plain = re.sub(r"\s+", " ", cited.quote.replace("**", ""))
            assert cited.n == n and plain == quote
            if item.kind == "definition":  # the glossary entry of that term
                assert quote.lower().startswith(other)
            else:  # guidance naming that clause or one of its subclauses
                named = re.search(r"(?:10|[4-9])(?:\.\d+)*", quote)
                assert named and (named.group(0) + ".").startswith(other + "."), quote
                key = item.answer[0]
                assert not (named.group(0) + ".").startswith(key + "."), quote
                assert item.feedback[other] == f'Not this one. The guidance: "{quote}"'
    assert contrasted >= 3  # measured 3 at 5adb2ae (no stand-in definitions), 4 before


def test_the_key_rebuts_the_wrong_clauses_likeliest_to_be_picked(real: Assistant) -> None:
    # trainers: keys rebutted 5.2.1 and 5.2.2 while 9.3.2 (for 9.3.3) was on offer, and later
    # the numeric neighbour 7.1.4 while 8.5.2 ("identification") was the tempting one for
    # measuring equipment "identified"; a key rebuts a sibling of its clause on offer and the
    # wrong option whose titles read closest to the guidance the item asks about
    assert sibling("9.3.2", "9.3.3") and sibling("7.5.2", "7.5.3")
    assert not sibling("9.3", "9.3.2") and not sibling("9.3.2", "9.2.2") and not sibling("7", "8")
    encode = real.store.embeddings.encode
    contrasts = Contrasts(materials(real.store.all_chunks()))
    checked = siblings = 0
    for topic in ("management review", "documented information", "calibration"):
        for item in generate_quiz(real, topic, n=6, seed=7, kinds=["which-clause"]):
            wrong = [o for o in item.options if o not in item.answer]
            rebutted = re.findall(r"\bNot ((?:10|[4-9])(?:\.\d+)*):", item.explanation)
            kin = [o for o in wrong if sibling(o, item.answer[0])]
            if [o for o in kin if o in contrasts or subject(o)]:
                assert set(kin) & set(rebutted), (item.options, item.explanation)
                siblings += 1
            titled = [o for o in wrong if CLAUSE_TITLES.get(o, "General") != "General"]
            if not titled:
                continue
            asked = encode([item.citations[0].quote])[0]
            closeness = encode([clause_outline(o) for o in titled]) @ asked
            likeliest = titled[int(np.argmax(closeness))]
            assert likeliest in rebutted, (likeliest, item.options, item.explanation)
            checked += 1
    assert checked >= 3 and siblings >= 1
    assert subject("9.3.2") == "clause 9.3.2 is about management review inputs"
    assert subject("9.3.1") == ""  # (titled "General")


def test_a_clause_is_contrasted_by_guidance_naming_it_from_its_own_document() -> None:
    from isoguide.models import Chunk

    def material(quote: str, title: str) -> Material:
        chunk = Chunk("c", "d", title, "s", ("9.1",), "f.md", "h", quote)
        return Material("which-clause", chunk, quote, "9.1")

    elsewhere = material("Clause 9.1.3 requires analysis of data.", "Sector notes")
    own = material("Clause 9.1.3 requires the data to be evaluated.", "Clause 9.1 Monitoring")
    parent = material("Clause 9.1 requires evaluating performance.", "Sector notes")
    found = Contrasts([elsewhere, own, parent])
    assert found["9.1.3"] is elsewhere  # names 9.1.3; neither is from a "Clause 9.1.3" doc
    assert found["9.1"] is parent  # names 9.1 itself, before a subclause in 9.1's own doc
    assert found["9"] is parent


def test_a_wrong_clause_is_rebutted_by_the_line_on_its_scope(real: Assistant) -> None:
    # a trainer: "Clause 8.5.2 asks the company to make identification visible and independent
    # of memory" and 7.5.3 "... but it does not ban paper" were quoted to rule those clauses
    # out, and neither says what the clause covers; with the encoder, the line naming the
    # clause that reads closest to its titles is quoted
    pool = materials(real.store.all_chunks())
    encode = real.store.embeddings.encode
    by_order, by_scope = Contrasts(pool), Contrasts(pool, real.store.embeddings)
    assert set(by_order) == set(by_scope)
    several = [c for c in ("7.5.3", "8.5.2", "8.7", "7.1.6", "9.1.2") if c in by_scope]
    closer = 0
    for clause in several:
        scope = encode([f"Clause {clause} " + clause_outline(clause)])[0]
        first, chosen = by_order[clause], by_scope[clause]
        assert find_clauses(chosen.quote)[0] == clause  # names the clause itself, as before
        a, b = encode([first.quote, chosen.quote]) @ scope
        assert b >= a - 1e-6
        closer += b > a + 0.05
    assert len(several) == 5 and closer >= 3  # measured 4 of 5 (7.1.6: its lines tie)
    assert "ban paper" not in by_scope["7.5.3"].quote  # the line is about control, not paper


def test_the_shortfall_note_names_only_rules_that_applied_and_points_in_full(
    real: Assistant,
) -> None:
    # a trainer: the note cut points off ("..."), said "(5)" and listed 4, called points the
    # guidance states "not confirmed against the guidance", and claimed rules that never ran
    unconfirmed: list[str] = []
    held_back: list[str] = []
    items = generate_quiz(
        real, "customer satisfaction", n=8, seed=7, unconfirmed=unconfirmed, held_back=held_back
    )
    note = shortfall(items, 8, unconfirmed, held_back)
    assert len(items) < 8 and unconfirmed
    text = {
        c.chunk_id: re.sub(r"\s+", " ", c.text.replace("**", "")) for c in real.store.all_chunks()
    }
    for point in unconfirmed:
        assert f"- {point}" in note and "..." not in point
        # in a trainer's words, not the generator's ("the checker picked 8.2 instead of 9.3")
        assert "the answer checker could not confirm its key" in point and "picked" not in point
        quoted = re.findall(
            r'from the guidance: "(.+)" \(|^(?:clause [\d.]+: )?"(.+)" \(tried', point
        )[0]
        assert any(q in t for q in quoted if q for t in text.values())  # whole, verbatim
    assert f"({len(unconfirmed)})" in note
    for rule in ("a second clause-keyed item", "a point the quiz already tests"):
        assert (rule in note) == any(h.startswith(rule) for h in held_back)
    assert "scenario" not in note.split("worth writing by hand")[0]
    assert shortfall(items, 8) == (
        f"{len(items)} of the 8 items asked for passed the checks. The guidance on this topic "
        "holds no further material for these item types."
    )


def test_a_framed_true_false_statement_is_read_against_the_pair_that_asks_it(
    real: Assistant,
) -> None:
    # the generator frames each statement "Under ISO 9001:2015, ..."; the framing kept the
    # pair "Does every customer complaint need a corrective action?" (answer "No. ...") under
    # the heading cut-off, and the checker read a nearby passage as "True"
    for claim in (
        "every customer complaint needs a corrective action",
        "a company must run a customer satisfaction survey",
    ):
        for frame in ("Under ISO 9001:2015, ", "According to ISO 9001, ", ""):
            check = check_quiz_item(real, f"True or false? {frame}{claim}.", ["True", "False"])
            assert check.chosen == ["False"], (frame, claim)


def test_a_true_false_statement_another_items_question_states_is_left_out(
    real: Assistant,
) -> None:
    # a trainer: "a company has to monitor customer satisfaction" (True) was answered by the
    # next item's stem, "which clause requires the organization to monitor how customers
    # perceive ..."
    def item(kind: str, question: str, options: list[str], key: str) -> QuizItem:
        return QuizItem(question, options, [key], "", [], ["9.1.2"], kind=kind)

    tf = item(
        "true-false",
        "True or false? Under ISO 9001:2015, a company has to monitor customer satisfaction.",
        ["True", "False"],
        "True",
    )
    asks = item(
        "which-clause",
        "Which clause of ISO 9001:2015 requires the organization to monitor how customers "
        "perceive the degree to which their needs and expectations have been met?",
        ["9.1.3", "8.2.2", "9.1.2", "5.1.2"],
        "9.1.2",
    )
    other = item(
        "which-clause",
        "Which clause of ISO 9001:2015 requires top management to review the quality "
        "management system at planned intervals?",
        ["9.3", "9.2", "10.3", "5.1"],
        "9.3",
    )
    assert gives_away(real, tf, [asks]) and gives_away(real, asks, [tf])
    assert not gives_away(real, tf, [other]) and not gives_away(real, other, [tf])
    # a key learners see is read too, when it is a statement (a trainer found a scenario's
    # key answering the true/false item after it); a clause or a term is not
    said = item(
        "scenario",
        "Reviewing the quality management system of a 12-person print shop, a consultant "
        "finds that its managers rely on a yearly survey. What should the company do?",
        [
            "Monitor customer satisfaction from several sources, such as repeat orders.",
            "Send the survey twice a year.",
            "Add twenty questions to the survey.",
            "Offer a prize for every reply.",
        ],
        "Monitor customer satisfaction from several sources, such as repeat orders.",
    )
    assert gives_away(real, tf, [said]) and gives_away(real, said, [tf])
    for topic in ("customer satisfaction", "internal audit", "corrective action"):
        items = generate_quiz(real, topic, n=5, seed=7)
        assert not any(gives_away(real, i, [j for j in items if j is not i]) for i in items)


def test_a_multi_select_key_names_the_list_a_wrong_entry_belongs_to(real: Assistant) -> None:
    # a trainer: multi-select keys taught nothing about the wrong entries ("it comes from
    # another part of the guidance"); a later one found the scope statement "listed under
    # clause 7.5" (the clause of the document whose list of documents to maintain holds it)
    items = generate_quiz(real, "management review", n=4, seed=7, kinds=("multi-select",))
    item = items[0]
    wrong = [o for o in item.options if o not in item.answer]
    assert all("gives it in another list" in item.feedback[o] for o in wrong)
    assert not any("under clause" in item.feedback[o] for o in wrong)
    # every wrong entry is explained (a trainer found one of two left out)
    assert all(f' Not "{o}"' in item.explanation for o in wrong), item.explanation
    found = re.search(
        r' Not "(.+?)": the guidance gives it in another list(, with clause [\d.]+)?: "(.+?)" '
        r"\[(\d)\]",
        item.explanation,
    )
    assert found and found.group(1) in wrong and found.group(4) == "2"
    assert item.citations[1].quote == found.group(3)
    assert found.group(3) in item.feedback[found.group(1)]
    # with the clause the entry names in that list (a trainer asked for the scope's 4.3)
    listed = item.citations[1].chunk_id
    chunk = next(c for c in real.store.all_chunks() if c.chunk_id == listed)
    line = next(x for x in chunk.text.splitlines() if found.group(1).rstrip(".")[:40] in x)
    noted = re.search(r"\(clause (\d+(?:\.\d+)*)\)", line)
    assert (found.group(2) or "") == (f", with clause {noted.group(1)}" if noted else "")


def test_a_key_goes_to_the_letter_the_course_keyed_least() -> None:
    # a trainer found three of four definition items of a course keyed A: each quiz spread
    # its own keys, none looked at the others' or at the kind
    def keyed(kind: str, at: int) -> QuizItem:
        options = ["w", "x", "y", "z"]
        return QuizItem("?", options, [options[at]], "", [], [], kind=kind)

    placed = [keyed("definition", 0), keyed("definition", 0), keyed("which-clause", 1)]
    placed += [keyed("scenario", 2), keyed("scenario", 3)]
    placed += [QuizItem("?", ["True", "False"], ["True"], "", [], [], kind="true-false")]
    for seed in range(20):
        rng = random.Random(seed)
        assert key_position(placed, "definition", rng) in (1, 2, 3)
        assert key_position(placed, "which-clause", rng) in (2, 3)
    assert key_position([], "scenario", random.Random(1)) in range(4)


def test_a_definition_item_and_another_item_do_not_cue_each_other() -> None:
    # a trainer: "Calibration" and "Measuring equipment" were each the other's key and
    # distractor; "top management to review the QMS" gave away the definition of "Review"
    def item(kind: str, question: str, options: list[str]) -> QuizItem:
        return QuizItem(question, options, [options[0]], "", [], [], kind=kind)

    calibration = item(
        "definition",
        "In quality management, which term means: checking an instrument to find its error?",
        ["Calibration", "Measuring equipment", "Verification", "Measurement"],
    )
    equipment = item(
        "definition",
        "In quality management, which term means: whatever a company needs to measure?",
        ["Measuring equipment", "Calibration", "Infrastructure", "Measurement"],
    )
    review = item(
        "definition",
        "In quality management, which term means: a deliberate look at something?",
        ["Review", "Audit", "Verification", "Quality control"],
    )
    asks = item(
        "which-clause",
        "Which clause of ISO 9001:2015 requires top management to review the organization's "
        "quality management system at planned intervals?",
        ["9.3", "9.2", "10.3", "5.1"],
    )
    statement = item(
        "true-false",
        "True or false? Under ISO 9001:2015, a review must be held every year.",
        ["True", "False"],
    )
    assert crossed(equipment, [calibration]) and crossed(calibration, [equipment])
    assert crossed(review, [asks]) and crossed(asks, [review])
    assert not crossed(review, [calibration]) and not crossed(review, [statement])


def test_management_review_inputs_are_asked_against_its_outputs(real: Assistant) -> None:
    # two trainers asked for outputs (9.3.3) as the wrong options of a "Which TWO are
    # management review inputs?" item, the confusion learners make, not entries of an
    # unrelated list of documents; and the checker, which reads which clause each list is
    # introduced as, confirms it (without that, it confirmed 1 of 8 draws)
    pool = materials(real.store.all_chunks())
    outputs = [m for m in pool if m.kind == "multi-select" and m.clause == "9.3.3"]
    assert outputs and len(outputs[0].items) == 3
    asked = 0
    for seed in (7, 1, 2):
        items = generate_quiz(real, "management review", n=1, seed=seed, kinds=["multi-select"])
        for item in (i for i in items if i.kind == "multi-select"):
            asked += 1
            wrong = [o for o in item.options if o not in item.answer]
            assert all(o in outputs[0].items for o in wrong), wrong
    assert asked >= 2


def test_a_multi_select_never_offers_as_wrong_an_entry_its_list_holds(real: Assistant) -> None:
    # a trainer: "The quality objectives." was offered as not a management review input,
    # though the inputs list "the extent to which quality objectives have been met"
    from isoguide.text import match_words

    pool = materials(real.store.all_chunks())
    lists = [m for m in pool if m.kind == "multi-select" and m.clause == "9.3.2"]
    assert lists
    entries = [match_words(e) for m in lists for e in m.items]
    wrong_seen = 0
    for seed in (7, 1, 2):  # the mixed seed-7 quiz offered "The quality objectives." before
        quiz = generate_quiz(real, "management review", n=4, seed=seed)
        for item in (i for i in quiz if i.kind == "multi-select"):
            for option in (o for o in item.options if o not in item.answer):
                wrong_seen += 1
                assert not any(match_words(option) <= e for e in entries), option
    assert wrong_seen >= 2


def test_names_term_reads_any_form_of_the_terms_words() -> None:
    from isoguide.quiz.generate import names_term

    # a trainer: "calibrate" and "calibration register" gave away the key "Calibration"
    assert names_term("pay to calibrate the gauges", "Calibration")
    assert names_term("a calibration register", "Calibration")
    assert names_term("monitor customers' satisfaction", "Customer satisfaction")
    assert not names_term("satisfaction of customers", "Customer satisfaction")
    assert not names_term("a process approach", "Procedure")
    assert not names_term("the auditors", "Audit") and names_term("audits", "Audit")
    assert names_term("review whether its corrective action was effective", "Effectiveness")
    assert names_term("staff are aware of the policy", "Awareness")
    assert not names_term("the effects of the problem", "Effectiveness")


def test_the_quizzes_of_a_course_share_no_point_option_or_term(
    real: Assistant, five_topics: dict[str, list[QuizItem]]
) -> None:
    # a trainer: one definition item in two quizzes of a set, and one quiz's key among
    # another's wrong options
    from isoguide.quiz.generate import SAME_POINT

    items = [i for quiz in five_topics.values() for i in quiz]
    offered = [
        {o for i in quiz for o in i.options if not o[0].isdigit()} - {"True", "False"}
        for quiz in five_topics.values()
    ]
    for k, mine in enumerate(offered):
        for other in offered[:k]:
            assert not mine & other, mine & other
    sources = real.store.embeddings.encode([i.citations[0].quote for i in items])
    sims = sources @ sources.T - 2 * np.eye(len(items))
    assert float(sims.max()) < SAME_POINT
    # and one seed over several topics does not put their keys at the same letters
    letters = [i.key_letters for i in items if not i.multi and i.kind != "true-false"]
    assert max(Counter(letters).values()) <= len(letters) // 2, letters


def test_a_quiz_is_at_most_a_quarter_true_false_and_never_defines_its_own_topic(
    five_topics: dict[str, list[QuizItem]],
) -> None:
    # a trainer: 9 of 19 items true/false (3 of 4 in one quiz); "Calibration" keyed in the
    # calibration quiz and "Customer satisfaction" in the customer-satisfaction one
    from isoguide.quiz.generate import is_topic_term

    assert is_topic_term("calibration", "Calibration")
    assert is_topic_term("customer satisfaction", "Customer satisfaction")
    assert not is_topic_term("quality management system", "Quality")
    for topic, items in five_topics.items():
        kinds = [i.kind for i in items]
        assert kinds.count("true-false") <= max(1, len(kinds) // 4), (topic, kinds)
        assert len(set(kinds)) >= 2, (topic, kinds)
        for item in items:
            if item.kind == "definition":
                assert not is_topic_term(topic, item.answer[0]), (topic, item.answer)
            if item.kind == "true-false" and re.search(r"clause \d", item.explanation):
                assert item.clauses, item.explanation  # the clause its reason rests on


def test_true_false_keys_are_balanced_across_a_course(
    five_topics: dict[str, list[QuizItem]],
) -> None:
    # a trainer: 6 of 9 true/false keys False; the keys take turns across the course's quizzes
    statements = [i for quiz in five_topics.values() for i in quiz if i.kind == "true-false"]
    keys = Counter(i.answer[0] for i in statements)
    assert abs(keys["True"] - keys["False"]) <= 1, keys


def test_false_statements_avoid_the_words_that_give_them_away(
    five_topics: dict[str, list[QuizItem]],
) -> None:
    # two reviews: "every" and "whatever it costs" in the course's false statements, which
    # test-wise learners answer "False" without knowing the point
    from isoguide.quiz.generate import SPECIFIC_DETERMINER

    assert SPECIFIC_DETERMINER.search("a company needs to keep minutes of every quality meeting")
    assert not SPECIFIC_DETERMINER.search("a company needs to keep minutes of its reviews")
    false = [
        i.question
        for quiz in five_topics.values()
        for i in quiz
        if i.kind == "true-false" and i.answer == ["False"]
    ]
    assert false
    assert not [q for q in false if SPECIFIC_DETERMINER.search(q)], false


def test_a_topic_naming_a_clause_asks_its_sub_clauses_first(real: Assistant) -> None:
    # a trainer: "9.3" keyed in a management-review quiz is given away by the title; which
    # sub-clause asks for outputs, inputs or records is what learners mix up
    items = generate_quiz(real, "management review", n=2, seed=7, kinds=["which-clause"])
    assert items and all(i.answer[0].startswith("9.3.") for i in items), [i.answer for i in items]
    records = generate_quiz(real, "corrective action", n=3, seed=7, kinds=["which-clause"])
    keys = [i.answer[0] for i in records]
    assert len(set(keys)) == len(keys) and any(k.startswith("10.2.") for k in keys), keys
    for item in records:  # an untitled paragraph against its siblings, one depth throughout
        assert len({o.count(".") for o in item.options}) == 1, item.options


def test_no_clause_item_offers_another_items_key_as_wrong(
    five_topics: dict[str, list[QuizItem]],
) -> None:
    # a trainer paired off two corrective-action items, 10.2.1 and 10.2.2, each offering the
    # other's key as a wrong option
    for topic, items in five_topics.items():
        clause_items = [i for i in items if asks_clause(i)]
        for item in clause_items:
            others = {i.answer[0] for i in clause_items if i is not item}
            wrong = set(item.options) - set(item.answer)
            assert not wrong & others, (topic, item.question, wrong & others)


def test_a_definition_whose_key_shares_a_root_with_the_stem_is_guessable() -> None:
    # a trainer: "... carry out a measurement ..." gave away "Measuring equipment", "... into
    # another grade ..." gave away "Regrade"
    from isoguide.quiz.generate import word_guessable

    options = ["Measuring equipment", "Audit criteria", "Monitoring", "Infrastructure"]
    assert word_guessable("what a company needs to carry out a measurement", options, options[0])
    options = ["Regrade", "Release", "Concession", "Repair"]
    assert word_guessable("moving a nonconforming product into another grade", options, "Regrade")
    options = ["Effectiveness", "Efficiency", "Improvement", "Competence"]
    assert not word_guessable(
        "the extent to which planned results are achieved", options, "Effectiveness"
    )


def test_a_scenario_with_what_works_asks_what_the_company_should_do(
    real: Assistant, monkeypatch: pytest.MonkeyPatch
) -> None:
    # a trainer: every scenario was keyed to the quiz's own clause, which its title gives
    # away; where the guidance says what works and what tempts, the item asks for the action
    import isoguide.quiz.generate as gen

    refused: dict[str, set[str]] = {}  # key -> options the checker chose over it (redrawn)
    checker = gen.check_quiz_item

    def watched(assistant, question, options, answer):  # type: ignore[no-untyped-def]
        check = checker(assistant, question, options, answer)
        if not check.agrees:
            refused.setdefault(answer[0], set()).update(set(check.chosen) - set(answer))
        return check

    monkeypatch.setattr(gen, "check_quiz_item", watched)
    pool = materials(real.store.all_chunks())
    tempting = {p.parts[k].lower() for p in pool for k in TEMPTING_PARTS if k in p.parts}
    own = {p.parts["remedy"].lower(): p for p in pool if "remedy" in p.parts}
    remedies = {p.parts["remedy"].lower() for p in pool if "remedy" in p.parts}
    asked = [
        item
        for topic in ("corrective action", "internal audit", "documented information")
        for item in generate_quiz(real, topic, n=4, seed=7, kinds=["scenario"])
        if not asks_clause(item)
    ]
    assert asked
    chunks = {c.chunk_id: c for c in real.store.all_chunks()}
    grounded = 0
    for item in asked:
        assert item.question.endswith("What should the company do?")
        assert item.answer[0].rstrip(".").lower() in remedies
        wrong = [o for o in item.options if o not in item.answer]
        assert len(wrong) == 3 and all(o.rstrip(".").lower() in tempting for o in wrong)
        # the responses that tempt on this very mistake come first (a trainer found keys
        # picked by relevance when a wrong option answered another mistake); with three of
        # its own, no wrong option comes from another mistake
        mine = own[item.answer[0].rstrip(".").lower()]
        assert mine.parts["remedy"] in item.explanation  # (a key once left out what works)
        theirs = [_action(mine.parts[k]) for k in TEMPTING_PARTS if k in mine.parts]
        if not set(wrong) <= set(theirs):
            # one came from another mistake: every three of its own the key stood apart
            # from by theme, or gave it away by length or a shared word, or another item
            # shows one already, or the checker preferred one to the key in a first draw
            shown = {o for other in asked if other is not item for o in other.options}
            shown |= refused.get(item.answer[0], set())
            for three in combinations(theirs, min(3, len(theirs))):
                full = [item.answer[0], *three]
                assert (
                    odd_one_out(real.store.embeddings.encode(full)) > ODD_MARGIN
                    or length_guessable(full, full[0])
                    or converges(full[1:], full[0])
                    or set(three) & shown
                ), item.question
        for k in TEMPTING_PARTS:
            option = _action(mine.parts[k]) if k in mine.parts else ""
            # and the key says why each falls short, as the guidance does (a trainer asked
            # for a reason per wrong option), or quotes it (from the next chunk when a cut
            # falls before it); so does the option's feedback
            if option in wrong:
                why = mine.parts.get(k + "_why")
                assert (why or mine.parts[k]) in item.explanation
                assert not why or item.feedback[option] == f"Not this: {why}."
        if set(wrong) <= set(theirs):
            assert "another mistake" not in item.explanation
        # a response borrowed from another mistake: why it fails here, by what works here,
        # and the guidance's sentence that lists it as tempting there, with its reason (a
        # trainer read the other mistake quoted alone as a misattribution)
        for option in set(wrong) - set(theirs):
            assert mine.parts["remedy"] in item.feedback[option]
            lender = next(p for p in pool if _action(p.parts.get("tempting", "")) == option)
            why = " ".join(lender.parts["tempting_why"].split())
            assert f"where {why} [" in item.explanation and why in item.feedback[option]
            assert any(
                lender.parts["tempting"] in c.quote and why in " ".join(c.quote.split())
                for c in item.citations
            )
        # and the requirement the weakness falls short of, naming the item's clause (two
        # trainers asked for the ISO reason); the first citation stays the mistake
        if 'What the standard asks, as the guidance puts it: "' in item.explanation:
            grounded += 1
            last = item.citations[-1]
            said = item.explanation.rsplit('What the standard asks, as the guidance puts it: "', 1)[
                1
            ]
            assert said == f'{" ".join(last.quote.replace("**", "").split())}" [{last.n}]'
            named = re.match(r"Clause (\d+(?:\.\d+)*) ", last.quote)
            assert named and clause_matches(named.group(1), item.clauses[0]), last.quote
        assert all(c.quote in chunks[c.chunk_id].text for c in item.citations)
        assert item.checked and set(item.feedback) == set(item.options)
    assert grounded >= len(asked) // 2, (grounded, len(asked))


def test_definition_distractors_come_from_the_keys_concept_group() -> None:
    from isoguide.quiz.generate import concept_group, length_guessable

    assert concept_group("ISO 9000:2015, 3.12.2") == "3.12"
    assert concept_group("") == ""
    # a key over 15% longer than every other option is picked by its length
    assert length_guessable(["x" * 100, "y" * 80, "z" * 85], "x" * 100)
    assert not length_guessable(["x" * 95, "y" * 90, "z" * 85], "x" * 95)


def test_a_quiz_of_several_types_is_at_most_a_fifth_definitions_a_quarter_clause_recall(
    five_topics: dict[str, list[QuizItem]],
) -> None:
    # a trainer found 7 of 20 items recall of a definition, a later one 6 of 20 asking for a
    # clause number
    for topic, items in five_topics.items():
        kinds = [i.kind for i in items]
        assert kinds.count("definition") <= max(1, len(kinds) // 5), (topic, kinds)
        assert kinds.count("which-clause") <= max(1, len(kinds) // 4), (topic, kinds)


def test_definition_items_offer_the_keys_concept_group(
    real: Assistant, five_topics: dict[str, list[QuizItem]]
) -> None:
    # a trainer found "Product" and "Design and development" offered as filler, while the
    # near-misses of the key's own ISO 9000 group (regrade, concession) were not
    from isoguide.quiz.generate import GROUP_DISTRACTORS, concept_group

    terms = [m for m in materials(real.store.all_chunks()) if m.kind == "definition"]
    group = {m.parts["term"]: concept_group(m.parts["ref"]) for m in terms}
    size = Counter(group.values())
    checked = 0
    for items in five_topics.values():
        for item in items:
            key = item.answer[0]
            if (
                item.kind == "definition"
                and group.get(key)
                and size[group[key]] > GROUP_DISTRACTORS
            ):
                checked += 1
                assert all(group.get(o) == group[key] for o in item.options), item.options
    assert checked >= 2  # (measured: verification 3.8, monitoring 3.11, effectiveness 3.7)


def test_a_word_every_wrong_option_shares_and_the_key_lacks_is_a_cue() -> None:
    # the convergence cue: the key is the odd one out
    key = "Decide which instruments confirm conformity and send only those to the lab."
    wrong = [
        "Extend the interval of every instrument on site to two years.",
        "Ask the lab for a fixed price covering every instrument on site.",
        "Train staff to calibrate every instrument on site in-house.",
    ]
    assert converges(wrong, key)
    assert not converges([*wrong[:2], "Drop the three costliest instruments from the list."], key)
    assert not converges(wrong, key.replace("only those", "every instrument on site"))
    assert not converges(wrong[:1], key)  # one wrong option shares nothing with others


def test_a_statement_whose_words_give_its_answer_away_is_flagged() -> None:
    # a trainer found "has to ... a named method" read False and "can" read True in 3 of 4
    # true/false items: a learner who has seen other statements guesses from the words
    from isoguide.models import Chunk

    def statement(text: str, truth: str) -> Material:
        chunk = Chunk("c", "d", "t", "s", (), "f.md", "h", text)
        return Material("true-false", chunk, text, "", {"statement": text, "truth": truth})

    things = ["records", "a survey", "a manual", "a matrix", "a procedure", "a plan", "a log"]
    things += ["a register", "a form", "a checklist", "a meeting", "a review"]
    pool = [statement(f"A company has to keep {t} for every job.", "No") for t in things]
    pool += [statement(f"A company can combine {t} with its routine work.", "Yes") for t in things]
    against = statement("A company can skip the review of its records.", "No")
    neutral = [
        statement(f"Internal audits of {t} are planned at intervals.", truth)
        for t, truth in zip(things, ["Yes", "No"] * 6, strict=True)
    ]
    worded = worded_keys([*pool, against, *neutral])
    assert {m.quote for m in pool} <= worded  # the words give these away
    assert against.quote not in worded  # "can" here goes with "No": the words mislead
    assert not {m.quote for m in neutral} & worded  # nothing in the words tells these apart
    assert worded_keys(pool[:1]) == set()  # too few of each answer to learn from
    assert worded_keys([]) == set()  # a guidance with no true/false statements at all


def test_a_true_false_framing_that_went_with_one_key_waits_for_the_other() -> None:
    # a trainer found both "has to" statements False and both "can" statements True
    def tf(statement: str, key: str) -> QuizItem:
        return QuizItem(
            f"True or false? {statement}", ["True", "False"], [key], "", [], [], "true-false"
        )

    assert framing("a company has to use the 8D method") == "obliges"
    assert framing("a company can combine the review with a meeting") == "permits"
    assert framing("calibration certificates are kept") == ""
    must_false = tf("Under ISO 9001:2015, calibration has to be done by a lab.", "False")
    placed = [must_false]
    assert framing_cues(tf("Under ISO 9001:2015, a company must run a survey.", "False"), placed)
    assert not framing_cues(tf("Blank forms need to be controlled.", "True"), placed)
    assert not framing_cues(tf("A company can hold a review alone.", "True"), placed)
    both = [*placed, tf("Records must be retained.", "True")]
    assert not framing_cues(tf("A company must run a survey.", "False"), both)


def test_an_obligation_framed_with_a_noun_is_an_obligation() -> None:
    # a trainer found "needs a root cause analysis tool" read False like "has to"
    assert framing("a company needs a root cause analysis tool such as 5 Whys") == "obliges"
    assert framing("a written procedure is mandatory for this") == "obliges"
    assert framing("the needs of customers are reviewed") == ""  # a noun, not a verb


def test_the_key_is_not_the_one_option_without_an_absolute_word() -> None:
    # a trainer found the key the only option without "altogether", "all" or "every"
    key = "Decide case by case whether the cause needs action"
    cued = [
        key,
        "Stop recording small slips altogether",
        "Run a full root cause analysis for every slip",
        "Retrain all the people involved",
    ]
    assert absolute_cue(cued, [key])
    two = [*cued[:3], "Retrain the person involved"]
    assert not absolute_cue(two, [key])  # another moderate option: the key is not the only one
    assert not absolute_cue([*cued[1:], "Check every case the same way"], ["Check every case"])
    assert not absolute_cue(cued, ["Stop recording small slips altogether"])  # the key says one


def test_a_short_multi_select_key_states_its_point() -> None:
    item = QuizItem(
        "Which TWO are inputs to management review?",
        ["The adequacy of resources", "The scope", "Customer feedback", "The logo"],
        ["The adequacy of resources", "Customer feedback"],
        "",
        [],
        ["9.3.2"],
        "multi-select",
    )
    assert "The adequacy of resources" in _shown_statements(item)
    item.kind = "definition"
    assert _shown_statements(item) == [item.question]  # terms state nothing


@pytest.mark.parametrize(
    "second",
    [
        "Run a full audit of every slip that is recorded",
        "Run a short review of the slips that are recorded",  # one own response marked
    ],
)
def test_a_scenario_takes_wrong_options_without_absolute_words_when_the_key_has_none(
    second: str,
) -> None:
    # a trainer found the key the only option without "altogether", "all" or "every", and
    # read two marked wrong options of three as the same cue: where the key says none, the
    # response borrowed from another mistake should not either, even when one that does is
    # closer in length to the key
    from isoguide.models import Chunk
    from isoguide.quiz.generate import _action_item

    def scenario(tempting: dict[str, str], remedy: str) -> Material:
        text = f"A common mistake is to react to slips. What works is to {remedy}."
        chunk = Chunk("c", "d", "t", "Common mistakes", ("10.2",), "f.md", "h", text)
        parts = {"finding": "slips", "remedy": remedy, **tempting}
        return Material("scenario", chunk, text, "10.2", parts)

    key = "Decide case by case whether the cause needs action"
    m = scenario(
        {
            "tempting": "Stop recording the small slips altogether from now on",
            "tempting2": second,
        },
        key,
    )
    absolute = "Retrain all the staff on the written procedure again"
    moderate = "Ask the supplier for a cheaper quote for parts"
    assert abs(len(absolute) - len(key)) < abs(len(moderate) - len(key))
    borrowed = [scenario({"tempting": absolute}, "x"), scenario({"tempting": moderate}, "y")]
    item = _action_item(m, "hard", random.Random(1), [m, *borrowed], ["8-person bakery"], "")
    assert item is not None
    assert f"{moderate}." in item.options
    assert not absolute_cue(item.options, item.answer)


#: A calibration mistake's remedy and three cost-cutting responses that make it the odd one out
CALIBRATION_KEY = (
    "decide which instruments confirm that products meet requirements, send those to "
    "the lab and label the rest for reference use"
)
COST_RESPONSES = {
    "tempting": "drop the three costliest instruments from the calibration list to bring "
    "the yearly lab bill back under budget",
    "tempting2": "train a member of staff to calibrate the instruments in-house so that "
    "the external lab fees are no longer paid",
    "tempting3": "ask the calibration lab to quote a fixed annual price covering the "
    "instruments on site to keep costs predictable",
}


def test_odd_one_out_measures_how_far_the_key_stands_apart() -> None:
    # three wrong options close together, the key at right angles to them
    wrong = np.array([[0.0, 1.0, 0.0], [0.0, 0.9, 0.436], [0.0, 0.9, -0.436]])
    key = np.array([[1.0, 0.0, 0.0]])
    vectors = np.vstack([key, wrong])
    assert odd_one_out(vectors, 0) > 0.5  # the key is the one least like the others
    assert odd_one_out(vectors, 1) < 0  # a wrong option is not


def test_a_scenario_whose_key_is_the_odd_one_out_takes_a_nearer_mistake_s_response(
    embeddings: LocalEmbeddings,
) -> None:
    # a trainer found three cost-cutting responses beside one about use: the key was the
    # option about something else. One of them gives way to another calibration mistake's
    # response; a response about suppliers, which nobody would pick here, does not come in
    from isoguide.models import Chunk
    from isoguide.quiz.generate import _action_item

    def scenario(tempting: dict[str, str], remedy: str, clause: str = "7.1.5") -> Material:
        text = f"A common mistake is to pay for calibration. What works is to {remedy}."
        chunk = Chunk("c", "d", "t", "Common mistakes", (clause,), "f.md", "h", text)
        parts = {"finding": "calibration bills", "remedy": remedy, **tempting}
        return Material("scenario", chunk, text, clause, parts)

    key = CALIBRATION_KEY
    cost = dict(COST_RESPONSES)
    m = scenario(cost, key)
    nearer = (
        "shorten the calibration interval of any instrument found out of tolerance and note "
        "the change in the register"
    )
    supplier = "rely on the buyer's memory of who has let the company down and order elsewhere"
    filed = "scan each certificate from the lab into a shared folder so auditors can find it"
    pool = [m, scenario({"tempting": supplier}, "x", "8.4"), scenario({"tempting": nearer}, "y")]
    before = _action_item(m, "medium", random.Random(1), pool, ["9-person dental lab"], "")
    assert before is not None  # without the model's vectors: the three cost responses
    assert odd_one_out(embeddings.encode(before.options)) > ODD_MARGIN
    item = _action_item(
        m, "medium", random.Random(1), pool, ["9-person dental lab"], "",
        encode=embeddings.encode_memo,
    )  # fmt: skip
    assert item is not None
    assert f"{nearer[0].upper()}{nearer[1:]}." in item.options
    assert not any(supplier[5:] in o for o in item.options)
    assert sum(o.rstrip(".").lower() in cost.values() for o in item.options) == 2
    assert odd_one_out(embeddings.encode(item.options)) <= ODD_MARGIN
    assert set(item.feedback) == set(item.options)  # every option still has its reason
    # and a response another item shows already is swapped out like an odd one
    shown = [o for o in item.options if o.rstrip(".").lower() in cost.values()][:1]
    pool.append(scenario({"tempting": filed}, "z"))
    again = _action_item(
        m, "medium", random.Random(1), pool, ["9-person dental lab"], "", shown,
        encode=embeddings.encode_memo,
    )  # fmt: skip
    assert again is not None and not set(shown) & set(again.options)
    assert odd_one_out(embeddings.encode(again.options)) <= ODD_MARGIN


def test_a_mistake_with_five_responses_of_its_own_offers_three_of_them(
    embeddings: LocalEmbeddings,
) -> None:
    # two trainers objected to wrong options borrowed from other mistakes: with five responses
    # of its own, the item offers the three that keep the key from standing apart (here the
    # three cost responses alone make it the odd one out) and borrows none
    from isoguide.models import Chunk
    from isoguide.quiz.generate import _action_item, _own_three

    key = CALIBRATION_KEY
    own = {
        **COST_RESPONSES,
        "tempting4": "shorten the calibration interval of any instrument found out of "
        "tolerance and note the change in the register",
        "tempting5": "label each instrument with the date of its last lab visit and check "
        "the labels at the monthly walk-round",
    }
    whys = {k + "_why": f"it falls short because reason {k} is given" for k in own}
    ordinal = ("A", "Another", "A third", "A fourth", "A fifth")
    text = f"A common mistake is to pay for calibration. What works instead is to {key}." + "".join(
        f" {n} tempting response that does not fix it is to {own[k]}; {whys[k + '_why']}."
        for n, k in zip(ordinal, own, strict=True)
    )
    chunk = Chunk("c", "d", "t", "Common mistakes", ("7.1.5",), "f.md", "h", text)
    mistake = "A common mistake is to pay for calibration."
    m = Material("scenario", chunk, mistake, "7.1.5", {"finding": "bills", "remedy": key, **own})
    m.parts.update(whys)
    other = "rely on the buyer's memory of who has let the company down and order elsewhere"
    borrowed = Material(
        "scenario", chunk, "x", "7.1.5", {"finding": "x", "remedy": "y", "tempting": other}
    )
    three = [_action(own[k]) for k in ("tempting", "tempting2", "tempting3")]
    assert odd_one_out(embeddings.encode([_action(key), *three])) > ODD_MARGIN
    for seed in range(4):
        item = _action_item(
            m, "medium", random.Random(seed), [m, borrowed], ["9-person dental lab"], "",
            encode=embeddings.encode_memo,
        )  # fmt: skip
        assert item is not None
        wrong = [o for o in item.options if o not in item.answer]
        assert {o.rstrip(".")[0].lower() + o.rstrip(".")[1:] for o in wrong} <= set(own.values())
        assert "another mistake" not in item.explanation
        assert odd_one_out(embeddings.encode(item.options)) <= ODD_MARGIN
        for k, action in own.items():  # each offered response with the guidance's reason
            if _action(action) in wrong:
                assert item.feedback[_action(action)] == f"Not this: {whys[k + '_why']}."
                assert whys[k + "_why"] in item.explanation
    # nor, where another set keeps the key in place, a response so like the key that the two
    # stand out as a pair (a trainer found the key with "as optional" added as a wrong option)
    twin = "decide which instruments confirm that products meet requirements, send those to the lab and label the rest as optional"
    with_twin = {**own, "tempting5": twin}
    m.parts.update(with_twin)
    vectors = embeddings.encode([_action(key), _action(twin), *three[:2]])
    assert twin_cue(vectors) > TWIN_MARGIN
    for seed in range(4):
        parts = _own_three(m, list(own), "medium", random.Random(seed), embeddings.encode_memo)
        assert "tempting5" not in parts
    m.parts.update(own)
    # a response another item shows already is not offered again
    shown = [_action(own["tempting4"])]
    parts = _own_three(m, list(own), "medium", random.Random(0), embeddings.encode_memo, shown)
    assert "tempting4" not in parts and len(parts) == 3


def test_a_scenario_the_checker_refuses_is_drawn_again_without_the_option_it_chose(
    real: Assistant, monkeypatch: pytest.MonkeyPatch
) -> None:
    # an item the checker cannot confirm is regenerated, not shown: a mistake with five
    # responses of its own is drawn once more, without the response the checker preferred
    from dataclasses import replace as replaced

    import isoguide.quiz.generate as gen

    refused: list[tuple[str, str]] = []  # (key, the option the checker "chose")
    checked: list[tuple[str, list[str]]] = []
    checker = gen.check_quiz_item

    def refuse_first(assistant, question, options, answer):  # type: ignore[no-untyped-def]
        check = checker(assistant, question, options, answer)
        checked.append((answer[0], list(options)))
        if question.endswith("What should the company do?") and not refused:
            wrong = next(o for o in options if o not in answer)
            refused.append((answer[0], wrong))
            return replaced(check, agrees=False, chosen=[wrong])
        return check

    monkeypatch.setattr(gen, "check_quiz_item", refuse_first)
    generate_quiz(real, "corrective action", n=3, seed=7, kinds=["scenario"])
    assert refused
    key, wrong = refused[0]
    drawn = [options for answer, options in checked if answer == key]
    assert len(drawn) == 2  # once refused, drawn once more (and no more)
    assert wrong in drawn[0] and wrong not in drawn[1]


def test_the_odd_one_out_margins_are_the_bank_s_own(real: Assistant) -> None:
    # ODD_MARGIN and SWAPPED_MARGIN are the median and 90th percentile of how far the
    # least-alike option stands apart in the bank's own scenario sets: a corpus pass that
    # moves them far asks for them to be set again
    gaps = outlier_gaps(materials(real.store.all_chunks()), real.store.embeddings.encode_memo)
    assert len(gaps) >= 100
    assert abs(float(np.median(gaps)) - ODD_MARGIN) < 0.01
    assert abs(float(np.percentile(gaps, 90)) - SWAPPED_MARGIN) < 0.015
    twins = twin_gaps(materials(real.store.all_chunks()), real.store.embeddings.encode_memo)
    assert len(twins) >= 100 and abs(float(np.median(twins)) - TWIN_MARGIN) < 0.01


def test_two_wrong_terms_one_inside_the_other_are_not_offered_first() -> None:
    # a trainer found "Objective" and "Quality objective" both offered against
    # "Effectiveness": a learner drops the pair together and guesses between two
    close = ["Efficiency", "Objective", "Quality objective", "Performance", "Conformity"]
    assert nested_apart(close)[:4] == ["Efficiency", "Objective", "Performance", "Conformity"]
    assert nested_apart(close)[-1] == "Quality objective"  # still there, last
    assert nested_apart(["Quality plan", "Quality manual", "Plan"])[:2] == [
        "Quality plan",
        "Quality manual",
    ]
