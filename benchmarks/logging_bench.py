"""(e): the activity log, written by the filter's own `BatchWriter`, and the event loop meanwhile.

Run in a fresh process (`python -m benchmarks.logging_bench`) on a new
household database:

- capacity: 10,000 rows (half a second at 20,000 rows/s) handed to the
  writer, then one `flush()` (one transaction: executemany plus the daily
  rollups); side by side, rows written with one commit each.
- under load: an event loop that behaves like a busy proxy (each 1 ms tick
  spends `busy` of it on the CPU and hands the writer its share of 20,000
  rows/s, with their active minutes) while the writer flushes every half
  second in its worker thread, as in the filter. A stall is how late a tick
  runs; the same loop without the writer is measured side by side, since a
  tick is never exactly on time. The backlog left at the end shows whether
  the rate was sustained.
"""

from __future__ import annotations

import asyncio
import gc
import json
import random
import statistics
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from benchmarks.machine import in_child
from benchmarks.results import Results, Row, at_least, at_most, fmt, markdown_table

RATE = 20_000  # rows a second, the target
TICK = 0.001


def _rows(count: int, profile_id: int, start: datetime, rate: float, seed: int = 3):  # type: ignore[no-untyped-def]
    from guardian.storage.activity import LoggedRequest

    rng = random.Random(seed)
    sites = [f"www.site{i}.example" for i in range(300)]
    rows = []
    for i in range(count):
        blocked = rng.random() < 0.05
        rows.append(LoggedRequest(
            time=start + timedelta(seconds=i / rate), profile_id=profile_id,
            host=sites[int(rng.paretovariate(1.2)) % len(sites)],
            path=f"/news/{rng.randrange(10**6)}.html", method="GET",
            status=403 if blocked else 200, decision="block" if blocked else "allow",
            reason="category" if blocked else "allowed",
            category="gambling" if blocked else None, bytes=rng.randrange(200, 200_000),
        ))
    return rows


def _minutes(rows):  # type: ignore[no-untyped-def]
    from guardian.active_time import MinuteRow

    seen = {}
    for row in rows:
        if row.decision == "allow":
            minute = row.time.replace(second=0, microsecond=0)
            seen.setdefault((minute, row.host), MinuteRow(row.profile_id, minute, row.host, None))
    return list(seen.values())


async def _loop_under_load(writer, rows, seconds: float, busy: float) -> dict:  # type: ignore[no-untyped-def]
    """Turns every 1 ms, `busy` of each turn spent computing, handing the writer the rows
    due by then. A stall is how much longer than asked a turn waited to run again (the
    loop wanted the CPU and could not have it); lag is how far behind schedule a turn ran."""
    loop = asyncio.get_running_loop()
    stalls: list[float] = []
    late: list[float] = []
    position = 0
    backlog = 0
    started = loop.time()
    next_tick = started
    while loop.time() - started < seconds:
        next_tick += TICK
        before = loop.time()
        asked = max(0.0, next_tick - before)
        await asyncio.sleep(asked)
        now = loop.time()
        stalls.append(max(0.0, now - before - asked))
        late.append(max(0.0, now - next_tick))
        if now - next_tick > 0.05:
            next_tick = now  # do not try to catch up after a long stall
        spin_until = time.perf_counter() + busy * TICK
        while time.perf_counter() < spin_until:
            pass
        if writer is not None:
            due = min(len(rows), int((loop.time() - started) * RATE))
            batch = rows[position:due]
            position = max(position, due)
            for row in batch:
                writer.add_request(row)
            writer.add_minutes(_minutes(batch))
            backlog = max(backlog, len(writer.requests))
    stalls.sort()
    late.sort()
    return {"max_ms": stalls[-1] * 1000, "p99_ms": stalls[int(len(stalls) * 0.99)] * 1000,
            "p999_ms": stalls[int(len(stalls) * 0.999)] * 1000, "ticks": len(stalls),
            "lag_p99_ms": late[int(len(late) * 0.99)] * 1000, "lag_max_ms": late[-1] * 1000,
            "handed": position, "max_backlog": backlog}


class _GcPauses:
    """The longest garbage collection while it is installed."""

    def __init__(self) -> None:
        self.longest = 0.0
        self._began = 0.0
        gc.callbacks.append(self._callback)

    def _callback(self, phase: str, _info: dict) -> None:
        if phase == "start":
            self._began = time.perf_counter()
        else:
            self.longest = max(self.longest, time.perf_counter() - self._began)

    def stop(self) -> None:
        gc.callbacks.remove(self._callback)


