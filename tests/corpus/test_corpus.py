"""Every corpus file is valid, the clauses are covered, and the words are our own."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from isoguide.clauses import VALID_CLAUSES, find_clauses
from isoguide.ingest.corpus_readme import render
from isoguide.ingest.loaders import SourceDocument, load_markdown
from isoguide.sentences import REMEDY, TEMPTING
from isoguide.settings import REPO_ROOT
from isoguide.text import split_sentences

CORPUS = REPO_ROOT / "corpus"
SEEDS = REPO_ROOT.parent / "shared" / "seeds"
FILES = sorted(p for p in CORPUS.glob("*.md") if p.name not in ("README.md", "CHANGELOG.md"))
KINDS = {
    "overview",
    "principle",
    "clause",
    "topic",
    "certification",
    "misconception",
    "glossary",
    "case",
}
AUDIENCES = {"staff", "trainer", "consultant", "management"}
PRINCIPLES = {
    "customer-focus",
    "leadership",
    "engagement-of-people",
    "process-approach",
    "improvement",
    "evidence-based-decision-making",
    "relationship-management",
}
REQUIRED = {
    "id",
    "title",
    "kind",
    "clauses",
    "principles",
    "audience",
    "edition",
    "sources",
    "summary",
}
CLAUSE_HEADINGS = [
    "What the clause asks (in our words)",
    "What it means in a small company",
    "Evidence an auditor will look for",
    "Common mistakes",
    "A worked example",
]
MUST_COVER = [
    "4.1",
    "4.2",
    "4.3",
    "4.4",
    "5.1",
    "5.2",
    "5.3",
    "6.1",
    "6.2",
    "6.3",
    "7.1",
    "7.1.1",
    "7.1.2",
    "7.1.3",
    "7.1.4",
    "7.1.5",
    "7.1.6",
    "7.2",
    "7.3",
    "7.4",
    "7.5",
    "8.1",
    "8.2",
    "8.3",
    "8.4",
    "8.5",
    "8.5.1",
    "8.5.2",
    "8.5.3",
    "8.5.4",
    "8.5.5",
    "8.5.6",
    "8.6",
    "8.7",
    "9.1",
    "9.2",
    "9.3",
    "10.1",
    "10.2",
    "10.3",
]


def docs() -> list[SourceDocument]:
    return [load_markdown(p) for p in FILES]


def test_at_least_45_documents() -> None:
    assert len(FILES) >= 45


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.stem)
def test_front_matter_schema(path: Path) -> None:
    doc = load_markdown(path)
    meta = doc.meta
    assert set(meta) >= REQUIRED, REQUIRED - set(meta)
    assert meta["id"] == path.stem, "id must match the file name"
    assert meta["kind"] in KINDS
    assert isinstance(meta["clauses"], list)
    assert all(str(c) in VALID_CLAUSES for c in meta["clauses"]), meta["clauses"]
    assert set(meta["principles"]) <= PRINCIPLES
    assert meta["audience"] and set(meta["audience"]) <= AUDIENCES
    assert str(meta["edition"]).startswith(
        ("ISO 9001:2015", "ISO 9000:2015", "ISO 19011", "ISO/IEC 17021-1", "ISO 9004")
    )
    assert meta["sources"] and isinstance(meta["sources"], list)
    assert isinstance(meta["summary"], str) and 20 < len(meta["summary"]) < 400
    assert isinstance(meta["title"], str) and meta["title"].strip()
    urls = [str(u) for u in meta["sources"] if str(u).startswith("https://")]
    assert len(urls) >= 2, "every document names at least two public https sources"
    assert str(meta.get("reviewed", "")) >= "2026-01-01", (
        "reviewed: the date the facts were checked"
    )
    assert meta.get("editions") and set(meta["editions"]) <= {"2015", "2026"}, meta.get("editions")


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.stem)
def test_body_length_headings_and_clause_mentions(path: Path) -> None:
    doc = load_markdown(path)
    body = doc.body.split(QA_HEADING)[0]
    # a glossary entry's ISO 9000 term number is a reference, not prose; so are the
    # sentences after each common mistake that quiz items are built from (what works and
    # three tempting responses, about 60 words a mistake): the bound is on the prose
    for sentence in (REMEDY, TEMPTING):  # (the sentences' own patterns, unanchored)
        body = re.sub(" ?" + sentence.pattern.strip("^$"), "", body)
    words = len(re.sub(r" \(ISO 9000:2015, 3(?:\.\d+)+\)", "", body).split())
    assert 400 <= words <= 1500, words
    headings = re.findall(r"^##\s+(.+?)\s*$", doc.body, re.MULTILINE)
    assert len(headings) >= 3
    assert not re.search(r"^#\s", doc.body, re.MULTILINE), "no repeated '#' title in the body"
    if doc.meta["kind"] == "clause":
        positions = [headings.index(h) for h in CLAUSE_HEADINGS if h in headings]
        assert len(positions) == 5, set(CLAUSE_HEADINGS) - set(headings)
        assert positions == sorted(positions), "clause headings out of order"
    # Clause-like numbers in the text must be real ISO 9001 clauses (find_clauses only
    # returns valid ones, so compare with a looser pattern).
    loose = set(re.findall(r"\bclauses? ((?:10|[4-9])(?:\.\d+){1,3})\b", doc.body, re.IGNORECASE))
    assert loose <= set(find_clauses(doc.body)) | VALID_CLAUSES, loose - VALID_CLAUSES


QA_HEADING = "## Questions people ask"


def qa_pairs(body: str) -> list[tuple[str, str]]:
    """The (question, answer) pairs of a document's "Questions people ask" section."""
    if QA_HEADING not in body:
        return []
    section = body.split(QA_HEADING, 1)[1]
    parts = re.split(r"^###\s+(.+?)\s*$", section, flags=re.MULTILINE)
    return [(q.strip(), a.strip()) for q, a in zip(parts[1::2], parts[2::2], strict=True)]


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.stem)
def test_questions_people_ask_lead_with_the_answer(path: Path) -> None:
    doc = load_markdown(path)
    body = doc.body
    assert body.count(QA_HEADING) == 1, "one 'Questions people ask' section"
    assert body.rstrip().split("\n## ")[-1].startswith("Questions people ask"), "it comes last"
    pairs = qa_pairs(body)
    assert len(pairs) >= 8, len(pairs)
    for question, answer in pairs:
        assert question.endswith("?"), question
        assert 25 <= len(answer.split()) <= 120, (question, len(answer.split()))
        yes_no = re.match(
            r"(?i)(is|are|do|does|can|must|should|will|has|have|did|was)\b(?!.*\bor\b)", question
        ) and not re.match(r"(?i)can you (give|show|share|explain)", question)
        if yes_no:
            first = answer.split(".")[0].split(":")[0]
            assert re.match(
                r"(?i)(yes|no|not|it depends|only|usually|in most|generally|both|often yes|partly)",
                first,
            ), (
                question,
                answer[:60],
            )


