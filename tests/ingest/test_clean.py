from pathlib import Path

from isoguide.ingest.clean import clean_web_text, text_to_markdown
from isoguide.ingest.loaders import load_file

from ..conftest import FIXTURE_CORPUS

SEED_SHAPED = """Why calibration matters in small shops

Why calibration matters in small shops

Why calibration matters in small shops

A gauge that reads wrong makes every part it touches suspect, so small shops check their gauges.
1
Keep a register of every gauge.
2
Label each gauge with its next due date.
Release Date:
2024-01-02 09:30
<<:  Previous story about welding
>>:  Next story about painting
Recommend

Holiday deals on Oceanbreeze cruises

Book your Oceanbreeze cabin today and...

Related News
undefined
"""


def test_seed_shaped_text_loses_its_boilerplate_and_keeps_its_body() -> None:
    cleaned = clean_web_text(SEED_SHAPED)
    assert cleaned.count("Why calibration matters in small shops") == 1
    assert "A gauge that reads wrong" in cleaned
    assert "1. Keep a register of every gauge." in cleaned
    assert "2. Label each gauge with its next due date." in cleaned
    for junk in (
        "Oceanbreeze",
        "Recommend",
        "Related News",
        "undefined",
        "<<:",
        ">>:",
        "Release Date",
        "2024-01-02",
    ):
        assert junk not in cleaned, junk


def test_text_to_markdown_takes_the_first_line_as_title() -> None:
    title, body = text_to_markdown(SEED_SHAPED)
    assert title == "Why calibration matters in small shops"
    assert "Why calibration matters" not in body


def test_fixture_scraped_text_is_cleaned() -> None:
    doc = load_file(FIXTURE_CORPUS / "supplier-control.txt")
    assert doc.title == "Controlling suppliers in a small company"
    assert doc.body.count("subcontractor") >= 2
    assert "approved supplier list" in doc.body
    for junk in ("Oceanbreeze", "crowdfunding", "Related News", "undefined", "Release Date"):
        assert junk not in doc.body, junk
    assert doc.body.count("Controlling suppliers in a small company") == 0


def test_fixture_html_loses_nav_footer_and_related_posts() -> None:
    doc = load_file(FIXTURE_CORPUS / "risk-thinking.html")
    assert doc.title == "Risk-based thinking for small firms"
    assert "preventive action" in doc.body.lower()
    for junk in ("Zanzibar", "Copyright 2024 Example Ltd", "Contact"):
        assert junk not in doc.body, junk
    assert "## " in doc.body  # h2 sections became headings


def test_cleaning_keeps_an_ordinary_article_whole(tmp_path: Path) -> None:
    text = "Quality objectives\n\nObjectives should be measurable. They are reviewed monthly.\n"
    assert clean_web_text(text) == text.strip()
