"""PolicyEnforcer: decides each child's request and answers blocks itself.

The decision is made in `requestheaders`, before any body arrives and before
any upstream connection exists (the proxy runs with lazy connections), so a
blocked host is never contacted. The verdict is left in
`flow.metadata["guardian"]` for the traffic logger.
"""

from __future__ import annotations

from dataclasses import dataclass

from guardian.block_page import BlockedRequest
from mitmproxy import http, tcp, udp

from guardian.decision import Decision, Reason, block
from guardian.engine import RequestFacts, decide
from guardian.errors import InvalidHost
from guardian.hosts import normalize_host, normalize_path
from guardian.policy import ProfilePolicy
from proxy_addons.block_response import make_block_response, shown_url
from proxy_addons.policy_source import PolicyHolder

METADATA_KEY = "guardian"
HOST_CACHE_SIZE = 4096
FALLBACK_LANGUAGE = "vi"


@dataclass(frozen=True, slots=True)
class Verdict:
    profile: ProfilePolicy | None
    host: str
    decision: Decision


class PolicyEnforcer:
    def __init__(self, holder: PolicyHolder) -> None:
        self.holder = holder
        self._hosts: dict[str, str | None] = {}

    def requestheaders(self, flow: http.HTTPFlow) -> None:
        if flow.response or flow.error or not flow.live:
            return
        verdict = self.judge(flow)
        flow.metadata[METADATA_KEY] = verdict
        if verdict.decision.blocked:
            flow.response = make_block_response(flow, self._blocked_request(flow, verdict))

    def judge(self, flow: http.HTTPFlow) -> Verdict:
        request = flow.request
        host = self._canonical(request.host)
        policy = self.holder.policy
        if policy is None:
            return Verdict(None, host or request.host, block(Reason.POLICY_UNAVAILABLE))
        port = flow.client_conn.sockname[1] if flow.client_conn.sockname else None
        client = flow.client_conn.peername[0] if flow.client_conn.peername else None
        profile = policy.profile_for(port, client)
        if profile is None:
            return Verdict(None, host or request.host, block(Reason.NOT_ASSIGNED))
        if host is None:
            return Verdict(profile, request.host, block(Reason.INVALID_HOST))
        path = normalize_path(request.path)
        decision = decide(RequestFacts(host, path, request.method), profile)
        # The connection goes to request.host, but the server picks the site by
        # the Host header: a request must pass under both names.
        header_host = request.host_header
        if not decision.blocked and header_host:
            named = self._canonical(header_host)
            if named is None:
                return Verdict(profile, host, block(Reason.INVALID_HOST))
            if named != host:
                second = decide(RequestFacts(named, path, request.method), profile)
                if second.blocked:
                    return Verdict(profile, named, second)
        return Verdict(profile, host, decision)

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
        profile = verdict.profile
        return BlockedRequest(
            url=shown_url(flow),
            host=verdict.host,
            language=profile.language if profile else _browser_language(flow),
            reason=verdict.decision.reason,
            category=verdict.decision.category,
            rule=verdict.decision.rule,
            profile_name=profile.name if profile else None,
        )


def _browser_language(flow: http.HTTPFlow) -> str:
    """Without a profile (no policy, unknown device), follow the browser's language."""
    accept = flow.request.headers.get("accept-language", "").strip().lower()
    return "en" if accept.startswith("en") else FALLBACK_LANGUAGE
