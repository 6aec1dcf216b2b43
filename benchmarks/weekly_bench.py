"""(g): the weekly summary of one child's week with millions of raw request rows.

The rows are written by `guardian.demo.generate_activity` (the filter's own
`append_requests` and `update_rollups`, in batches), spread over the last
complete week, in a fresh database. The summary (`weekly_summary`) reads the
daily rollups only; side by side, the three aggregates a summary needs
(requests per day, the top 20 hosts, blocks per category) computed straight
from the raw rows of that week, as a summary without rollups would.
"""

from __future__ import annotations

import statistics
import time
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import func, select, text

from benchmarks.results import Results, Row, at_most, fmt


def run_weekly_benchmarks(results: Results, work: Path, raw_rows: int, rounds: int) -> None:
    measure = f"weekly summary over {raw_rows:,} raw rows"
    try:
        from guardian.demo import generate_activity
        from guardian.reports.weekly import weekly_summary
        from guardian.reports.weeks import IsoWeek
    except ImportError as exc:
        results.add(Row("g", measure, skipped=f"{exc.name} is not in this checkout"))
        return
    from guardian.cli import main as guardian_cli
    from guardian.datadir import resolve_data_dir
    from guardian.storage.database import open_database
    from guardian.storage.models import RequestLog

    data_dir = resolve_data_dir(work / "data").ensure()
    guardian_cli(["--data-dir", str(data_dir.root), "profile", "add", "Week", "--age", "12",
                  "--default"])
    zone = UTC
    now = datetime.now(UTC)
    week = IsoWeek.last_complete(now, zone)
    db = open_database(data_dir.database_url)
    try:
        started = time.perf_counter()
        with db.begin() as session:
            written = generate_activity(session, 1, week.monday, 7, raw_rows // 7, zone)
        generate_seconds = time.perf_counter() - started
        with db.begin() as session:
            weekly_summary(session, 1, week, zone, "en", now=now)  # warm the page cache
        times = []
        for _ in range(rounds):
            with db.begin() as session:
                began = time.perf_counter()
                summary = weekly_summary(session, 1, week, zone, "en", now=now)
                times.append(time.perf_counter() - began)
        ours = statistics.median(times) * 1000
        first, end = week.bounds(zone)
        with db.begin() as session:
            began = time.perf_counter()
            in_week = (RequestLog.profile_id == 1, RequestLog.time >= first,
                       RequestLog.time < end)
            session.execute(select(func.substr(RequestLog.time, 1, 10), func.count())
                            .where(*in_week).group_by(text("1"))).all()
            session.execute(select(RequestLog.host, func.count()).where(*in_week)
                            .group_by(RequestLog.host).order_by(func.count().desc())
                            .limit(20)).all()
            session.execute(select(RequestLog.category, func.count())
                            .where(*in_week, RequestLog.decision == "block")
                            .group_by(RequestLog.category)).all()
            raw = (time.perf_counter() - began) * 1000
    finally:
        db.close()
    results.add(Row(
        "g", f"weekly summary over {written:,} raw rows (from the rollups)", ours, "ms",
        f"the same week's aggregates from the raw rows: {fmt(raw)} ms", ours / raw,
        target=at_most(50, "< 50 ms"),
        note=f"{summary.total_minutes:,} active minutes; rows generated and rolled up at "
             f"{fmt(written / generate_seconds)} rows/s",
    ))
