"""How the filter's Python process is set up to run mitmproxy: two start-up settings.

`settle_heap`: by start-up the process holds about 140,000 objects (mitmproxy,
SQLAlchemy, the policy), none of which will become garbage. A full
collection walked all of them, 70-140 ms each, and under load one ran every
second or two, the event loop standing still meanwhile. Frozen
(`gc.freeze`), they are left out of every pass; objects made later, a
reloaded policy included, are collected as before. `release_heap` gives them
back to the collector when the proxy stops: the database connections opened
at start-up sit in reference cycles, and SQLite checkpoints and removes its
write-ahead log only when they are closed.

`skip_debug_type_checks`: when Python runs without `-O`, mitmproxy checks
the type of every field of every request and response it builds
(`mitmproxy.http.MessageData.__post_init__`, under `if __debug__:`), about
7% of the filter's time under load (py-spy). Those are mitmproxy's own
debugging checks on what its parser and `Response.make` build; the filter
runs as optimized Python would, without them.
"""

from __future__ import annotations

import gc

from mitmproxy import http


def settle_heap() -> None:
    gc.collect()
    gc.freeze()


def release_heap() -> None:
    gc.unfreeze()
    gc.collect()


def skip_debug_type_checks() -> None:
    if "__post_init__" in vars(http.MessageData):
        http.MessageData.__post_init__ = _unchecked  # type: ignore[method-assign]


def _unchecked(self: http.MessageData) -> None:
    """Stands in for mitmproxy's debug-only field type checks."""
