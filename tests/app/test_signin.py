"""Sign-in and roles through AppTest: the secrets' [auth] section switches sign-in on, st.user
is the signed-in user; each role sees only its pages and actions."""

from __future__ import annotations

import json

import pytest
from streamlit.testing.v1 import AppTest

from .conftest import APP, TIMEOUT, AppEnv, no_exception, texts

AUTH = {
    "redirect_uri": "http://localhost:8501/oauth2callback",
    "cookie_secret": "a-test-cookie-secret-that-is-long-enough",
    "client_id": "isoguide",
    "client_secret": "secret",
    "server_metadata_url": "http://127.0.0.1:9/.well-known/openid-configuration",
}


def _start(user: dict[str, object] | None, *, auth: bool = True) -> AppTest:
    at = AppTest.from_file(str(APP), default_timeout=TIMEOUT)
    if auth:
        at.secrets["auth"] = AUTH
    if user is not None:
        at.user = user
    return at.run()


def _signed_in(email: str, **claims: object) -> dict[str, object]:
    return {"is_logged_in": True, "email": email, "name": email.split("@")[0], **claims}


def _modes(at: AppTest) -> list[str]:
    return list(at.sidebar.radio(key="mode").options)


@pytest.fixture
def roles(app_env: AppEnv, monkeypatch: pytest.MonkeyPatch) -> AppEnv:
    monkeypatch.setenv("ISOGUIDE_AUTH__TRAINERS", json.dumps(["trainer@example.com"]))
    monkeypatch.setenv("ISOGUIDE_AUTH__CONSULTANTS", json.dumps(["@consult.example"]))
    monkeypatch.setenv("ISOGUIDE_AUTH__MAINTAINERS", json.dumps(["Lead@Example.com"]))
    return app_env


def test_sign_in_off_by_default_everything_is_open(app_env: AppEnv) -> None:
    at = _start(None, auth=False)
    no_exception(at)
    assert not [b for b in at.button if b.key in ("sign-in", "sign-out")]
    assert _modes(at)[:3] == ["Ask", "Quiz", "Draft"]
    assert at.chat_input and at.sidebar.file_uploader


def test_configured_means_every_page_needs_sign_in(roles: AppEnv) -> None:
    at = _start({"is_logged_in": False})
    no_exception(at)
    assert at.button(key="sign-in").label == "Sign in"
    assert not at.chat_input and not at.sidebar.radio and not at.sidebar.file_uploader
    assert not (roles.data_dir / "chroma").exists(), "nothing is built or shown before sign-in"
    at.session_state["mode"] = "Analytics"  # a remembered page does not get past the gate
    at = at.run()
    assert not at.chat_input and at.button(key="sign-in")


@pytest.mark.parametrize(
    ("email", "modes", "manages"),
    [
        ("someone@example.com", ["Ask"], False),
        ("trainer@example.com", ["Ask", "Quiz"], False),
        ("ann@consult.example", ["Ask", "Draft", "Audit checklist"], False),
        ("lead@example.com", ["Ask", "Quiz", "Draft", "Audit checklist", "Analytics"], True),
    ],
)
def test_each_role_sees_only_its_pages_and_actions(
    roles: AppEnv, email: str, modes: list[str], manages: bool
) -> None:
    at = _start(_signed_in(email))
    no_exception(at)
    assert _modes(at) == modes
    assert at.chat_input, "everyone with a role asks"
    assert at.sidebar.download_button(key="export"), "everyone with a role exports"
    assert bool(at.sidebar.file_uploader) is manages
    assert ("Feedback review (maintainers)" in [e.label for e in at.sidebar.expander]) is manages
    assert email.split("@")[0] in texts(at) and at.sidebar.button(key="sign-out")


def test_roles_from_an_id_token_claim(roles: AppEnv, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ISOGUIDE_AUTH__ROLES_CLAIM", "groups")
    monkeypatch.setenv("ISOGUIDE_AUTH__CLAIM_ROLES", json.dumps({"iso-admins": "maintainer"}))
    at = _start(_signed_in("kim@example.com", groups=["sales", "iso-admins"]))
    no_exception(at)
    assert "Analytics" in _modes(at) and at.sidebar.file_uploader


def test_a_user_without_a_role_is_refused(roles: AppEnv, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ISOGUIDE_AUTH__STAFF", json.dumps(["@example.com"]))
    at = _start(_signed_in("visitor@elsewhere.example"))
    no_exception(at)
    assert "has no isoguide role" in texts(at)
    assert not at.chat_input and not at.sidebar.radio
    assert at.button(key="sign-out")


def test_required_without_auth_section_refuses_to_serve(
    app_env: AppEnv, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ISOGUIDE_AUTH__REQUIRED", "true")
    at = _start(None, auth=False)
    no_exception(at)
    assert "Sign-in is required" in texts(at)
    assert not at.chat_input


def test_sign_out_returns_to_the_sign_in_page(roles: AppEnv) -> None:
    at = _start(_signed_in("someone@example.com"))
    at = at.sidebar.button(key="sign-out").click().run()
    no_exception(at)
    assert at.button(key="sign-in") and not at.chat_input
