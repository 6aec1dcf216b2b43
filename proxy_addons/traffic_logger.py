"""TrafficLogger: one log row per request, written in batches off the event loop.

Hooks only append a small frozen row to an in-memory buffer. A background
task swaps the buffer out every `flush_interval` seconds and writes it with
one executemany in a worker thread; `done()` writes what is left on shutdown.
If the database is unavailable the rows wait (up to `max_buffered`, oldest
dropped first, with a warning) and are written when it returns.
"""

from __future__ import annotations

import asyncio
import logging
from collections import deque
from datetime import UTC, datetime

from mitmproxy import http

from guardian.storage.activity import LoggedRequest, append_requests
from proxy_addons.enforcer import METADATA_KEY, Verdict
from proxy_addons.policy_source import SharedDatabase

logger = logging.getLogger("guardian.log")

MAX_PATH = 2048



class TrafficLogger:
    def __init__(
        self,
        database: SharedDatabase,
        flush_interval: float = 0.5,
        max_buffered: int = 200_000,
    ) -> None:
        self.database = database
        self.flush_interval = flush_interval
        self.buffer: deque[LoggedRequest] = deque(maxlen=max_buffered)
        self.dropped = 0
        self._task: asyncio.Task[None] | None = None
        self._failing = False

    def response(self, flow: http.HTTPFlow) -> None:
        self._record(flow)

    def error(self, flow: http.HTTPFlow) -> None:
        self._record(flow)

    def _record(self, flow: http.HTTPFlow) -> None:
        verdict = flow.metadata.get(METADATA_KEY)
        if not isinstance(verdict, Verdict) or flow.metadata.get("guardian_logged"):
            return
        flow.metadata["guardian_logged"] = True
        request, response = flow.request, flow.response
        if len(self.buffer) == self.buffer.maxlen:
            self.dropped += 1
        self.buffer.append(
            LoggedRequest(
                time=datetime.fromtimestamp(request.timestamp_start, UTC),
                profile_id=verdict.profile.id if verdict.profile else None,
                host=verdict.host,
                path=request.path.split("?", 1)[0][:MAX_PATH],
                method=request.method[:16],
                status=response.status_code if response else None,
                decision=verdict.decision.action.value,
                reason=verdict.decision.reason.value,
                category=verdict.decision.category,
                bytes=_body_size(response),
            )
        )

    def running(self) -> None:
        self._task = asyncio.get_running_loop().create_task(self._flush_periodically())

    async def _flush_periodically(self) -> None:
        while True:
            await asyncio.sleep(self.flush_interval)
            await self.flush()

    async def flush(self) -> None:
        if not self.buffer:
            return
        batch = list(self.buffer)
        self.buffer.clear()
        ok = await asyncio.to_thread(self._write, batch)
        if not ok:
            # Put the rows back in front of any that arrived meanwhile.
            newer = list(self.buffer)
            self.buffer.clear()
            self.buffer.extend(batch)
            self.buffer.extend(newer)

    def done(self) -> None:
        if self._task is not None:
            self._task.cancel()
        if self.buffer:
            self._write(list(self.buffer))
            self.buffer.clear()
        if self.dropped:
            logger.warning("%d log rows were dropped while the database was unavailable",
                           self.dropped)

    def _write(self, batch: list[LoggedRequest]) -> bool:
        try:
            with self.database.get().begin() as session:
                append_requests(session, batch)
        except Exception as exc:
            if not self._failing:
                logger.warning("Cannot write the activity log yet (%d rows waiting): %s",
                               len(batch), exc)
            self._failing = True
            self.database.reset()
            return False
        if self._failing:
            logger.info("Activity log writes resumed")
        self._failing = False
        return True


def _body_size(response: http.Response | None) -> int:
    if response is None:
        return 0
    if response.raw_content is not None:
        return len(response.raw_content)
    try:
        return int(response.headers.get("content-length", "0"))
    except ValueError:
        return 0
