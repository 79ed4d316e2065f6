"""An LLM provider that cannot be reached: the sidebar says so, and answers still come."""

from __future__ import annotations

import pytest

from .conftest import AppEnv, ask, no_exception


def test_unreachable_ollama_is_flagged_and_the_answer_still_shown(
    app_env: AppEnv, monkeypatch: pytest.MonkeyPatch
) -> None:
    pytest.importorskip("isoguide.answer.chain", reason="the LLM answer chain is not written yet")
    monkeypatch.setenv("ISOGUIDE_LLM__PROVIDER", "ollama")
    monkeypatch.setenv("ISOGUIDE_LLM__BASE_URL", "http://127.0.0.1:9")
    monkeypatch.setenv("ISOGUIDE_LLM__TIMEOUT", "3")
    at = app_env.start()
    no_exception(at)
    assert at.sidebar.selectbox(key="provider").value == "ollama"
    sidebar_errors = " ".join(str(e.value) for e in at.sidebar.error).replace("\\", "")
    assert "unreachable" in sidebar_errors and "127.0.0.1:9" in sidebar_errors
    at = ask(at, "What does PDCA stand for?")
    no_exception(at)
    assert not at.main.error, [e.value for e in at.main.error]
    answer = at.session_state["messages"][-1].answer
    assert answer is not None and answer.citations and not answer.abstained
    assert answer.notice, "an LLM fallback must say so"
    infos = " ".join(str(i.value) for i in at.info).replace("\\", "")
    assert answer.notice in infos
    assert r"**\[1\]**" in "\n".join(str(m.value) for m in at.markdown)


def test_choosing_an_unreachable_provider_in_the_sidebar(
    app_env: AppEnv, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ISOGUIDE_LLM__BASE_URL", "http://127.0.0.1:9")
    at = app_env.start()
    assert not at.sidebar.error
    assert "extractive" in str(at.sidebar.success[0].value)
    at = at.sidebar.selectbox(key="provider").set_value("openai").run()
    no_exception(at)
    assert "unreachable" in " ".join(str(e.value) for e in at.sidebar.error)


def test_unsupported_sentences_of_an_llm_answer_are_flagged(
    app_env: AppEnv, monkeypatch: pytest.MonkeyPatch
) -> None:
    fake = pytest.importorskip(
        "isoguide.answer.fake", reason="the scripted chat model is not written yet"
    )
    careful = fake.quote_sources
    invented = "Auditors must always be paid in gold bars before the surveillance visit."
    monkeypatch.setattr(
        fake, "quote_sources", lambda messages: f"{careful(messages)} {invented} [1]"
    )
    monkeypatch.setenv("ISOGUIDE_LLM__PROVIDER", "fake")
    at = ask(app_env.start(), "What does PDCA stand for?")
    no_exception(at)
    answer = at.session_state["messages"][-1].answer
    assert answer.provider == "fake" and answer.citations
    assert any("gold bars" in s for s in answer.unsupported), answer.unsupported
    flagged = " ".join(str(w.value) for w in at.main.warning).replace("\\", "")
    assert "does not support" in flagged and "gold bars" in flagged, flagged
    assert "fake" in " ".join(str(c.value) for c in at.main.caption)
