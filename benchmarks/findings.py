"""Why a target is missed and what would close it: written from profiling, shown in RESULTS.md.

Keyed by the start of a row's measure. Only rows that miss their target in
a run are explained, so the text stays true whatever the numbers.
"""

from __future__ import annotations

from collections.abc import Iterable

from benchmarks.results import Row

_DISPATCH = (
    "what is left is mostly mitmproxy's own per-request work in Python. py-spy on "
    "`guardian proxy` under 10 connections (HTTP, the 2 KB page) puts about 78% of the event "
    "loop's samples in mitmproxy and asyncio (parsing and writing HTTP/1, the layer state "
    "machine, one eager task per hook event with its `HookCompleted` round trip), about 20% in "
    "Guardian's addons and 2% in dispatching events to them. Dispatch used to be a fifth of "
    "the time: mitmproxy hands every event to every addon (`AddonManager.trigger_event` runs "
    "`invoke_addon` in a `safecall()` context manager per addon, and sends an `update` event "
    "after each flow event), and the filter has 6 built-in addons and about a dozen of its own; "
    "`proxy_addons.hook_table.HookTable` now looks each event's handlers up once and calls "
    "only those. Of Guardian's 20%: ContentFilter ~8.5% (scanning the page: splitting it "
    "into words and intersecting them with the phrase vocabulary, the markup regex), the "
    "enforcer's decision ~3.5%, TimeNotice ~3.3% (the budgets left; the end of the allowed "
    "hours is now kept per minute), ScreenTimeCounter ~2.5% (`ActiveTimeTracker.record`), "
    "TrafficLogger ~1.5%. The lean embedding's rows show mitmproxy with the same master and "
    "built-in addons and no Guardian addon; the CPU per request column of the detail table "
    "splits the cost in milliseconds."
)
_DISPATCH_FIX = (
    "Guardian's own work could shrink by another ~0.05-0.1 ms a request (a scan that skips "
    "pages whose words are all known harmless, a screen-time record that does nothing when "
    "the minute is already counted, a decision cached per (profile, host, minute) for hosts "
    "without URL rules), which would bring the ratio near the target but not far past it: the "
    "floor is mitmproxy's per-request cost, which the lean embedding shows. Beyond that: "
    "several filter processes on one port (SO_REUSEPORT, row (x) and the section below), "
    "which scales with cores, or a proxy core outside Python."
)

_LATENCY = (
    "at one connection the added latency is the CPU time of one request on mitmproxy's "
    "single Python thread, plus the loopback round trips to the client and the upstream; " +
    _DISPATCH,
    _DISPATCH_FIX,
)

