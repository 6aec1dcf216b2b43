"""The decision engine: one child's request in, allow or block with a reason out.

Pure: no I/O and no clock of its own; the time is a parameter. The proxy
calls `decide` on every request with the policy snapshot and the usage it
holds in memory.

Precedence (the README explains it to parents):
1. content, most specific first:
   a. the parent's rules: the rule on the most specific host wins (a rule on
      `www.example.com` beats one on `example.com`); on one host a URL-prefix
      rule beats a whole-domain rule and a longer prefix a shorter one; where
      an allow and a block rule name the same target, allow wins;
   b. then the categories blocked for the child (from the imported lists);
   c. then search engines Guardian cannot make safe (blocked or flagged);
2. time, for whatever content allowed: the allowed hours, then each daily
   budget that applies (total, the site's category, the site, each site of a
   category);
3. otherwise the request is allowed.

Each step is a small function returning a Decision or None; adding a rule is
one function and one line in `CONTENT_CHECKS` or `TIME_CHECKS`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from functools import lru_cache
from typing import Protocol

from guardian.categories import CATEGORY_BITS
from guardian.decision import ALLOWED, Action, Decision, Reason, TimeLimit, block
from guardian.hosts import domain_suffixes
from guardian.known_sites import known_mask
from guardian.policy import BudgetRule, ProfilePolicy
from guardian.safe_search import load_safe_search
from guardian.schedule import next_midnight
from guardian.signups import is_signup_page
from guardian.sites import site_of


@dataclass(frozen=True, slots=True)
class RequestFacts:
    """What the engine needs to know about a request, already canonical.

    `host` comes from `guardian.hosts.normalize_host`; `path` from
    `normalize_path` and includes the query string, so URL rules may name one.
    """

    host: str
    path: str = "/"
    method: str = "GET"
    dns_message: bool = False  # a DNS-over-HTTPS request (application/dns-message)


class Usage(Protocol):
    """Minutes a child has used on a local day (see guardian.active_time)."""

    def used(self, day: date, scope: str, key: str = "") -> int: ...


class NoUsage:
    """Usage for a child who has used no time (and for tests of content rules)."""

    def used(self, day: date, scope: str, key: str = "") -> int:
        return 0


@dataclass(frozen=True, slots=True)
class Context:
    request: RequestFacts
    policy: ProfilePolicy
    usage: Usage
    now: datetime  # aware, in the household's time zone
    mask: int  # every category the site or URL is listed in

    @property
    def site(self) -> str:
        return site_of(self.request.host)

    @property
    def category(self) -> str | None:
        return first_category(self.mask)


Check = Callable[[Context], Decision | None]


def parent_rules(context: Context) -> Decision | None:
    rules = context.policy.rules
    if not rules:
        return None
    request = context.request
    for suffix in domain_suffixes(request.host):
        entries = rules.get(suffix)
        if entries is None:
            continue
        for entry in entries:
            if entry.expires_at is not None and entry.expires_at <= context.now:
                continue
            if not entry.path or request.path.startswith(entry.path):
                if entry.action is Action.ALLOW:
                    return Decision(Action.ALLOW, Reason.ALLOW_RULE, rule=entry.text)
                return block(Reason.BLOCK_RULE, rule=entry.text)
    return None


def blocked_categories(context: Context) -> Decision | None:
    mask = context.mask & context.policy.blocked_mask
    if not mask:
        return None
    return block(Reason.CATEGORY, category=first_category(mask))


def social_signups(context: Context) -> Decision | None:
    """A social network's sign-up page, for a child whose sign-ups need a parent."""
    request = context.request
    if not context.policy.social_signup or not is_signup_page(request.host, request.path):
        return None
    return block(Reason.SIGNUP, category="social")


def unsafe_search_engines(context: Context) -> Decision | None:
    """An engine Guardian cannot make safe: blocked, or allowed and flagged in the log."""
    policy = context.policy
    if not policy.safe_search or not load_safe_search().is_unsupported(context.request.host):
        return None
    if policy.unsafe_search == "block":
        return block(Reason.UNSAFE_SEARCH, category=context.category)
    return Decision(Action.ALLOW, Reason.UNSAFE_SEARCH, context.category)


