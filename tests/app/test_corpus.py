"""Corpus management through AppTest: upload, list, answer from, remove; bad files rejected
with a message and nothing else lost."""

from __future__ import annotations

import pytest

from .conftest import AppEnv, ask, errors, no_exception

UPLOAD = b"""# Quokka supplier checklist

## Checking a new supplier

Before a new supplier joins the approved list, the buyer walks through the quokka checklist:
a trial order, a delivery-time check and a certificate review. The quokka checklist is signed
by the buyer and kept with the purchase records for three years.
"""


def _documents(at) -> int:  # type: ignore[no-untyped-def]
    return int({m.label: m.value for m in at.sidebar.metric}["Documents"])


def _uploader(at):  # type: ignore[no-untyped-def]
    return at.sidebar.file_uploader[0]


def test_upload_is_indexed_listed_cited_and_removable(app_env: AppEnv) -> None:
    at = app_env.start()
    assert _documents(at) == 7
    at = _uploader(at).set_value(("Quokka checklist (v2)!.md", UPLOAD, "text/markdown")).run()
    no_exception(at)
    assert not errors(at), errors(at)
    saved = app_env.uploads / "Quokka-checklist-v2.md"
    assert saved.read_bytes() == UPLOAD
    notices = " ".join(str(s.value) for s in at.sidebar.success).replace("\\", "")
    assert "Added 'Quokka supplier checklist' as Quokka-checklist-v2.md" in notices, notices
    assert _documents(at) == 8
    assert at.sidebar.button(key="remove-Quokka-checklist-v2.md")

    at = ask(at, "What is in the quokka checklist for a new supplier?")
    answer = at.session_state["messages"][-1].answer
    assert any(c.title == "Quokka supplier checklist" for c in answer.citations), answer.answer

    at = at.sidebar.button(key="remove-Quokka-checklist-v2.md").click().run()
    no_exception(at)
    assert not saved.exists()
    assert _documents(at) == 7
    assert any(
        "Removed Quokka-checklist-v2.md" in str(s.value).replace("\\", "")
        for s in at.sidebar.success
    )
    at = ask(at, "What is in the quokka checklist for a new supplier?")
    answer = at.session_state["messages"][-1].answer
    assert all(c.title != "Quokka supplier checklist" for c in answer.citations)


@pytest.mark.parametrize(
    ("name", "data", "reason"),
    [
        ("tool.exe", b"MZ\x90\x00" * 100, "exe"),
        ("notes.csv", b"a,b\n1,2\n" * 10, "csv"),
        ("broken.pdf", b"%PDF-1.7\n1 0 obj garbage\n%%EOF", "unreadable PDF"),
        ("empty.md", b"", "empty"),
        ("binary.txt", b"\x00\x01\x02" * 200, "binary"),
    ],
)
def test_a_bad_file_is_rejected_and_nothing_is_lost(
    app_env: AppEnv, name: str, data: bytes, reason: str
) -> None:
    at = app_env.start()
    at = _uploader(at).set_value((name, data, "application/octet-stream")).run()
    no_exception(at)
    message = " ".join(errors(at)).replace("\\", "")
    assert reason in message, message
    assert not any("Added" in str(s.value) for s in at.sidebar.success)
    leftovers = (
        [p for p in app_env.uploads.rglob("*") if p.is_file()] if app_env.uploads.exists() else []
    )
    assert leftovers == []
    assert _documents(at) == 7
    at = ask(at, "What does PDCA stand for?")  # the guidance still answers
    assert at.session_state["messages"][-1].answer.citations


def test_a_file_over_the_size_limit_is_rejected(
    app_env: AppEnv, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ISOGUIDE_MAX_UPLOAD_MB", "0.001")  # about 1 KB
    at = app_env.start()
    at = _uploader(at).set_value(("big.md", UPLOAD * 10, "text/markdown")).run()
    no_exception(at)
    message = " ".join(errors(at)).replace("\\", "")
    assert "the limit is 0.001 MiB" in message, message
    assert not app_env.uploads.exists() or not any(app_env.uploads.iterdir())
    assert _documents(at) == 7


def test_an_upload_cannot_replace_a_corpus_document(app_env: AppEnv) -> None:
    at = app_env.start()
    clash = b"---\nid: pdca-cycle\ntitle: Fake PDCA\n---\n\n# Fake PDCA\n\nThis text would replace the real PDCA guidance if the upload were kept."
    at = _uploader(at).set_value(("my-pdca.md", clash, "text/markdown")).run()
    message = " ".join(errors(at)).replace("\\", "")
    assert "already uses the document id 'pdca-cycle'" in message, message
    assert not (app_env.uploads / "my-pdca.md").exists()
    at = ask(at, "What does PDCA stand for?")
    answer = at.session_state["messages"][-1].answer
    assert any(c.title == "The Plan-Do-Check-Act cycle" for c in answer.citations)
