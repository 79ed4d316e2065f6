"""Every export format parsed back by a real parser and compared with the original items:
GIFT by pygiftparser (pygiftparserrgmf), Moodle XML by moodle-xml-parser, QTI (built by
text2qti) by the standard XML parser, Aiken by our reader (no maintained Aiken parser is
packaged), JSON by json and QuizItem.from_json."""

from __future__ import annotations

import io
import json
import xml.etree.ElementTree as ET
import zipfile

import pytest

from isoguide.errors import IsoguideError
from isoguide.models import Citation
from isoguide.quiz import QuizItem, export_quiz, read_aiken, read_gift

CITE = Citation(1, "c1", "doc", "A title", "A section", ["9.3"], "A quote.")


def _items() -> list[QuizItem]:
    single = QuizItem(
        "Which clause of ISO 9001:2015 requires top management to review the QMS {at planned "
        "intervals}? (use: A = B ~ #1)",
        [
            "9.3 Management review",
            "9.2 Internal audit",
            "10.2 Nonconformity & corrective action",
            "9.1 Monitoring, measurement, analysis and evaluation",
        ],
        ["9.3 Management review"],
        'ISO 9001:2015 clause 9.3. The guidance says: "Clause 9.3.1 requires ..." [1]',
        [CITE],
        ["9.3"],
        "which-clause",
        "hard",
        "remember",
        {"9.3 Management review": "Right.", "9.2 Internal audit": "Not this one: <audits>."},
    )
    tf = QuizItem(
        "True or false? A small company needs a quality manual.",
        ["True", "False"],
        ["False"],
        "False. No manual is required. [1]",
        [CITE],
        ["7.5"],
        "true-false",
        "easy",
        "understand",
        {"True": "No.", "False": "Right."},
    )
    multi = QuizItem(
        "Which TWO of the following are management review inputs?",
        [
            "The adequacy of resources",
            "Opportunities for improvement",
            "The logo colour",
            "The canteen menu",
        ],
        ["The adequacy of resources", "Opportunities for improvement"],
        "Clause 9.3.2 lists them. [1]",
        [CITE],
        ["9.3.2"],
        "multi-select",
        "medium",
        "understand",
    )
    return [single, tf, multi]


def _key(item: QuizItem) -> tuple[str, list[str], list[str]]:
    return item.question, item.options, sorted(item.answer)


def test_gift_round_trip_with_pygiftparser() -> None:
    items = _items()
    text = export_quiz(items, "Quiz: review", "gift").data.decode()
    assert text.count("$CATEGORY: $course$/top/isoguide/") == 3  # one category per clause
    back = read_gift(text)
    assert [(b.question, b.options, sorted(b.answer)) for b in back] == [_key(i) for i in items]
    from pygiftparser import parser

    parsed = parser.parse(text)
    assert [q.category.rsplit("/", 1)[-1] for q in parsed.questions] == [
        "9.3 Management review",
        "7.5 Documented information",
        "9.3.2 Management review inputs",
    ]
    first = parsed.questions[0].answer.options
    assert first[1].feedback.replace("\\", "") == "Not this one: <audits>."  # per-option feedback
    checkbox = parsed.questions[2].answer.options
    assert [o.percentage for o in checkbox] == [0.5, 0.5, -1.0, -1.0]


def test_moodle_xml_round_trip_with_moodle_xml_parser() -> None:
    from moodle_xml_parser.parser import parse_string

    items = _items()
    xml = export_quiz(items, "Quiz", "moodle-xml").data.decode()
    parsed = parse_string(xml)["multichoice"]
    assert len(parsed) == 3
    for item, q in zip(items, parsed, strict=True):
        # the parser unescapes entities: what a learner sees is the original text
        assert q.text_pre_parse == f"<p>{item.question}</p>"
        assert [o.answer for o in q.options] == [f"<p>{o}</p>" for o in item.options]
        right = [o.answer for o in q.options if o.score_fraction > 0]
        assert right == [f"<p>{a}</p>" for a in item.options if a in item.answer]
        assert q.single is (not item.multi)
        assert item.explanation.split(".")[0] in q.general_feedback
    assert sum(o.score_fraction for o in parsed[2].options if o.score_fraction > 0) == 100
    assert parsed[0].options[1].feedback == "<p>Not this one: <audits>.</p>"
    assert "&lt;audits&gt;" in xml  # escaped in the file, so Moodle shows it as text
    root = ET.fromstring(xml)
    cats = [c.findtext("category/text") for c in root.findall("question[@type='category']")]
    assert cats[0] == "$course$/top/isoguide/9.3 Management review"


