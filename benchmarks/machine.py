"""The machine under the benchmark: load average, a process's memory and CPU time.

Read from /proc (Linux), so the suite needs no extra package.
"""

from __future__ import annotations

import json
import os
import platform
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

_TICKS = os.sysconf("SC_CLK_TCK")


def load_average() -> float:
    """The 1-minute load average."""
    with open("/proc/loadavg") as handle:
        return float(handle.read().split()[0])


def wait_for_quiet(limit: float, timeout: float, log=print) -> float:  # type: ignore[no-untyped-def]
    """Poll until the 1-minute load average is below `limit` (or `timeout` s pass)."""
    deadline = time.monotonic() + timeout
    load = load_average()
    while load >= limit and time.monotonic() < deadline:
        log(f"load average {load:.2f} >= {limit}; waiting")
        time.sleep(15)
        load = load_average()
    return load


@dataclass(frozen=True)
class Memory:
    rss: int  # bytes
    anon: int  # bytes of private memory (heap), the part another process cannot share
    file: int  # bytes of mapped files (the index) in memory


def memory(pid: int | None = None) -> Memory:
    fields: dict[str, int] = {}
    with open(f"/proc/{pid or 'self'}/status") as handle:
        for line in handle:
            name, _, rest = line.partition(":")
            if name in ("VmRSS", "RssAnon", "RssFile"):
                fields[name] = int(rest.split()[0]) * 1024
    return Memory(fields.get("VmRSS", 0), fields.get("RssAnon", 0), fields.get("RssFile", 0))


def cpu_seconds(pid: int) -> float:
    """User plus system CPU time the process used so far."""
    with open(f"/proc/{pid}/stat") as handle:
        fields = handle.read().rpartition(")")[2].split()
    return (int(fields[11]) + int(fields[12])) / _TICKS


def describe() -> str:
    model = ""
    try:
        with open("/proc/cpuinfo") as handle:
            for line in handle:
                if line.startswith("model name"):
                    model = line.partition(":")[2].strip()
                    break
    except OSError:
        pass
    memory_gib = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return (f"{os.cpu_count()} cores ({model or platform.machine()}), {memory_gib:.0f} GiB, "
            f"{platform.system()} {platform.release()}, Python {platform.python_version()}")


def in_child(module: str, request: dict[str, object], timeout: float = 1800) -> dict:
    """Run `python -m module` with `request` as JSON on stdin; its last stdout line, as JSON.

    Measures run in a fresh process so that nothing this one holds (millions
    of names, a large heap for the garbage collector to walk) colours them.
    """
    completed = subprocess.run([sys.executable, "-m", module], input=json.dumps(request),
                               capture_output=True, text=True, timeout=timeout,
                               cwd=Path(__file__).resolve().parent.parent)
    if completed.returncode != 0:
        raise RuntimeError(f"{module} failed: {completed.stderr[-2000:]}")
    return json.loads(completed.stdout.strip().splitlines()[-1])  # type: ignore[no-any-return]
