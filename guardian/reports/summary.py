"""What a weekly summary holds: frozen dataclasses, the same for the app and every export.

Only the conversation prompts carry text (in the parent's language); the
rest is codes and numbers that each view translates. Local datetimes are in
the household's zone, `zone`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime


@dataclass(frozen=True, slots=True)
class DayTime:
    """One local day: minutes online, against the daily budget and any extra time given."""

    day: date
    minutes: int
    budget: int | None  # the total daily budget that day had; None: no total budget
    extra: int  # extra minutes granted that day
    extra_unlimited: bool  # a parent lifted the limit for the rest of that day
    night_minutes: int  # minutes from 21:00 and before 05:00

    @property
    def allowed(self) -> int | None:
        """The minutes the child could use that day; None: no limit."""
        if self.budget is None or self.extra_unlimited:
            return None
        return self.budget + self.extra


@dataclass(frozen=True, slots=True)
class CategoryTime:
    category: str | None  # None: sites of no category
    minutes: int
    previous_minutes: int  # the week before


@dataclass(frozen=True, slots=True)
class SiteTime:
    site: str
    category: str | None
    minutes: int
    visits: int  # separate stretches of time on the site
    requests: int


@dataclass(frozen=True, slots=True)
class BlockGroup:
    """Blocked attempts for one reason and category, with the sites most often blocked."""

    reason: str  # a decision reason code (guardian.decision.Reason)
    category: str | None
    count: int
    days: int  # on how many days
    examples: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class TimeLimitDay:
    """A day on which time ran out, or the child tried outside their hours."""

    day: date
    reason: str  # "time_up" | "outside_hours"
    count: int  # blocked requests
    first_at: datetime  # local
    last_at: datetime  # local


@dataclass(frozen=True, slots=True)
class SearchMade:
    term: str
    count: int
    blocked: int
    last_at: datetime  # local


@dataclass(frozen=True, slots=True)
class RequestMade:
    """An "ask a parent" request and how it was answered."""

    id: int
    kind: str  # "site" | "time"
    target: str  # the site, or the limit ("total", "category:games", "hours")
    category: str | None
    message: str
    status: str  # "pending" | "approved" | "denied"
    answer: str | None  # "15m", "60m", "today", "always"
    created_at: datetime  # local
    answered_at: datetime | None  # local


@dataclass(frozen=True, slots=True)
class ReportMade:
    """A page the child reported as harmful (GEN-6, CHILD-6)."""

    id: int
    host: str
    path: str
    category: str | None
    note: str
    created_at: datetime  # local


@dataclass(frozen=True, slots=True)
class WeekComparison:
    previous_week: str
    minutes: int
    previous_minutes: int
    blocks: int
    previous_blocks: int
    new_categories: tuple[str, ...]  # categories with time this week and none the week before

    @property
    def minutes_change_percent(self) -> int | None:
        """Rounded change in minutes; None when there was no time the week before."""
        if self.previous_minutes == 0:
            return None
        return round((self.minutes - self.previous_minutes) * 100 / self.previous_minutes)


@dataclass(frozen=True, slots=True)
class TalkPrompt:
    """Something to talk about, chosen from what happened, and the rules of the code behind it."""

    code: str  # stable: "late_night", "gambling", "report", ...
    rules: tuple[str, ...]  # rule IDs of the Code of Conduct, the first the main one
    text: str  # in the summary's language
    rule_text: str  # the main rule's paraphrase, in the summary's language


@dataclass(frozen=True, slots=True)
class WeeklySummary:
    profile: str
    profile_id: int
    age: int
    week: str  # "2026-W48"
    first_day: date  # Monday
    last_day: date  # Sunday
    zone: str  # the household's time zone the days are counted in
    language: str  # of the prompts ("vi" | "en")
    generated_at: datetime  # local
    complete: bool  # the week had ended when the summary was made
    days: tuple[DayTime, ...]  # Monday to Sunday
    total_minutes: int
    daily_budget: int | None  # the total daily budget on the last day of the week
    minutes_by_hour: tuple[int, ...]  # 24 local hours, over the whole week
    categories: tuple[CategoryTime, ...]  # most time first
    top_sites_by_time: tuple[SiteTime, ...]
    top_sites_by_visits: tuple[SiteTime, ...]
    blocks: tuple[BlockGroup, ...]  # most blocked first
    blocked_attempts: int
    time_limits: tuple[TimeLimitDay, ...]
    searches: tuple[SearchMade, ...]  # most often first
    searches_total: int  # distinct search terms, including those not listed
    requests: tuple[RequestMade, ...]
    reports: tuple[ReportMade, ...]
    comparison: WeekComparison
    prompts: tuple[TalkPrompt, ...]
    raw_retention_days: int  # detailed rows are kept this long; the rollups about a year

    @property
    def night_minutes(self) -> int:
        return sum(day.night_minutes for day in self.days)

    @property
    def days_over_budget(self) -> int:
        return sum(1 for d in self.days if d.allowed is not None and d.minutes > d.allowed)
