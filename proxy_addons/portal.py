"""ChildPortal: the filter's own little site on a reserved host, for the child's browser.

`guardian.home.arpa` (`.home.arpa` is reserved for home networks and never
resolves on the Internet) is answered by the filter itself, over HTTP and
HTTPS, and never reaches the network:

- `GET /health`: whether the filter runs and has its policy (for the app; the
  reason it has none is only in the filter's log);
- `POST /ask`: a child asks a parent for a site or more time (signed token);
- `GET /requests/<id>`: the state of the child's own request (refreshes itself);
- `POST /report`: "report this page" (signed token);
- `POST /send-anyway`: the child chose to send their details to a site, where
  the parent allowed that (signed token, once);
- `GET /`: the child's own page: time used and left today, and what is recorded.

Nothing here exposes a parent function: every answer is about the child the
request comes from, and a token signed for one child does nothing for
another. Database work runs in a worker thread (`await asyncio.to_thread`),
so the event loop never waits for it.
"""

from __future__ import annotations

import asyncio
import json
import logging

from mitmproxy import http

from guardian import __version__
from guardian.active_time import ActiveTimeTracker
from guardian.block_page import PORTAL_HOST
from guardian.clock import Clock
from guardian.errors import GuardianError
from guardian.policy import HouseholdPolicy, ProfilePolicy
from guardian.portal_pages import (
    RequestStatus,
    render_notice_page,
    render_report_thanks,
    render_request_status,
)
from guardian.storage.access_requests import create_report, create_request, get_request
from guardian.tokens import InvalidToken, TokenClaims, verify
from proxy_addons.block_response import page_response
from proxy_addons.child_page import child_page_response
from proxy_addons.enforcer import PORTAL_KEY, SEND_ANYWAY, profile_of
from proxy_addons.personal_info_guard import SendAnywayPasses
from proxy_addons.policy_source import PolicyHolder, SharedDatabase

logger = logging.getLogger("guardian.portal")
MAX_FORM_BYTES = 16 * 1024


