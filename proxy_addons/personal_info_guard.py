"""PersonalInfoGuard: warns before a child's own details leave the computer.

CHILD-8, GEN-3 and Decree 56/2017 Art. 33: when a form post, an upload's
text, a JSON body or a query string carries the child's name, phone number,
address, school or ID number (as the parent recorded them), the request is
held and the child gets a page that explains why. Where the parent allowed
it, "send anyway" lets the same site receive them for a few minutes. The
details themselves are never logged: the page and the log name only kinds.
The check runs once the body has arrived, before any upstream connection.
"""

from __future__ import annotations

import time
import zlib
from dataclasses import replace

from mitmproxy import http

from guardian.decision import Reason, block
from guardian.personal_info import extract_outgoing_text
from proxy_addons.enforcer import METADATA_KEY, PolicyEnforcer, Verdict

SEND_ANYWAY_SECONDS = 10 * 60
MAX_INFLATED = 256 * 1024


class SendAnywayPasses:
    """(profile, host) pairs the child chose to send their details to, until when."""

    def __init__(self) -> None:
        self._until: dict[tuple[int, str], float] = {}

    def grant(self, profile_id: int, host: str, now: float) -> None:
        self._until[(profile_id, host)] = now + SEND_ANYWAY_SECONDS

    def allows(self, profile_id: int, host: str, now: float) -> bool:
        until = self._until.get((profile_id, host))
        if until is None:
            return False
        if until < now:
            del self._until[(profile_id, host)]
            return False
        return True


def readable_body(request: http.Request) -> bytes:
    """The request body as sent, inflated (to a bounded size) when gzip or deflate encoded.

    Other encodings (br, zstd) are rare in requests and left unread.
    """
    raw = request.raw_content or b""
    encoding = request.headers.get("content-encoding", "").strip().lower()
    if not encoding or encoding == "identity":
        return raw
    if encoding not in ("gzip", "x-gzip", "deflate"):
        return b""
    window = 16 + zlib.MAX_WBITS if "gzip" in encoding else zlib.MAX_WBITS
    try:
        # max_length stops a small body that inflates to gigabytes.
        return zlib.decompressobj(window).decompress(raw, MAX_INFLATED)
    except zlib.error:
        return b""


class PersonalInfoGuard:
    def __init__(self, enforcer: PolicyEnforcer, passes: SendAnywayPasses) -> None:
        self.enforcer = enforcer
        self.passes = passes

    def request(self, flow: http.HTTPFlow) -> None:
        verdict = flow.metadata.get(METADATA_KEY)
        if (flow.response is not None or not isinstance(verdict, Verdict)
                or verdict.decision.blocked or verdict.profile is None
                or verdict.profile.details is None):
            return
        request = flow.request
        query = request.path.partition("?")[2]
        body = readable_body(request)
        if not query and not body:
            return
        text = extract_outgoing_text(request.headers.get("content-type", ""), body, query)
        found = verdict.profile.details.find(text) if text else ()
        if not found:
            return
        if self.passes.allows(verdict.profile.id, verdict.host, time.time()):
            return
        held = replace(verdict, decision=block(Reason.PERSONAL_INFO),
                       details_found=found)
        flow.metadata[METADATA_KEY] = held
        flow.response = self.enforcer.block_response(flow, held)
