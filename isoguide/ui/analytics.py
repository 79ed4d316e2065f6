"""Analytics mode, for maintainers: what staff ask and where the guidance falls short."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pandas as pd
import streamlit as st

from ..analytics import build_report, gap_rows, thumbs_down_rows, to_csv
from ..assistant import Assistant
from ..feedback import FeedbackStore
from ..history import HistoryStore
from .render import escape_markdown

PERIODS = {"Last 4 weeks": 28, "Last 13 weeks": 91, "Last 52 weeks": 364, "All time": None}


def page(assistant: Assistant, history: HistoryStore, feedback: FeedbackStore) -> None:
    st.subheader("What staff ask")
    period = st.segmented_control(
        "Period", list(PERIODS), default="Last 13 weeks", key="analytics-period"
    )
    days = PERIODS.get(str(period or "All time"))
    since = (
        (datetime.now(UTC) - timedelta(days=days)).isoformat(timespec="seconds") if days else None
    )
    thumbs_down = [
        r
        for r in feedback.records(limit=500, rating="down")
        if since is None or r.updated_at >= since
    ]
    report = build_report(
        history.answers(since), thumbs_down, embed=assistant.store.embeddings.encode
    )
    if not report.n_questions and not thumbs_down:
        st.info("No questions stored yet in this period. They appear here as staff ask.")
        return

    a, b, c = st.columns(3)
    a.metric("Questions", report.n_questions)
    declined_share = report.n_declined / report.n_questions if report.n_questions else 0.0
    b.metric("Declined (not in the guidance)", report.n_declined)
    b.caption(f"{declined_share:.0%} of the questions")
    c.metric("Thumbs-down answers", report.n_thumbs_down)

    st.markdown("#### Questions per week")
    if report.per_week:
        st.bar_chart(
            pd.DataFrame(report.per_week).set_index("week"),
            y=["answered", "declined"],
            color=["#4c78a8", "#e45756"],
            x_label="Week starting",
            y_label="Questions",
        )

    left, right = st.columns(2)
    with left:
        st.markdown("#### Questions by clause")
        if report.by_clause:
            st.bar_chart(
                pd.DataFrame(report.by_clause).set_index("clause"),
                horizontal=True,
                x_label="",
                y_label="Questions",
            )
        else:
            st.caption("No question named or cited a clause yet.")
    with right:
        st.markdown("#### Most-asked topics")
        if report.topics:
            st.bar_chart(
                pd.DataFrame(report.topics).set_index("topic"),
                horizontal=True,
                x_label="",
                y_label="Questions",
            )
        else:
            st.caption("No answered question yet.")

    st.markdown("#### Gaps: questions the guidance declined")
    st.caption(
        "Grouped by meaning. Each group is a candidate for new guidance (clause 10.3, "
        "continual improvement)."
    )
    if report.gaps:
        st.dataframe(gap_rows(report.gaps), hide_index=True, width="stretch", key="gaps")
    else:
        st.caption("No declined question in this period.")

    st.markdown("#### Answers rated thumbs-down")
    if not thumbs_down:
        st.caption("No thumbs-down in this period.")
    for i, record in enumerate(thumbs_down[:50]):
        with st.expander(escape_markdown(record.question), key=f"down-{i}"):
            st.caption(f"Rated by {escape_markdown(record.user_id)} on {record.updated_at[:10]}")
            st.markdown(escape_markdown(record.answer))
            for citation in record.citations:
                st.markdown(
                    f"- [{citation.get('n')}] {escape_markdown(str(citation.get('title')))} › "
                    f"{escape_markdown(str(citation.get('section')))}"
                )

    st.markdown("#### Export")
    cols = st.columns(3)
    cols[0].download_button(
        "Questions (.csv)",
        to_csv(report.rows),
        file_name="isoguide-questions.csv",
        mime="text/csv",
        key="csv-questions",
        disabled=not report.rows,
    )
    cols[1].download_button(
        "Gaps (.csv)",
        to_csv(gap_rows(report.gaps)),
        file_name="isoguide-gaps.csv",
        mime="text/csv",
        key="csv-gaps",
        disabled=not report.gaps,
    )
    cols[2].download_button(
        "Thumbs-down (.csv)",
        to_csv(thumbs_down_rows(thumbs_down)),
        file_name="isoguide-thumbs-down.csv",
        mime="text/csv",
        key="csv-thumbs-down",
        disabled=not thumbs_down,
    )
