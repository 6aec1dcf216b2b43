"""Keeping the filter running: start it, watch it, restart it when it dies, stop it.

At start the supervisor asks the filter's address who is there (see
`filter_health`): Guardian → attach to it; another program → say so and do not
fight it for the port; nobody → start `guardian proxy`. A filter it started
that exits unasked is started again after a growing delay (1 s, 2 s, 5 s...,
reset once it has run for a minute), and the exit code and the last lines it
printed are kept in the state for the parent to read. An attached filter that
goes away is replaced by one of its own.

Network checks run on the task helper's workers; process polling is a cheap
`Popen.poll()` on a timer, so nothing here blocks the UI thread.
"""

from __future__ import annotations

import os
import signal
import subprocess
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from enum import StrEnum

from PySide6.QtCore import QObject, QTimer, Signal

from ui.filter_health import Health, Probe, probe_filter
from ui.filter_launcher import FilterLauncher, looks_like_filter, process_alive
from ui.tasks import Tasks

RESTART_DELAYS = (1.0, 2.0, 5.0, 10.0, 30.0)


class FilterStatus(StrEnum):
    STOPPED = "stopped"
    STARTING = "starting"
    RUNNING = "running"  # started by this app
    ATTACHED = "attached"  # was already running
    RESTARTING = "restarting"
    STOPPING = "stopping"
    ADDRESS_TAKEN = "address_taken"  # another program listens on the filter's address


@dataclass(frozen=True, slots=True)
class FilterExit:
    code: int | None  # None: not known (a filter the app did not start)
    output: tuple[str, ...]  # its last lines
    at: datetime


@dataclass(frozen=True, slots=True)
class FilterState:
    status: FilterStatus
    host: str
    port: int
    health: Health | None = None
    last_exit: FilterExit | None = None
    restarts: int = 0
    started_elsewhere: bool = False  # attached, and not stoppable from here

    @property
    def address(self) -> str:
        return f"{self.host}:{self.port}"

    @property
    def is_up(self) -> bool:
        return self.status in (FilterStatus.RUNNING, FilterStatus.ATTACHED)


