"""The weekly summary of one child's week, computed from the daily rollups only.

The rollups (`guardian.storage.rollups`) are small, so a summary takes
milliseconds however many raw rows the week had. The requests to a parent
and the reports are read from their own (small) tables. The app's page and
the HTML, PDF and JSON exports all show the same `WeeklySummary`
(`guardian.reports.summary`).

A day's budget is the total budget it had (`total_budgets`: a change applies
from the day it was made), plus the extra time granted that day.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import replace
from datetime import UTC, date, datetime, tzinfo

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from guardian.i18n import normalize_language
from guardian.reports.prompts import choose_prompts
from guardian.reports.summary import (
    BlockGroup,
    CategoryTime,
    DayTime,
    ReportMade,
    RequestMade,
    SearchMade,
    SiteTime,
    TimeLimitDay,
    WeekComparison,
    WeeklySummary,
)
from guardian.reports.weeks import IsoWeek
from guardian.storage.models import (
    AccessRequest,
    DailyBlocks,
    DailySearches,
    DailySiteUsage,
    HourlyMinutes,
    Profile,
    Report,
    TimeGrant,
)
from guardian.storage.profiles import get_profile
from guardian.storage.retention import raw_retention_days
from guardian.storage.rollups import ALL_SITES, OTHER_SITES
from guardian.storage.screen_time import total_budgets

# Blocks the child met by trying to open something (not time limits, not set-up problems).
ATTEMPT_REASONS = ("category", "block_rule", "content", "unsafe_search", "personal_info",
                   "signup")
TIME_REASONS = ("time_up", "outside_hours")
NIGHT_FROM_HOUR = 21  # activity from 21:00 ...
NIGHT_UNTIL_HOUR = 5  # ... to 05:00 local is "late"
TOP_SITES = 10
MAX_SEARCHES = 50
EXAMPLE_SITES = 3


def weekly_summary(
    session: Session,
    profile: Profile | int,
    iso_week: str | IsoWeek,
    zone: tzinfo,
    language: str,
    now: datetime | None = None,
) -> WeeklySummary:
    """One child's week `iso_week` ("2026-W48") counted in `zone`, prompts in `language`.

    `profile` is a Profile row or its id. `now` (default: the current time)
    decides whether the week is complete and stamps the summary.
    """
    if isinstance(profile, int):
        profile = get_profile(session, profile)
    week = iso_week if isinstance(iso_week, IsoWeek) else IsoWeek.parse(iso_week)
    language = normalize_language(language)
    now = now or datetime.now(UTC)
    first, last = week.monday.isoformat(), week.sunday.isoformat()
    previous = week.previous()
    start, end = week.bounds(zone)

    hours = _hours(session, profile.id, first, last)
    days = _days(session, profile.id, week, hours)
    categories = _categories(session, profile.id, week, hours)
    blocks = _blocks(session, profile.id, first, last)
    blocked = sum(group.count for group in blocks)
    previous_hours = _hours(session, profile.id, previous.monday.isoformat(),
                            previous.sunday.isoformat())
    previous_minutes = sum(m for (_d, _h, c), m in previous_hours.items() if c == ALL_SITES)
    comparison = WeekComparison(
        previous_week=str(previous),
        minutes=sum(d.minutes for d in days),
        previous_minutes=previous_minutes,
        blocks=blocked,
        previous_blocks=_blocked_count(session, profile.id, previous),
        new_categories=tuple(c.category for c in categories
                             if c.category and c.minutes and not c.previous_minutes),
    )
    searches, searches_total = _searches(session, profile.id, first, last, zone)
    by_hour = [0] * 24
    for (_day, hour, category), minutes in hours.items():
        if category == ALL_SITES:
            by_hour[hour] += minutes
    summary = WeeklySummary(
        profile=profile.name, profile_id=profile.id, age=profile.age, week=str(week),
        first_day=week.monday, last_day=week.sunday, zone=_zone_name(zone), language=language,
        generated_at=now.astimezone(zone), complete=now >= end,
        days=days, total_minutes=comparison.minutes, daily_budget=days[-1].budget,
        minutes_by_hour=tuple(by_hour), categories=categories,
        top_sites_by_time=_top_sites(session, profile.id, first, last, DailySiteUsage.minutes),
        top_sites_by_visits=_top_sites(session, profile.id, first, last, DailySiteUsage.visits),
        blocks=blocks, blocked_attempts=blocked,
        time_limits=_time_limits(session, profile.id, first, last, zone),
        searches=searches, searches_total=searches_total,
        requests=_requests(session, profile.id, start, end, zone),
        reports=_reports(session, profile.id, start, end, zone),
        comparison=comparison, prompts=(), raw_retention_days=raw_retention_days(session),
    )
    return replace(summary, prompts=choose_prompts(summary))


def _zone_name(zone: tzinfo) -> str:
    return getattr(zone, "key", None) or str(zone)


def _hours(
    session: Session, profile_id: int, first: str, last: str
) -> dict[tuple[str, int, str], int]:
    rows = session.execute(
        select(HourlyMinutes.day, HourlyMinutes.hour, HourlyMinutes.category,
               HourlyMinutes.minutes)
        .where(HourlyMinutes.profile_id == profile_id, HourlyMinutes.day >= first,
               HourlyMinutes.day <= last))
    return {(day, hour, category): minutes for day, hour, category, minutes in rows}


def _days(
    session: Session,
    profile_id: int,
    week: IsoWeek,
    hours: dict[tuple[str, int, str], int],
) -> tuple[DayTime, ...]:
    grants: dict[str, list[int | None]] = defaultdict(list)
    for granted_day, granted in session.execute(
        select(TimeGrant.day, TimeGrant.minutes).where(
            TimeGrant.profile_id == profile_id, TimeGrant.scope == "total",
            TimeGrant.day >= week.monday.isoformat(), TimeGrant.day <= week.sunday.isoformat())
    ):
        grants[granted_day].append(granted)
    days = []
    week_days = list(week.days())
    for day, budget in zip(week_days, total_budgets(session, profile_id, week_days), strict=True):
        key = day.isoformat()
        total = night = 0
        for hour in range(24):
            minutes = hours.get((key, hour, ALL_SITES), 0)
            total += minutes
            if hour >= NIGHT_FROM_HOUR or hour < NIGHT_UNTIL_HOUR:
                night += minutes
        given = grants.get(key, [])
        days.append(DayTime(
            day=day, minutes=total, budget=budget,
            extra=sum(m for m in given if m is not None),
            extra_unlimited=any(m is None for m in given), night_minutes=night,
        ))
    return tuple(days)


def _categories(
    session: Session, profile_id: int, week: IsoWeek, hours: dict[tuple[str, int, str], int]
) -> tuple[CategoryTime, ...]:
    now: dict[str, int] = defaultdict(int)
    for (_day, _hour, category), minutes in hours.items():
        if category != ALL_SITES:
            now[category] += minutes
    previous = week.previous()
    before: dict[str, int] = {code: int(minutes or 0) for code, minutes in session.execute(
        select(HourlyMinutes.category, func.sum(HourlyMinutes.minutes))
        .where(HourlyMinutes.profile_id == profile_id,
               HourlyMinutes.day >= previous.monday.isoformat(),
               HourlyMinutes.day <= previous.sunday.isoformat(),
               HourlyMinutes.category != ALL_SITES)
        .group_by(HourlyMinutes.category))}
    found = [
        CategoryTime(None if code == OTHER_SITES else code, minutes, int(before.get(code) or 0))
        for code, minutes in now.items() if minutes
    ]
    return tuple(sorted(found, key=lambda c: (-c.minutes, c.category or "~")))


def _top_sites(
    session: Session, profile_id: int, first: str, last: str, column: object
) -> tuple[SiteTime, ...]:
    minutes = func.sum(DailySiteUsage.minutes)
    visits = func.sum(DailySiteUsage.visits)
    ordering = minutes if column is DailySiteUsage.minutes else visits
    other = visits if ordering is minutes else minutes
    rows = session.execute(
        select(DailySiteUsage.site, func.max(DailySiteUsage.category), minutes, visits,
               func.sum(DailySiteUsage.requests))
        .where(DailySiteUsage.profile_id == profile_id, DailySiteUsage.day >= first,
               DailySiteUsage.day <= last)
        .group_by(DailySiteUsage.site)
        .having(ordering > 0)
        .order_by(ordering.desc(), other.desc(), DailySiteUsage.site)
        .limit(TOP_SITES))
    return tuple(SiteTime(site, category, int(m), int(v), int(r))
                 for site, category, m, v, r in rows)


def _blocks(session: Session, profile_id: int, first: str, last: str) -> tuple[BlockGroup, ...]:
    counts: dict[tuple[str, str], int] = defaultdict(int)
    days: dict[tuple[str, str], set[str]] = defaultdict(set)
    sites: dict[tuple[str, str], dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for day, reason, category, site, count in session.execute(
        select(DailyBlocks.day, DailyBlocks.reason, DailyBlocks.category, DailyBlocks.site,
               DailyBlocks.count)
        .where(DailyBlocks.profile_id == profile_id, DailyBlocks.day >= first,
               DailyBlocks.day <= last, DailyBlocks.reason.in_(ATTEMPT_REASONS))
    ):
        key = (reason, category)
        counts[key] += count
        days[key].add(day)
        sites[key][site] += count
    groups = [
        BlockGroup(
            reason=key[0], category=key[1] or None, count=count, days=len(days[key]),
            examples=tuple(site for site, _n in sorted(
                sites[key].items(), key=lambda pair: (-pair[1], pair[0]))[:EXAMPLE_SITES]),
        )
        for key, count in counts.items()
    ]
    return tuple(sorted(groups, key=lambda g: (-g.count, g.reason, g.category or "")))


def _blocked_count(session: Session, profile_id: int, week: IsoWeek) -> int:
    return int(session.scalar(
        select(func.coalesce(func.sum(DailyBlocks.count), 0))
        .where(DailyBlocks.profile_id == profile_id,
               DailyBlocks.day >= week.monday.isoformat(),
               DailyBlocks.day <= week.sunday.isoformat(),
               DailyBlocks.reason.in_(ATTEMPT_REASONS))) or 0)


def _time_limits(
    session: Session, profile_id: int, first: str, last: str, zone: tzinfo
) -> tuple[TimeLimitDay, ...]:
    rows = session.execute(
        select(DailyBlocks.day, DailyBlocks.reason, func.sum(DailyBlocks.count),
               func.min(DailyBlocks.first_at), func.max(DailyBlocks.last_at))
        .where(DailyBlocks.profile_id == profile_id, DailyBlocks.day >= first,
               DailyBlocks.day <= last, DailyBlocks.reason.in_(TIME_REASONS))
        .group_by(DailyBlocks.day, DailyBlocks.reason)
        .order_by(DailyBlocks.day, DailyBlocks.reason))
    return tuple(
        TimeLimitDay(date.fromisoformat(day), reason, int(count),
                     _aware(first_at).astimezone(zone), _aware(last_at).astimezone(zone))
        for day, reason, count, first_at, last_at in rows
    )


def _aware(value: datetime | str) -> datetime:
    """Aggregates (min, max) come back without the column's type on SQLite."""
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def _searches(
    session: Session, profile_id: int, first: str, last: str, zone: tzinfo
) -> tuple[tuple[SearchMade, ...], int]:
    window = (DailySearches.profile_id == profile_id, DailySearches.day >= first,
              DailySearches.day <= last)
    total = session.scalar(select(func.count(func.distinct(DailySearches.term))).where(*window))
    count = func.sum(DailySearches.count)
    latest = func.max(DailySearches.last_at)
    rows = session.execute(
        select(DailySearches.term, count, func.sum(DailySearches.blocked), latest)
        .where(*window).group_by(DailySearches.term)
        .order_by(count.desc(), latest.desc(), DailySearches.term).limit(MAX_SEARCHES))
    return tuple(
        SearchMade(term, int(n), int(b), _aware(at).astimezone(zone)) for term, n, b, at in rows
    ), int(total or 0)


