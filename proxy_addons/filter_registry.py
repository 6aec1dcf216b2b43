"""FilterRegistry: this filter's entry in the shared list of filters, kept fresh.

When the proxy is running it registers its machine name, listening address
and version (`guardian.storage.filters`), then says it is alive every
`interval` seconds from a background task, the database work in a worker
thread, never in a hook. Each beat also carries why the filter is blocking
children, if it is (no policy, or a log that cannot be written), so the app
can show which filter of a school needs attention. `done()` marks it stopped.
A database that is down only delays the beats: the filter itself fails
closed through the policy holder, not here.
"""

from __future__ import annotations

import asyncio
import logging

from mitmproxy import ctx

from guardian import __version__
from guardian.storage.filters import HEARTBEAT_INTERVAL, heartbeat, mark_stopped, register_filter
from proxy_addons.policy_source import PolicyHolder, SharedDatabase

logger = logging.getLogger("guardian.filters")


def listen_address(host: str, port: int) -> str:
    """`host:port` as an administrator would type it; all interfaces shown as 0.0.0.0."""
    host = host or "0.0.0.0"
    return f"[{host}]:{port}" if ":" in host else f"{host}:{port}"


class FilterRegistry:
    def __init__(
        self, database: SharedDatabase, holder: PolicyHolder, machine: str,
        interval: float = HEARTBEAT_INTERVAL, version: str = __version__,
    ) -> None:
        self.database = database
        self.holder = holder
        self.machine = machine
        self.interval = interval
        self.version = version
        self.address = ""
        self.filter_id: int | None = None
        self._failing = False
        self._task: asyncio.Task[None] | None = None

    def running(self) -> None:
        self.address = listen_address(ctx.options.listen_host, ctx.options.listen_port)
        self._task = asyncio.get_running_loop().create_task(self._beat_periodically())

    async def _beat_periodically(self) -> None:
        while True:
            # Read on the event loop, where the holder is written; only the string crosses.
            problem = self.holder.recording_error or self.holder.error
            await asyncio.to_thread(self.beat, problem)
            await asyncio.sleep(self.interval)

    def beat(self, problem: str | None) -> None:
        """In a worker thread: register (again, if the row was removed) or say alive."""
        try:
            with self.database.get().begin() as session:
                if self.filter_id is None or not heartbeat(session, self.filter_id, problem):
                    self.filter_id = register_filter(session, self.machine, self.address,
                                                     self.version)
                    heartbeat(session, self.filter_id, problem)
                    logger.info("Registered as filter %r at %s", self.machine, self.address)
        except Exception as exc:  # the beat waits for the database; it never stops the filter
            if not self._failing:
                logger.warning("Cannot update this filter's entry in the database: %s", exc)
            self._failing = True
            return
        self._failing = False

    def done(self) -> None:
        if self._task is not None:
            self._task.cancel()
        if self.filter_id is None:
            return
        try:
            with self.database.get().begin() as session:
                mark_stopped(session, self.filter_id)
        except Exception as exc:
            logger.warning("Cannot mark this filter stopped in the database: %s", exc)
