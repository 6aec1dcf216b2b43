"""The child's own page on the reserved host (PARENT-1: the child sees what is recorded).

It shows only the requesting child's own day: time used and left, the limits
that apply, the categories blocked, and what Guardian records about them.
Never another child's data, never the parent's settings.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from mitmproxy import http

from guardian.active_time import ProfileUsage
from guardian.categories import CATEGORY_BITS
from guardian.engine import Context, RequestFacts, minutes_left
from guardian.i18n import translate
from guardian.policy import HouseholdPolicy, ProfilePolicy
from guardian.portal_pages import ChildPage, render_child_page
from guardian.schedule import DAY_NAMES
from proxy_addons.block_response import page_response

if TYPE_CHECKING:
    from proxy_addons.portal import ChildPortal

RECORDED_KEYS = ("child_page.recorded.requests", "child_page.recorded.minutes",
                 "child_page.recorded.requests_made", "child_page.recorded.retention")


async def child_page_response(
    portal: ChildPortal, flow: http.HTTPFlow, policy: HouseholdPolicy, profile: ProfilePolicy
) -> http.Response:
    tracker = portal.tracker
    now = portal.clock.now().astimezone(policy.zone)
    day = now.date()
    usage = ProfileUsage(tracker, profile.id)
    language = profile.language
    # Time left under the limits on everything (total budget, allowed hours).
    everywhere = Context(RequestFacts(host="guardian.home.arpa"), profile, usage, now, 0)
    page = ChildPage(
        name=profile.name,
        minutes_used_today=tracker.used(profile.id, day, "total"),
        minutes_left_today=minutes_left(everywhere),
        limits=limit_lines(profile, language),
        blocked_categories=tuple(
            code for code, bit in CATEGORY_BITS.items() if profile.blocked_mask & bit),
        recorded=tuple(translate(language, key) for key in RECORDED_KEYS),
        recent_sites=tuple(tracker.sites_used(profile.id, day)[:10]),
    )
    return page_response(200, render_child_page(language, page))


def limit_lines(profile: ProfilePolicy, language: str) -> tuple[str, ...]:
    lines = []
    for budget in profile.budgets:
        category = translate(language, f"category.{budget.key}") if budget.scope in (
            "category", "each_site") else budget.key
        lines.append(translate(language, f"child_page.limit.{budget.scope}",
                               minutes=budget.minutes, name=category))
    if profile.hours is not None:
        for day, ranges in sorted(profile.hours.by_day.items()):
            lines.append(translate(language, "child_page.limit.hours",
                                   day=translate(language, f"child_page.day.{DAY_NAMES[day]}"),
                                   ranges=", ".join(r.text() for r in ranges)))
    return tuple(lines)