# Most specific first: the first prefix that matches a row explains it.
WHY: dict[str, tuple[str, str]] = {
    "HTTP, 1 conn.: p50": _LATENCY,
    "HTTPS (intercepted), 1 conn.: p50": _LATENCY,
    "HTTP, ": (_DISPATCH, _DISPATCH_FIX),
    "HTTPS": (_DISPATCH, _DISPATCH_FIX),
    "classifications/s, unique hosts": (
        "each uncached lookup runs in CPython: `host.encode()`, then per suffix probed a "
        "slice, a reversed copy (`[::-1]`) and two `crc32` calls, the slot scan and the "
        "filter test, then a cache insert; every 4,096 new hosts the whole cache is cleared "
        "(guardian/domain_index.py:349-380). About 2 µs a host, one to three probes each.",
        "derive the reversed CRC incrementally (the reversed suffixes are prefixes of the "
        "reversed host: `crc32(piece, running)`), which saves a slice and a copy per probe; "
        "skip the cache insert for hosts that miss the index on the first probe; or move "
        "`classify` into a small C extension. At ~1 ms per request the lookup is still "
        "under 0.5% of a request's cost.",
    ),
    "log write throughput": (
        "`append_requests` (guardian/storage/activity.py:49-52) builds each row with "
        "`dataclasses.asdict`, which deep-copies every field (the datetime through "
        "`copy.deepcopy`): ~13 µs a row; and the ORM bulk insert omits None values, so rows "
        "whose `category`/`search` are None or not fall into different parameter sets and "
        "the batch is cut into hundreds of `executemany` calls (431 for 10,000 rows). "
        "Measured in isolation: 10,000 rows in ~250 ms as written, ~100 ms with the fix.",
        "`session.execute(RequestLog.__table__.insert(), [{name: getattr(row, name) for name "
        "in FIELDS} for row in rows])` (Core insert, one `executemany`, no deep copies).",
    ),
    "sustained logging": (
        "the writer cannot keep up: each half-second batch takes longer to write than half a "
        "second (see the write throughput row), so the backlog grows.",
        "the `append_requests` fix above; then the writer keeps up with room to spare.",
    ),
    "longest event-loop stall": (
        "the flush runs in a worker thread, and while it runs Python code (building the "
        "parameters, SQLAlchemy's statement handling, the rollups) it holds the GIL; the loop, "
        "waking from a wait, gets it back only when CPython next switches threads. The batch "
        "writer now sets the switch interval to 1 ms while it runs (5 ms by default), which "
        "bounds each wait; what is left is a loop turn that waits more than once, and the "
        "garbage collector, which runs in whichever thread allocates and holds the GIL for its "
        "whole pass (the largest pause is in the logging table).",
        "less Python work per row in `append_requests` (guardian/storage/activity.py) and in "
        "the rollups, so each flush holds the GIL for less; to remove the stall entirely, "
        "write the log from a separate process (rows sent as tuples over a pipe), so the "
        "filter's GIL is never held by the writer.",
    ),
    "content scan": (
        "the time is in C-level passes over the page, but several of them: for a 100 KB "
        "Vietnamese page (cProfile, guardian/content_scan/folding.py `prepare`) the "
        "`_NOT_TEXT` regex ~0.35 ms, `str.lower` ~0.25 ms, `charmap_encode` ~0.2 ms, then "
        "`split` into ~12,000 word objects ~0.45 ms, the set of distinct words ~0.25 ms and "
        "the `join` back into the marked text ~0.15 ms; accented text needs both a marked and "
        "a folded copy. The matcher itself is a few microseconds. A page dense with listed "
        "phrases also makes the matcher check many candidates in place.",
        "not making an object per word: a matcher that runs over the folded bytes in one pass "
        "(Aho-Corasick in C, e.g. the pyahocorasick package, built from the phrase "
        "vocabulary) would replace the split, the set and the join (~0.85 ms of the 2.6); "
        "`str.lower` only when the page has upper-case accented letters; or a scan limit of "
        "128 KB instead of 256 KB for large pages (a 100 KB page is unaffected).",
    ),
    "weekly summary": (
        "the summary reads the daily rollups, but some of its parts query the raw rows.",
        "profile `weekly_summary` and serve those parts from rollups too.",
    ),
}


WORKERS = """\
## Several filter processes on one port (SO_REUSEPORT)

What mitmproxy allows: nothing out of the box. It listens with
`asyncio.start_server(handler, host, port)` (mitmproxy/proxy/mode_servers.py) and offers no
option for `reuse_port`, so a second process on the same port fails with "address already in
use" (see the notes). Wrapping that one call so it passes `reuse_port=True` (the experiment's
wrapper, in benchmarks/proxy_bench.py) is enough for the kernel to spread new connections
over the workers; the row (x) above gives the throughput of two workers against one.

What would break if Guardian ran that way as it is, since each worker keeps its own state in
memory: the `ActiveTimeTracker` (each worker counts only the minutes it saw, so budgets and
the time notice run on a partial view, up to N times the budget), the once-only send-anyway
tokens (`ChildPortal._used_nonces`) and `SendAnywayPasses` (a token spent in one worker could
be replayed through another, a pass granted in one is unknown to the others), the game
reminders, and the certificate cache (each worker signs its own). The rollups tolerate two
writers (`RollupConflict` makes one retry). What would make it safe: a small launcher that
binds the ports once and attaches a reuseport BPF program (`SO_ATTACH_REUSEPORT_CBPF`) that
picks the worker by client address, so each device (each child) always lands in the same
worker and its in-memory state stays whole; the spent-token set moved to the database.
"""


def explain_misses(rows: Iterable[Row]) -> str:
    missed = [row for row in rows if row.status.startswith("missed")]
    if not missed:
        return "## Targets missed\n\nNone in this run.\n\n" + WORKERS
    parts = ["## Targets missed", ""]
    for row in missed:
        why, fix = next((text for prefix, text in WHY.items() if row.measure.startswith(prefix)),
                        ("not analysed yet", "–"))
        parts += [f"- **({row.section}) {row.measure}**: {row.status}.", f"  Why: {why}",
                  f"  What would close it: {fix}"]
    return "\n".join(parts) + "\n\n" + WORKERS
