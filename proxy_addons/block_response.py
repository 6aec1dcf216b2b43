"""Turning a block decision into the proxy's own HTTP response.

Page loads get the explanatory page; images, scripts, styles and fetches get
a small body of their own type, so a blocked ad or tracker does not paint a
whole page into a corner of a site.
"""

from __future__ import annotations

from datetime import datetime

from mitmproxy import http

from guardian.block_page import (
    BLOCK_PAGE_HEADERS,
    BlockedRequest,
    render_blocked_body,
    response_kind,
)
from guardian.decision import Reason

MAX_SHOWN_URL = 300


def make_block_response(
    flow: http.HTTPFlow, blocked: BlockedRequest, now: datetime | None = None
) -> http.Response:
    """`now` is the household's local time, for "tomorrow at 07:00" on time pages."""
    request = flow.request
    kind = response_kind(request.method, request.headers)
    content_type, body = render_blocked_body(kind, blocked, now)
    status = 503 if blocked.reason is Reason.POLICY_UNAVAILABLE else 403
    headers = {**BLOCK_PAGE_HEADERS, "Content-Type": content_type}
    return http.Response.make(status, body, headers)


def shown_url(flow: http.HTTPFlow) -> str:
    """The URL as the child sees it on the page: no query string, bounded length."""
    request = flow.request
    url = f"{request.scheme}://{request.pretty_host}{request.path.split('?', 1)[0]}"
    return url if len(url) <= MAX_SHOWN_URL else url[: MAX_SHOWN_URL - 1] + "…"


def page_response(status: int, html: str) -> http.Response:
    """A page of the filter's own (block pages' headers: strict CSP, no caching)."""
    headers = {**BLOCK_PAGE_HEADERS, "Content-Type": "text/html; charset=utf-8"}
    return http.Response.make(status, html.encode("utf-8"), headers)
