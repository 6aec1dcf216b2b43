"""(c) and (d): the compiled category index against a Python dict of the same names.

Measured in a fresh process (`python -m benchmarks.index_bench`), so the
memory figures are the index's and the dict's alone: resident memory before
opening, after opening and after classifying a million hosts (which brings
the pages a lookup touches into memory), then the same for a dict built from
the same lists, looked up with the walk over parent domains it would need.

Unique hosts are all different (every lookup misses the index's small
cache): half are listed names or names below them, half are not listed.
Repeating hosts are 300 names in turn, as a household's browsing repeats.
"""

from __future__ import annotations

import gc
import json
import random
import statistics
import sys
import time
from pathlib import Path

from benchmarks.machine import in_child, memory
from benchmarks.results import Results, Row, at_least, at_most, fmt, markdown_table

REPEATING = 300


def sample_hosts(domains: list[str], count: int, seed: int = 11) -> list[str]:
    """`count` distinct hosts: half listed (or below a listed name), half not."""
    rng = random.Random(seed)
    hosts: set[str] = set()
    while len(hosts) < count:
        name = rng.choice(domains)
        kind = rng.random()
        if kind < 0.25:
            hosts.add(name)
        elif kind < 0.5:
            hosts.add(f"x{rng.randrange(10**6)}.{name}")
        else:
            hosts.add(f"n{rng.randrange(10**9)}.unlisted-{rng.randrange(10**6)}.com")
    return list(hosts)


def _timed_rate(lookup, hosts: list[str], rounds: int = 3) -> float:  # type: ignore[no-untyped-def]
    rates = []
    for _ in range(rounds):
        started = time.perf_counter()
        for host in hosts:
            lookup(host)
        rates.append(len(hosts) / (time.perf_counter() - started))
    return statistics.median(rates)


def _dict_lookup(table: dict[str, int]):  # type: ignore[no-untyped-def]
    """The straightforward approach: the host, then each parent, in a dict."""
    get = table.get

    def lookup(host: str) -> int:
        mask = get(host, 0)
        dot = host.find(".")
        while dot >= 0:
            mask |= get(host[dot + 1 :], 0)
            dot = host.find(".", dot + 1)
        return mask

    return lookup


def measure(index_path: Path, source_files: list[tuple[Path, str]], lookups: int) -> dict:
    """Runs in the child process; returns plain numbers."""
    from guardian.categories import CATEGORY_BITS
    from guardian.domain_index import DomainIndex
    from guardian.lists import compile_index, read_source_file

    out: dict[str, float] = {}
    domains: list[str] = []
    for path, _category in source_files:
        domains.extend(read_source_file(path)[0])
    unique = sample_hosts(domains, lookups)
    repeating = [unique[i % REPEATING] for i in range(lookups)]
    gc.collect()

    # (d) compile: the same source files into a scratch index.
    scratch = index_path.with_name("bench-compiled.idx")
    started = time.perf_counter()
    stats = compile_index(source_files, scratch)
    out["compile_s"] = time.perf_counter() - started
    out["domains"] = stats.domains
    out["file_mb"] = stats.file_bytes / 2**20
    scratch.unlink()
    gc.collect()

    # (d) load, and (c) memory and speed of the index.
    before = memory()
    opens = []
    for _ in range(5):
        started = time.perf_counter()
        index = DomainIndex.open(index_path)
        index.mask_of("www.example.com")
        opens.append(time.perf_counter() - started)
        if len(opens) < 5:
            index.close()
    out["load_s"] = statistics.median(opens)
    out["unique_per_s"] = _timed_rate(index.mask_of, unique)
    out["repeating_per_s"] = _timed_rate(index.mask_of, repeating)
    after = memory()
    out["index_added_mb"] = (after.rss - before.rss) / 2**20
    out["index_anon_mb"] = (after.anon - before.anon) / 2**20
    out["index_file_mb"] = (after.file - before.file) / 2**20
    listed = sum(1 for host in unique if index.mask_of(host))
    out["listed_share"] = listed / len(unique)
    index.close()
    del index
    gc.collect()

    # The baseline: a dict from name to category bits, built from the same files.
    before = memory()
    started = time.perf_counter()
    table: dict[str, int] = {}
    for path, category in source_files:
        bit = CATEGORY_BITS[category]
        for name in read_source_file(path)[0]:
            table[name] = table.get(name, 0) | bit
    out["dict_build_s"] = time.perf_counter() - started
    gc.collect()
    lookup = _dict_lookup(table)
    out["dict_unique_per_s"] = _timed_rate(lookup, unique)
    out["dict_repeating_per_s"] = _timed_rate(lookup, repeating)
    out["dict_added_mb"] = (memory().rss - before.rss) / 2**20
    return out


