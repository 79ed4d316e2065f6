"""The Analytics page through AppTest: computed from the questions asked in the app."""

from __future__ import annotations

import csv
import io

from .conftest import AppEnv, ask, no_exception


def test_analytics_page_shows_questions_gaps_thumbs_down_and_exports(
    app_env: AppEnv, downloads: dict[str, bytes]
) -> None:
    at = app_env.start()
    # Which questions are declined is set here (a confidence bar of 0 answers, 1 declines),
    # so the page is tested, not the abstention model.
    for question, bar in (
        ("What does PDCA stand for?", 0.0),
        ("What is the best recipe for a chocolate birthday cake?", 1.0),
        ("How do I bake a chocolate cake for a birthday?", 1.0),
    ):
        at = at.slider(key="abstain_threshold").set_value(bar).run()
        at = ask(at, question)
    no_exception(at)
    at = at.feedback[0].set_value(0).run()  # thumbs down on the PDCA answer

    at = at.sidebar.radio(key="mode").set_value("Analytics").run()
    no_exception(at)
    metrics = {m.label: m.value for m in at.main.metric}
    assert metrics["Questions"] == "3"
    assert metrics["Declined (not in the guidance)"] == "2"
    assert metrics["Thumbs-down answers"] == "1"
    charts = at.get("vega_lite_chart")
    assert len(charts) == 3, "per week, by clause, topics"
    gaps = at.main.dataframe[0].value
    assert list(gaps["times_asked"]) == [2], "the two cake questions are one gap"
    assert [e.label for e in at.expander if e.label.startswith("What does PDCA")]

    rows = list(
        csv.DictReader(io.StringIO(downloads["isoguide-questions.csv"].decode("utf-8-sig")))
    )
    assert [r["question"] for r in rows][0] == "What does PDCA stand for?"
    assert [r["declined"] for r in rows] == ["False", "True", "True"]
    down = list(
        csv.DictReader(io.StringIO(downloads["isoguide-thumbs-down.csv"].decode("utf-8-sig")))
    )
    assert down[0]["rated_by"] == "local" and "PDCA" in down[0]["answer"]
