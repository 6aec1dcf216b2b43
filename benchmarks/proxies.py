"""The proxies under test, each in its own process on a loopback port.

- `guardian`: `python -m guardian proxy` on the benchmark household.
- `mitmdump`: mitmproxy's own command with no scripts (quiet, so it does not
  print every flow), the baseline of issue 7.
- squid, privoxy and e2guardian from Debian, for reference (plain HTTP only),
  each with a minimal configuration in a scratch folder.

Each is given the benchmark's CA for its upstream connections, so HTTPS is
intercepted and verified exactly as in use.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from benchmarks.machine import Memory, cpu_seconds, memory
from benchmarks.upstream import free_port, wait_for_port

REPO = Path(__file__).resolve().parent.parent


def _clean_env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if "proxy" not in k.lower()}
    env["PYTHONPATH"] = str(REPO) + os.pathsep + env.get("PYTHONPATH", "")
    return env


def mitmdump_path() -> str | None:
    beside = Path(sys.executable).with_name("mitmdump")
    return str(beside) if beside.exists() else shutil.which("mitmdump")


@dataclass
class ProxyProcess:
    name: str
    argv: list[str]
    port: int
    folder: Path
    env: dict[str, str] = field(default_factory=_clean_env)
    process: subprocess.Popen[bytes] | None = None
    started_seconds: float = 0.0  # from launch to accepting connections

    def start(self) -> ProxyProcess:
        return self.launch().wait_ready()

    def launch(self) -> ProxyProcess:
        self.folder.mkdir(parents=True, exist_ok=True)
        self._log = (self.folder / f"{self.name}.log").open("ab")
        self._began = time.perf_counter()
        self.process = subprocess.Popen(self.argv, cwd=REPO, env=self.env, stdout=self._log,
                                        stderr=subprocess.STDOUT, start_new_session=True)
        return self

    def wait_ready(self) -> ProxyProcess:
        try:
            wait_for_port(self.port, timeout=120)
        except TimeoutError:
            self.stop()
            raise RuntimeError(f"{self.name} did not start: {self.log()[-2000:]}") from None
        self.started_seconds = time.perf_counter() - self._began
        return self

    def stop(self, timeout: float = 20) -> None:
        if self.process is None:
            return
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()
        self._log.close()
        self.process = None

    def log(self) -> str:
        path = self.folder / f"{self.name}.log"
        return path.read_text(errors="replace") if path.exists() else ""

    def pids(self) -> list[int]:
        """The proxy's process and its children (squid and e2guardian fork workers)."""
        if self.process is None:
            return []
        found = [self.process.pid]
        for pid in os.listdir("/proc"):
            if pid.isdigit():
                try:
                    with open(f"/proc/{pid}/stat") as handle:
                        parent = int(handle.read().rpartition(")")[2].split()[1])
                except OSError:
                    continue
                if parent in found:
                    found.append(int(pid))
        return found

    def listening(self) -> bool:
        """Whether this process itself holds a listening socket on its port (with
        SO_REUSEPORT another process may hold one too)."""
        if self.process is None:
            return False
        inodes = set()
        for table in ("/proc/net/tcp", "/proc/net/tcp6"):
            try:
                with open(table) as handle:
                    next(handle)
                    for line in handle:
                        fields = line.split()
                        if fields[3] == "0A" and int(fields[1].rsplit(":", 1)[1], 16) == self.port:
                            inodes.add(fields[9])
            except OSError:
                continue
        fd_dir = f"/proc/{self.process.pid}/fd"
        for fd in os.listdir(fd_dir):
            try:
                target = os.readlink(f"{fd_dir}/{fd}")
            except OSError:
                continue
            if target.startswith("socket:[") and target[8:-1] in inodes:
                return True
        return False

    def wait_listening(self, timeout: float = 120) -> None:
        deadline = time.monotonic() + timeout
        while not self.listening():
            if time.monotonic() > deadline or (self.process and self.process.poll() is not None):
                raise RuntimeError(f"{self.name} did not listen: {self.log()[-2000:]}")
            time.sleep(0.05)

    def memory(self) -> Memory:
        parts = [memory(pid) for pid in self.pids()]
        return Memory(sum(p.rss for p in parts), sum(p.anon for p in parts),
                      sum(p.file for p in parts))

    def cpu(self) -> float:
        total = 0.0
        for pid in self.pids():
            with contextlib.suppress(OSError):
                total += cpu_seconds(pid)
        return total

    def __enter__(self) -> ProxyProcess:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


def guardian_proxy(data_root: Path, upstream_ca: Path, folder: Path,
                   port: int | None = None, python: list[str] | None = None) -> ProxyProcess:
    port = port or free_port()
    argv = [*(python or [sys.executable, "-m", "guardian"]), "--data-dir", str(data_root),
            "proxy", "--listen", f"127.0.0.1:{port}",
            "--set", f"ssl_verify_upstream_trusted_ca={upstream_ca}"]
    return ProxyProcess("guardian", argv, port, folder)


