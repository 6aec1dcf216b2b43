"""PolicyEnforcer: decides each child's request and answers blocks itself.

The decision is made in `requestheaders`, before any body arrives and before
any upstream connection exists (the proxy runs with lazy connections), so a
blocked host is never contacted. The verdict is left in
`flow.metadata["guardian"]` for the addons after it (screen time, notices,
the traffic logger).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, replace
from datetime import datetime

from mitmproxy import http, tcp, udp

from guardian.active_time import ActiveTimeTracker, ProfileUsage
from guardian.block_page import PORTAL_HOST, BlockedRequest, FormTarget
from guardian.bypass import is_dns_message
from guardian.clock import Clock
from guardian.decision import Decision, Reason, block
from guardian.engine import Context, RequestFacts, context_for, decide
from guardian.errors import InvalidHost
from guardian.hosts import normalize_host, normalize_path
from guardian.known_sites import known_sites
from guardian.policy import HouseholdPolicy, ProfilePolicy
from guardian.signups import signup_pages
from guardian.tokens import TOKEN_LIFETIME_SECONDS, TokenClaims, new_nonce, sign
from proxy_addons.block_response import make_block_response, shown_url
from proxy_addons.device_traffic import DEVICE_ADDRESS
from proxy_addons.policy_source import PolicyHolder

logger = logging.getLogger("guardian.enforcer")
METADATA_KEY = "guardian"
PORTAL_KEY = "guardian_portal"
HOST_CACHE_SIZE = 4096
FALLBACK_LANGUAGE = "vi"
# Blocks a child may ask a parent about; the others are not the parent's choice to undo here.
_ASKABLE = {
    Reason.BLOCK_RULE: "site", Reason.CATEGORY: "site", Reason.CONTENT: "site",
    Reason.TIME_UP: "time", Reason.OUTSIDE_HOURS: "time", Reason.SIGNUP: "site",
}
SEND_ANYWAY = "send_anyway"
FOLDED_HEADER = b"Guardian refused a malformed request: a header folded over two lines."


@dataclass(frozen=True, slots=True)
class Verdict:
    profile: ProfilePolicy | None
    host: str
    decision: Decision
    facts: RequestFacts | None = None
    now: datetime | None = None  # local time of the decision
    details_found: tuple[str, ...] = ()  # kinds of the child's details a request carried

    def context(self, tracker: ActiveTimeTracker) -> Context | None:
        """The engine's view of this request, for addons that need more than the decision."""
        if self.profile is None or self.facts is None or self.now is None:
            return None
        usage = ProfileUsage(tracker, self.profile.id)
        return context_for(self.facts, self.profile, usage, self.now)


