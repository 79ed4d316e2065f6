"""The real page in a real browser: Debian's chromium driven by Playwright against
``streamlit run app.py`` on a loopback port, over a fresh data dir and the fixture corpus.

Enable with: apt-get install chromium (the test uses /usr/bin/chromium; it never downloads a
browser). Run alone with: .venv/bin/python -m pytest -q -m browser tests/browser
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from isoguide.settings import REPO_ROOT

pytestmark = pytest.mark.browser
sync_api = pytest.importorskip(
    "playwright.sync_api", reason="needs playwright: pip install -e '.[dev]'"
)

CHROMIUM = Path("/usr/bin/chromium")
FIXTURE_CORPUS = Path(__file__).resolve().parent.parent / "fixtures" / "corpus"
SCREENSHOT_COPY = Path("/tmp/isoguide-screenshot.png")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--no-proxy-server",
]
START_TIMEOUT = 90  # server up
READY_TIMEOUT = 240_000  # ms: first page load builds the index and loads the model
ANSWER_TIMEOUT = 120_000  # ms
QUESTION = "What does PDCA stand for?"
SOURCE_TITLE = "The Plan-Do-Check-Act cycle"

# The newest assistant message, and whether it is finished (has its sources panel).
_LAST_ANSWER_JS = """() => {
  const msgs = [...document.querySelectorAll('[data-testid="stChatMessage"]')]
    .filter(m => m.querySelector('[data-testid="stChatMessageAvatarAssistant"]'));
  const last = msgs[msgs.length - 1];
  if (!last) return null;
  const content = last.querySelector('[data-testid="stChatMessageContent"]') || last;
  return content.innerText;
}"""


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _wait_healthy(url: str, proc: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            pytest.fail(
                f"streamlit exited with {proc.returncode}:\n{log.read_text(errors='replace')}"
            )
        try:
            with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310 (loopback)
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    pytest.fail(f"{url} did not answer within {START_TIMEOUT}s:\n{log.read_text(errors='replace')}")


@pytest.fixture
def server(tmp_path: Path) -> Iterator[str]:
    if not CHROMIUM.exists():
        pytest.skip("needs Debian's chromium at /usr/bin/chromium: apt-get install chromium")
    corpus = tmp_path / "corpus"
    shutil.copytree(FIXTURE_CORPUS, corpus)
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("ISOGUIDE_")}
    env.update(
        ISOGUIDE_DATA_DIR=str(tmp_path / "data"),
        ISOGUIDE_RETRIEVAL__ABSTAIN_MODEL="similarity",
        ISOGUIDE_CORPUS_DIRS=json.dumps([str(corpus)]),
        HF_HUB_OFFLINE="1",
        TRANSFORMERS_OFFLINE="1",
        ANONYMIZED_TELEMETRY="False",
        NO_PROXY="127.0.0.1,localhost",
        no_proxy="127.0.0.1,localhost",
    )
    log = tmp_path / "streamlit.log"
    with log.open("wb") as out:
        proc = subprocess.Popen(  # noqa: S603 (our own app, loopback only)
            [
                sys.executable,
                "-m",
                "streamlit",
                "run",
                str(REPO_ROOT / "app.py"),
                "--server.headless",
                "true",
                "--server.port",
                str(port),
                "--server.address",
                "127.0.0.1",
                "--browser.gatherUsageStats",
                "false",
                "--server.fileWatcherType",
                "none",
            ],
            cwd=REPO_ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
        try:
            base = f"http://127.0.0.1:{port}"
            _wait_healthy(f"{base}/_stcore/health", proc, log)
            yield base
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(timeout=15)


def test_ask_in_the_browser_shows_a_cited_answer(server: str, tmp_path: Path) -> None:
    with sync_api.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 1500})
            page.goto(server)
            box = page.get_by_test_id("stChatInputTextArea")
            box.wait_for(state="visible", timeout=READY_TIMEOUT)
            page.get_by_text("New here? Try one of these questions:").wait_for(
                timeout=READY_TIMEOUT
            )
            assert page.get_by_role("button", name="What is the PDCA cycle?").is_visible()

            box.fill(QUESTION)
            started = time.perf_counter()
            box.press("Enter")
            page.wait_for_function(
                f"() => {{ const t = ({_LAST_ANSWER_JS})(); return t && t.trim().length > 0; }}",
                timeout=ANSWER_TIMEOUT,
                polling=50,
            )
            first_text = time.perf_counter() - started
            page.wait_for_function(
                f"""() => {{ const t = ({_LAST_ANSWER_JS})();
                    return t && t.includes('Sources') && t.includes('[1]')
                        && t.includes({json.dumps(SOURCE_TITLE)}); }}""",
                timeout=ANSWER_TIMEOUT,
                polling=50,
            )
            complete = time.perf_counter() - started
            answer_text = page.evaluate(_LAST_ANSWER_JS)

            page.get_by_text("Full passage [1]").first.click()
            page.wait_for_timeout(300)
            shot = tmp_path / "isoguide-page.png"
            page.screenshot(path=str(shot), full_page=True)
            shutil.copyfile(shot, SCREENSHOT_COPY)
        finally:
            browser.close()

    print(
        f"\nbrowser timings: first answer text {first_text:.2f}s, "
        f"full answer with sources {complete:.2f}s after submitting the question"
    )
    print(f"screenshot: {shot} (copied to {SCREENSHOT_COPY})")
    assert "[1]" in answer_text and SOURCE_TITLE in answer_text
    assert "Traceback" not in answer_text
    assert shot.stat().st_size > 10_000