def run_index_benchmarks(results: Results, index_path: Path,
                         source_files: list[tuple[Path, str]], lookups: int,
                         import_seconds: float) -> None:
    m = in_child("benchmarks.index_bench", {
        "index": str(index_path), "lookups": lookups,
        "sources": [[str(p), c] for p, c in source_files],
    })
    names = f"{m['domains']:,.0f} domains"
    results.add(Row(
        "c", f"classifications/s, unique hosts ({names})", m["unique_per_s"], "/s",
        f"dict + parent walk: {fmt(m['dict_unique_per_s'])}/s",
        m["unique_per_s"] / m["dict_unique_per_s"], target=at_least(500_000, "≥ 500,000/s"),
    ))
    results.add(Row(
        "c", f"classifications/s, {REPEATING} repeating hosts", m["repeating_per_s"], "/s",
        f"dict + parent walk: {fmt(m['dict_repeating_per_s'])}/s",
        m["repeating_per_s"] / m["dict_repeating_per_s"],
        target=at_least(m["unique_per_s"], "more than unique"),
    ))
    results.add(Row(
        "c", f"memory added by the index ({names})", m["index_added_mb"], "MB",
        f"dict of the same names: +{fmt(m['dict_added_mb'])} MB",
        m["index_added_mb"] / m["dict_added_mb"] if m["dict_added_mb"] > 0 else None,
        target=at_most(40, "≤ 40 MB"),
        note=f"file {fmt(m['file_mb'])} MB; of the rise {fmt(m['index_file_mb'])} MB mapped "
             f"file pages (shared), {fmt(m['index_anon_mb'])} MB private",
    ))
    results.add(Row(
        "d", f"index load ({names})", m["load_s"] * 1000, "ms",
        f"building the dict from the lists: {fmt(m['dict_build_s'] * 1000)} ms",
        m["load_s"] / m["dict_build_s"], target=at_most(300, "≤ 0.3 s"),
    ))
    results.add(Row(
        "d", f"list compile ({names}, from the stored lists)", m["compile_s"], "s",
        f"building the dict: {fmt(m['dict_build_s'])} s", m["compile_s"] / m["dict_build_s"],
        note=f"importing the 9 lists one by one (parse + compile each time): "
             f"{fmt(import_seconds)} s",
    ))
    results.table("Category index and a Python dict of the same names", markdown_table(
        ["", "compiled index", "dict + parent walk"],
        [["classifications/s, unique hosts", fmt(m["unique_per_s"]),
          fmt(m["dict_unique_per_s"])],
         [f"classifications/s, {REPEATING} repeating hosts", fmt(m["repeating_per_s"]),
          fmt(m["dict_repeating_per_s"])],
         ["memory added (RSS)", f"{fmt(m['index_added_mb'])} MB",
          f"{fmt(m['dict_added_mb'])} MB"],
         ["ready to use", f"{fmt(m['load_s'] * 1000)} ms (open)",
          f"{fmt(m['dict_build_s'] * 1000)} ms (build)"],
         ["built from the stored lists", f"{fmt(m['compile_s'])} s (compile)", "–"],
         ["share of sampled hosts listed", f"{m['listed_share']:.0%}", ""]],
    ))


if __name__ == "__main__":
    request = json.loads(sys.stdin.read())
    print(json.dumps(measure(Path(request["index"]),
                             [(Path(p), c) for p, c in request["sources"]],
                             int(request["lookups"]))))
