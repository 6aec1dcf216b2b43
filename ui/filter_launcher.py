"""How the app runs the filter and the CLI: commands, environment, log and pid files.

The filter is `python -m guardian --data-dir D proxy --listen HOST:PORT`, the
same command a parent would type, started in its own session so that it keeps
filtering when the app closes (the next start of the app attaches to it). Its
output goes to `filter.log` in the data folder; the app shows the last lines
when it stops. `filter.pid` lets a later run of the app stop a filter it
started earlier.
"""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import guardian
from guardian.datadir import DATABASE_URL_ENV, DataDir
from guardian.errors import GuardianError

LOG_NAME = "filter.log"
PID_NAME = "filter.pid"
MAX_LOG_BYTES = 5 * 1024 * 1024
TAIL_LINES = 12
# Windows: its own process group (so Ctrl+C in the app's console does not reach it), no console.
DETACHED_FLAGS = (getattr(subprocess, "CREATE_NEW_PROCESS_GROUP", 0)
                  | getattr(subprocess, "CREATE_NO_WINDOW", 0)) if os.name == "nt" else 0


def _source_root() -> str:
    """The folder holding the `guardian` package this app runs from."""
    return str(Path(guardian.__file__).resolve().parent.parent)


@dataclass(frozen=True)
class FilterLauncher:
    data_dir: DataDir
    python: str = field(default=sys.executable)
    _ca: dict[str, Path] = field(default_factory=dict, compare=False, repr=False)
    _ca_lock: threading.Lock = field(default_factory=threading.Lock, compare=False, repr=False)

    @property
    def log_path(self) -> Path:
        return self.data_dir.root / LOG_NAME

    @property
    def pid_path(self) -> Path:
        return self.data_dir.root / PID_NAME

    def guardian_command(self, *args: str) -> list[str]:
        return [self.python, "-m", "guardian", "--data-dir", str(self.data_dir.root), *args]

    def command(self, host: str, port: int) -> list[str]:
        return self.guardian_command("proxy", "--listen", f"{host}:{port}")

    def environment(self) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if k.lower() not in (
            "http_proxy", "https_proxy", "all_proxy", "no_proxy")}
        env["PYTHONPATH"] = os.pathsep.join(
            p for p in (_source_root(), env.get("PYTHONPATH", "")) if p)
        env["PYTHONUNBUFFERED"] = "1"  # the last lines must be in the log when it dies
        # A database URL may hold a password: pass it in the environment, not argv.
        env[DATABASE_URL_ENV] = self.data_dir.database_url
        return env

    def spawn(self, command: Sequence[str]) -> tuple[subprocess.Popen[bytes], int]:
        """Start `command` detached, output appended to the log; (process, log offset)."""
        self.data_dir.ensure()
        self._rotate_log()
        with open(self.log_path, "ab") as log:
            offset = log.tell()
            process = subprocess.Popen(
                list(command), stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT,
                env=self.environment(), cwd=str(self.data_dir.root),
                start_new_session=os.name != "nt", creationflags=DETACHED_FLAGS,
            )
        self.pid_path.write_text(str(process.pid))
        return process, offset

    def log_tail(self, offset: int = 0, lines: int = TAIL_LINES) -> tuple[str, ...]:
        """The last `lines` lines the filter wrote after `offset`."""
        try:
            with open(self.log_path, "rb") as log:
                size = log.seek(0, os.SEEK_END)
                log.seek(max(offset, size - 64 * 1024) if offset <= size else 0)
                text = log.read().decode("utf-8", errors="replace")
        except OSError:
            return ()
        return tuple(line for line in text.splitlines() if line.strip())[-lines:]

    def recorded_pid(self) -> int | None:
        try:
            return int(self.pid_path.read_text().strip())
        except (OSError, ValueError):
            return None

    def forget_pid(self, pid: int) -> None:
        if self.recorded_pid() == pid:
            self.pid_path.unlink(missing_ok=True)

    def ca_path(self, timeout: float = 60) -> Path:
        """The CA certificate, from `guardian ca path` (which creates it if missing).

        Asked once per run of the app: the answer only changes with the data folder.
        """
        with self._ca_lock:  # one `guardian ca path` at a time; the others reuse its answer
            known = self._ca.get("path")
            if known is not None and known.exists():
                return known
            result = subprocess.run(
                self.guardian_command("ca", "path"), env=self.environment(),
                capture_output=True, text=True, timeout=timeout, stdin=subprocess.DEVNULL,
            )
            if result.returncode != 0:
                lines = (result.stderr or result.stdout).strip().splitlines()
                raise GuardianError(lines[-1] if lines else "guardian ca path failed")
            path = Path(result.stdout.strip().splitlines()[-1])
            self._ca["path"] = path
            return path

    def _rotate_log(self) -> None:
        try:
            if self.log_path.stat().st_size > MAX_LOG_BYTES:
                self.log_path.replace(self.log_path.with_suffix(".log.1"))
        except OSError:
            pass


def process_alive(pid: int) -> bool:
    if pid <= 0:
        return False
    if os.name == "nt":
        return True  # no cheap check; the health probe decides
    try:
        if os.waitpid(pid, os.WNOHANG)[0] == pid:
            return False  # our own child (started by an earlier supervisor), now reaped
    except ChildProcessError:
        pass  # not our child: ask the system
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def looks_like_filter(pid: int) -> bool:
    """Whether `pid` is a `guardian ... proxy` process (so stopping it is safe)."""
    cmdline = Path(f"/proc/{pid}/cmdline")
    if not cmdline.exists():
        return os.name != "posix" or sys.platform == "darwin"
    try:
        words = cmdline.read_bytes().split(b"\0")
    except OSError:
        return False
    return b"guardian" in words and b"proxy" in words
