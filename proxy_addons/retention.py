"""RetentionRunner: deletes raw log rows past the parent's retention, at start and every hour.

The work is `guardian.storage.retention.apply_retention`, run in a worker
thread in small batches, one short transaction each with a pause between
them, so the batch writer is never kept waiting for long. No hook does I/O.
"""

from __future__ import annotations

import asyncio
import logging
import threading
import time

from guardian.clock import Clock
from guardian.storage.retention import RetentionResult, apply_retention
from proxy_addons.policy_source import SharedDatabase

logger = logging.getLogger("guardian.retention")

RUN_EVERY_SECONDS = 3600.0
PAUSE_BETWEEN_BATCHES = 0.05


class RetentionRunner:
    def __init__(
        self,
        database: SharedDatabase,
        clock: Clock,
        interval: float = RUN_EVERY_SECONDS,
        pause: float = PAUSE_BETWEEN_BATCHES,
    ) -> None:
        self.database = database
        self.clock = clock
        self.interval = interval
        self.pause = pause
        self._stop = threading.Event()
        self._task: asyncio.Task[None] | None = None

    def running(self) -> None:
        self._task = asyncio.get_running_loop().create_task(self._run_periodically())

    def done(self) -> None:
        self._stop.set()  # a run in progress stops after its current batch
        if self._task is not None:
            self._task.cancel()

    async def _run_periodically(self) -> None:
        while True:
            await asyncio.to_thread(self.run_once)
            await asyncio.sleep(self.interval)

    def run_once(self) -> RetentionResult:
        """Delete everything past its time, batch by batch (in a worker thread)."""
        requests = minutes = rollups = 0
        more = True
        try:
            while more and not self._stop.is_set():
                with self.database.get().begin() as session:
                    result = apply_retention(session, self.clock.now())
                requests += result.requests
                minutes += result.minutes
                rollups += result.rollups
                more = result.more
                if more:
                    time.sleep(self.pause)  # let the writer in between batches
        except Exception as exc:  # the next run tries again; the log goes on meanwhile
            logger.warning("Could not delete old activity rows: %s", exc)
        if requests or minutes or rollups:
            logger.info("Deleted old activity: %d requests, %d screen-time minutes, "
                        "%d summary rows", requests, minutes, rollups)
        return RetentionResult(requests, minutes, rollups, more)
