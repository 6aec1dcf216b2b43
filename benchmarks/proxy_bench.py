"""(a) and (b): requests through the proxies, side by side, and what large downloads cost.

All proxies run at once (an idle proxy costs nothing) and are loaded one at
a time, interleaved: in each round every target gets one run, starting with
a different one each round, and the medians of the rounds are reported. The
"direct" target is the client straight against the upstream: the ceiling of
the client and the upstream together, which must sit far above the proxies.
"""

from __future__ import annotations

import asyncio
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from benchmarks import loadgen
from benchmarks.household import BLOCKED_HOST
from benchmarks.proxies import (
    REFERENCE_PROXIES,
    ProxyProcess,
    Together,
    guardian_proxy,
    lean_mitmproxy,
    mitmdump,
    mitmdump_path,
)
from benchmarks.results import Results, Row, at_least, at_most, fmt, markdown_table
from benchmarks.upstream import BIG_PATH, Upstream, free_port

CONNECTIONS = (1, 10, 50)
LEAN = "mitmproxy embedded as Guardian does, no Guardian addons"
BLOCK_CONNECTIONS = 10


@dataclass
class Settings:
    seconds: float
    runs: int
    connections: tuple[int, ...] = CONNECTIONS
    references: tuple[str, ...] = tuple(REFERENCE_PROXIES)
    log: Callable[[str], None] = print


@dataclass
class Target:
    name: str
    proxy: ProxyProcess | None  # None: straight to the upstream

    @property
    def port(self) -> int | None:
        return self.proxy.port if self.proxy else None


@dataclass
class Series:
    """The runs of one target at one concurrency."""

    results: list[loadgen.LoadResult] = field(default_factory=list)
    cpu_seconds: float = 0.0

    @property
    def rps(self) -> float:
        return statistics.median(r.requests_per_second for r in self.results)

    @property
    def p50(self) -> float:
        return statistics.median(r.p50_ms for r in self.results)

    @property
    def p99(self) -> float:
        return statistics.median(r.p99_ms for r in self.results)

    @property
    def cpu_ms_per_request(self) -> float | None:
        requests = sum(r.requests for r in self.results)
        return self.cpu_seconds * 1000 / requests if requests and self.cpu_seconds else None

    @property
    def errors(self) -> int:
        return sum(r.errors for r in self.results)

    def cell(self) -> str:
        text = f"{fmt(self.rps)} · {fmt(self.p50)}/{fmt(self.p99)}"
        return text + (f" ({self.errors} errors)" if self.errors else "")


Matrix = dict[tuple[str, int], Series]


def interleaved(targets: Sequence[Target], url: str, connections: Sequence[int],
                settings: Settings, expect_status: int = 200) -> Matrix:
    matrix: Matrix = {}
    for count in connections:
        for run in range(settings.runs):
            shift = run % len(targets)
            for target in [*targets[shift:], *targets[:shift]]:
                series = matrix.setdefault((target.name, count), Series())
                before = target.proxy.cpu() if target.proxy else 0.0
                result = loadgen.run_load(url, target.port, count, settings.seconds,
                                          expect_status)
                if target.proxy:
                    series.cpu_seconds += target.proxy.cpu() - before
                series.results.append(result)
                settings.log(f"  {url.split(':')[0]:5} {target.name:22} {count:2} conn "
                             f"run {run + 1}: {result.requests_per_second:,.0f} req/s "
                             f"p50 {result.p50_ms:.2f} ms p99 {result.p99_ms:.2f} ms "
                             f"errors {result.errors}")
    return matrix


def check_answers(targets: Sequence[Target], url: str, status: int) -> None:
    """One request through each target first: a wrong answer would make its numbers lie."""
    for target in targets:
        got, _ = asyncio.run(_one(url, target.port))
        if got != status:
            raise RuntimeError(f"{target.name} answered {url} with {got}, not {status}")


async def _one(url: str, proxy_port: int | None) -> tuple[int, int]:
    reader, writer = await loadgen.open_through(url, proxy_port)
    try:
        return await loadgen.fetch_on(reader, writer, url, proxy_port)
    finally:
        writer.close()


def warm_up(targets: Sequence[Target], urls: Sequence[str], seconds: float) -> None:
    for target in targets:
        for url in urls:
            loadgen.run_load(url, target.port, 10, seconds)


