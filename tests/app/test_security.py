"""Corpus text is shown as text: HTML and Markdown in a passage never reach the page as markup."""

from __future__ import annotations

import re

from .conftest import AppEnv, ask, no_exception

HOSTILE = """---
id: hostile-html
title: "Document control <b>bold</b> ![pixel](http://127.0.0.1:9/pixel.png)"
clauses: ["7.5"]
---

# Document control <b>bold</b> ![pixel](http://127.0.0.1:9/pixel.png)

## Version labels on forms

Every controlled form carries a version label <img src=x onerror=alert(1)> so staff can see
it is current, and the [old form](javascript:alert(2)) is withdrawn. Version labels make
document control visible on the shop floor ![pixel](http://127.0.0.1:9/pixel.png) for everyone.
"""


def test_html_and_markdown_in_a_passage_are_escaped(app_env: AppEnv) -> None:
    (app_env.corpus / "hostile.md").write_text(HOSTILE, encoding="utf-8")
    at = ask(app_env.start(), "Why does every controlled form carry a version label?")
    no_exception(at)
    answer = at.session_state["messages"][-1].answer
    assert any(c.doc_id == "hostile-html" for c in answer.citations), answer.answer
    rendered = "\n".join(str(m.value) for m in at.markdown)
    assert "\\<img src\\=x onerror\\=alert\\(1\\)\\>" in rendered
    for raw in (r"<img", r"<b>", r"!\[pixel", r"\[old form", r"\]\(javascript"):
        assert not re.search(r"(?<!\\)" + raw, rendered), raw  # never unescaped
