"""Safe search: the data, the query rewriting, and the real proxy forcing it upstream."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from guardian.errors import CatalogError
from guardian.safe_search import load_safe_search, safe_query
from tests.proxy_harness import GuardianProxy, Upstream, fetch
from tests.proxy_harness import guardian_cli as guardian

CATALOG = load_safe_search()


@pytest.mark.parametrize(
    ("host", "engine"),
    [("www.google.com", "google"), ("www.google.com.vn", "google"), ("google.co.uk", "google"),
     ("images.google.de", "google"), ("www.bing.com", "bing"), ("duckduckgo.com", "duckduckgo"),
     ("html.duckduckgo.com", "duckduckgo"), ("search.yahoo.com", "yahoo"),
     ("search.brave.com", "brave"), ("notgoogle.com", None), ("google.evil.example", None),
     ("bing.com.evil.example", None)],
)
def test_engines_by_host(host: str, engine: str | None) -> None:
    found = CATALOG.engine_for(host)
    assert (found.name if found else None) == engine


@pytest.mark.parametrize(
    ("host", "path", "query", "expected"),
    [
        ("www.google.com.vn", "/search", [("q", "mèo"), ("safe", "off")],
         [("q", "mèo"), ("safe", "active")]),
        ("www.bing.com", "/images/search", [("q", "x")], [("q", "x"), ("adlt", "strict")]),
        ("duckduckgo.com", "/", [("q", "x"), ("kp", "-2")], [("q", "x"), ("kp", "1")]),
        ("www.google.com", "/maps", [("q", "x")], None),  # not a search page
    ],
)
def test_queries_are_forced_safe(host, path, query, expected) -> None:  # type: ignore[no-untyped-def]
    engine = CATALOG.engine_for(host)
    assert safe_query(engine, path, query) == expected


@pytest.mark.parametrize(
    ("host", "path", "query", "terms"),
    [
        ("www.google.com.vn", "/search", [("q", "bài  tập toán")], "bài tập toán"),
        ("www.youtube.com", "/results", [("search_query", "minecraft")], "minecraft"),
        ("www.youtube.com", "/watch", [("v", "abc")], None),
        ("search.yahoo.com", "/search", [("p", "cats")], "cats"),
        ("school.example", "/search", [("q", "x")], None),
    ],
)
def test_search_terms_for_the_parent(host, path, query, terms) -> None:  # type: ignore[no-untyped-def]
    assert CATALOG.search_terms(host, path, query) == terms


def test_youtube_hosts_and_unsupported_engines() -> None:
    assert CATALOG.is_youtube("www.youtube.com") and CATALOG.is_youtube("youtubei.googleapis.com")
    assert CATALOG.is_youtube("www.youtube-nocookie.com") and not CATALOG.is_youtube("youtu.be.x")
    assert CATALOG.is_unsupported("yandex.ru") and CATALOG.is_unsupported("www.yandex.com.tr")
    assert not CATALOG.is_unsupported("www.google.com")


def test_a_broken_catalog_is_one_clear_error(tmp_path: Path) -> None:
    broken = tmp_path / "safe_search.toml"
    broken.write_text("[[engine]]\nname = 'x'\n")
    with pytest.raises(CatalogError, match="not usable"):
        load_safe_search(broken)




@pytest.mark.e2e
def test_the_proxy_forces_safe_search_and_logs_the_terms(tmp_path: Path) -> None:
    data = tmp_path / "data"
    guardian(data, "profile", "add", "An", "--age", "9", "--default")
    with Upstream() as next_proxy:  # stands in for the Internet: it records what arrives
        proxy = GuardianProxy(data, extra_args=(
            "--upstream-proxy", f"http://127.0.0.1:{next_proxy.port}"))
        with proxy:
            fetch(proxy.port, "http://www.google.com.vn/search?q=m%C3%A8o&safe=off")
            fetch(proxy.port, "http://www.youtube.com/results?search_query=minecraft")
            blocked = fetch(proxy.port, "http://yandex.ru/search/?text=x")
    paths = set(next_proxy.hits)
    assert "http://www.google.com.vn/search?q=m%C3%A8o&safe=active" in paths
    youtube = next_proxy.headers["http://www.youtube.com/results?search_query=minecraft"]
    assert youtube["youtube-restrict"] == "Strict"
    assert blocked.status == 403 and not any("yandex" in p for p in paths)
    log = guardian(data, "activity", "--json")
    searches = {row["search"] for row in json.loads(log)}
    assert {"mèo", "minecraft"} <= searches