def run_proxy_benchmarks(results: Results, upstream: Upstream, data_root: Path,
                         work: Path, settings: Settings) -> None:
    if mitmdump_path() is None:
        for row in _proxy_rows_skipped("mitmdump is not installed"):
            results.add(row)
        return
    log = settings.log
    http_url, https_url = upstream.url(), upstream.url(tls=True)
    guardian = guardian_proxy(data_root, upstream.ca_path, work / "guardian")
    bare = mitmdump(upstream.ca_path, work / "mitmdump")
    lean = lean_mitmproxy(upstream.ca_path, work / "lean")
    references: list[ProxyProcess] = []
    with Together(guardian, bare, lean):
        log(f"guardian proxy listening after {guardian.started_seconds:.2f} s, "
            f"mitmdump after {bare.started_seconds:.2f} s")
        for name in settings.references:
            proxy = REFERENCE_PROXIES[name](work / name)
            try:
                references.append(proxy.start())
            except (OSError, RuntimeError) as exc:
                results.notes.append(f"{name} could not be started for reference: {exc}")
        try:
            direct = Target("direct (no proxy)", None)
            main = [Target("guardian proxy", guardian), Target("mitmdump, no addons", bare),
                    Target(LEAN, lean)]
            others = [Target(p.name, p) for p in references]
            check_answers([direct, *main, *others], http_url, 200)
            check_answers([direct, *main], https_url, 200)
            warm_up(main, [http_url, https_url], min(2.0, settings.seconds))
            log("plain HTTP")
            http = interleaved([direct, *main, *others], http_url, settings.connections, settings)
            log("HTTPS, intercepted")
            https = interleaved([direct, *main], https_url, settings.connections, settings)
            memory = {t.name: t.proxy.memory() for t in [*main, *others] if t.proxy}
        finally:
            for proxy in references:
                proxy.stop(timeout=3)
        _throughput_rows(results, http, https, settings.connections)
        _detail_table(results, http, https, [direct, *main, *others], settings, memory)
        _client_row(results, http, https, settings.connections)
        stream_rows = _streaming(upstream, guardian, bare, log)
    block_rows = _block_path(results, upstream, data_root, work, settings)
    for row in [*stream_rows, *block_rows]:
        results.add(row)
    results.add(_reuseport_experiment(results, upstream, data_root, work, settings))


