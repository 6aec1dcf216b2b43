"""ContentFilter: reads the words of pages the child opens and blocks those over the threshold.

Weighted phrases in the spirit of e2guardian (see guardian.content_scan):
an HTML or text response whose score in a category blocked for the child
reaches the child's threshold is replaced by the block page, naming the
category. A publisher's adult label (RTA, `rating` meta) counts as adult.
Only complete bodies are read, and only their first 256 KiB; streamed
downloads pass untouched. About 1.5 ms per 100 KB page, on the event loop:
CPU, not I/O.
"""

from __future__ import annotations

from dataclasses import replace

from mitmproxy import http

from guardian.categories import CATEGORY_BITS
from guardian.content_scan import PhraseMatcher, load_default_matcher, scan
from guardian.decision import Reason, block
from proxy_addons.enforcer import METADATA_KEY, PolicyEnforcer, Verdict

SCANNED_TYPES = ("text/html", "text/plain", "application/xhtml+xml")


class ContentFilter:
    def __init__(self, enforcer: PolicyEnforcer, matcher: PhraseMatcher | None = None) -> None:
        self.enforcer = enforcer
        self.matcher = matcher or load_default_matcher()

    def response(self, flow: http.HTTPFlow) -> None:
        verdict = flow.metadata.get(METADATA_KEY)
        response = flow.response
        if (not isinstance(verdict, Verdict) or verdict.decision.blocked
                or verdict.profile is None or response is None
                or response.raw_content is None):
            return
        content_type = response.headers.get("content-type", "")
        kind = content_type.split(";", 1)[0].strip().lower()
        if kind not in SCANNED_TYPES:
            return
        body = response.get_content(strict=False) or b""
        result = scan(body, content_type, self.matcher, headers=header_pairs(response.headers))
        profile = verdict.profile
        for category in result.categories_over(profile.scan_threshold):
            if profile.blocked_mask & CATEGORY_BITS.get(category, 0):
                blocked = replace(verdict, decision=block(Reason.CONTENT, category=category))
                flow.metadata[METADATA_KEY] = blocked
                flow.response = self.enforcer.block_response(flow, blocked)
                return


def header_pairs(headers: http.Headers) -> list[tuple[str, str]]:
    """(name, value) pairs as `headers.items()` gives them, read straight from the raw
    fields: `items()` looks every name up again, which cost more than the scan of a
    small page."""
    return [(name.decode("utf-8", "surrogateescape"), value.decode("utf-8", "surrogateescape"))
            for name, value in headers.fields]
