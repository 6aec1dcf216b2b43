"""No spelling of a blocked site gets through the real proxy, written byte for byte on a socket.

Guardian runs with every allowed request sent on to `FakeInternet` (an
upstream proxy on loopback that records what reaches it), so "let through"
is observable exactly: a spelling got past the filter if and only if the
fake Internet saw a request. Each spelling goes into one slot of a request:

- the absolute URL of a plain HTTP request (and its Host header);
- the Host header of a request whose URL names an allowed site;
- the target of a CONNECT, then the Host header inside the TLS tunnel.

A second household blocks 127.0.0.1 and `localhost` and uses no upstream
proxy: spellings of that address then make mitmproxy itself resolve and
connect, and the loopback origin's hit count proves none got there.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.proxy_harness import GuardianProxy, Upstream
from tests.reliability.household import CASINO, RULE_BLOCKED, make_household, ok
from tests.reliability.internet import FakeInternet
from tests.reliability.proxy_checks import alive, assert_no_failures
from tests.reliability.raw_http import exchange, request_bytes
from tests.reliability.spellings import ipv4_spellings, ipv6_spellings, name_spellings

pytestmark = [pytest.mark.e2e, pytest.mark.slow]

BLOCKED_IPV4 = "127.7.7.7"
BLOCKED_IPV6 = "fd00::7"
ALLOWED = "school.example"



def every_blocked(**options: bool) -> st.SearchStrategy[str]:
    return st.one_of(
        name_spellings(CASINO, **options),
        name_spellings(RULE_BLOCKED, **options),
        name_spellings("", unicode_name="bücher.example", **options),
        ipv4_spellings(BLOCKED_IPV4, **options),
        ipv6_spellings(BLOCKED_IPV6, **options),
    )


# All spellings fit in a Host header; mitmproxy answers 400 itself to a request
# line with userinfo, percent-encoding or Unicode, so URLs and CONNECT targets
# get the spellings it accepts and that must then reach Guardian.
SPELLINGS = every_blocked()
URL_SPELLINGS = every_blocked(request_line=True)
CONNECT_SPELLINGS = every_blocked(request_line=True, authority=False)
THROUGH_PROXY = settings(max_examples=120, deadline=None,
                         suppress_health_check=[HealthCheck.too_slow,
                                                HealthCheck.function_scoped_fixture])
ACCEPT = [("Accept", "text/html")]


@pytest.fixture(scope="module")
def filtered(tmp_path_factory: pytest.TempPathFactory,
             internet: FakeInternet) -> Iterator[GuardianProxy]:
    root = tmp_path_factory.mktemp("spellings-proxy")
    data_dir = make_household(root)
    for target in ("bücher.example", BLOCKED_IPV4, BLOCKED_IPV6):
        ok(data_dir, "rule", "add", "An", "block", target)
    with GuardianProxy(data_dir, extra_args=("--upstream-proxy", internet.url)) as proxy:
        yield proxy
    assert_no_failures(proxy)


def host_header(spelling: str) -> str:
    """The Host header form of a URL authority: no userinfo."""
    return spelling.rpartition("@")[2]


def blocked_by_guardian(proxy: GuardianProxy, internet: FakeInternet, data: bytes,
                        tunnel: tuple[str, int] | None = None) -> None:
    """Guardian answered with its block page, and nothing went out."""
    internet.clear()
    reply = exchange(proxy.port, data, tunnel=tunnel)
    assert internet.seen() == [], (data, internet.seen())
    assert reply.status == 403 and "<!DOCTYPE html>" in reply.text, (data, reply.status)
    assert alive(proxy)


def test_allowed_requests_do_reach_the_fake_internet(filtered: GuardianProxy,
                                                    internet: FakeInternet) -> None:
    """The oracle works: an allowed site is seen outside, so a silence means "blocked"."""
    internet.clear()
    reply = exchange(filtered.port, request_bytes("GET", f"http://{ALLOWED}/", ALLOWED, ACCEPT))
    assert reply.status == 200 and b"outside page" in reply.body
    assert [r.target for r in internet.seen()] == [f"http://{ALLOWED}/"]


@THROUGH_PROXY
@given(spelling=URL_SPELLINGS)
def test_a_spelled_url_is_blocked(filtered: GuardianProxy, internet: FakeInternet,
                                  spelling: str) -> None:
    data = request_bytes("GET", f"http://{spelling}/page", spelling, ACCEPT)
    blocked_by_guardian(filtered, internet, data)


@THROUGH_PROXY
@given(spelling=SPELLINGS)
def test_a_spelled_host_header_is_blocked(filtered: GuardianProxy, internet: FakeInternet,
                                          spelling: str) -> None:
    data = request_bytes("GET", f"http://{ALLOWED}/page", host_header(spelling), ACCEPT)
    blocked_by_guardian(filtered, internet, data)


@settings(THROUGH_PROXY, max_examples=60)
@given(spelling=CONNECT_SPELLINGS)
def test_a_spelled_connect_target_is_blocked(filtered: GuardianProxy, internet: FakeInternet,
                                             spelling: str) -> None:
    data = request_bytes("GET", "/page", spelling, ACCEPT)
    blocked_by_guardian(filtered, internet, data, tunnel=(spelling.strip("[]"), 443))


@pytest.fixture(scope="module")
def loopback_blocked(tmp_path_factory: pytest.TempPathFactory,
                     web: tuple[Upstream, Upstream]) -> Iterator[tuple[GuardianProxy, Upstream]]:
    root = tmp_path_factory.mktemp("loopback-blocked")
    data_dir: Path = root / "data"
    ok(data_dir, "profile", "add", "An", "--age", "9", "--default")
    ok(data_dir, "rule", "add", "An", "block", "127.0.0.1")
    ok(data_dir, "rule", "add", "An", "block", "localhost")
    with GuardianProxy(data_dir) as proxy:
        yield proxy, web[0]
    assert_no_failures(proxy)


@settings(THROUGH_PROXY, max_examples=80)
@given(spelling=st.one_of(ipv4_spellings("127.0.0.1", authority=False, request_line=True),
                          name_spellings("localhost", authority=False, request_line=True)))
def test_no_spelling_of_a_blocked_address_is_connected_to(
    loopback_blocked: tuple[GuardianProxy, Upstream], spelling: str
) -> None:
    proxy, origin = loopback_blocked
    before = origin.total
    authority = f"{spelling}:{origin.port}"
    reply = exchange(proxy.port, request_bytes("GET", f"http://{authority}/", authority, ACCEPT))
    assert origin.total == before, spelling
    assert reply.status == 403, (spelling, reply.status)
