"""The decision engine: one child's request in, allow or block with a reason out.

Pure: no I/O, no clock, no Qt or mitmproxy. The proxy calls `decide` on every
request with the policy snapshot it holds in memory.

Precedence, most specific first (see the README):
1. the parent's rules: the rule on the most specific host wins (a rule on
   `www.example.com` beats one on `example.com`); on one host a URL-prefix
   rule beats a whole-domain rule and a longer prefix beats a shorter one;
   where an allow and a block rule name the same target, allow wins;
2. then the categories blocked for the child (from the imported lists);
3. otherwise the request is allowed.

Each step is a small function returning a Decision or None; adding a rule
to the chain is one function and one line in `CHECKS`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from guardian.categories import CATEGORY_BITS
from guardian.decision import ALLOWED, Action, Decision, Reason, block
from guardian.hosts import domain_suffixes
from guardian.policy import ProfilePolicy


@dataclass(frozen=True, slots=True)
class RequestFacts:
    """What the engine needs to know about a request, already canonical.

    `host` comes from `guardian.hosts.normalize_host`; `path` from
    `normalize_path` and includes the query string, so URL rules may name one.
    """

    host: str
    path: str = "/"
    method: str = "GET"


Check = Callable[[RequestFacts, ProfilePolicy], Decision | None]


def parent_rules(request: RequestFacts, policy: ProfilePolicy) -> Decision | None:
    if not policy.rules:
        return None
    for suffix in domain_suffixes(request.host):
        entries = policy.rules.get(suffix)
        if entries is None:
            continue
        for entry in entries:
            if not entry.path or request.path.startswith(entry.path):
                if entry.action is Action.ALLOW:
                    return Decision(Action.ALLOW, Reason.ALLOW_RULE, rule=entry.text)
                return block(Reason.BLOCK_RULE, rule=entry.text)
    return None


def blocked_categories(request: RequestFacts, policy: ProfilePolicy) -> Decision | None:
    if not policy.blocked_mask:
        return None
    index = policy.index
    mask = index.mask_of(request.host) & policy.blocked_mask
    if not mask:
        mask = index.url_mask(request.host, request.path) & policy.blocked_mask
        if not mask:
            return None
    return block(Reason.CATEGORY, category=_first_category(mask))


def _first_category(mask: int) -> str:
    for code, bit in CATEGORY_BITS.items():
        if mask & bit:
            return code
    raise AssertionError("a non-zero mask names a category")


CHECKS: tuple[Check, ...] = (parent_rules, blocked_categories)


def decide(request: RequestFacts, policy: ProfilePolicy) -> Decision:
    for check in CHECKS:
        decision = check(request, policy)
        if decision is not None:
            return decision
    return ALLOWED
