"""The whole sign-in flow in a real browser: Streamlit's OIDC support (st.login) against a local
OIDC provider (oidc-provider-mock) on a loopback port, roles from an ID-token claim, sign-out.

Run alone with: .venv/bin/python -m pytest -q -m browser tests/browser/test_signin.py
"""

from __future__ import annotations

import json
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from .serve import CHROMIUM, CHROMIUM_ARGS, free_port, isoguide_env, streamlit_app

pytestmark = pytest.mark.browser
sync_api = pytest.importorskip(
    "playwright.sync_api", reason="needs playwright: pip install -e '.[dev]'"
)
oidc_mock = pytest.importorskip("oidc_provider_mock", reason="pip install oidc-provider-mock")
werkzeug_serving = pytest.importorskip("werkzeug.serving")

FIXTURE_CORPUS = Path(__file__).resolve().parent.parent / "fixtures" / "corpus"
READY_TIMEOUT = 240_000  # ms: the first signed-in page builds the index and loads the model
STAFF = "sam@example.com"
LEAD = "lea@example.com"
QUESTIONS = ("What does PDCA stand for?", "What is the best recipe for a chocolate cake?")
FINISHED = ("Answered by", "does not cover this question")  # an answer, or a declined one
ANALYTICS_SCREENSHOT = Path("/tmp/isoguide-analytics.png")


@pytest.fixture
def provider() -> Iterator[str]:
    """A local OIDC provider on 127.0.0.1 with two one-click users; yields its issuer URL."""
    app = oidc_mock.app(
        user_claims=[
            oidc_mock.User(sub=STAFF, claims={"email": STAFF, "name": "Sam Staff"}),
            oidc_mock.User(
                sub=LEAD,
                claims={"email": LEAD, "name": "Lea Lead", "groups": ["staff", "iso-admins"]},
            ),
        ]
    )
    server = werkzeug_serving.make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.1})
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(5)
        server.server_close()


@pytest.fixture
def app_url(provider: str, tmp_path: Path) -> Iterator[str]:
    if not CHROMIUM.exists():
        pytest.skip("needs Debian's chromium at /usr/bin/chromium: apt-get install chromium")
    corpus = tmp_path / "corpus"
    shutil.copytree(FIXTURE_CORPUS, corpus)
    port = free_port()
    secrets = tmp_path / "secrets.toml"
    secrets.write_text(
        "[auth]\n"
        f'redirect_uri = "http://127.0.0.1:{port}/oauth2callback"\n'
        'cookie_secret = "browser-test-cookie-secret-0123456789abcdef"\n'
        'client_id = "isoguide"\n'
        'client_secret = "isoguide-secret"\n'
        f'server_metadata_url = "{provider}/.well-known/openid-configuration"\n'
    )
    env = isoguide_env(
        ISOGUIDE_DATA_DIR=str(tmp_path / "data"),
        ISOGUIDE_CORPUS_DIRS=json.dumps([str(corpus)]),
        ISOGUIDE_AUTH__ROLES_CLAIM="groups",
        ISOGUIDE_AUTH__CLAIM_ROLES=json.dumps({"iso-admins": "maintainer"}),
    )
    with streamlit_app(
        port, env, tmp_path / "streamlit.log", ["--secrets.files", str(secrets)]
    ) as url:
        yield url


def _sign_in(page, app_url: str, who: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(app_url)
    page.get_by_role("button", name="Sign in").click(timeout=60_000)
    # The provider's own page: pick the one-click user.
    page.get_by_role("button", name=who, exact=True).click(timeout=30_000)
    page.wait_for_url(f"{app_url}/**", timeout=30_000)
    page.get_by_test_id("stChatInputTextArea").wait_for(state="visible", timeout=READY_TIMEOUT)


def _modes(page) -> list[str]:  # type: ignore[no-untyped-def]
    radio = page.get_by_test_id("stSidebar").get_by_role("radiogroup")
    return [
        t.strip()
        for t in radio.get_by_role("radio").evaluate_all(
            "els => els.map(e => e.closest('label').innerText.split('\\n')[0])"
        )
    ]


def test_sign_in_roles_and_sign_out_in_the_browser(app_url: str, tmp_path: Path) -> None:
    with sync_api.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 1200})
            page.goto(app_url)
            page.get_by_role("button", name="Sign in").wait_for(timeout=60_000)
            assert page.get_by_test_id("stChatInputTextArea").count() == 0

            _sign_in(page, app_url, STAFF)
            sidebar = page.get_by_test_id("stSidebar")
            sidebar.get_by_text("Sam Staff").wait_for(timeout=30_000)
            staff_modes = _modes(page)
            assert page.get_by_test_id("stFileUploader").count() == 0
            for i, question in enumerate(QUESTIONS):
                box = page.get_by_test_id("stChatInputTextArea")
                box.fill(question)
                box.press("Enter")
                page.wait_for_function(  # this answer is complete (and so saved)
                    f"""() => {{
                      const msgs = [...document.querySelectorAll('[data-testid="stChatMessage"]')]
                        .filter(m => m.querySelector(
                          '[data-testid="stChatMessageAvatarAssistant"]'));
                      return msgs.length === {i + 1}
                        && {json.dumps(list(FINISHED))}.some(t => msgs[{i}].innerText.includes(t));
                    }}""",
                    timeout=120_000,
                    polling=100,
                )
            page.wait_for_timeout(500)

            sidebar.get_by_role("button", name="Sign out").click()
            # The provider offers to end its own session too (end_session_endpoint).
            page.get_by_role("button", name="End session").click(timeout=30_000)
            page.get_by_role("button", name="Sign in").wait_for(timeout=60_000)
            assert page.get_by_test_id("stChatInputTextArea").count() == 0

            _sign_in(page, app_url, LEAD)
            sidebar.get_by_text("Lea Lead").wait_for(timeout=30_000)
            lead_modes = _modes(page)
            page.get_by_test_id("stFileUploader").wait_for(timeout=30_000)
            assert sidebar.get_by_role("button", name=QUESTIONS[0]).count() == 0, (
                "Sam's conversation is not in Lea's history"
            )

            sidebar.get_by_text("Analytics").first.click()
            # the heading in the main area (the sidebar's page description starts alike)
            main = page.get_by_test_id("stMainBlockContainer")
            main.get_by_text("What staff ask", exact=True).wait_for(timeout=60_000)
            page.get_by_text("Questions per week").wait_for(timeout=60_000)
            page.wait_for_timeout(1500)  # charts draw
            metrics = (
                page.get_by_test_id("stMain").get_by_test_id("stMetricValue").all_inner_texts()
            )
            shot = tmp_path / "isoguide-analytics.png"
            page.screenshot(path=str(shot), full_page=True)
            shutil.copyfile(shot, ANALYTICS_SCREENSHOT)
        finally:
            browser.close()
    assert staff_modes == ["Ask"], staff_modes
    assert lead_modes == ["Ask", "Quiz", "Draft", "Audit checklist", "Analytics"], lead_modes
    assert metrics[0] == str(len(QUESTIONS)), metrics  # questions asked
    print(f"analytics screenshot: {shot} (copied to {ANALYTICS_SCREENSHOT})")
