"""Checks on a running `guardian proxy`: did its own code fail, is it alive, how big is it."""

from __future__ import annotations

from tests.proxy_harness import GuardianProxy

# Lines that mean Guardian's own code failed inside the proxy (mitmproxy logs
# an addon's exception and carries on, which for the enforcer would let the
# request through).
FAILURE_MARKERS = ("Traceback (most recent call last)", "Addon error")


def assert_no_failures(proxy: GuardianProxy) -> None:
    log = proxy.log()
    for marker in FAILURE_MARKERS:
        assert marker not in log, log[log.find(marker) - 200 :][:3000]


def rss_kib(pid: int) -> int:
    """Resident memory of a process, from /proc/<pid>/status (VmRSS, in KiB)."""
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    raise RuntimeError(f"no VmRSS for {pid}")


def alive(proxy: GuardianProxy) -> bool:
    return proxy.process is not None and proxy.process.poll() is None


def proxy_pid(proxy: GuardianProxy) -> int:
    assert proxy.process is not None
    return proxy.process.pid