class ChildPortal:
    def __init__(
        self, holder: PolicyHolder, database: SharedDatabase, clock: Clock,
        tracker: ActiveTimeTracker,
        passes: SendAnywayPasses,
    ) -> None:
        self.holder = holder
        self.database = database
        self.clock = clock
        self.tracker = tracker
        self.passes = passes
        self._used_nonces: set[str] = set()  # send-anyway tokens work once

    def requestheaders(self, flow: http.HTTPFlow) -> None:
        if flow.response or not flow.live:
            return
        if flow.request.host.lower().rstrip(".") == PORTAL_HOST:
            flow.metadata[PORTAL_KEY] = True

    async def request(self, flow: http.HTTPFlow) -> None:
        if not flow.metadata.get(PORTAL_KEY) or flow.response:
            return
        try:
            flow.response = await self.answer(flow)
        except Exception:  # a page that fails must not take the filter down
            logger.exception("The child portal failed on %s", flow.request.path)
            flow.response = _notice(500, "en", "portal.error")

    async def answer(self, flow: http.HTTPFlow) -> http.Response:
        request = flow.request
        path = request.path.split("?", 1)[0]
        policy = self.holder.policy
        if path == "/health":
            # Anyone on the filter's ports may ask, children included: the
            # reason (which may name the data folder) stays in the filter's log.
            return _json({
                "guardian": __version__,
                "ok": policy is not None,
                "policy_version": policy.version if policy else None,
                "error": None if self.holder.error is None else "policy_unavailable",
            })
        if policy is None:
            return _notice(503, "vi", "reason.policy_unavailable", detail=".detail")
        profile = profile_of(flow, policy)
        if profile is None:
            return _notice(403, "vi", "reason.not_assigned", detail=".detail")
        if path == "/ask" and request.method == "POST":
            return await self._ask(flow, policy, profile)
        if path == "/report" and request.method == "POST":
            return await self._report(flow, policy, profile)
        if path == "/send-anyway" and request.method == "POST":
            return self._send_anyway(flow, policy, profile)
        if path.startswith("/requests/") and request.method == "GET":
            return await self._status(path.removeprefix("/requests/"), profile)
        if path == "/" and request.method == "GET":
            return await child_page_response(self, flow, policy, profile)
        return _notice(404, profile.language, "portal.not_found")

    async def _ask(
        self, flow: http.HTTPFlow, policy: HouseholdPolicy, profile: ProfilePolicy
    ) -> http.Response:
        claims, fields = self._claims(flow, policy, profile)
        if claims is None:
            return _expired(profile)
        message = fields.get("message", "")
        try:
            request_id = await asyncio.to_thread(self._store, create_request, claims, message)
        except InvalidToken:
            return _expired(profile)
        return http.Response.make(303, b"", {"Location": f"/requests/{request_id}",
                                             "Cache-Control": "no-store"})

    async def _report(
        self, flow: http.HTTPFlow, policy: HouseholdPolicy, profile: ProfilePolicy
    ) -> http.Response:
        claims, fields = self._claims(flow, policy, profile)
        if claims is None:
            return _expired(profile)
        try:
            await asyncio.to_thread(self._store, create_report, claims, fields.get("note", ""))
        except InvalidToken:
            return _expired(profile)
        return page_response(200, render_report_thanks(profile.language))

    def _send_anyway(
        self, flow: http.HTTPFlow, policy: HouseholdPolicy, profile: ProfilePolicy
    ) -> http.Response:
        claims, _ = self._claims(flow, policy, profile)
        if (claims is None or claims.purpose != SEND_ANYWAY or not profile.details_send_anyway
                or claims.nonce in self._used_nonces):
            return _expired(profile)
        self._used_nonces.add(claims.nonce)
        self.passes.grant(profile.id, claims.host, self.clock.now().timestamp())
        return _notice(200, profile.language, "portal.send_anyway")

    async def _status(self, text: str, profile: ProfilePolicy) -> http.Response:
        if not text.isdigit():
            return _not_found(profile)
        try:
            info = await asyncio.to_thread(self._read_request, int(text))
        except GuardianError:
            return _not_found(profile)
        if info.profile_id != profile.id:
            return _not_found(profile)  # never another child's request
        status = RequestStatus(kind=info.kind, target=info.host if info.kind == "site" else
                               info.scope, status=info.status, answer=info.answer,
                               message=info.message)
        return page_response(200, render_request_status(profile.language, status))

    def _claims(
        self, flow: http.HTTPFlow, policy: HouseholdPolicy, profile: ProfilePolicy
    ) -> tuple[TokenClaims | None, dict[str, str]]:
        if len(flow.request.raw_content or b"") > MAX_FORM_BYTES:
            return None, {}
        fields = {k: v for k, v in flow.request.urlencoded_form.items()}
        try:
            claims = verify(fields.get("token", ""), policy.token_secret,
                            self.clock.now().timestamp())
        except InvalidToken:
            return None, fields
        if claims.profile_id != profile.id:
            return None, fields
        return claims, fields

    def _store(self, create, claims: TokenClaims, text: str) -> int:  # type: ignore[no-untyped-def]
        with self.database.get().begin() as session:
            return create(session, claims, text)

    def _read_request(self, request_id: int):  # type: ignore[no-untyped-def]
        with self.database.get().begin() as session:
            return get_request(session, request_id)


def _json(value: object) -> http.Response:
    return http.Response.make(200, json.dumps(value).encode(), {
        "Content-Type": "application/json", "Cache-Control": "no-store"})


def _notice(status: int, language: str, key: str, detail: str = "") -> http.Response:
    """A short page: `key.title` and `key.text`, or a reason's heading and `.detail`."""
    if detail:
        return page_response(status, render_notice_page(language, key, key + detail))
    return page_response(status, render_notice_page(language, f"{key}.title", f"{key}.text"))


def _expired(profile: ProfilePolicy) -> http.Response:
    return _notice(400, profile.language, "portal.expired")


def _not_found(profile: ProfilePolicy) -> http.Response:
    return _notice(404, profile.language, "portal.not_found")