def allowed_hours(context: Context) -> Decision | None:
    policy, now = context.policy, context.now
    if policy.hours is None or policy.hours.allows(now):
        return None
    if policy.hours_extended_until is not None and now < policy.hours_extended_until:
        return None
    limit = TimeLimit("hours", "", None, None, policy.hours.next_allowed(now))
    return block(Reason.OUTSIDE_HOURS, category=context.category, limit=limit)


def daily_budgets(context: Context) -> Decision | None:
    for budget, key, used, allowed in applicable_budgets(context):
        if allowed is not None and used >= allowed:
            returns = next_midnight(context.now)
            hours = context.policy.hours
            if hours is not None:
                returns = hours.next_allowed(returns) or returns
            limit = TimeLimit(budget.scope, key, used, allowed, returns)
            return block(Reason.TIME_UP, category=context.category, limit=limit)
    return None


def applicable_budgets(
    context: Context,
) -> list[tuple[BudgetRule, str, int, int | None]]:
    """(budget, key, minutes used, minutes allowed or None for no limit today) for this request."""
    policy, usage = context.policy, context.usage
    day = context.now.date()
    today = day.isoformat()
    found = []
    site = None
    for budget in policy.budgets:
        scope = budget.scope
        if scope == "total":
            key, used = "", usage.used(day, "total")
            extra = policy.grant(today, "total")
        elif scope == "category":
            if not context.mask & CATEGORY_BITS.get(budget.key, 0):
                continue
            key, used = budget.key, usage.used(day, "category", budget.key)
            extra = policy.grant(today, "category", budget.key)
        elif scope == "site":
            if site is None:
                site = context.site
            if site != budget.key:
                continue
            key, used = budget.key, usage.used(day, "site", budget.key)
            extra = policy.grant(today, "site", budget.key)
        else:  # each_site: every site of the category has its own budget
            if not context.mask & CATEGORY_BITS.get(budget.key, 0):
                continue
            if site is None:
                site = context.site
            key, used = site, usage.used(day, "site", site)
            extra = policy.grant(today, "site", key)
            also = policy.grant(today, "category", budget.key)
            extra = None if extra is None or also is None else extra + also
        # A grant of None lifts the budget for today.
        allowed = None if extra is None else budget.minutes + extra
        found.append((budget, key, used, allowed))
    return found


# It depends only on the host and on data shipped with Guardian; the proxy
# asks for every request, mostly about the same few hundred hosts.
_known_mask = lru_cache(maxsize=8192)(known_mask)


CONTENT_CHECKS: tuple[Check, ...] = (
    parent_rules, blocked_categories, social_signups, unsafe_search_engines)
TIME_CHECKS: tuple[Check, ...] = (allowed_hours, daily_budgets)


def context_for(
    request: RequestFacts, policy: ProfilePolicy, usage: Usage, now: datetime
) -> Context:
    index = policy.index
    mask = index.mask_of(request.host) | index.url_mask(request.host, request.path)
    mask |= _known_mask(request.host)  # known without any imported list
    if request.dns_message:
        mask |= CATEGORY_BITS["bypass"]
    return Context(request, policy, usage, now, mask)


def decide(
    request: RequestFacts, policy: ProfilePolicy, usage: Usage, now: datetime
) -> Decision:
    """Allow or block `request` for the child whose `policy` it is, at local time `now`."""
    context = context_for(request, policy, usage, now)
    content: Decision | None = None
    for check in CONTENT_CHECKS:
        content = check(context)
        if content is not None:
            break
    if content is not None and content.blocked:
        return content
    for check in TIME_CHECKS:
        limited = check(context)
        if limited is not None:
            return limited
    if content is not None:
        return content
    category = context.category
    return ALLOWED if category is None else Decision(Action.ALLOW, Reason.ALLOWED, category)


def minutes_left(context: Context) -> int | None:
    """The fewest minutes left under any limit that applies (None: no limit applies)."""
    left: list[int] = []
    for _budget, _key, used, allowed in applicable_budgets(context):
        if allowed is not None:
            left.append(max(0, allowed - used))
    hours = context.policy.hours
    if hours is not None:
        until_close = hours.minutes_left(context.now)
        if until_close is not None:
            left.append(until_close)
    return min(left) if left else None


def first_category(mask: int) -> str | None:
    """The first category in catalogue order (most severe first) set in `mask`."""
    if not mask:
        return None
    for code, bit in CATEGORY_BITS.items():
        if mask & bit:
            return code
    return None