def _throughput_rows(results: Results, http: Matrix, https: Matrix,
                     connections: Sequence[int]) -> None:
    for label, matrix in (("HTTP", http), ("HTTPS (intercepted)", https)):
        for count in connections:
            ours = matrix["guardian proxy", count]
            base = matrix["mitmdump, no addons", count]
            ratio = ours.rps / base.rps if base.rps else None
            results.add(Row(
                "a", f"{label}, {count} conn.: throughput, full policy", ours.rps, "req/s",
                f"mitmdump, no addons: {fmt(base.rps)} req/s", ratio,
                target=at_least(1.5, "≥ 1.5x mitmdump"), target_value=ratio, target_unit="x",
                note=f"p50/p99 {fmt(ours.p50)}/{fmt(ours.p99)} ms against "
                     f"{fmt(base.p50)}/{fmt(base.p99)} ms",
            ))
        middle = sorted(connections)[len(connections) // 2]
        lean, base = matrix[LEAN, middle], matrix["mitmdump, no addons", middle]
        ours = matrix["guardian proxy", middle]
        results.add(Row(
            "a", f"{label}, {middle} conn.: the embedding alone, no Guardian addons", lean.rps,
            "req/s", f"mitmdump, no addons: {fmt(base.rps)} req/s",
            lean.rps / base.rps if base.rps else None,
            note=f"Guardian's addons keep {ours.rps / lean.rps:.0%} of it" if lean.rps else "",
        ))
        first = min(connections)
        ours, base, direct = (matrix[name, first] for name in (
            "guardian proxy", "mitmdump, no addons", "direct (no proxy)"))
        added, base_added = ours.p50 - direct.p50, base.p50 - direct.p50
        results.add(Row(
            "a", f"{label}, {first} conn.: p50 latency added to direct", added, "ms",
            f"direct {fmt(direct.p50)} ms; mitmdump adds {fmt(base_added)} ms",
            added / base_added if base_added > 0 else None, "of mitmdump's",
            target=at_most(1.0, "≤ 1 ms"),
        ))


def _client_row(results: Results, http: Matrix, https: Matrix,
                connections: Sequence[int]) -> None:
    for label, matrix in (("HTTP", http), ("HTTPS", https)):
        count = max(connections)
        direct, ours = matrix["direct (no proxy)", count], matrix["guardian proxy", count]
        client = direct.results[0].client
        results.add(Row(
            "a", f"client + upstream ceiling, {label} ({client}), {count} conn.", direct.rps,
            "req/s",
            f"guardian proxy: {fmt(ours.rps)} req/s", direct.rps / ours.rps if ours.rps else None,
            "of the proxy's",
            note="the load client straight against the upstream; far above the proxy, so "
                 "neither is the bottleneck",
        ))


def _detail_table(results: Results, http: Matrix, https: Matrix, targets: Sequence[Target],
                  settings: Settings, memory: dict[str, object]) -> None:
    headers = ["proxy", *(f"HTTP {c} conn.: req/s · p50/p99 ms" for c in settings.connections),
               *(f"HTTPS {c} conn." for c in settings.connections),
               f"CPU ms/request (HTTP, {max(settings.connections)} conn.)", "RSS after"]
    rows = []
    for target in targets:
        cells: list[object] = [target.name]
        for matrix in (http, https):
            for count in settings.connections:
                series = matrix.get((target.name, count))
                cells.append(series.cell() if series else "–")
        series = http[target.name, max(settings.connections)]
        cpu = series.cpu_ms_per_request
        cells.append(fmt(cpu) if cpu else "–")
        mem = memory.get(target.name)
        cells.append(f"{mem.rss / 2**20:.0f} MB" if mem else "–")  # type: ignore[attr-defined]
        rows.append(cells)
    results.table(
        "Throughput and latency through the proxies",
        f"Medians of {settings.runs} interleaved runs of {settings.seconds:g} s; 2 KB HTML page "
        "from the upstream; keep-alive connections; wrk for HTTP, hey for HTTPS (CONNECT, then "
        "TLS intercepted by the proxy). squid, privoxy and e2guardian are plain HTTP only, as "
        "reference; e2guardian runs Debian's default lists and phrase filtering.\n\n"
        + markdown_table(headers, rows),
    )


def _streaming(upstream: Upstream, guardian: ProxyProcess, bare: ProxyProcess,
               log: Callable[[str], None]) -> list[Row]:
    """Peak RSS rise while one large download passes through each proxy."""
    url = upstream.url(BIG_PATH)
    size_mb = upstream.big_bytes / 2**20
    rises = {}
    for proxy in (guardian, bare):
        before = proxy.memory().rss
        peak = [before]
        done = asyncio.run(_download_watching(url, proxy, peak))
        rises[proxy.name] = (peak[0] - before) / 2**20
        log(f"  {size_mb:.0f} MB through {proxy.name}: {done / 2**20:.0f} MB received, "
            f"peak RSS +{rises[proxy.name]:.1f} MB")
    limit = min(20.0, size_mb / 10)
    return [Row(
        "a", f"{size_mb:.0f} MB download: peak RSS rise of the proxy", rises["guardian"], "MB",
        f"mitmdump (buffers whole bodies by default): +{fmt(rises['mitmdump'])} MB",
        rises["guardian"] / rises["mitmdump"] if rises["mitmdump"] > 0 else None,
        target=at_most(limit, f"streamed (≤ {fmt(limit)} MB)"),
    )]


async def _download_watching(url: str, proxy: ProxyProcess, peak: list[int]) -> int:
    async def watch() -> None:
        while True:
            peak[0] = max(peak[0], proxy.memory().rss)
            await asyncio.sleep(0.02)

    watcher = asyncio.create_task(watch())
    try:
        reader, writer = await loadgen.open_through(url, proxy.port)
        try:
            _, size = await loadgen.fetch_on(reader, writer, url, proxy.port, sink=True)
        finally:
            writer.close()
    finally:
        watcher.cancel()
    peak[0] = max(peak[0], proxy.memory().rss)
    return size


def _block_path(results: Results, upstream: Upstream, data_root: Path, work: Path,
                settings: Settings) -> list[Row]:
    """Requests for a listed host, answered by the proxy itself."""
    guardian = guardian_proxy(data_root, upstream.ca_path, work / "guardian-block")
    # mitmproxy's own blocklist, with lazy connections as Guardian has: with the
    # default (eager) an HTTPS CONNECT to a host that does not exist fails first.
    blocking = mitmdump(upstream.ca_path, work / "mitmdump-block",
                        f"block_list=/~d {BLOCKED_HOST}/403", "connection_strategy=lazy",
                        name="mitmdump-block")
    rows = []
    with Together(guardian, blocking):
        targets = [Target("guardian proxy", guardian),
                   Target("mitmdump, block_list", blocking)]
        for label, url in (("HTTP", f"http://{BLOCKED_HOST}/page.html"),
                           ("HTTPS", f"https://{BLOCKED_HOST}/page.html")):
            check_answers(targets, url, 403)
            warm_up(targets, [url], min(1.0, settings.seconds))
            matrix = interleaved(targets, url, (BLOCK_CONNECTIONS,), settings, 403)
            ours = matrix["guardian proxy", BLOCK_CONNECTIONS]
            base = matrix["mitmdump, block_list", BLOCK_CONNECTIONS]
            rows.append(Row(
                "b", f"block path, {label}, {BLOCK_CONNECTIONS} conn.: blocks answered",
                ours.rps, "req/s", f"mitmdump with its block_list: {fmt(base.rps)} req/s",
                ours.rps / base.rps if base.rps else None,
                note=f"p50/p99 {fmt(ours.p50)}/{fmt(ours.p99)} ms; Guardian's answer is the "
                     "full block page with signed ask/report forms",
            ))
    return rows


_WORKER = """\
import asyncio, sys
_start_server = asyncio.start_server
async def start_server(*args, **kwargs):
    kwargs.setdefault("reuse_port", True)
    return await _start_server(*args, **kwargs)
asyncio.start_server = start_server
from guardian.cli import main
sys.exit(main(sys.argv[1:]))
"""


def _reuseport_experiment(results: Results, upstream: Upstream, data_root: Path, work: Path,
                          settings: Settings) -> Row:
    """Can several proxy processes share one listening port (Linux SO_REUSEPORT)?"""
    port = free_port()
    first = mitmdump(upstream.ca_path, work / "reuse-a", port=port, name="mitmdump-a")
    second = mitmdump(upstream.ca_path, work / "reuse-b", port=port, name="mitmdump-b")
    with first:
        argv = second.argv
        refused = subprocess.run(argv, capture_output=True, text=True, timeout=60,
                                 cwd=second.folder.parent, env=second.env)
    reason = (refused.stdout + refused.stderr).strip().splitlines()
    said = next((line for line in reason if "address" in line.lower()), reason[-1:] or ["?"])
    results.notes.append(
        "SO_REUSEPORT: a second `mitmdump` on the same port exits with "
        f"{refused.returncode} ({str(said).strip()[:160]!r}); mitmproxy 12 binds with "
        "`asyncio.start_server(handler, host, port)` (mitmproxy/proxy/mode_servers.py) and has "
        "no option for `reuse_port`. The experiment below patches that one call in a wrapper "
        "process (benchmarks/proxy_bench.py `_WORKER`), not in Guardian."
    )
    wrapper = work / "reuseport_worker.py"
    wrapper.parent.mkdir(parents=True, exist_ok=True)
    wrapper.write_text(_WORKER)
    port = free_port()
    url = upstream.url()
    count = max(settings.connections)
    workers = [guardian_proxy(data_root, upstream.ca_path, work / f"worker-{n}", port=port,
                              python=[sys.executable, str(wrapper)]) for n in range(2)]
    one: list[float] = []
    two: list[float] = []
    with workers[0]:
        warm_up([Target("w", workers[0])], [url], min(1.0, settings.seconds))
        for _ in range(settings.runs):
            one.append(loadgen.run_load(url, port, count, settings.seconds).requests_per_second)
        with workers[1]:
            workers[1].wait_listening()
            time.sleep(1.0)  # the policy is loaded before the port opens; let it settle
            warm_up([Target("w", workers[0])], [url], min(1.0, settings.seconds))
            for _ in range(settings.runs):
                two.append(
                    loadgen.run_load(url, port, count, settings.seconds).requests_per_second)
    single, double = statistics.median(one), statistics.median(two)
    return Row(
        "x", f"2 Guardian workers on one port (SO_REUSEPORT, patched), HTTP, {count} conn.",
        double, "req/s", f"1 worker: {fmt(single)} req/s", double / single if single else None,
        note="works once start_server gets reuse_port=True; budgets and active time are "
             "then counted per worker (see RESULTS notes)",
    )


def _proxy_rows_skipped(why: str) -> list[Row]:
    rows = []
    for label in ("HTTP", "HTTPS (intercepted)"):
        rows += [Row("a", f"{label}, {c} conn.: throughput, full policy", skipped=why)
                 for c in CONNECTIONS]
        rows.append(Row("a", f"{label}, 1 conn.: p50 latency added to direct", skipped=why))
    rows += [Row("b", f"block path, {label}, {BLOCK_CONNECTIONS} conn.: blocks answered",
                 skipped=why) for label in ("HTTP", "HTTPS")]
    return rows
