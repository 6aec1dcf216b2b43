"""The decision engine, table-driven: precedence, matching and categories."""

from __future__ import annotations

from datetime import datetime
from types import MappingProxyType
from zoneinfo import ZoneInfo

import pytest

from guardian.categories import CATEGORY_BITS
from guardian.decision import Action, Reason
from guardian.engine import NoUsage, RequestFacts, decide
from guardian.hosts import domain_suffixes, normalize_host, normalize_path, split_target
from guardian.policy import ProfilePolicy, RuleEntry


class DictIndex:
    """A stand-in for the compiled index: {domain: category} and {host/path: category}."""

    def __init__(self, domains: dict[str, str], urls: dict[str, str] | None = None) -> None:
        self.domains = domains
        self.urls = urls or {}

    def mask_of(self, host: str) -> int:
        return sum(
            CATEGORY_BITS[self.domains[s]] for s in domain_suffixes(host) if s in self.domains
        )

    def url_mask(self, host: str, path: str) -> int:
        mask = 0
        for target, category in self.urls.items():
            rule_host, rule_path = split_target(target)
            if rule_host in domain_suffixes(host) and path.startswith(rule_path or "/"):
                mask |= CATEGORY_BITS[category]
        return mask


INDEX = DictIndex(
    {"casino.example": "gambling", "adult.example": "adult", "chat.example": "chat_dating"},
    {"mixed.example/poker": "gambling"},
)


def make_policy(*rules: tuple[str, str], blocked: tuple[str, ...] = ("gambling", "adult"),
                index: DictIndex = INDEX) -> ProfilePolicy:
    """A child's policy from ("allow"|"block", target) pairs."""
    by_host: dict[str, list[RuleEntry]] = {}
    for action, target in rules:
        host, path = split_target(target)
        by_host.setdefault(host, []).append(RuleEntry(Action(action), path or "", target))
    ordered = {
        h: tuple(sorted(e, key=lambda r: (-len(r.path), r.action is not Action.ALLOW)))
        for h, e in by_host.items()
    }
    mask = 0
    for code in blocked:
        mask |= CATEGORY_BITS[code]
    return ProfilePolicy(1, "An", 10, "vi", mask, MappingProxyType(ordered), index)  # type: ignore[arg-type]


NOW = datetime(2026, 11, 30, 10, 0, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))


def request(url: str) -> RequestFacts:
    host, _, path = url.partition("/")
    return RequestFacts(normalize_host(host), normalize_path("/" + path))


