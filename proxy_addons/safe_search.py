"""SafeSearch: forces safe search on search engines and Restricted Mode on YouTube.

Runs after the enforcer, on requests it allowed, before any upstream
connection: the query of a search gets the engine's strict parameter (the
child's own value is replaced), and YouTube requests carry the header that
turns on Restricted Mode, strict or moderate as the parent chose.
"""

from __future__ import annotations

from mitmproxy import http

from guardian.safe_search import SafeSearchCatalog, load_safe_search, safe_query
from proxy_addons.enforcer import METADATA_KEY, Verdict


class SafeSearch:
    def __init__(self, catalog: SafeSearchCatalog | None = None) -> None:
        self.catalog = catalog or load_safe_search()

    def requestheaders(self, flow: http.HTTPFlow) -> None:
        verdict = flow.metadata.get(METADATA_KEY)
        if (not isinstance(verdict, Verdict) or verdict.decision.blocked
                or verdict.profile is None or flow.response is not None):
            return
        profile, request = verdict.profile, flow.request
        engine = self.catalog.engine_for(verdict.host)
        if profile.safe_search and engine is not None:
            forced = safe_query(engine, request.path, list(request.query.items(multi=True)))
            if forced is not None:
                request.query = forced  # type: ignore[assignment]
        header = self.catalog.youtube_values.get(profile.youtube)
        if header is not None and self.catalog.is_youtube(verdict.host):
            request.headers[self.catalog.youtube_header] = header
