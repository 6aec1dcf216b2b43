"""Why a target is missed and what would close it: written from profiling, shown in RESULTS.md.

Keyed by the start of a row's measure. Only rows that miss their target in
a run are explained, so the text stays true whatever the numbers.
"""

from __future__ import annotations

from collections.abc import Iterable

from benchmarks.results import Row

_DISPATCH = (
    "mitmproxy hands every hook event (about eight per request) to every addon in its chain, "
    "whether or not the addon has that hook (`AddonManager.trigger_event` runs `invoke_addon` "
    "inside a `safecall()` context manager for each addon), and Guardian adds 11 addons to the "
    "5 built-in ones: in a cProfile of `guardian proxy` under load about a fifth of the time "
    "went to that dispatch. Guardian's own work per allowed page comes on top (times under "
    "cProfile, which inflates them): ContentFilter "
    "~0.25 ms per HTML response, of which ~0.1 ms is `_headers_label_adult` "
    "(guardian/content_scan/scanner.py:196) iterating `response.headers.items()`, which makes "
    "mitmproxy's multidict build each value again (`get_all` per name); TimeNotice calls "
    "`minutes_left` on every page load, and `Schedule._boundaries` (guardian/schedule.py:84) "
    "builds and sorts nine days of datetimes each time; the log flush in a worker thread "
    "takes the GIL from the loop (see (e)). The bare mitmdump has none of this work but 39 "
    "addons; the rows 'the embedding alone' show what loading only five of them gains, and "
    "the full-policy rows how much of that Guardian's addons spend again; the CPU per "
    "request column of the detail table gives the same split in milliseconds."
)
_DISPATCH_FIX = (
    "register one Guardian addon whose hooks call the parts in order (11 dispatches per event "
    "become 1); read the RTA label from `response.headers.fields` (raw bytes, one `in` test) "
    "and the rating from `headers.get('rating')`; cache `minutes_left` per (profile, minute) "
    "or compute only the next boundary; make the log flush cheaper (see (e)). Measure with "
    "this suite after each step."
)

_LATENCY = (
    "at one connection the added latency is the CPU time of one request on mitmproxy's "
    "single Python thread. mitmproxy embedded as Guardian embeds it, without Guardian's "
    "addons, stays near the target (its line in the detail table); the rest is Guardian's "
    "addons. " + _DISPATCH,
    _DISPATCH_FIX + " Past that, the floor is mitmproxy's own per-request cost in "
    "Python; only a proxy core outside Python would reach the target.",
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
        "parameters, SQLAlchemy's statement handling, the rollups) it holds the GIL; CPython "
        "gives the GIL back to the event loop only every switch interval (5 ms), so each "
        "flush stalls the loop for one or more intervals, longer when the batch is large.",
        "less Python work per row in `append_requests` (guardian/storage/activity.py:49-52): "
        "`dataclasses.asdict` deep-copies every field of every row, and the ORM bulk insert "
        "leaves out None values, so rows whose `category`/`search` are None or not form "
        "different parameter sets and one batch becomes hundreds of `executemany` calls "
        "(431 for 10,000 rows); measured alone, 10,000 rows took ~250 ms as written and ~100 "
        "ms as `session.execute(RequestLog.__table__.insert(), [{name: getattr(row, name) "
        "for name in FIELDS} for row in rows])`. Then smaller, more frequent batches and "
        "`sys.setswitchinterval(0.001)` in the filter process; to remove the stall entirely, "
        "write the log from a separate process (rows sent as tuples over a pipe), so the "
        "filter's GIL is never held by the writer.",
    ),
    "content scan": (
        "the time is already in C-level passes over the page (decode, NFC, `lower`, "
        "`charmap_encode`, several `translate`/`split`/`join` passes in "
        "guardian/content_scan/folding.py `prepare`, the `_NOT_TEXT` regex): accented text "
        "needs both a marked and a folded copy, and a page dense with listed phrases makes "
        "the matcher search many candidate phrases.",
        "fold only the distinct words (not the whole page) for the folded copy, and stop "
        "scanning once every category blocked for the child is either over its threshold or "
        "cannot reach it in the bytes left; or scan 128 KB instead of 256 KB (a 100 KB page "
        "is unaffected).",
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
