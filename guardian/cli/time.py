"""`guardian time ...`: daily budgets, allowed hours, extra time, and where each child stands."""

from __future__ import annotations

import argparse
from datetime import UTC, datetime
from typing import Any

from guardian.categories import CATEGORIES
from guardian.cli.context import CliContext, print_json
from guardian.errors import UsageError
from guardian.schedule import TEMPLATES, parse_days, parse_ranges
from guardian.storage.profiles import find_profile, list_profiles
from guardian.storage.screen_time import (
    apply_template,
    budget_target,
    grant_time,
    list_budgets,
    list_hours,
    minutes_used,
    set_budget,
    set_hours,
)
from guardian.storage.settings import HOUSEHOLD_TIMEZONE, get_setting
from guardian.zones import household_zone


def register(commands: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    time = commands.add_parser("time", help="screen time: budgets, allowed hours, extra time")
    actions = time.add_subparsers(dest="time_command", metavar="COMMAND", required=True)

    budget = actions.add_parser("budget", help="a daily budget: in total, per category or site")
    budget.add_argument("profile")
    budget.add_argument("minutes", metavar="MINUTES|off", help="minutes a day (0: none), or off")
    target = budget.add_mutually_exclusive_group()
    target.add_argument("--category", help=f"one of: {', '.join(CATEGORIES)}")
    target.add_argument("--site", metavar="DOMAIN", help="a site, e.g. youtube.com")
    budget.set_defaults(handler=budget_command)

    hours = actions.add_parser(
        "hours", help="allowed hours on some days (a range may cross midnight)")
    hours.add_argument("profile")
    hours.add_argument("days", metavar="DAYS",
                       help=f"mon-fri, sat,sun, all ... or a template: {', '.join(TEMPLATES)}")
    hours.add_argument("ranges", nargs="?", metavar="HH:MM-HH:MM|off",
                       help="e.g. 07:00-20:30 or 07:00-12:00,14:00-21:00; off: no limit")
    hours.set_defaults(handler=hours_command)

    grant = actions.add_parser("grant", help="extra minutes for today")
    grant.add_argument("profile")
    grant.add_argument("minutes", type=int)
    grant.add_argument("--category", help="only for this category")
    grant.set_defaults(handler=grant_command)

    status = actions.add_parser("status", help="time used, budgets and hours")
    status.add_argument("profile", nargs="?")
    status.add_argument("--json", action="store_true")
    status.set_defaults(handler=status_command)


def budget_command(args: argparse.Namespace, context: CliContext) -> int:
    text = args.minutes.strip().lower()
    if text == "off":
        minutes = None
    elif text.isdigit():
        minutes = int(text)
    else:
        raise UsageError(f"MINUTES is a number of minutes or 'off', not {args.minutes!r}")
    scope, key = budget_target(args.category, args.site)
    with context.db().begin() as session:
        set_budget(session, find_profile(session, args.profile), minutes, scope, key)
    what = {"total": "in total", "category": f"for {key}", "site": f"on {key}"}[scope]
    done = "removed" if minutes is None else f"{minutes} minutes a day"
    print(f"{args.profile}: budget {what}: {done}")
    return 0


def hours_command(args: argparse.Namespace, context: CliContext) -> int:
    with context.db().begin() as session:
        profile = find_profile(session, args.profile)
        if args.days in TEMPLATES:
            if args.ranges:
                raise UsageError(f"the {args.days} template sets its own hours; give no range")
            apply_template(session, profile, args.days)
        else:
            if not args.ranges:
                raise UsageError("give the allowed hours (e.g. 07:00-20:30) or 'off'")
            days = parse_days(args.days)
            off = args.ranges.strip().lower() == "off"
            set_hours(session, profile, days, None if off else parse_ranges(args.ranges))
        shown = list_hours(session, profile)
    for day, ranges in shown.items():
        print(f"{args.profile}: {day} {', '.join(ranges)}")
    if not shown:
        print(f"{args.profile}: no allowed-hours limit")
    return 0


def grant_command(args: argparse.Namespace, context: CliContext) -> int:
    scope, key = budget_target(args.category, None)
    with context.db().begin() as session:
        zone = household_zone(get_setting(session, HOUSEHOLD_TIMEZONE))
        today = datetime.now(UTC).astimezone(zone).date()
        grant_time(session, find_profile(session, args.profile), today, args.minutes, scope, key)
    print(f"{args.profile}: {args.minutes} extra minutes today{' for ' + key if key else ''}")
    return 0


def status_command(args: argparse.Namespace, context: CliContext) -> int:
    rows: list[dict[str, Any]] = []
    with context.db().begin() as session:
        zone = household_zone(get_setting(session, HOUSEHOLD_TIMEZONE))
        today = datetime.now(UTC).astimezone(zone).date()
        profiles = [find_profile(session, args.profile)] if args.profile else list_profiles(
            session)
        for profile in profiles:
            used = minutes_used(session, profile, today, zone)
            budgets = []
            for budget in list_budgets(session, profile):
                key = (budget.scope if budget.scope != "each_site" else "site", budget.key)
                budgets.append({
                    "scope": budget.scope, "key": budget.key, "minutes": budget.minutes,
                    "used": used.get(key, 0) if budget.scope != "each_site" else None,
                })
            rows.append({
                "profile": profile.name, "day": today.isoformat(),
                "used_minutes": used[("total", "")],
                "by_category": {k: v for (s, k), v in used.items() if s == "category"},
                "by_site": {k: v for (s, k), v in used.items() if s == "site"},
                "budgets": budgets, "hours": list_hours(session, profile),
            })
    if args.json:
        print_json(rows)
        return 0
    for row in rows:
        print(f"{row['profile']}: {row['used_minutes']} minutes today")
        for budget in row["budgets"]:
            target = budget["key"] or "everything"
            each = "each site of " if budget["scope"] == "each_site" else ""
            spent = "" if budget["used"] is None else f"{budget['used']} of "
            print(f"  budget {each}{target}: {spent}{budget['minutes']} minutes")
        for day, ranges in row["hours"].items():
            print(f"  allowed {day} {', '.join(ranges)}")
    return 0