def _html(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def test_aiken_leaves_out_multi_select_and_says_why() -> None:
    items = _items()
    exported = export_quiz(items, "Quiz", "aiken")
    assert exported.left_out == [(3, exported.left_out[0][1])]
    assert "multi-select" in exported.left_out[0][1]
    back = read_aiken(exported.data.decode())
    assert [(b.question, b.options, b.answer) for b in back] == [_key(i) for i in items[:2]]


def test_qti_package_built_by_text2qti_holds_every_item() -> None:
    items = _items()
    data = export_quiz(items, "Quiz: review", "qti").data
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        names = zf.namelist()
        assert "imsmanifest.xml" in names
        assessment = next(
            n for n in names if n.endswith(".xml") and "meta" not in n and n != "imsmanifest.xml"
        )
        root = ET.fromstring(zf.read(assessment))
    ns = {"q": "http://www.imsglobal.org/xsd/ims_qtiasiv1p2"}
    found = root.findall(".//q:item", ns)
    assert len(found) == 3
    for item, node in zip(items, found, strict=True):
        texts = [m.text or "" for m in node.findall(".//q:mattext", ns)]
        assert any(_html(item.question) in t or item.question in t for t in texts)
        labels = {
            lab.get("ident"): "".join(lab.itertext()).strip()
            for lab in node.findall(".//q:response_label", ns)
        }
        assert [_strip_p(v) for v in labels.values()] == item.options
        correct = {
            v.text for v in node.findall(".//q:respcondition/q:conditionvar//q:varequal", ns)
        }
        right = {ident for ident, text in labels.items() if _strip_p(text) in item.answer}
        assert right <= correct


def _strip_p(text: str) -> str:
    import html
    import re

    return html.unescape(re.sub(r"<[^>]+>", "", text)).strip()


def test_json_and_markdown() -> None:
    items = _items()
    data = json.loads(export_quiz(items, "Quiz", "json").data)
    assert [QuizItem.from_json(d).to_json() for d in data["items"]] == [i.to_json() for i in items]
    md = export_quiz(items, "Quiz", "md").data.decode()
    questions, key = md.split("## Answer key")
    assert "9.3 Management review" in key and "ISO 9001 clause: 7.5" in key
    assert "*(choose 2)*" in questions and "**" not in questions.replace("*(choose 2)*", "")
    # the clause line names the clause; the explanation under it does not again
    assert "ISO 9001:2015 clause 9.3." not in key and "The guidance says:" in key


def test_bad_requests_are_clear_errors() -> None:
    with pytest.raises(IsoguideError, match="no quiz items"):
        export_quiz([], "Quiz", "gift")
    with pytest.raises(IsoguideError, match="Unknown quiz format"):
        export_quiz(_items(), "Quiz", "docx")
    with pytest.raises(IsoguideError, match="answer key"):
        QuizItem("Q?", ["a", "b"], ["c"], "", [], [])


def test_a_multi_select_key_reads_in_option_order() -> None:
    multi = _items()[2]
    multi.answer = list(reversed(multi.answer))  # keyed "B, A" by whoever wrote it
    assert multi.key_letters == "A, B"
    md = export_quiz([multi], "Quiz", "md").data.decode()
    assert "**A, B**: The adequacy of resources; Opportunities for improvement" in md


def test_an_untagged_definition_shows_its_iso_9000_entry_only_when_it_has_one() -> None:
    # a trainer found "work instruction", which ISO 9000 does not define, called an ISO 9000 term
    def definition(quote: str) -> QuizItem:
        cite = Citation(1, "g:1", "g", "Glossary", "Terms", [], quote)
        options = ["Characteristic", "Grade", "Quality", "Requirement"]
        return QuizItem(
            "Which term means: a feature?", options, [options[0]], "", [cite], [], kind="definition"
        )

    listed = definition("Characteristic (ISO 9000:2015, 3.10.1): A characteristic is a feature.")
    plain = definition("Work instruction: a step-by-step description of one task.")
    md = export_quiz([listed, plain], "Quiz", "md").data.decode()
    assert "ISO 9001 clause: none; term ISO 9000:2015, 3.10.1 (definition" in md
    assert "ISO 9001 clause: none (definition" in md


def test_two_quotes_from_one_section_are_listed_as_one_source() -> None:
    # a trainer found "[1] Clause 7.1.5 ... — Common mistakes" listed again as [2]
    item = _items()[0]
    second = Citation(2, "c2", "doc", "A title", "A section", ["9.3"], "Another quote.")
    other = Citation(3, "c3", "doc2", "Another title", "Its section", ["9.2"], "A third.")
    item.citations = [CITE, second, other]
    key = export_quiz([item], "Quiz", "md").data.decode().split("## Answer key")[1]
    assert "   [1], [2] A title — A section" in key and "   [3] Another title — Its section" in key
    assert key.count("A title — A section") == 1
