"""The one-folder build: it runs on a machine without Python.

Builds `packaging/guardian.spec` once per test session (a few minutes), then runs the
frozen `guardian` with an environment that has no Python on PATH, a fresh HOME and
data folder: version, a child profile, the filter answering a block page on loopback,
a phone's WireGuard port, and the parent app starting on Qt's offscreen platform.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.proxy_harness import fetch, free_port, wait_for_port
from tests.test_devices import udp_port_taken, wait_for

pytestmark = pytest.mark.slow
REPO = Path(__file__).resolve().parent.parent
MIGRATIONS = REPO / "guardian" / "storage" / "migrations" / "versions"


@pytest.fixture(scope="session")
def frozen(tmp_path_factory: pytest.TempPathFactory) -> Path:
    pytest.importorskip("PyInstaller", reason="PyInstaller not installed: "
                                              "pip install -e '.[package]'")
    if sys.platform.startswith("linux") and not shutil.which("objdump"):
        pytest.skip("PyInstaller needs objdump (Debian's binutils)")
    out = tmp_path_factory.mktemp("frozen")
    result = subprocess.run(
        [sys.executable, str(REPO / "packaging" / "build.py"), "--dist", str(out / "dist"),
         "--work", str(out / "work")],
        cwd=REPO, capture_output=True, text=True, timeout=1800,
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-5000:]
    program = out / "dist" / "guardian" / "guardian"
    assert program.is_file(), result.stdout
    print(result.stdout.strip().splitlines()[-1])  # time and size, shown with -s
    return program


@pytest.fixture
def bare_env(tmp_path: Path) -> dict[str, str]:
    """No Python on PATH, no venv, no PYTHONPATH: only what a fresh account has."""
    home = tmp_path / "home"
    home.mkdir()
    env = {"HOME": str(home), "PATH": str(tmp_path / "empty-bin"), "LANG": "C.UTF-8"}
    assert shutil.which("python3", path=env["PATH"]) is None
    return env


def run(program: Path, env: dict[str, str], *args: str) -> str:
    result = subprocess.run([str(program), *args], env=env, capture_output=True, text=True,
                            timeout=120, cwd=env["HOME"])
    assert result.returncode == 0, f"guardian {' '.join(args)}: {result.stderr}"
    return result.stdout


@pytest.fixture
def started() -> Iterator[list[subprocess.Popen[bytes]]]:
    processes: list[subprocess.Popen[bytes]] = []
    yield processes
    for process in processes:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def test_frozen_version_and_the_python_entry_accepted(frozen: Path, bare_env) -> None:
    assert run(frozen, bare_env, "--version").strip() == "guardian 0.1.0"
    # The parent app starts the filter as `<python> -m guardian ...`; frozen, that is us.
    assert run(frozen, bare_env, "-m", "guardian", "--version").strip() == "guardian 0.1.0"


def test_frozen_filter_serves_a_block_page(frozen: Path, bare_env, tmp_path: Path,
                                           started) -> None:
    data = tmp_path / "data"
    child_port, main_port, phone_port = free_port(), free_port(), free_port()
    out = run(frozen, bare_env, "--data-dir", str(data), "profile", "add", "An", "--age", "9",
              "--port", str(child_port), "--language", "en")
    assert out.startswith("Added An")
    run(frozen, bare_env, "--data-dir", str(data), "rule", "add", "An", "block",
        "blocked.example")
    run(frozen, bare_env, "--data-dir", str(data), "device", "add", "An", "phone",
        "--endpoint", "127.0.0.1", "--listen-host", "127.0.0.1", "--port", str(phone_port),
        "--no-qr")

    # Alembic found its migration files inside the frozen folder: the schema is at head.
    head = max(re.match(r"(\d+)_", p.name).group(1)  # type: ignore[union-attr]
               for p in MIGRATIONS.glob("0*.py"))
    with sqlite3.connect(data / "guardian.db") as db:
        assert db.execute("select version_num from alembic_version").fetchone()[0] == head

    log = (tmp_path / "proxy.log").open("wb")
    process = subprocess.Popen(
        [str(frozen), "--data-dir", str(data), "proxy", "--listen", f"127.0.0.1:{main_port}"],
        env=bare_env, stdout=log, stderr=subprocess.STDOUT, cwd=bare_env["HOME"])
    started.append(process)
    wait_for_port(child_port, timeout=60)

    reply = fetch(child_port, "http://blocked.example/page")
    assert reply.status == 403
    assert "blocked.example" in reply.text and "<!DOCTYPE html>" in reply.text
    assert wait_for(lambda: udp_port_taken(phone_port)), (tmp_path / "proxy.log").read_text()

    # Nothing of this test's Python or its packages is loaded by the frozen program.
    maps = Path(f"/proc/{process.pid}/maps")
    if maps.exists():
        loaded = maps.read_text()
        assert sys.prefix not in loaded and "site-packages" not in loaded


def test_frozen_app_starts_offscreen(frozen: Path, bare_env, tmp_path: Path, started) -> None:
    env = {**bare_env, "QT_QPA_PLATFORM": "offscreen"}
    app = subprocess.Popen(
        [str(frozen), "--data-dir", str(tmp_path / "data"), "app", "--listen",
         f"127.0.0.1:{free_port()}"],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=env["HOME"])
    started.append(app)
    time.sleep(8)  # the first-run wizard is open and waiting for the parent
    alive = app.poll() is None
    app.send_signal(signal.SIGTERM)
    _, err = app.communicate(timeout=15)
    assert alive, err.decode(errors="replace")
    assert b"Could not load the Qt platform plugin" not in err


@pytest.mark.skipif(not shutil.which("Xvfb"), reason="Xvfb not installed")
def test_frozen_app_opens_a_window_on_x11(frozen: Path, bare_env, tmp_path: Path,
                                          started) -> None:
    display = f":{os.getpid() % 400 + 100}"
    xvfb = subprocess.Popen(["Xvfb", display, "-screen", "0", "1280x800x24", "-nolisten", "tcp"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    started.append(xvfb)
    assert wait_for(lambda: Path(f"/tmp/.X11-unix/X{display[1:]}").exists(), timeout=10)
    env = {**bare_env, "QT_QPA_PLATFORM": "xcb", "DISPLAY": display}
    app = subprocess.Popen(
        [str(frozen), "--data-dir", str(tmp_path / "data"), "app", "--listen",
         f"127.0.0.1:{free_port()}"],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=env["HOME"])
    started.insert(0, app)
    time.sleep(8)
    alive = app.poll() is None
    app.send_signal(signal.SIGTERM)
    _, err = app.communicate(timeout=15)
    assert alive, err.decode(errors="replace")