class FilterSupervisor(QObject):
    state_changed = Signal(object)  # FilterState
    filter_exited = Signal(object)  # FilterExit, when the filter stopped unasked

    def __init__(
        self,
        tasks: Tasks,
        launcher: FilterLauncher,
        host: str,
        port: int,
        *,
        probe: Callable[[str, int], Probe] = probe_filter,
        command: Callable[[str, int], Sequence[str]] | None = None,
        poll_ms: int = 300,
        health_ms: int = 5000,
        start_timeout: float = 30.0,
        stop_timeout: float = 10.0,
        restart_delays: Sequence[float] = RESTART_DELAYS,
        stable_after: float = 60.0,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._tasks, self._launcher, self._probe = tasks, launcher, probe
        self._command = command or launcher.command
        self._start_timeout, self._stop_timeout = start_timeout, stop_timeout
        self._restart_delays, self._stable_after = tuple(restart_delays), stable_after
        self._state = FilterState(FilterStatus.STOPPED, host, port)
        self._process: subprocess.Popen[bytes] | None = None
        self._log_offset = 0
        self._started_at = 0.0
        self._stop_deadline = 0.0
        self._attached_pid: int | None = None
        self._want_running = False
        self._start_when_stopped = False
        self._failures = 0
        self._generation = 0
        self._probing = False
        self._poll = QTimer(self)
        self._poll.setInterval(poll_ms)
        self._poll.timeout.connect(self._tick)
        self._health = QTimer(self)
        self._health.setInterval(health_ms)
        self._health.timeout.connect(self._check_health)
        self._restart = QTimer(self)
        self._restart.setSingleShot(True)
        self._restart.timeout.connect(self._spawn)

    @property
    def state(self) -> FilterState:
        return self._state

    @property
    def pid(self) -> int | None:
        return self._process.pid if self._process is not None else None

    def start(self) -> None:
        self._want_running = True
        if self._state.status not in (FilterStatus.STOPPED, FilterStatus.ADDRESS_TAKEN):
            return
        self._set(status=FilterStatus.STARTING, health=None, started_elsewhere=False)
        self._run_probe(self._on_first_probe)

    def stop(self) -> None:
        self._want_running = False
        self._restart.stop()
        if self._process is not None:
            self._set(status=FilterStatus.STOPPING)
            self._stop_deadline = time.monotonic() + self._stop_timeout
            self._process.terminate()
            self._poll.start()
        elif self._state.status == FilterStatus.ATTACHED:
            pid = self._launcher.recorded_pid()
            if pid is None or not process_alive(pid) or not looks_like_filter(pid):
                self._set(started_elsewhere=True)
                return
            self._attached_pid = pid
            self._stop_deadline = time.monotonic() + self._stop_timeout
            os.kill(pid, signal.SIGTERM)
            self._set(status=FilterStatus.STOPPING)
            self._poll.start()
        else:
            self._health.stop()
            self._poll.stop()
            self._set(status=FilterStatus.STOPPED, health=None)

    def set_address(self, host: str, port: int) -> None:
        """Move the filter to a new address: restart it there if it is running."""
        if (host, port) == (self._state.host, self._state.port):
            return
        running = self._want_running
        if self._state.status not in (FilterStatus.STOPPED, FilterStatus.ADDRESS_TAKEN):
            self._start_when_stopped = running
            self.stop()
            if self._state.status == FilterStatus.ATTACHED:  # not ours to stop: leave it be
                self._start_when_stopped = False
                self._stopped()
        self._set(host=host, port=port)
        if running and self._state.status in (FilterStatus.STOPPED, FilterStatus.ADDRESS_TAKEN):
            self._start_when_stopped = False
            self._set(status=FilterStatus.STOPPED)
            self.start()

    def shutdown(self, *, stop_filter: bool = False) -> None:
        """At exit: the filter keeps running unless `stop_filter` (then wait for it)."""
        self._want_running = False
        for timer in (self._poll, self._health, self._restart):
            timer.stop()
        process, self._process = self._process, None
        if process is None or not stop_filter:
            return
        process.terminate()
        try:
            process.wait(self._stop_timeout)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        self._launcher.forget_pid(process.pid)

    # What happens next, step by step.

    def _on_first_probe(self, probe: Probe) -> None:
        if not self._want_running:
            self._set(status=FilterStatus.STOPPED)
            return
        if probe.is_guardian:
            self._attach(probe.health)
        elif probe.listening:
            pid = self._launcher.recorded_pid()
            if pid is not None and process_alive(pid) and looks_like_filter(pid):
                self._attach(None)  # ours from an earlier run, without a health page
            else:
                self._set(status=FilterStatus.ADDRESS_TAKEN)
        else:
            self._spawn()

    def _attach(self, health: Health | None) -> None:
        self._set(status=FilterStatus.ATTACHED, health=health)
        self._health.start()

    def _spawn(self) -> None:
        if not self._want_running:
            return
        self._generation += 1
        try:
            self._process, self._log_offset = self._launcher.spawn(
                self._command(self._state.host, self._state.port))
        except OSError as exc:
            self._process = None
            self._crashed(FilterExit(None, (str(exc),), datetime.now(UTC)), ran=0.0)
            return
        self._started_at = time.monotonic()
        self._set(status=FilterStatus.STARTING, health=None)
        self._poll.start()
        self._health.start()

    def _tick(self) -> None:
        if self._state.status == FilterStatus.STOPPING and self._attached_pid is not None:
            if not process_alive(self._attached_pid) or time.monotonic() > self._stop_deadline:
                self._launcher.forget_pid(self._attached_pid)
                self._attached_pid = None
                self._stopped()
            return
        process = self._process
        if process is None:
            self._poll.stop()
            return
        code = process.poll()
        if code is not None:
            self._exited(process, code)
        elif self._state.status == FilterStatus.STOPPING:
            if time.monotonic() > self._stop_deadline:
                process.kill()
        elif self._state.status == FilterStatus.STARTING:
            if time.monotonic() - self._started_at > self._start_timeout:
                process.kill()  # its exit is then handled as a failed start
            else:
                self._run_probe(self._on_start_probe)

    def _on_start_probe(self, probe: Probe) -> None:
        if self._state.status == FilterStatus.STARTING and probe.listening:
            self._set(status=FilterStatus.RUNNING, health=probe.health)

    def _exited(self, process: subprocess.Popen[bytes], code: int) -> None:
        self._process = None
        self._generation += 1
        self._launcher.forget_pid(process.pid)
        if self._state.status == FilterStatus.STOPPING or not self._want_running:
            self._stopped()
            return
        output = self._launcher.log_tail(self._log_offset)
        self._crashed(FilterExit(code, output, datetime.now(UTC)),
                      ran=time.monotonic() - self._started_at)

    def _crashed(self, exit_: FilterExit, ran: float) -> None:
        self._failures = 1 if ran > self._stable_after else self._failures + 1
        delay = self._restart_delays[min(self._failures, len(self._restart_delays)) - 1]
        self._poll.stop()
        self._set(status=FilterStatus.RESTARTING, health=None, last_exit=exit_,
                  restarts=self._state.restarts + 1)
        self.filter_exited.emit(exit_)
        self._restart.start(int(delay * 1000))

    def _stopped(self) -> None:
        self._poll.stop()
        self._health.stop()
        self._set(status=FilterStatus.STOPPED, health=None, started_elsewhere=False)
        if self._start_when_stopped:
            self._start_when_stopped = False
            self.start()

    def _check_health(self) -> None:
        if self._state.is_up:
            self._run_probe(self._on_health)

    def _on_health(self, probe: Probe) -> None:
        if self._state.status == FilterStatus.ATTACHED and not probe.listening:
            self._health.stop()
            gone = FilterExit(None, (), datetime.now(UTC))
            self._want_running = True
            self._crashed(gone, ran=self._stable_after + 1)
        elif self._state.is_up and probe.listening and probe.health != self._state.health:
            self._set(health=probe.health)

    def _run_probe(self, then: Callable[[Probe], None]) -> None:
        if self._probing:
            return
        self._probing = True
        generation = self._generation
        host, port = self._state.host, self._state.port

        def done(probe: Probe) -> None:
            self._probing = False
            if generation == self._generation:
                then(probe)

        def failed(_exc: BaseException) -> None:
            self._probing = False

        self._tasks.run(lambda: self._probe(host, port), done, failed, owner=self)

    def _set(self, **changes: object) -> None:
        state = replace(self._state, **changes)  # type: ignore[arg-type]
        if state != self._state:
            self._state = state
            self.state_changed.emit(state)