def measure(root: Path, seconds: float, busy: float) -> dict:
    from guardian.cli import main as guardian_cli
    from guardian.datadir import resolve_data_dir
    from guardian.storage.activity import append_requests
    from guardian.storage.database import open_database
    from proxy_addons.batch_writer import BatchWriter
    from proxy_addons.policy_source import SharedDatabase

    data_dir = resolve_data_dir(root / "data").ensure()
    guardian_cli(["--data-dir", str(data_dir.root), "profile", "add", "Log", "--age", "10",
                  "--default"])
    out: dict[str, float] = {}
    start = datetime.now(UTC).replace(microsecond=0)

    # Capacity: one flush of 10,000 rows, three times.
    database = SharedDatabase(data_dir.database_url)
    writer = BatchWriter(database, flush_interval=3600)
    rates = []
    for round_ in range(3):
        rows = _rows(10_000, 1, start + timedelta(hours=round_), RATE, seed=round_)
        for row in rows:
            writer.add_request(row)
        writer.add_minutes(_minutes(rows))
        began = time.perf_counter()
        asyncio.run(writer.flush())
        rates.append(len(rows) / (time.perf_counter() - began))
    out["flush_rows_per_s"] = statistics.median(rates)

    # Side by side: one commit per row.
    db = open_database(data_dir.database_url)
    rows = _rows(1_000, 1, start + timedelta(hours=5), RATE, seed=9)
    began = time.perf_counter()
    for row in rows:
        with db.begin() as session:
            append_requests(session, [row])
    out["per_row_rows_per_s"] = len(rows) / (time.perf_counter() - began)
    db.close()

    # Under load: the loop without the writer, then with it.
    out["switch_interval_ms"] = sys.getswitchinterval() * 1000
    baseline = asyncio.run(_loop_under_load(None, [], seconds, busy))
    rows = _rows(int(RATE * seconds) + 1_000, 1, start + timedelta(hours=8), RATE, seed=7)
    # The rows waiting to be handed over are the benchmark's, not the filter's: keep the
    # garbage collector from walking them (the filter never holds more than a batch).
    gc.collect()
    gc.freeze()
    pauses = _GcPauses()

    async def with_writer() -> dict:
        writer = BatchWriter(database, flush_interval=0.5)
        writer.running()  # sets the GIL switch interval the filter runs with
        out["switch_interval_ms"] = sys.getswitchinterval() * 1000
        began = time.perf_counter()
        stats = await _loop_under_load(writer, rows, seconds, busy)
        offered = time.perf_counter() - began
        left = len(writer.requests)
        await writer.flush()
        stats["left_at_end"] = left
        stats["sustained_rows_per_s"] = stats["handed"] / (time.perf_counter() - began)
        stats["offered_rows_per_s"] = stats["handed"] / offered
        writer.done()
        return stats

    loaded = asyncio.run(with_writer())
    pauses.stop()
    loaded["gc_max_ms"] = pauses.longest * 1000
    out.update({f"base_{k}": v for k, v in baseline.items()})
    out.update({f"load_{k}": v for k, v in loaded.items()})
    database.reset()
    return out


def run_logging_benchmarks(results: Results, work: Path, seconds: float, busy: float) -> None:
    m = in_child("benchmarks.logging_bench",
                 {"root": str(work), "seconds": seconds, "busy": busy})
    results.add(Row(
        "e", "log write throughput (BatchWriter flush, 10,000 rows + rollups)",
        m["flush_rows_per_s"], "rows/s",
        f"one commit per row: {fmt(m['per_row_rows_per_s'])} rows/s",
        m["flush_rows_per_s"] / m["per_row_rows_per_s"], target=at_least(RATE, "≥ 20,000/s"),
    ))
    results.add(Row(
        "e", f"sustained logging at {RATE:,} rows/s for {seconds:g} s (busy loop)",
        m["load_sustained_rows_per_s"], "rows/s",
        f"offered {fmt(m['load_offered_rows_per_s'])} rows/s; largest backlog "
        f"{m['load_max_backlog']:,} rows", None,
        target=at_least(RATE * 0.95, "keeps up with 20,000/s (5% for the last flush)"),
        note=f"{m['load_left_at_end']} rows waiting at the end",
    ))
    results.add(Row(
        "e", "longest event-loop stall while logging", m["load_max_ms"], "ms",
        f"same loop, no logging: {fmt(m['base_max_ms'])} ms",
        m["load_max_ms"] / m["base_max_ms"] if m["base_max_ms"] else None,
        target=at_most(5.0, "≤ 5 ms"),
        note=f"p99 {fmt(m['load_p99_ms'])} ms, p99.9 {fmt(m['load_p999_ms'])} ms; the loop is "
             f"{busy:.0%} busy; GIL switch interval {fmt(m['switch_interval_ms'])} ms; longest "
             f"garbage collection meanwhile {fmt(m['load_gc_max_ms'])} ms",
    ))
    results.table("Event loop while logging", (
        "A turn every 1 ms, half of it spent computing (as a busy filter). Stall: how much "
        "longer than asked the loop waited to run again. Lag: how far behind schedule a turn "
        "ran (stalls add up).\n\n" + markdown_table(
            ["", "turns", "stall p99", "stall p99.9", "longest stall", "lag p99", "lag max"],
            [[label, f"{m[p + 'ticks']:,.0f}", f"{fmt(m[p + 'p99_ms'])} ms",
              f"{fmt(m[p + 'p999_ms'])} ms", f"{fmt(m[p + 'max_ms'])} ms",
              f"{fmt(m[p + 'lag_p99_ms'])} ms", f"{fmt(m[p + 'lag_max_ms'])} ms"]
             for label, p in (("no logging", "base_"), (f"logging {RATE:,} rows/s", "load_"))],
        )))


if __name__ == "__main__":
    request = json.loads(sys.stdin.read())
    print(json.dumps(measure(Path(request["root"]), float(request["seconds"]),
                             float(request["busy"]))))
