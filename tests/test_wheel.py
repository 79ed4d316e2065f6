"""The wheel is the whole product: one top-level package with its prompts and app, usable
from outside the checkout (installed non-editable into a fresh virtual environment)."""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import sysconfig
import time
import urllib.request
import zipfile
from pathlib import Path

import pytest

from isoguide.settings import REPO_ROOT

from .conftest import FIXTURE_CORPUS


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    build = tmp_path_factory.mktemp("build-src")
    # Build from a copy so the checkout's build/ and egg-info folders stay untouched.
    src = build / "src"
    shutil.copytree(
        REPO_ROOT,
        src,
        ignore=shutil.ignore_patterns(
            ".venv", ".git", ".isoguide", "*.egg-info", "build", "__pycache__", ".*_cache"
        ),
    )
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "-q",
            "-w",
            str(out),
            str(src),
        ],
        check=True,
    )
    (path,) = out.glob("isoguide-*.whl")
    return path


def test_the_wheel_holds_one_package_with_its_prompts_and_app(wheel: Path) -> None:
    names = zipfile.ZipFile(wheel).namelist()
    top = {n.split("/")[0] for n in names if not n.split("/")[0].endswith(".dist-info")}
    assert top == {"isoguide"}, top
    assert "isoguide/prompts/answer.md" in names and "isoguide/prompts/condense.md" in names
    assert "isoguide/ui/app.py" in names
    assert "isoguide/eval/data/dev.jsonl" in names


@pytest.fixture(scope="module")
def installed(wheel: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh venv with the wheel installed (not editable). Its dependencies come from the
    test venv's site-packages through a plain .pth path line (no hooks run from there, so
    the editable checkout is not importable)."""
    env_dir = tmp_path_factory.mktemp("fresh") / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(env_dir)], check=True)
    site = (
        env_dir
        / "lib"
        / f"python{sys.version_info.major}.{sys.version_info.minor}"
        / "site-packages"
    )
    (site / "deps.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "-q",
            "--no-deps",
            "--no-index",
            "--target",
            str(site),
            str(wheel),
        ],
        check=True,
    )
    return env_dir


def _env(tmp: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("ISOGUIDE_")}
    env.update(
        ISOGUIDE_DATA_DIR=str(tmp / "data"),
        ISOGUIDE_RETRIEVAL__ABSTAIN_MODEL="similarity",
        ISOGUIDE_CORPUS_DIRS=json.dumps([str(tmp / "corpus")]),
        HF_HUB_OFFLINE="1",
        PYTHONPATH="",
    )
    return env


@pytest.mark.parametrize("provider", [None, "fake"])
def test_installed_wheel_answers_from_outside_the_checkout(
    installed: Path, tmp_path: Path, provider: str | None
) -> None:
    shutil.copytree(FIXTURE_CORPUS, tmp_path / "corpus")
    python = installed / "bin" / "python"
    where = subprocess.run(
        [str(python), "-c", "import isoguide; print(isoguide.__file__)"],
        cwd=tmp_path,
        env=_env(tmp_path),
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert str(installed) in where and str(REPO_ROOT) not in where, where
    cmd = [str(python), "-m", "isoguide.cli", "ask", "What does PDCA stand for?", "--json"]
    if provider:
        cmd += ["--provider", provider]
    done = subprocess.run(
        cmd, cwd=tmp_path, env=_env(tmp_path), capture_output=True, text=True, timeout=600
    )
    assert done.returncode == 0, done.stderr[-2000:]
    answer = json.loads(done.stdout)
    assert not answer["abstained"] and answer["citations"], answer
    assert answer["provider"] == (provider or "extractive")
    assert answer["notice"] is None, answer["notice"]  # the fake model found its prompt files


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_installed_wheel_serves_the_page_from_any_directory(
    installed: Path, tmp_path: Path
) -> None:
    shutil.copytree(FIXTURE_CORPUS, tmp_path / "corpus")
    port = _free_port()
    proc = subprocess.Popen(
        [
            str(installed / "bin" / "python"),
            "-m",
            "isoguide.cli",
            "serve",
            "--port",
            str(port),
            "--address",
            "127.0.0.1",
        ],
        cwd=tmp_path,
        env=_env(tmp_path),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(
                    f"http://127.0.0.1:{port}/_stcore/health", timeout=2
                ) as r:
                    assert r.read().decode() == "ok"
                    break
            except OSError:
                if proc.poll() is not None:
                    break
                time.sleep(0.5)
        else:
            pytest.fail("the server did not answer its health check in 90 s")
        assert proc.poll() is None, proc.stdout.read().decode()[-2000:] if proc.stdout else ""
    finally:
        proc.terminate()
        proc.wait(timeout=20)
    # and stopping it stops the server (a server started as a child outlived it on its port)
    time.sleep(1)
    with pytest.raises(OSError):
        urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=2)