def _mistakes() -> Iterator[tuple[str, str, list[str]]]:
    """Each mistake with two or more tempting responses: file, remedy, responses."""
    for path in FILES:
        for line in path.read_text(encoding="utf-8").splitlines():
            sentences = [s.text for s in split_sentences(re.sub(r"^-\s+", "", line.strip()))]
            for i, sentence in enumerate(sentences):
                remedy = REMEDY.match(sentence)
                if remedy is None:
                    continue
                tempting = []
                for after in sentences[i + 1 :]:
                    if (found := TEMPTING.match(after)) is None:
                        break
                    tempting.append(found.group("action"))
                if len(tempting) >= 2:
                    yield path.name, remedy.group("action"), tempting


def test_no_mistake_makes_its_remedy_the_odd_one_out() -> None:
    # trainers found every wrong option of a scenario keeping the stem's practice in the same
    # words ("... every instrument on site", "... the annual survey") and only the key dropping
    # it; each mistake's tempting responses (the wrong options) share no word its remedy lacks
    from isoguide.quiz.generate import converges

    mistakes = list(_mistakes())
    for name, remedy, tempting in mistakes:
        assert not converges(tempting, remedy), (name, tempting)
    assert len(mistakes) >= 100  # (156 mistakes with two or more tempting responses at 562f087)


