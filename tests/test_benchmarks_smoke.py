"""The benchmark suite runs, on tiny inputs, and its table has every row.

Not a timed test: the numbers of a quick run mean nothing and are not
checked. It starts real proxies on loopback, so it takes a minute or more.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent

# One pattern per row of the summary table, in order.
EXPECTED_ROWS = [
    ("a", r"HTTP, 1 conn\.: throughput, full policy"),
    ("a", r"HTTP, 10 conn\.: throughput, full policy"),
    ("a", r"HTTP, 50 conn\.: throughput, full policy"),
    ("a", r"HTTP, 10 conn\.: the embedding alone, no Guardian addons"),
    ("a", r"HTTP, 1 conn\.: p50 latency added to direct"),
    ("a", r"HTTPS \(intercepted\), 1 conn\.: throughput, full policy"),
    ("a", r"HTTPS \(intercepted\), 10 conn\.: throughput, full policy"),
    ("a", r"HTTPS \(intercepted\), 50 conn\.: throughput, full policy"),
    ("a", r"HTTPS \(intercepted\), 10 conn\.: the embedding alone, no Guardian addons"),
    ("a", r"HTTPS \(intercepted\), 1 conn\.: p50 latency added to direct"),
    ("a", r"client \+ upstream ceiling, HTTP \(\w+\), 50 conn\."),
    ("a", r"client \+ upstream ceiling, HTTPS \(\w+\), 50 conn\."),
    ("a", r"\d+ MB download: peak RSS rise of the proxy"),
    ("b", r"block path, HTTP, 10 conn\.: blocks answered"),
    ("b", r"block path, HTTPS, 10 conn\.: blocks answered"),
    ("c", r"classifications/s, unique hosts \([\d,]+ domains\)"),
    ("c", r"classifications/s, 300 repeating hosts"),
    ("c", r"memory added by the index \([\d,]+ domains\)"),
    ("d", r"index load \([\d,]+ domains\)"),
    ("d", r"list compile \([\d,]+ domains, from the stored lists\)"),
    ("e", r"log write throughput \(BatchWriter flush, 10,000 rows \+ rollups\)"),
    ("e", r"sustained logging at 20,000 rows/s for \d+ s \(busy loop\)"),
    ("e", r"longest event-loop stall while logging"),
    ("f", r"content scan, 100 KB HTML, English"),
    ("f", r"content scan, 100 KB HTML, Vietnamese"),
    ("f", r"content scan, 100 KB HTML, packed with listed phrases"),
    ("g", r"weekly summary over [\d,]+ raw rows \(from the rollups\)"),
    ("h", r"first run: launch to the set-up wizard"),
    ("h", r"launch to the password prompt"),
    ("h", r"launch to the main window, first page loaded"),
    ("x", r"2 Guardian workers on one port \(SO_REUSEPORT, patched\), HTTP, 50 conn\."),
]
RESULT = re.compile(r"^(met|–|missed: .+)$")


@pytest.mark.slow
def test_quick_benchmark_writes_a_row_for_every_measure(tmp_path: Path) -> None:
    output = tmp_path / "RESULTS.md"
    env = {k: v for k, v in os.environ.items() if "proxy" not in k.lower()}
    env["PYTHONPATH"] = str(REPO) + os.pathsep + env.get("PYTHONPATH", "")
    completed = subprocess.run(
        [sys.executable, "-m", "benchmarks", "--quick", "--work", str(tmp_path / "work"),
         "--output", str(output)],
        cwd=REPO, env=env, capture_output=True, text=True, timeout=600,
    )
    assert completed.returncode == 0, completed.stderr[-3000:]
    page = output.read_text()
    summary = page.split("## Summary", 1)[1].split("\n## ", 1)[0]
    rows = [line.split(" | ") for line in summary.splitlines() if line.startswith("| ")][1:]
    found = [(cells[0].strip("| "), cells[1]) for cells in rows]
    assert len(found) == len(EXPECTED_ROWS), "\n".join(m for _, m in found)
    for (section, measure), (want_section, pattern) in zip(found, EXPECTED_ROWS, strict=True):
        assert section == want_section and re.fullmatch(pattern, measure), (section, measure)
    for cells in rows:
        result = cells[-1].rstrip(" |")
        assert RESULT.match(result), f"{cells[1]}: {result}"
    assert (tmp_path / "RESULTS.json").exists()
    assert "## Throughput and latency through the proxies" in page
