"""Safe search, from data: which engines Guardian makes safe and how, and which it cannot.

The data is `guardian/data/safe_search.toml`. Google, Bing, DuckDuckGo, Yahoo
and Brave get their own "strict" parameter added to every search (replacing
the child's own value, so it cannot be switched off from the page); YouTube
gets Restricted Mode through the request header Google honours on all its
hosts. Engines with no such switch are listed, so that the presets can block
them for young children and flag them for older ones (CHILD-2, PLATFORM-5).
What was searched for is read from the query for the parent's log.
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from importlib.resources import files
from pathlib import Path

from guardian.errors import CatalogError
from guardian.sites import site_of

MAX_TERMS = 200
HOST_FACTS_KEPT = 8192  # hosts whose facts are kept; the filter asks on every request


@dataclass(frozen=True)
class Engine:
    name: str
    hosts: tuple[str, ...]
    paths: tuple[str, ...]
    params: Mapping[str, str]
    terms: str


@dataclass(frozen=True)
class SafeSearchCatalog:
    engines: tuple[Engine, ...]
    youtube_hosts: tuple[str, ...]
    youtube_header: str
    youtube_values: Mapping[str, str]  # "strict" -> "Strict"
    youtube_terms_path: str
    youtube_terms: str
    unsupported: tuple[str, ...]
    # host -> (its engine, YouTube's?, unsupported?): the patterns are matched once per host.
    _facts: dict[str, tuple[Engine | None, bool, bool]] = field(
        default_factory=dict, init=False, repr=False, compare=False, hash=False)

    def engine_for(self, host: str) -> Engine | None:
        return self._facts_of(host)[0]

    def is_youtube(self, host: str) -> bool:
        return self._facts_of(host)[1]

    def is_unsupported(self, host: str) -> bool:
        return self._facts_of(host)[2]

    def is_search_host(self, host: str) -> bool:
        """An engine's or YouTube's: a host whose queries may hold search terms."""
        engine, youtube, _ = self._facts_of(host)
        return engine is not None or youtube

    def _facts_of(self, host: str) -> tuple[Engine | None, bool, bool]:
        facts = self._facts.get(host)
        if facts is None:
            if len(self._facts) >= HOST_FACTS_KEPT:
                self._facts.clear()
            engine = next((engine for engine in self.engines
                           if any(host_matches(host, p) for p in engine.hosts)), None)
            facts = self._facts[host] = (
                engine,
                any(host_matches(host, pattern) for pattern in self.youtube_hosts),
                any(host_matches(host, pattern) for pattern in self.unsupported),
            )
        return facts

    def search_terms(self, host: str, path: str, query: Sequence[tuple[str, str]]) -> str | None:
        """What the child searched for, or None if this is not a search."""
        engine = self.engine_for(host)
        if engine is not None and covers(engine, path):
            name = engine.terms
        elif self.is_youtube(host) and path.split("?", 1)[0] == self.youtube_terms_path:
            name = self.youtube_terms
        else:
            return None
        for key, value in query:
            if key == name and value.strip():
                return " ".join(value.split())[:MAX_TERMS]
        return None


def host_matches(host: str, pattern: str) -> bool:
    """`google.*` names google.<any public suffix>; other patterns a domain and its subdomains."""
    if pattern.endswith(".*"):
        return site_of(host).split(".", 1)[0] == pattern[:-2]
    return host == pattern or host.endswith("." + pattern)


def covers(engine: Engine, path: str) -> bool:
    bare = path.split("?", 1)[0]
    return any(bare == p or (p != "/" and bare.startswith(p)) for p in engine.paths)


def safe_query(
    engine: Engine, path: str, query: Sequence[tuple[str, str]]
) -> list[tuple[str, str]] | None:
    """The query with the engine's safe parameters forced, or None if the path is not a search."""
    if not covers(engine, path):
        return None
    kept = [(k, v) for k, v in query if k not in engine.params]
    return kept + list(engine.params.items())


@cache
def load_safe_search(path: Path | None = None) -> SafeSearchCatalog:
    source = path or files("guardian") / "data" / "safe_search.toml"
    try:
        data = tomllib.loads(source.read_text(encoding="utf-8"))
        engines = tuple(
            Engine(e["name"], tuple(e["hosts"]), tuple(e["paths"]),
                   dict(e["params"]), e["terms"])
            for e in data["engine"]
        )
        youtube = data["youtube"]
        return SafeSearchCatalog(
            engines=engines,
            youtube_hosts=tuple(youtube["hosts"]),
            youtube_header=youtube["header"],
            youtube_values=dict(youtube["values"]),
            youtube_terms_path=youtube["terms_path"],
            youtube_terms=youtube["terms"],
            unsupported=tuple(data["unsupported"]["hosts"]),
        )
    except (OSError, tomllib.TOMLDecodeError, KeyError, TypeError) as exc:
        raise CatalogError(f"the safe-search list {source} is not usable: {exc}") from exc
