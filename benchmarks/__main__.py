"""`python -m benchmarks [--quick]`: run the whole suite and write the results table.

The full run takes about half an hour on two cores and writes
`benchmarks/RESULTS.md`; `--quick` runs every measure on tiny inputs in
about a minute (for the smoke test) and writes to its work folder unless
`--output` is given.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from benchmarks import machine
from benchmarks.findings import explain_misses
from benchmarks.household import build_household, source_files
from benchmarks.results import Results, Row, write_results
from benchmarks.upstream import Upstream

RESULTS = Path(__file__).resolve().parent / "RESULTS.md"
SECTIONS = "abcdefgh"


@dataclass(frozen=True)
class Plan:
    domains: int
    seconds: float
    runs: int
    lookups: int
    weekly_rows: int
    scan_rounds: int
    logging_seconds: float
    app_rounds: int
    big_bytes: int


FULL = Plan(domains=2_000_000, seconds=10, runs=3, lookups=1_000_000, weekly_rows=5_000_000,
            scan_rounds=200, logging_seconds=10, app_rounds=3, big_bytes=200 * 2**20)
QUICK = Plan(domains=20_000, seconds=1, runs=1, lookups=20_000, weekly_rows=35_000,
             scan_rounds=5, logging_seconds=1, app_rounds=1, big_bytes=20 * 2**20)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="tiny inputs, one short run each")
    parser.add_argument("--output", type=Path, help="where to write the results (default: "
                        "benchmarks/RESULTS.md for a full run, the work folder for --quick)")
    parser.add_argument("--work", type=Path, help="work folder (default: a new temporary one, "
                        "removed afterwards)")
    parser.add_argument("--max-load", type=float, default=1.5,
                        help="wait (up to --wait minutes) until the 1-minute load average is "
                        "below this before starting (default 1.5; not with --quick)")
    parser.add_argument("--wait", type=float, default=20, help="minutes to wait for the load")
    parser.add_argument("--only", default=SECTIONS, help="sections to run, e.g. 'cdf'")
    parser.add_argument("--render", type=Path, metavar="RESULTS.json",
                        help="measure nothing: write the page again from saved results")
    parser.add_argument("--merge", type=Path, metavar="RESULTS.json",
                        help="with --only: replace those sections in saved results, keep the "
                        "rest, and write the page for them")
    args = parser.parse_args(argv)
    if args.render:
        saved, preamble = Results.load(args.render)
        output = args.output or args.render.with_suffix(".md")
        write_results(saved, output, "Benchmark results", preamble,
                      lambda: explain_misses(saved.rows))
        return 0
    plan = QUICK if args.quick else FULL
    work = args.work or Path(tempfile.mkdtemp(prefix="guardian-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    output = args.output or (args.merge.with_suffix(".md") if args.merge else
                             work / "RESULTS.md" if args.quick else RESULTS)

    def log(message: str) -> None:
        print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)

    if not args.quick:
        machine.wait_for_quiet(args.max_load, args.wait * 60, log)
    load_start = machine.load_average()
    began = time.perf_counter()
    started_at = datetime.now(UTC)
    results = Results()
    try:
        run_sections(results, plan, work, set(args.only), log)
    finally:
        load_end = machine.load_average()
        minutes = (time.perf_counter() - began) / 60
        preamble = _preamble(plan, args.quick, started_at, minutes, load_start, load_end)
        if args.merge:
            again = (f"Section(s) {', '.join(sorted(args.only))} measured again on "
                     f"{started_at:%Y-%m-%d %H:%M} UTC by `python -m benchmarks --only "
                     f"{args.only} --merge {args.merge}`; 1-minute load average "
                     f"{load_start:.2f} at the start, {load_end:.2f} at the end.")
            results, preamble = _merged(args.merge, results, set(args.only), again)
        results.save(output.with_suffix(".json"), preamble)
        write_results(results, output, "Benchmark results", preamble,
                      lambda: explain_misses(results.rows))
        log(f"results written to {output}")
        if args.work is None and not args.quick:
            shutil.rmtree(work, ignore_errors=True)
    return 0


def run_sections(results: Results, plan: Plan, work: Path, only: set[str],
                 log: Callable[[str], None]) -> None:
    from benchmarks.app_bench import run_app_benchmarks
    from benchmarks.index_bench import run_index_benchmarks
    from benchmarks.logging_bench import run_logging_benchmarks
    from benchmarks.proxies import REFERENCE_PROXIES
    from benchmarks.proxy_bench import Settings, run_proxy_benchmarks
    from benchmarks.scan_bench import run_scan_benchmarks
    from benchmarks.weekly_bench import run_weekly_benchmarks

    if only & set("abcdh"):
        log(f"household with {plan.domains:,} listed domains")
        household = build_household(work / "household", plan.domains)
        data_root = household.data_dir.root
        log(f"lists imported in {household.import_seconds:.1f} s")

    def section(letters: str, title: str, body: Callable[[], None]) -> None:
        if not set(letters) & only:
            return
        log(title)
        try:
            body()
        except Exception as exc:  # a failed measure still gets its row
            traceback.print_exc()
            results.add(Row(letters[0], title, skipped=f"failed: {type(exc).__name__}: {exc}"))

    section("cd", "category index", lambda: run_index_benchmarks(
        results, household.data_dir.index_path, source_files(household.data_dir), plan.lookups,
        household.import_seconds))
    section("f", "content scanning", lambda: run_scan_benchmarks(results, plan.scan_rounds))
    section("e", "logging", lambda: run_logging_benchmarks(
        results, work / "logging", plan.logging_seconds, busy=0.5))
    section("g", "weekly summary", lambda: run_weekly_benchmarks(
        results, work / "weekly", plan.weekly_rows, rounds=max(5, plan.runs)))

    def proxies() -> None:
        with Upstream(work / "upstream", plan.big_bytes) as upstream:
            log(f"upstream: {upstream.kind}")
            results.notes.append(f"Upstream: {upstream.kind} on loopback.")
            references = () if plan is QUICK else tuple(REFERENCE_PROXIES)
            run_proxy_benchmarks(results, upstream, data_root, work / "proxies",
                                 Settings(plan.seconds, plan.runs, references=references,
                                          log=log))

    section("ab", "proxies", proxies)
    section("h", "parent app", lambda: run_app_benchmarks(
        results, data_root, work / "app", plan.app_rounds))
    order = {letter: n for n, letter in enumerate(SECTIONS + "x")}
    results.rows.sort(key=lambda row: order.get(row.section, 99))


def _topic(note: str) -> str:
    return note.split(":", 1)[0]


def _merged(saved_path: Path, new: Results, only: set[str],
            again: str) -> tuple[Results, list[str]]:
    """The saved results with the sections in `only` replaced by `new`."""
    saved, preamble = Results.load(saved_path)
    letters = only | ({"x"} if only & {"a", "b"} else set())
    headings = {heading for heading, _ in new.tables}
    merged = Results(
        [row for row in saved.rows if row.section not in letters] + new.rows,
        [t for t in saved.tables if t[0] not in headings] + new.tables,
        # A note of this run replaces the saved one on the same topic (its text before ":").
        [note for note in saved.notes if _topic(note) not in {_topic(n) for n in new.notes}]
        + new.notes,
    )
    order = {letter: n for n, letter in enumerate(SECTIONS + "x")}
    merged.rows.sort(key=lambda row: order.get(row.section, 99))
    # An earlier re-run of the same sections is superseded by this one.
    kept = [line for line in preamble if line.split(" measured again")[0] != again.split(
        " measured again")[0]]
    while kept and not kept[-1]:
        kept.pop()
    return merged, [*kept, "", again]


def _preamble(plan: Plan, quick: bool, started_at: datetime, minutes: float,
              load_start: float, load_end: float) -> list[str]:
    kind = "quick run (tiny inputs: not for comparison)" if quick else "full run"
    return [
        f"Written by `python -m benchmarks{' --quick' if quick else ''}` ({kind}) on "
        f"{started_at:%Y-%m-%d %H:%M} UTC in {minutes:.0f} min: {machine.describe()}.",
        "",
        f"1-minute load average at the start: {load_start:.2f}; at the end: {load_end:.2f} "
        "(other work shares this machine; the ratios, measured side by side in the same run, "
        "are what to compare).",
        "",
        f"Inputs: {plan.domains:,} listed domains; {plan.runs} interleaved run(s) of "
        f"{plan.seconds:g} s per proxy measure (medians); {plan.lookups:,} host lookups; "
        f"{plan.weekly_rows:,} raw log rows; {plan.big_bytes // 2**20} MB download.",
        "",
        "Sections: (a) throughput and latency through the filter, (b) the block path, "
        "(c) host classification and memory, (d) list compile and index load, (e) logging, "
        "(f) content scanning, (g) weekly summary, (h) the parent app's launch; "
        "(x) experiments.",
    ]


if __name__ == "__main__":
    sys.exit(main())
