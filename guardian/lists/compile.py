"""Merging per-list files into the one index the proxy reads.

A domain may be in several lists; its entry in the index carries the bit of
every category those lists stand for (`CATEGORY_BITS`), so one lookup
answers for all categories at once.
"""

from __future__ import annotations

import time
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from guardian.categories import CATEGORY_BITS
from guardian.domain_index import IndexBuilder
from guardian.errors import ListError
from guardian.lists.atomic_file import atomic_output
from guardian.lists.source_file import read_source_file


@dataclass(frozen=True, slots=True)
class IndexStats:
    """What a compile produced, for the command's report."""

    sources: int
    domains: int  # distinct names, however many lists hold each
    urls: int
    file_bytes: int
    seconds: float


def compile_index(sources: Iterable[tuple[Path, str]], out: Path) -> IndexStats:
    """Build the index at `out` from (source file, category code) pairs.

    `out` is replaced atomically, so a proxy that has the old index mapped
    keeps answering from it; on any error `out` is left as it was.
    """
    started = time.perf_counter()
    builder = IndexBuilder()
    count = 0
    for path, code in sources:
        bit = CATEGORY_BITS.get(code)
        if bit is None:
            raise ListError(
                f"{code!r} (for {path}) is not a Guardian category, so the index was not changed."
            )
        domains, urls = read_source_file(path)
        for name in domains:
            builder.add_domain(name, bit)
        for entry in urls:
            host, slash, rest = entry.partition("/")
            builder.add_url(host, slash + rest, bit)
        count += 1
    with atomic_output(out) as handle:
        size = builder.write(handle)
    return IndexStats(
        sources=count,
        domains=len(builder),
        urls=builder.url_count,
        file_bytes=size,
        seconds=time.perf_counter() - started,
    )
