"""SafeSearch: forces safe search on search engines and Restricted Mode on YouTube.

Runs after the enforcer, on requests it allowed, before any upstream
connection: the query of a search gets the engine's strict parameter (the
child's own value is replaced), and YouTube requests carry the header that
turns on Restricted Mode, strict or moderate as the parent chose.
"""

from __future__ import annotations

from mitmproxy import http

from guardian.safe_search import Engine, SafeSearchCatalog, load_safe_search, safe_query
from proxy_addons.enforcer import HOST_CACHE_SIZE, METADATA_KEY, Verdict


class SafeSearch:
    def __init__(self, catalog: SafeSearchCatalog | None = None) -> None:
        self.catalog = catalog or load_safe_search()
        self._hosts: dict[str, tuple[Engine | None, bool]] = {}

    def host_facts(self, host: str) -> tuple[Engine | None, bool]:
        """The search engine `host` belongs to, and whether it is YouTube's (kept per host)."""
        facts = self._hosts.get(host)
        if facts is None:
            if len(self._hosts) >= HOST_CACHE_SIZE:
                self._hosts.clear()
            facts = self._hosts[host] = (self.catalog.engine_for(host),
                                         self.catalog.is_youtube(host))
        return facts

    def requestheaders(self, flow: http.HTTPFlow) -> None:
        verdict = flow.metadata.get(METADATA_KEY)
        if (not isinstance(verdict, Verdict) or verdict.decision.blocked
                or verdict.profile is None or flow.response is not None):
            return
        profile, request = verdict.profile, flow.request
        engine, youtube = self.host_facts(verdict.host)
        if profile.safe_search and engine is not None:
            forced = safe_query(engine, request.path, list(request.query.items(multi=True)))
            if forced is not None:
                request.query = forced  # type: ignore[assignment]
        header = self.catalog.youtube_values.get(profile.youtube)
        if header is not None and youtube:
            request.headers[self.catalog.youtube_header] = header
