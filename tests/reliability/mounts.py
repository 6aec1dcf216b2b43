"""The proxy in a mount namespace of its own, over a read-only, full or missing data folder.

`unshare --mount` gives the proxy process a private copy of the mount table:
a read-only bind mount or a small tmpfs made there is seen by the proxy alone
and disappears with it, so a test never leaves a mount behind on the
machine. The test can still reach the proxy's view of the files through
`/proc/<pid>/root`. Root ignores file permissions, which is why a read-only
folder must be a read-only mount and not a `chmod`.
"""

from __future__ import annotations

import os
import shlex
import shutil
import socket
import subprocess
import time
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from tests.proxy_harness import REPO, GuardianProxy


@cache
def mount_namespaces_unavailable() -> str | None:
    """Why this machine cannot run the mount tests, or None if it can."""
    if shutil.which("unshare") is None:
        return "unshare (util-linux) is not installed"
    probe = subprocess.run(
        ["unshare", "--mount", "--propagation", "private", "sh", "-c",
         "mount -t tmpfs -o size=64k tmpfs /mnt"],
        capture_output=True, text=True, timeout=30)
    if probe.returncode != 0:
        return ("cannot make a mount namespace and mount a tmpfs here (needs root or "
                f"CAP_SYS_ADMIN): {probe.stderr.strip()}")
    return None


def read_only(folder: Path) -> str:
    return (f"mount --bind {shlex.quote(str(folder))} {shlex.quote(str(folder))} && "
            f"mount -o remount,bind,ro {shlex.quote(str(folder))}")


def small_tmpfs(folder: Path, kib: int, copy_from: Path | None = None) -> str:
    quoted = shlex.quote(str(folder))
    script = f"mount -t tmpfs -o size={kib}k,mode=0700 tmpfs {quoted}"
    if copy_from is not None:
        script += f" && cp -a {shlex.quote(str(copy_from))}/. {quoted}/"
    return script


def fill(folder: Path) -> str:
    """Fill the filesystem holding `folder` to the last block."""
    return f"(dd if=/dev/zero of={shlex.quote(str(folder / 'filler'))} bs=4k 2>/dev/null || true)"


@dataclass
class NamespacedProxy(GuardianProxy):
    """`guardian proxy` started after `setup` (shell commands) ran in its own mount namespace."""

    setup: str = "true"

    def command(self) -> list[str]:
        return ["unshare", "--mount", "--propagation", "private", "sh", "-c",
                f'{self.setup} && exec "$@"', "sh", *super().command()]

    def start(self) -> NamespacedProxy:
        """As `GuardianProxy.start`, but give up as soon as the process has exited."""
        env = {k: v for k, v in os.environ.items() if "proxy" not in k.lower()}
        env["PYTHONPATH"] = str(REPO) + os.pathsep + env.get("PYTHONPATH", "")
        self._log = open(self.log_path, "ab")  # noqa: SIM115
        self.process = subprocess.Popen(self.command(), cwd=REPO, env=env, stdout=self._log,
                                        stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 30
        while self.process.poll() is None and time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=0.5).close()
                return self
            except OSError:
                time.sleep(0.05)
        self.stop()
        raise RuntimeError(f"guardian proxy did not start:\n{self.log()}")

    def seen_path(self, path: Path) -> Path:
        """`path` as the proxy sees it, inside its mount namespace."""
        assert self.process is not None
        return Path(f"/proc/{self.process.pid}/root") / path.relative_to("/")
