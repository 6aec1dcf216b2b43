"""BatchWriter: everything the filter records, written in batches off the event loop.

Hooks only append small frozen rows to in-memory buffers. A background task
swaps the buffers out every `flush_interval` seconds and writes them in one
transaction in a worker thread (one executemany per table, the daily rollups
included); `done()` writes what is left on shutdown. If the database is
unavailable the rows wait, up to `max_buffered` request rows (oldest dropped
first, with a warning), and are written when it returns.
"""

from __future__ import annotations

import asyncio
import logging
import sys
import time
from collections import deque
from collections.abc import Callable
from datetime import UTC, tzinfo

from guardian.active_time import MinuteRow
from guardian.storage.activity import LoggedRequest, append_requests
from guardian.storage.rollups import update_rollups
from proxy_addons.policy_source import PolicyHolder, SharedDatabase

logger = logging.getLogger("guardian.log")
LOOP_SWITCH_INTERVAL = 0.001  # seconds


class BatchWriter:
    def __init__(
        self, database: SharedDatabase, flush_interval: float = 0.5, max_buffered: int = 200_000,
        zone: Callable[[], tzinfo] = lambda: UTC,
        holder: PolicyHolder | None = None,
        fail_closed_after: float = 2.0,
    ) -> None:
        self.database = database
        # While writes keep failing for `fail_closed_after` seconds (a full or
        # read-only disk), children are blocked rather than browsing unrecorded.
        self.holder = holder
        self.fail_closed_after = fail_closed_after
        self._failing_since: float | None = None
        self._last_error = ""
        self.zone = zone  # the household's, for the local days of the daily rollups
        self.flush_interval = flush_interval
        self.requests: deque[LoggedRequest] = deque(maxlen=max_buffered)
        self.minutes: list[MinuteRow] = []
        self.dropped = 0
        self._task: asyncio.Task[None] | None = None
        self._failing = False

    def add_request(self, row: LoggedRequest) -> None:
        if len(self.requests) == self.requests.maxlen:
            self.dropped += 1
        self.requests.append(row)

    def add_minutes(self, rows: list[MinuteRow]) -> None:
        self.minutes.extend(rows)

    def running(self) -> None:
        # The write runs in a worker thread, which holds the GIL between its
        # calls into SQLite; the event loop, waking from a wait, must get it
        # back before it can run again. Python hands it over only every
        # switch interval (5 ms by default), and a loop turn may wait for it
        # more than once: at 1 ms the loop's stalls while a batch is written
        # stay in the order of a millisecond.
        sys.setswitchinterval(min(sys.getswitchinterval(), LOOP_SWITCH_INTERVAL))
        self._task = asyncio.get_running_loop().create_task(self._flush_periodically())

    async def _flush_periodically(self) -> None:
        # Flushes start on a fixed cadence: a slow write shortens the next wait
        # rather than adding to it, so a crash loses at most one interval of
        # rows plus the ones that arrived during the write in progress.
        loop = asyncio.get_running_loop()
        while True:
            started = loop.time()
            await self.flush()
            await asyncio.sleep(max(0.0, self.flush_interval - (loop.time() - started)))

    async def flush(self) -> None:
        if not self.requests and not self.minutes:
            return
        requests, minutes = self._take()
        ok = await asyncio.to_thread(self._write, requests, minutes)
        if not ok:
            self._put_back(requests, minutes)
        self._note_health(ok)

    def _note_health(self, ok: bool) -> None:
        """On the event loop: fail closed while activity cannot be recorded, recover after."""
        if self.holder is None:
            return
        if ok:
            self._failing_since = None
            self.holder.recording_error = None
            return
        now = time.monotonic()
        if self._failing_since is None:
            self._failing_since = now
        elif now - self._failing_since >= self.fail_closed_after:
            self.holder.recording_error = f"activity cannot be recorded: {self._last_error}"

    def done(self) -> None:
        if self._task is not None:
            self._task.cancel()
        if self.requests or self.minutes:
            self._write(*self._take())
        if self.dropped:
            logger.warning("%d log rows were dropped while the database was unavailable",
                           self.dropped)

    def _take(self) -> tuple[list[LoggedRequest], list[MinuteRow]]:
        requests, minutes = list(self.requests), self.minutes
        self.requests.clear()
        self.minutes = []
        return requests, minutes

    def _put_back(self, requests: list[LoggedRequest], minutes: list[MinuteRow]) -> None:
        """In front of any rows that arrived meanwhile, so the order stays."""
        newer = list(self.requests)
        self.requests.clear()
        self.requests.extend(requests)
        self.requests.extend(newer)
        self.minutes = minutes + self.minutes

    def _write(self, requests: list[LoggedRequest], minutes: list[MinuteRow]) -> bool:
        try:
            with self.database.get().begin() as session:
                append_requests(session, requests)
                # Stores the minutes not stored yet and rolls both up for the weekly summary.
                update_rollups(session, requests, minutes, self.zone())
        except Exception as exc:
            self._last_error = str(exc).splitlines()[0][:200] if str(exc) else type(exc).__name__
            if not self._failing:
                logger.warning("Cannot write the activity log yet (%d rows waiting): %s",
                               len(requests), exc)
            self._failing = True
            self.database.reset()
            return False
        if self._failing:
            logger.info("Activity log writes resumed")
        self._failing = False
        return True
