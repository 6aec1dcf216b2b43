"""(h): the parent app's time from launch to a usable window, offscreen.

Each launch is a new process (`benchmarks.app_probe`) with
`QT_QPA_PLATFORM=offscreen`; the time runs from just before the process
starts until its window is shown and exposed with the event loop turning.
Side by side: Python and Qt alone showing an empty window, in the same run.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

from benchmarks.results import Results, Row, fmt

REPO = Path(__file__).resolve().parent.parent


def _launch(mode: str, data_dir: Path) -> dict[str, float]:
    env = {k: v for k, v in os.environ.items() if "proxy" not in k.lower()}
    env.update(QT_QPA_PLATFORM="offscreen", PYTHONPATH=str(REPO))
    launched = time.monotonic()
    completed = subprocess.run(
        [sys.executable, "-m", "benchmarks.app_probe", mode, str(data_dir)],
        capture_output=True, text=True, timeout=120, cwd=REPO, env=env)
    lines = [line for line in completed.stdout.splitlines() if line.startswith("{")]
    if not lines:
        raise RuntimeError(f"app probe {mode} gave no answer: {completed.stderr[-1500:]}")
    answer = json.loads(lines[-1])
    answer["seconds"] = answer["ready"] - launched
    if "prompt" in answer:
        answer["prompt_seconds"] = answer["prompt"] - launched
    return answer


def run_app_benchmarks(results: Results, household_data: Path, work: Path, rounds: int) -> None:
    try:
        import PySide6  # noqa: F401
    except ImportError:
        for measure in ("first run: launch to the set-up wizard",
                        "launch to the password prompt", "launch to the main window"):
            results.add(Row("h", measure, skipped="PySide6 is not installed"))
        return
    from guardian.datadir import resolve_data_dir
    from guardian.storage.database import open_database
    from guardian.storage.parent_account import set_parent_password

    first_run = work / "first-run"
    data_dir = resolve_data_dir(household_data)
    db = open_database(data_dir.database_url)
    try:
        with db.begin() as session:
            set_parent_password(session, "benchmark-parent-1")
    finally:
        db.close()
    samples: dict[str, list[float]] = {"bare": [], "wizard": [], "prompt": [], "main": []}
    for _ in range(rounds):  # interleaved, like the proxy runs
        samples["bare"].append(_launch("bare", first_run)["seconds"])
        samples["wizard"].append(_launch("app", first_run)["seconds"])
        main = _launch("main", household_data)
        samples["prompt"].append(main["prompt_seconds"])
        samples["main"].append(main["seconds"])
    bare = statistics.median(samples["bare"])
    for key, measure in (("wizard", "first run: launch to the set-up wizard"),
                         ("prompt", "launch to the password prompt"),
                         ("main", "launch to the main window, first page loaded")):
        value = statistics.median(samples[key])
        results.add(Row("h", measure, value, "s",
                        f"Python + Qt, empty window: {fmt(bare)} s", value / bare,
                        note="household with the benchmark's logged traffic"
                        if key != "wizard" else ""))