def _requests(
    session: Session, profile_id: int, start: datetime, end: datetime, zone: tzinfo
) -> tuple[RequestMade, ...]:
    rows = session.scalars(
        select(AccessRequest)
        .where(AccessRequest.profile_id == profile_id, AccessRequest.created_at >= start,
               AccessRequest.created_at < end)
        .order_by(AccessRequest.created_at, AccessRequest.id))
    return tuple(
        RequestMade(
            id=r.id, kind=r.kind,
            target=r.host if r.kind == "site" else (f"{r.scope}:{r.key}" if r.key else r.scope),
            category=r.category, message=r.message, status=r.status, answer=r.answer,
            created_at=r.created_at.astimezone(zone),
            answered_at=r.answered_at.astimezone(zone) if r.answered_at else None,
        )
        for r in rows
    )


def _reports(
    session: Session, profile_id: int, start: datetime, end: datetime, zone: tzinfo
) -> tuple[ReportMade, ...]:
    rows = session.scalars(
        select(Report)
        .where(Report.profile_id == profile_id, Report.created_at >= start,
               Report.created_at < end)
        .order_by(Report.created_at, Report.id))
    return tuple(ReportMade(r.id, r.host, r.path, r.category, r.note,
                            r.created_at.astimezone(zone)) for r in rows)

