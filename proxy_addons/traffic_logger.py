"""TrafficLogger: one log row per request a child made, handed to the batch writer.

The row is built from the verdict the enforcer left in `flow.metadata`; the
hook does no I/O.
"""

from __future__ import annotations

from datetime import UTC, datetime

from mitmproxy import http

from guardian.personal_info import redact
from guardian.safe_search import SafeSearchCatalog, load_safe_search
from guardian.storage.activity import LoggedRequest
from proxy_addons.batch_writer import BatchWriter
from proxy_addons.enforcer import METADATA_KEY, Verdict

MAX_PATH = 2048
LOGGED_KEY = "guardian_logged"


class TrafficLogger:
    def __init__(self, writer: BatchWriter, catalog: SafeSearchCatalog | None = None) -> None:
        self.writer = writer
        self.catalog = catalog or load_safe_search()

    def response(self, flow: http.HTTPFlow) -> None:
        self._record(flow)

    def error(self, flow: http.HTTPFlow) -> None:
        self._record(flow)

    def _record(self, flow: http.HTTPFlow) -> None:
        verdict = flow.metadata.get(METADATA_KEY)
        if not isinstance(verdict, Verdict) or flow.metadata.get(LOGGED_KEY):
            return
        flow.metadata[LOGGED_KEY] = True
        request, response = flow.request, flow.response
        self.writer.add_request(
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
                search=self._search_terms(verdict, request),
            )
        )


    def _search_terms(self, verdict: Verdict, request: http.Request) -> str | None:
        """What was searched for, without the child's own details in it."""
        if not self.catalog.is_search_host(verdict.host):
            return None  # not a search: the query is not even parsed
        terms = self.catalog.search_terms(
            verdict.host, request.path, list(request.query.items(multi=True)))
        if terms is None or verdict.profile is None or verdict.profile.details is None:
            return terms
        return redact(terms, verdict.profile.details)


def _body_size(response: http.Response | None) -> int:
    if response is None:
        return 0
    if response.raw_content is not None:
        return len(response.raw_content)
    try:
        return int(response.headers.get("content-length", "0"))
    except ValueError:
        return 0
