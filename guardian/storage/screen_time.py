"""Data functions for screen time: budgets, allowed hours, extra time, and the minutes used."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, tzinfo

from sqlalchemy import delete, func, insert, select
from sqlalchemy.orm import Session

from guardian.active_time import MinuteRow
from guardian.categories import CATEGORIES, is_category
from guardian.errors import UsageError
from guardian.hosts import normalize_host
from guardian.presets import Preset
from guardian.schedule import DAY_NAMES, TEMPLATES, HourRange
from guardian.sites import site_of
from guardian.storage.models import (
    ActiveMinute,
    AllowedHours,
    Budget,
    Profile,
    TimeGrant,
    TotalBudgetChange,
)
from guardian.storage.policy_version import bump_policy_version
from guardian.storage.settings import HOUSEHOLD_TIMEZONE, get_setting
from guardian.zones import household_zone

MAX_MINUTES = 24 * 60


@dataclass(frozen=True, slots=True)
class BudgetInfo:
    scope: str
    key: str
    minutes: int


def budget_target(category: str | None, site: str | None) -> tuple[str, str]:
    """(scope, key) for a budget on everything, a category or a site."""
    if category and site:
        raise UsageError("a budget is for a category or for a site, not both")
    if category:
        if not is_category(category):
            raise UsageError(f"unknown category {category!r}; categories: {', '.join(CATEGORIES)}")
        return "category", category
    if site:
        return "site", site_of(normalize_host(site))
    return "total", ""


def set_budget(
    session: Session, profile: Profile, minutes: int | None, scope: str = "total", key: str = ""
) -> None:
    """Set a daily budget in minutes (0 allows no time); None removes it."""
    if minutes is not None and not 0 <= minutes <= MAX_MINUTES:
        raise UsageError(f"a daily budget is 0 to {MAX_MINUTES} minutes, not {minutes}")
    existing = session.scalars(select(Budget).where(
        Budget.profile_id == profile.id, Budget.scope == scope, Budget.key == key)).first()
    if minutes is None:
        if existing is None:
            raise UsageError(f"{profile.name} has no {scope} budget{' for ' + key if key else ''}")
        session.delete(existing)
    elif existing is None:
        session.add(Budget(profile_id=profile.id, scope=scope, key=key, minutes=minutes))
    else:
        existing.minutes = minutes
    if scope == "total":
        record_total_budget(session, profile, minutes)
    bump_policy_version(session)


def record_total_budget(session: Session, profile: Profile, minutes: int | None,
                        today: date | None = None) -> None:
    """Remember that the total budget is `minutes` from `today` (household time) on."""
    if today is None:
        today = datetime.now(household_zone(get_setting(session, HOUSEHOLD_TIMEZONE))).date()
    change = session.get(TotalBudgetChange, (profile.id, today.isoformat()))
    if change is None:
        session.add(TotalBudgetChange(profile_id=profile.id, day=today.isoformat(),
                                      minutes=minutes))
    else:
        change.minutes = minutes


def total_budgets(session: Session, profile_id: int, days: Sequence[date]) -> list[int | None]:
    """The total budget each of `days` had (the setting of its time, not today's).

    Days before the first recorded change (the child was not set up yet) get
    the first budget recorded; with no history at all, today's setting.
    """
    changes = session.execute(
        select(TotalBudgetChange.day, TotalBudgetChange.minutes)
        .where(TotalBudgetChange.profile_id == profile_id)
        .order_by(TotalBudgetChange.day)).all()
    if not changes:
        current = session.scalar(select(Budget.minutes).where(
            Budget.profile_id == profile_id, Budget.scope == "total", Budget.key == ""))
        return [current] * len(days)
    budgets = []
    for day in days:
        key = day.isoformat()
        applying = changes[0].minutes
        for changed, minutes in changes:
            if changed > key:
                break
            applying = minutes
        budgets.append(applying)
    return budgets


def list_budgets(session: Session, profile: Profile) -> list[BudgetInfo]:
    rows = session.scalars(select(Budget).where(Budget.profile_id == profile.id)
                           .order_by(Budget.scope, Budget.key))
    return [BudgetInfo(b.scope, b.key, b.minutes) for b in rows]


def apply_preset_budgets(session: Session, profile: Profile, preset: Preset) -> None:
    """The time defaults of the child's age preset (Decree 147/2024 for games)."""
    wanted = [
        ("total", "", preset.daily_total_minutes),
        ("category", "games", preset.games_total_minutes),
        ("each_site", "games", preset.per_game_minutes),
    ]
    for scope, key, minutes in wanted:
        if minutes is not None:
            session.add(Budget(profile_id=profile.id, scope=scope, key=key, minutes=minutes))
    record_total_budget(session, profile, preset.daily_total_minutes)


def set_hours(
    session: Session, profile: Profile, days: Sequence[int], ranges: Sequence[HourRange] | None
) -> None:
    """Replace the allowed hours of `days`; None makes those days unrestricted."""
    session.execute(delete(AllowedHours).where(
        AllowedHours.profile_id == profile.id, AllowedHours.weekday.in_(days)))
    for day in days:
        for hour_range in ranges or ():
            session.add(AllowedHours(profile_id=profile.id, weekday=day,
                                     start_minute=hour_range.start, end_minute=hour_range.end))
    bump_policy_version(session)


def apply_template(session: Session, profile: Profile, name: str) -> None:
    if name not in TEMPLATES:
        raise UsageError(f"unknown template {name!r}; templates: {', '.join(TEMPLATES)}")
    days, ranges = TEMPLATES[name]
    set_hours(session, profile, days, [HourRange(s, e) for s, e in ranges])


def list_hours(session: Session, profile: Profile) -> dict[str, list[str]]:
    """Allowed hours by day name, as `HH:MM-HH:MM` texts; days not listed are unrestricted."""
    rows = session.scalars(select(AllowedHours).where(AllowedHours.profile_id == profile.id)
                           .order_by(AllowedHours.weekday, AllowedHours.start_minute))
    result: dict[str, list[str]] = {}
    for row in rows:
        result.setdefault(DAY_NAMES[row.weekday], []).append(
            HourRange(row.start_minute, row.end_minute).text())
    return result


def grant_time(
    session: Session, profile: Profile, day: date, minutes: int | None,
    scope: str = "total", key: str = "",
) -> None:
    """Extra minutes for one local day (None: no limit for the rest of it)."""
    if minutes is not None and not 1 <= minutes <= MAX_MINUTES:
        raise UsageError(f"extra time is 1 to {MAX_MINUTES} minutes, not {minutes}")
    session.add(TimeGrant(profile_id=profile.id, day=day.isoformat(), scope=scope, key=key,
                          minutes=minutes))
    bump_policy_version(session)


def store_minutes(session: Session, rows: Sequence[MinuteRow]) -> None:
    """Record active minutes; a minute already stored for that site is left as it is."""
    if not rows:
        return
    values = [{"profile_id": r.profile_id, "minute": r.minute, "site": r.site,
               "category": r.category} for r in rows]
    dialect = session.get_bind().dialect.name
    if dialect == "sqlite":
        from sqlalchemy.dialects.sqlite import insert as dialect_insert
    elif dialect == "postgresql":
        from sqlalchemy.dialects.postgresql import insert as dialect_insert  # type: ignore[assignment]
    else:
        session.execute(insert(ActiveMinute), values)
        return
    session.execute(dialect_insert(ActiveMinute).on_conflict_do_nothing(), values)


def load_minutes(session: Session, since: datetime) -> list[MinuteRow]:
    rows = session.scalars(select(ActiveMinute).where(ActiveMinute.minute >= since))
    return [MinuteRow(r.profile_id, r.minute, r.site, r.category) for r in rows]


def day_bounds(day: date, zone: tzinfo) -> tuple[datetime, datetime]:
    """The UTC-comparable start and end of a local day (23 or 25 hours on DST days)."""
    start = datetime.combine(day, time(0), tzinfo=zone)
    end = datetime.combine(day + timedelta(days=1), time(0), tzinfo=zone)
    return start, end


def minutes_used(
    session: Session, profile: Profile, day: date, zone: tzinfo
) -> dict[tuple[str, str], int]:
    """Minutes used on a local day: ("total", ""), ("category", code), ("site", site)."""
    start, end = day_bounds(day, zone)
    window = (ActiveMinute.profile_id == profile.id, ActiveMinute.minute >= start,
              ActiveMinute.minute < end)
    used: dict[tuple[str, str], int] = {
        ("total", ""): session.scalar(
            select(func.count(func.distinct(ActiveMinute.minute))).where(*window)) or 0,
    }
    for category, count in session.execute(
        select(ActiveMinute.category, func.count(func.distinct(ActiveMinute.minute)))
        .where(*window, ActiveMinute.category.is_not(None)).group_by(ActiveMinute.category)
    ):
        if category is not None:
            used[("category", category)] = count
    for site, count in session.execute(
        select(ActiveMinute.site, func.count()).where(*window).group_by(ActiveMinute.site)
    ):
        used[("site", site)] = count
    return used