@pytest.mark.parametrize(
    ("rules", "url", "action", "reason", "detail"),
    [
        # nothing applies
        ((), "school.example/", "allow", Reason.ALLOWED, None),
        # categories from the index, on label boundaries
        ((), "casino.example/", "block", Reason.CATEGORY, "gambling"),
        ((), "www.casino.example/", "block", Reason.CATEGORY, "gambling"),
        ((), "a.b.casino.example/x", "block", Reason.CATEGORY, "gambling"),
        ((), "badcasino.example/", "allow", Reason.ALLOWED, None),
        ((), "casino.example.org/", "allow", Reason.ALLOWED, None),
        ((), "chat.example/", "allow", Reason.ALLOWED, "chat_dating"),  # listed, not blocked here
        ((), "mixed.example/poker/table", "block", Reason.CATEGORY, "gambling"),
        ((), "mixed.example/news", "allow", Reason.ALLOWED, None),
        # the parent's rules beat categories
        ((("allow", "casino.example"),), "casino.example/", "allow", Reason.ALLOW_RULE,
         "casino.example"),
        ((("block", "school.example"),), "www.school.example/", "block", Reason.BLOCK_RULE,
         "school.example"),
        ((("block", "school.example"),), "myschool.example/", "allow", Reason.ALLOWED, None),
        # allow beats block on the same target
        ((("block", "video.example"), ("allow", "video.example")), "video.example/",
         "allow", Reason.ALLOW_RULE, "video.example"),
        # more specific wins: a URL prefix beats its domain, a subdomain beats its parent
        ((("allow", "video.example"), ("block", "video.example/shorts")),
         "video.example/shorts/1", "block", Reason.BLOCK_RULE, "video.example/shorts"),
        ((("allow", "video.example"), ("block", "video.example/shorts")),
         "video.example/watch", "allow", Reason.ALLOW_RULE, "video.example"),
        ((("block", "video.example"), ("allow", "video.example/edu")),
         "video.example/EDU/maths", "allow", Reason.ALLOW_RULE, "video.example/edu"),
        ((("block", "example.org"), ("allow", "kids.example.org")),
         "kids.example.org/", "allow", Reason.ALLOW_RULE, "kids.example.org"),
        ((("allow", "example.org"), ("block", "ads.example.org")),
         "ads.example.org/", "block", Reason.BLOCK_RULE, "ads.example.org"),
        ((("block", "video.example/a"), ("block", "video.example/ab")),
         "video.example/abc", "block", Reason.BLOCK_RULE, "video.example/ab"),
        # query strings can be named by a URL rule
        ((("block", "search.example/?q=casino"),), "search.example/?q=casino+games",
         "block", Reason.BLOCK_RULE, "search.example/?q=casino"),
        # IP literals in every spelling
        ((("block", "10.1.2.3"),), "10.1.2.3/", "block", Reason.BLOCK_RULE, "10.1.2.3"),
        ((("block", "10.1.2.3"),), "167838211/", "block", Reason.BLOCK_RULE, "10.1.2.3"),
        ((("block", "10.1.2.3"),), "0xa.1.2.3/", "block", Reason.BLOCK_RULE, "10.1.2.3"),
        ((("block", "10.1.2.3"),), "10.1.2.30/", "allow", Reason.ALLOWED, None),
        ((("block", "[2001:db8::1]"),), "[2001:DB8:0::1]/", "block", Reason.BLOCK_RULE,
         "[2001:db8::1]"),
        # case, trailing dot, port, Unicode and punycode
        ((("block", "Bücher.de"),), "xn--bcher-kva.de./", "block", Reason.BLOCK_RULE,
         "Bücher.de"),
        ((("block", "xn--bcher-kva.de"),), "WWW.BÜCHER.DE:443/", "block", Reason.BLOCK_RULE,
         "xn--bcher-kva.de"),
        ((), "CASINO.EXAMPLE./", "block", Reason.CATEGORY, "gambling"),
        ((), "casino.example:8080/", "block", Reason.CATEGORY, "gambling"),
    ],
)
def test_decisions(rules, url, action, reason, detail) -> None:  # type: ignore[no-untyped-def]
    decision = decide(request(url), make_policy(*rules), NoUsage(), NOW)
    assert decision.action is Action(action)
    assert decision.reason is reason
    assert (decision.rule if reason in (Reason.ALLOW_RULE, Reason.BLOCK_RULE)
            else decision.category) == detail


def test_first_category_in_catalogue_order_is_named() -> None:
    both = DictIndex({"x.example": "gambling", "sub.x.example": "adult"})
    decision = decide(request("sub.x.example/"), make_policy(index=both), NoUsage(), NOW)
    assert decision.reason is Reason.CATEGORY and decision.category == "adult"


def test_nothing_blocked_when_no_category_is_blocked() -> None:
    decision = decide(request("casino.example/"), make_policy(blocked=()), NoUsage(), NOW)
    assert decision.action is Action.ALLOW


@pytest.mark.parametrize(
    ("facts", "blocked"),
    [
        (RequestFacts("dns.google", "/dns-query"), True),
        (RequestFacts("mozilla.cloudflare-dns.com", "/dns-query"), True),
        (RequestFacts("1.1.1.1", "/dns-query"), True),
        (RequestFacts("www.proxysite.com"), True),
        (RequestFacts("doh.example", "/q", "POST", dns_message=True), True),
        (RequestFacts("google.com"), False),
    ],
)
def test_filter_bypasses_are_known_without_lists(facts: RequestFacts, blocked: bool) -> None:
    policy = make_policy(blocked=("bypass",), index=DictIndex({}))
    decision = decide(facts, policy, NoUsage(), NOW)
    assert decision.blocked is blocked
    if blocked:
        assert decision.category == "bypass"