def test_no_wrong_option_says_every_or_all_where_its_remedy_does_not() -> None:
    # a trainer found the key the only option without "every", "all" or "indefinitely" (two
    # wrong options of three marked is the cue they read): a tempting response says none of
    # them where the remedy it is set against says none (183 were reworded on 2026-11-29)
    from isoguide.quiz.generate import SPECIFIC_DETERMINER

    marked = [
        (name, t)
        for name, remedy, tempting in _mistakes()
        if not SPECIFIC_DETERMINER.search(remedy)
        for t in tempting
        if SPECIFIC_DETERMINER.search(t)
    ]
    assert not marked, marked


def test_options_from_a_mistake_speak_of_the_company_not_to_the_reader() -> None:
    # a trainer found the key the only option in the second person ("compare each lab report
    # with your tolerances" beside options about "the company"): what works and the tempting
    # responses, which become the options of one item, all speak of the company
    second_person = re.compile(r"(?i)\b(you|your|yours|yourself)\b")
    found = [
        (name, text)
        for name, remedy, tempting in _mistakes()
        for text in (remedy, *tempting)
        if second_person.search(text.replace("thank-you", ""))
    ]
    assert not found, found


def test_at_least_600_question_answer_pairs() -> None:
    assert sum(len(qa_pairs(d.body)) for d in docs()) >= 600


def test_ids_are_unique() -> None:
    ids = [d.doc_id for d in docs()]
    assert len(ids) == len(set(ids))


def test_every_clause_from_4_1_to_10_3_is_covered() -> None:
    tagged = {c for d in docs() for c in d.clauses}
    missing = [c for c in MUST_COVER if c not in tagged]
    assert not missing, missing


def test_the_seven_principles_each_have_a_document() -> None:
    principle_docs = [d for d in docs() if d.meta["kind"] == "principle"]
    covered = {
        p for d in principle_docs if len(d.meta["principles"]) == 1 for p in d.meta["principles"]
    }  # type: ignore[arg-type]
    assert covered == PRINCIPLES


# Official names are facts we cite, not sentences we copy.
PROPER_NAMES = [
    "Guiding Opinions on Carrying out Quality Improvement Actions",
    "Central Committee of the Communist Party of China and the State Council",
    "Technical Committee for Quality Management and Quality Assurance",
]


def _shingles(text: str, n: int = 8) -> set[tuple[str, ...]]:
    for name in PROPER_NAMES:
        text = re.sub(re.escape(name), " NAME ", text, flags=re.IGNORECASE)
    words = re.findall(r"[a-z0-9]+", text.lower())
    return {tuple(words[i : i + n]) for i in range(len(words) - n + 1)}


@pytest.mark.skipif(not SEEDS.is_dir(), reason="shared/seeds/ is not beside this checkout")
def test_no_sentence_is_copied_from_the_seeds() -> None:
    seed_shingles: set[tuple[str, ...]] = set()
    for seed in SEEDS.glob("*.txt"):
        seed_shingles |= _shingles(seed.read_text(encoding="utf-8"))
    copied = {}
    for d in docs():
        shared = _shingles(d.body) & seed_shingles
        if shared:
            copied[d.doc_id] = [" ".join(s) for s in list(shared)[:3]]
    assert not copied, copied


def test_readme_lists_every_document_and_is_current() -> None:
    readme = (CORPUS / "README.md").read_text(encoding="utf-8")
    assert readme == render(CORPUS), "run: python -m isoguide.ingest.corpus_readme"
    for d in docs():
        assert f"`{d.doc_id}`" in readme
    for seed in SEEDS.glob("*.txt") if SEEDS.is_dir() else []:
        assert seed.name in readme, f"{seed.name} is not mapped to any document"