def mitmdump(upstream_ca: Path, folder: Path, *options: str, name: str = "mitmdump",
             port: int | None = None) -> ProxyProcess:
    port = port or free_port()
    binary = mitmdump_path()
    if binary is None:
        raise FileNotFoundError("mitmdump")
    argv = [binary, "-q", "--listen-host", "127.0.0.1", "-p", str(port),
            "--set", f"confdir={folder / 'mitmproxy-conf'}",
            "--set", f"ssl_verify_upstream_trusted_ca={upstream_ca}"]
    for option in options:
        argv += ["--set", option]
    return ProxyProcess(name, argv, port, folder)


def lean_mitmproxy(upstream_ca: Path, folder: Path) -> ProxyProcess:
    """mitmproxy embedded as Guardian embeds it, with none of Guardian's addons."""
    port = free_port()
    argv = [sys.executable, "-m", "benchmarks.lean_proxy", str(port),
            str(folder / "mitmproxy-conf"), str(upstream_ca)]
    return ProxyProcess("lean", argv, port, folder)


def squid(folder: Path) -> ProxyProcess:
    port = free_port()
    folder.mkdir(parents=True, exist_ok=True)
    conf = folder / "squid.conf"
    conf.write_text(f"""\
http_port 127.0.0.1:{port}
http_access allow all
cache deny all
cache_mem 8 MB
access_log none
cache_store_log none
cache_log {folder}/squid-cache.log
pid_filename {folder}/squid.pid
coredump_dir {folder}
cache_effective_user proxy
shutdown_lifetime 1 seconds
via off
forwarded_for delete
""")
    os.chmod(folder, 0o777)  # squid drops to the `proxy` user and writes its log here
    return ProxyProcess("squid", ["squid", "-N", "-f", str(conf)], port, folder)


def privoxy(folder: Path) -> ProxyProcess:
    port = free_port()
    folder.mkdir(parents=True, exist_ok=True)
    conf = folder / "privoxy.conf"
    conf.write_text(f"""\
listen-address 127.0.0.1:{port}
confdir /etc/privoxy
logdir {folder}
toggle 0
keep-alive-timeout 300
default-server-timeout 60
connection-sharing 1
socket-timeout 60
max-client-connections 512
""")
    return ProxyProcess("privoxy", ["privoxy", "--no-daemon", str(conf)], port, folder)


def e2guardian(folder: Path) -> ProxyProcess:
    """e2guardian 5 as its own proxy (no squid behind it), with Debian's default lists
    and phrase filtering: the filtering proxy closest to what Guardian does."""
    port = free_port()
    folder.mkdir(parents=True, exist_ok=True)
    # e2guardian drops to its own user, which must reach its log folder.
    logs = Path(tempfile.mkdtemp(prefix="guardian-bench-e2guardian-"))
    os.chmod(logs, 0o777)
    lines = []
    replaced = {"filterports": f"filterports = {port}", "filterip": "filterip = 127.0.0.1",
                "nodaemon": "nodaemon = on", "loglevel": "loglevel = 0",
                "logconnectionhandlingerrors": "logconnectionhandlingerrors = off"}
    for line in Path("/etc/e2guardian/e2guardian.conf").read_text().splitlines():
        key = line.split("=", 1)[0].strip()
        lines.append(replaced.pop(key, line) if not line.lstrip().startswith("#") else line)
    lines += list(replaced.values())
    lines += [f"pidfilename = '{logs}/e2guardian.pid'",
              f"loglocation = '{logs}/access.log'",
              "dockermode = on"]
    conf = folder / "e2guardian.conf"
    conf.write_text("\n".join(lines) + "\n")
    # The filter group's settings are read from beside the main file.
    shutil.copy("/etc/e2guardian/e2guardianf1.conf", folder / "e2guardianf1.conf")
    return ProxyProcess("e2guardian", ["e2guardian", "-N", "-c", str(conf)], port, folder)


REFERENCE_PROXIES = {"squid": squid, "privoxy": privoxy, "e2guardian": e2guardian}


class Together:
    """Start several proxies at once (they load in parallel), stop them all at the end."""

    def __init__(self, *proxies: ProxyProcess) -> None:
        self.proxies = proxies

    def __enter__(self) -> Together:
        for proxy in self.proxies:
            proxy.launch()
        try:
            for proxy in self.proxies:
                proxy.wait_ready()
        except BaseException:
            self.__exit__()
            raise
        return self

    def __exit__(self, *exc: object) -> None:
        for proxy in self.proxies:
            proxy.stop()
