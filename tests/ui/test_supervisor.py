"""The filter supervisor: start, notice a death and restart with the reason, attach, stop.

Most tests run a tiny stand-in for the filter (a Python one-liner that listens
on the port); one starts and stops the real `guardian proxy`.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import sys
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from guardian.datadir import DataDir
from tests.proxy_harness import free_port
from tests.ui.conftest import idle
from ui.filter_health import check_certificate, is_listening, probe_filter
from ui.filter_launcher import FilterLauncher
from ui.supervisor import FilterStatus, FilterSupervisor
from ui.tasks import Tasks

# Listens on argv[1], says so, and dies by itself after argv[2] seconds (0: never).
FAKE_FILTER = r"""
import socket, sys, time
port, life = int(sys.argv[1]), float(sys.argv[2])
server = socket.socket()
server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
server.bind(("127.0.0.1", port))
server.listen()
server.settimeout(0.05)
print("fake filter listening on", port, flush=True)
started = time.monotonic()
while not life or time.monotonic() - started < life:
    try:
        server.accept()[0].close()
    except OSError:
        pass
print("fatal: cannot load the household policy", flush=True)
sys.exit(3)
"""
QUICK = {"poll_ms": 50, "health_ms": 200, "restart_delays": (0.2, 0.4), "start_timeout": 20.0,
         "stop_timeout": 5.0}


def fake_command(life: float = 0.0):  # type: ignore[no-untyped-def]
    return lambda host, port: [sys.executable, "-c", FAKE_FILTER, str(port), str(life)]


@pytest.fixture
def supervisor_for(qtbot, tasks: Tasks, data_dir: DataDir) -> Iterator:  # type: ignore[type-arg]
    made: list[FilterSupervisor] = []

    def make(port: int, **options: object) -> FilterSupervisor:
        supervisor = FilterSupervisor(tasks, FilterLauncher(data_dir), "127.0.0.1", port,
                                      **{**QUICK, **options})  # type: ignore[arg-type]
        made.append(supervisor)
        return supervisor

    yield make
    for supervisor in made:
        supervisor.shutdown(stop_filter=True)
    idle(qtbot, tasks)


def wait_status(qtbot, supervisor: FilterSupervisor, status: FilterStatus,
                timeout: int = 20_000) -> None:
    qtbot.waitUntil(lambda: supervisor.state.status == status, timeout=timeout)


def test_a_filter_that_dies_is_restarted_and_its_last_lines_are_kept(qtbot, supervisor_for):
    port = free_port()
    supervisor = supervisor_for(port, command=fake_command())
    supervisor.start()
    wait_status(qtbot, supervisor, FilterStatus.RUNNING)
    first = supervisor.pid
    assert first is not None and is_listening("127.0.0.1", port)
    with qtbot.waitSignal(supervisor.filter_exited, timeout=10_000) as exited:
        os.kill(first, signal.SIGKILL)
    exit_ = exited.args[0]
    assert exit_.code == -signal.SIGKILL
    assert any("fake filter listening" in line for line in exit_.output)
    assert supervisor.state.status == FilterStatus.RESTARTING
    wait_status(qtbot, supervisor, FilterStatus.RUNNING)
    assert supervisor.pid not in (None, first)
    assert supervisor.state.restarts == 1 and supervisor.state.last_exit == exit_
    supervisor.stop()
    wait_status(qtbot, supervisor, FilterStatus.STOPPED)
    assert supervisor.pid is None and not is_listening("127.0.0.1", port)


def test_the_reason_a_filter_gave_up_is_shown(qtbot, supervisor_for):
    supervisor = supervisor_for(free_port(), command=fake_command(life=0.5))
    supervisor.start()
    with qtbot.waitSignal(supervisor.filter_exited, timeout=10_000) as exited:
        pass
    assert exited.args[0].code == 3
    assert exited.args[0].output[-1] == "fatal: cannot load the household policy"
    with qtbot.waitSignal(supervisor.filter_exited, timeout=10_000):
        pass  # it keeps trying, with a growing delay
    assert supervisor.state.restarts == 2
    supervisor.stop()
    wait_status(qtbot, supervisor, FilterStatus.STOPPED)


class _GuardianHealth(BaseHTTPRequestHandler):
    """Answers like a running Guardian filter asked for its health page."""

    def do_GET(self) -> None:  # noqa: N802
        if self.path != "http://guardian.home.arpa/health":
            self.send_error(404)
            return
        body = json.dumps({"guardian": "0.1.0", "ok": False, "policy_version": None,
                           "error": "database is locked"}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def running_guardian() -> Iterator[int]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _GuardianHealth)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server.server_address[1]
    server.shutdown()
    server.server_close()


def test_a_filter_already_running_is_attached_to_not_started_again(
        qtbot, supervisor_for, running_guardian: int) -> None:
    probe = probe_filter("127.0.0.1", running_guardian)
    assert probe.is_guardian and probe.health is not None
    assert (probe.health.ok, probe.health.error) == (False, "database is locked")
    supervisor = supervisor_for(running_guardian, command=fake_command())
    supervisor.start()
    wait_status(qtbot, supervisor, FilterStatus.ATTACHED)
    assert supervisor.pid is None
    assert supervisor.state.health == probe.health
    supervisor.stop()
    assert supervisor.state.started_elsewhere, "not ours to stop: say where to stop it"
    assert supervisor.state.status == FilterStatus.ATTACHED


def test_another_program_on_the_address_is_not_fought(qtbot, supervisor_for) -> None:
    with socket.socket() as other:
        other.bind(("127.0.0.1", 0))
        other.listen()
        port = other.getsockname()[1]
        accepting = threading.Thread(target=lambda: [other.accept()[0].close()
                                                     for _ in range(3)], daemon=True)
        accepting.start()
        supervisor = supervisor_for(port, command=fake_command())
        supervisor.start()
        wait_status(qtbot, supervisor, FilterStatus.ADDRESS_TAKEN)
        assert supervisor.pid is None


@pytest.mark.e2e
def test_the_real_filter_starts_serves_its_certificate_and_stops(
        qtbot, tasks: Tasks, data_dir: DataDir, supervisor_for) -> None:
    port = free_port()
    launcher = FilterLauncher(data_dir)
    supervisor = supervisor_for(port, health_ms=1000)
    supervisor.start()
    wait_status(qtbot, supervisor, FilterStatus.RUNNING, timeout=60_000)
    assert launcher.recorded_pid() == supervisor.pid
    check = check_certificate("127.0.0.1", port, launcher.ca_path())
    assert check.signed_by_ca, check.error

    # The app closes and opens again: the new supervisor attaches to the running filter.
    pid = supervisor.pid
    supervisor.shutdown(stop_filter=False)
    again = supervisor_for(port)
    again.start()
    wait_status(qtbot, again, FilterStatus.ATTACHED)
    assert again.pid is None and launcher.recorded_pid() == pid
    again.stop()
    wait_status(qtbot, again, FilterStatus.STOPPED, timeout=30_000)
    qtbot.waitUntil(lambda: not is_listening("127.0.0.1", port), timeout=10_000)
    assert launcher.recorded_pid() is None


def test_moving_the_filter_to_another_address_restarts_it_there(qtbot, supervisor_for) -> None:
    first, second = free_port(), free_port()
    supervisor = supervisor_for(first, command=fake_command())
    supervisor.start()
    wait_status(qtbot, supervisor, FilterStatus.RUNNING)
    old_pid = supervisor.pid
    supervisor.set_address("127.0.0.1", second)
    qtbot.waitUntil(lambda: supervisor.state.status == FilterStatus.RUNNING
                    and supervisor.state.port == second, timeout=20_000)
    assert supervisor.pid != old_pid
    assert is_listening("127.0.0.1", second) and not is_listening("127.0.0.1", first)
