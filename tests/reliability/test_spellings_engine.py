"""No spelling of a blocked site gets past the core: `guardian.hosts` and `guardian.engine`.

A household is set up with Guardian's own commands (a category list, rules
on a name, an international name, an IPv4 and an IPv6 address, and a URL
prefix); the policy is loaded from disk with the compiled index, exactly as
the proxy loads it. Then Hypothesis draws spellings (see
`tests/reliability/spellings.py`) and the property is the filter's:

    a spelling is refused as a host (the proxy then blocks it as invalid), or
    it names the blocked site and the engine blocks it.

The same spellings of an allowed site must all mean that site, so the
generator is honest (it makes real spellings, not garbage) and the filter
does not over-block them. The proxy's enforcer checks both the address it
connects to and the Host header; it is driven here with mitmproxy's own test
flows, so both slots get every spelling.
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from mitmproxy.test import tflow, tutils

from guardian.active_time import ActiveTimeTracker
from guardian.clock import SystemClock
from guardian.domain_index import DomainIndex
from guardian.engine import NoUsage, RequestFacts, decide
from guardian.errors import InvalidHost
from guardian.hosts import normalize_host, normalize_path
from guardian.policy import HouseholdPolicy, ProfilePolicy, load_policy
from guardian.storage.database import open_database
from proxy_addons.enforcer import PolicyEnforcer
from proxy_addons.policy_source import PolicyHolder
from tests.reliability.household import CASINO, RULE_BLOCKED, make_household, ok
from tests.reliability.spellings import ipv4_spellings, ipv6_spellings, name_spellings

NOW = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)
BLOCKED_IPV4 = "127.7.7.7"
BLOCKED_IPV6 = "fd00::7"
BLOCKED_UNICODE = "bücher.example"
ALLOWED = "school.example"
# Name spellings cost ~3 ms each to draw, addresses ~0.5 ms: about 20 s in all.
CHECKS = [HealthCheck.too_slow, HealthCheck.data_too_large]
NAMES = settings(max_examples=600, deadline=None, suppress_health_check=CHECKS)
ADDRESSES = settings(max_examples=1500, deadline=None, suppress_health_check=CHECKS)
FEWER = settings(max_examples=300, deadline=None, suppress_health_check=CHECKS)

# Each blocked target with the spellings of it, and the canonical name they all mean.
BLOCKED = {
    "category list": (name_spellings(CASINO), CASINO),
    "rule on a name": (name_spellings(RULE_BLOCKED), RULE_BLOCKED),
    "rule on an international name": (
        name_spellings("", unicode_name=BLOCKED_UNICODE), "xn--bcher-kva.example"),
    "rule on an IPv4 address": (ipv4_spellings(BLOCKED_IPV4), BLOCKED_IPV4),
    "rule on an IPv6 address": (ipv6_spellings(BLOCKED_IPV6), BLOCKED_IPV6),
    "IPv4 rule, IPv6 spelling": (ipv6_spellings(f"::ffff:{BLOCKED_IPV4}"), BLOCKED_IPV4),
}


@pytest.fixture(scope="module")
def household(tmp_path_factory: pytest.TempPathFactory) -> HouseholdPolicy:
    root = tmp_path_factory.mktemp("spellings")
    data_dir = make_household(root)
    for target in (BLOCKED_UNICODE, BLOCKED_IPV4, BLOCKED_IPV6, "localhost/private"):
        ok(data_dir, "rule", "add", "An", "block", target)
    database = open_database(f"sqlite:///{data_dir / 'guardian.db'}")
    try:
        with database.begin() as session:
            return load_policy(session, DomainIndex.open(data_dir / "lists" / "categories.idx"),
                               NOW)
    finally:
        database.close()


@pytest.fixture(scope="module")
def child(household: HouseholdPolicy) -> ProfilePolicy:
    assert household.default is not None
    return household.default


def blocked_or_refused(child: ProfilePolicy, spelling: str, path: str = "/") -> bool:
    try:
        host = normalize_host(spelling)
    except InvalidHost:
        return True  # the enforcer answers an unusable host with a block page
    return decide(RequestFacts(host, normalize_path(path)), child, NoUsage(), NOW).blocked


def means(spelling: str, canonical: str) -> bool:
    host = normalize_host(spelling)
    return host == canonical or host.endswith("." + canonical)


@pytest.mark.parametrize("target", list(BLOCKED))
def test_no_spelling_of_a_blocked_site_is_allowed(child: ProfilePolicy, target: str) -> None:
    spellings, canonical = BLOCKED[target]

    @(ADDRESSES if "address" in target else NAMES)
    @given(spellings)
    def check(spelling: str) -> None:
        assert blocked_or_refused(child, spelling), spelling
        assert means(spelling, canonical), spelling  # not refused either: the same host

    check()


def test_a_subdomain_idna_refuses_does_not_unmap_the_blocked_name(child: ProfilePolicy) -> None:
    @NAMES
    @example("x_y.\uff43asino.example")  # fullwidth c
    @example("-x.ca\u00adsino.example")  # soft hyphen
    @example("ab--c.blocked.exampl\u00ade")
    @given(st.one_of(name_spellings(CASINO, odd_subdomain=True),
                     name_spellings(RULE_BLOCKED, odd_subdomain=True)))
    def check(spelling: str) -> None:
        assert blocked_or_refused(child, spelling), spelling

    check()


def test_every_spelling_of_an_allowed_site_means_that_site(child: ProfilePolicy) -> None:
    @NAMES
    @given(name_spellings(ALLOWED))
    def check(spelling: str) -> None:
        assert means(spelling, ALLOWED), spelling
        assert not blocked_or_refused(child, spelling), spelling

    check()


def child_flow(connect_host: str, host_header: str) -> tflow.HTTPFlow:
    flow = tflow.tflow(req=tutils.treq(host="placeholder", port=80, path=b"/",
                                       headers=[(b"Accept", b"text/html")]))
    flow.request.host = connect_host
    flow.request.headers["host"] = host_header
    flow.client_conn.sockname = ("127.0.0.1", 8080)
    flow.client_conn.peername = ("127.0.0.1", 50000)
    flow.live = True
    return flow


@pytest.mark.parametrize("slot", ["address", "host header"])
def test_the_enforcer_blocks_a_spelling_in_either_name(household: HouseholdPolicy,
                                                        slot: str) -> None:
    enforcer = PolicyEnforcer(PolicyHolder(household, None), ActiveTimeTracker(UTC),
                              SystemClock())
    every_blocked = st.one_of(*(spellings for spellings, _ in BLOCKED.values()))

    @FEWER
    @given(every_blocked)
    def check(spelling: str) -> None:
        flow = (child_flow(spelling, ALLOWED) if slot == "address"
                else child_flow(ALLOWED, spelling))
        assert enforcer.judge(flow).decision.blocked, spelling

    check()


@st.composite
def path_spellings(draw: st.DrawFn, path: str) -> str:
    """Case and percent-encoding of a path, the spellings every server decodes alike."""
    out = []
    for char in path:
        kind = draw(st.sampled_from(["same", "upper", "percent", "percent-lower"]))
        if kind == "upper":
            out.append(char.upper())
        elif kind.startswith("percent") and char != "/":
            code = f"%{ord(char):02X}"
            out.append(code.lower() if kind == "percent-lower" else code)
        else:
            out.append(char)
    return "".join(out) + draw(st.sampled_from(["", "/", "/x", "?a=1", ".html"]))


def test_url_rules_hold_for_case_and_percent_encoding(child: ProfilePolicy) -> None:
    @FEWER
    @given(name_spellings("localhost"), path_spellings("/private"))
    def check(host: str, path: str) -> None:
        assert blocked_or_refused(child, host, path), (host, path)

    check()


@pytest.mark.parametrize("path", ["//private", "/./private", "/x/../private", "/%2e/private"])
def test_url_rules_hold_for_dot_segments_and_repeated_slashes(child: ProfilePolicy,
                                                              path: str) -> None:
    assert blocked_or_refused(child, "localhost", path)