class PolicyEnforcer:
    def __init__(self, holder: PolicyHolder, tracker: ActiveTimeTracker, clock: Clock) -> None:
        self.holder = holder
        self.tracker = tracker
        self.clock = clock
        self._hosts: dict[str, str | None] = {}
        # The data shipped with Guardian that decisions read, loaded now: a damaged
        # file stops the filter at start with one line, not every request later.
        known_sites()
        signup_pages()

    def requestheaders(self, flow: http.HTTPFlow) -> None:
        if flow.response or flow.error or not flow.live or flow.metadata.get(PORTAL_KEY):
            return
        if _has_folded_header(flow.request.headers.fields):
            flow.response = http.Response.make(400, FOLDED_HEADER, {"Content-Type": "text/plain"})
            return
        try:
            verdict = self.judge(flow)
            flow.metadata[METADATA_KEY] = verdict
            if verdict.decision.blocked:
                flow.response = self.block_response(flow, verdict)
        except Exception:  # a fault here must never let a child's request through
            logger.exception("The filter failed on a request; it was blocked")
            verdict = Verdict(None, flow.request.host, block(Reason.POLICY_UNAVAILABLE))
            flow.metadata[METADATA_KEY] = verdict
            flow.response = http.Response.make(
                503, b"Guardian could not check this request.", {"Content-Type": "text/plain"})

    def block_response(self, flow: http.HTTPFlow, verdict: Verdict) -> http.Response:
        """The page (or small answer) that explains `verdict` to the child."""
        return make_block_response(flow, self._blocked_request(flow, verdict), verdict.now)

    def judge(self, flow: http.HTTPFlow) -> Verdict:
        request = flow.request
        host = self._canonical(request.host)
        policy = self.holder.policy
        if policy is None or self.holder.recording_error is not None:
            return Verdict(None, host or request.host, block(Reason.POLICY_UNAVAILABLE))
        profile = profile_of(flow, policy)
        if profile is None:
            return Verdict(None, host or request.host, block(Reason.NOT_ASSIGNED))
        if host is None:
            return Verdict(profile, request.host, block(Reason.INVALID_HOST))
        now = self.clock.now().astimezone(policy.zone)
        usage = ProfileUsage(self.tracker, profile.id)
        headers = request.headers
        facts = RequestFacts(host, normalize_path(request.path), request.method,
                             is_dns_message(headers.get("content-type", ""),
                                            headers.get("accept", "")))
        decision = decide(facts, profile, usage, now)
        # The connection goes to request.host, but the server picks the site by
        # the Host header: a request must pass under both names.
        header_host = request.host_header
        if not decision.blocked and header_host:
            named = self._canonical(header_host)
            if named is None:
                return Verdict(profile, host, block(Reason.INVALID_HOST))
            if named != host:
                named_facts = replace(facts, host=named)
                second = decide(named_facts, profile, usage, now)
                if second.blocked:
                    return Verdict(profile, named, second, named_facts, now)
        return Verdict(profile, host, decision, facts, now)

    def tcp_start(self, flow: tcp.TCPFlow) -> None:
        self._refuse_tunnel(flow)

    def udp_start(self, flow: udp.UDPFlow) -> None:
        self._refuse_tunnel(flow)

    def _refuse_tunnel(self, flow: tcp.TCPFlow | udp.UDPFlow) -> None:
        """Guardian filters the web; other traffic tunnelled through it would go unchecked."""
        flow.kill()

    def _canonical(self, raw: str) -> str | None:
        cached = self._hosts.get(raw, False)
        if cached is not False:
            return cached  # type: ignore[return-value]
        try:
            host: str | None = normalize_host(raw)
        except InvalidHost:
            host = None
        if len(self._hosts) >= HOST_CACHE_SIZE:
            self._hosts.clear()
        self._hosts[raw] = host
        return host

    def _blocked_request(self, flow: http.HTTPFlow, verdict: Verdict) -> BlockedRequest:
        profile, decision = verdict.profile, verdict.decision
        ask = report = send_anyway = None
        policy = self.holder.policy
        if profile is not None and policy is not None and policy.token_secret:
            portal = f"{flow.request.scheme}://{PORTAL_HOST}"
            kind = _ASKABLE.get(decision.reason)
            if kind is not None:
                token = self._token(policy, profile, verdict, "ask", kind)
                ask = FormTarget(f"{portal}/ask", token)
            report = FormTarget(f"{portal}/report",
                                self._token(policy, profile, verdict, "report", "page"))
            if decision.reason is Reason.PERSONAL_INFO and profile.details_send_anyway:
                send_anyway = FormTarget(
                    f"{portal}/send-anyway",
                    self._token(policy, profile, verdict, SEND_ANYWAY, "site"))
        return BlockedRequest(
            url=shown_url(flow),
            host=verdict.host,
            language=profile.language if profile else _browser_language(flow),
            reason=decision.reason,
            category=decision.category,
            rule=decision.rule,
            profile_name=profile.name if profile else None,
            limit=decision.limit,
            age=profile.age if profile else None,
            ask=ask,
            report=report,
            details_found=verdict.details_found,
            send_anyway=send_anyway,
        )

    def _token(
        self, policy: HouseholdPolicy, profile: ProfilePolicy, verdict: Verdict,
        purpose: str, kind: str,
    ) -> str:
        limit = verdict.decision.limit
        claims = TokenClaims(
            profile_id=profile.id,
            purpose=purpose,
            kind=kind,
            host=verdict.host,
            path=verdict.facts.path.split("?", 1)[0] if verdict.facts else "/",
            scope=limit.scope if limit else "",
            key=limit.key if limit else "",
            category=verdict.decision.category,
            expires=int(self.clock.now().timestamp()) + TOKEN_LIFETIME_SECONDS,
            nonce=new_nonce(),
        )
        return sign(claims, policy.token_secret)


def profile_of(flow: http.HTTPFlow, policy: HouseholdPolicy) -> ProfilePolicy | None:
    """The child a flow belongs to: by device address, listening port, or the default.

    Through a phone's WireGuard tunnel the address is the one its listener was
    given (see proxy_addons.device_traffic), not the one the phone claims.
    """
    device = flow.metadata.get(DEVICE_ADDRESS)
    if device is not None:
        return policy.profile_for(None, device or None)
    port = flow.client_conn.sockname[1] if flow.client_conn.sockname else None
    client = flow.client_conn.peername[0] if flow.client_conn.peername else None
    return policy.profile_for(port, client)


def _browser_language(flow: http.HTTPFlow) -> str:
    """Without a profile (no policy, unknown device), follow the browser's language."""
    accept = flow.request.headers.get("accept-language", "").strip().lower()
    return "en" if accept.startswith("en") else FALLBACK_LANGUAGE


def _has_folded_header(fields: tuple[tuple[bytes, bytes], ...]) -> bool:
    """A header continued on the next line (obs-fold), which no browser sends.

    mitmproxy reads one and would pass it on still folded; RFC 9112 section
    5.2 lets a proxy refuse it, and a filter should not forward what servers
    may read differently.
    """
    return any(b"\n" in value for _, value in fields)
