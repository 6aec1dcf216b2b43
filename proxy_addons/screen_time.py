"""ScreenTimeCounter: turns a child's engagement into counted minutes.

What counts is decided by `guardian.active_time.is_engagement`; the minutes
go to the in-memory tracker (which the enforcer reads for budgets) and to
the batch writer (which stores them). No I/O in the hook.
"""

from __future__ import annotations

from mitmproxy import http

from guardian.active_time import ActiveTimeTracker, is_engagement
from guardian.sites import site_of
from proxy_addons.batch_writer import BatchWriter
from proxy_addons.enforcer import METADATA_KEY, Verdict


class ScreenTimeCounter:
    def __init__(self, tracker: ActiveTimeTracker, writer: BatchWriter) -> None:
        self.tracker = tracker
        self.writer = writer

    def response(self, flow: http.HTTPFlow) -> None:
        verdict = flow.metadata.get(METADATA_KEY)
        if (not isinstance(verdict, Verdict) or verdict.decision.blocked
                or verdict.profile is None or verdict.now is None):
            return
        response_type = flow.response.headers.get("content-type") if flow.response else None
        if not is_engagement(flow.request.method, flow.request.headers, response_type):
            return
        rows = self.tracker.record(
            verdict.profile.id, verdict.now, site_of(verdict.host), verdict.decision.category
        )
        if rows:
            self.writer.add_minutes(rows)
