"""ISO weeks in the household's time zone: what "week 2026-W48" means for a summary.

A week runs from Monday 00:00 to the next Monday 00:00 local time, so a
request at 00:30 on a Monday belongs to the new week even when UTC still
says Sunday; a week with a daylight-saving change lasts 167 or 169 hours.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, tzinfo

from guardian.errors import UsageError

_WEEK = re.compile(r"^\s*(\d{4})-?W(\d{1,2})\s*$", re.IGNORECASE)


@dataclass(frozen=True, slots=True, order=True)
class IsoWeek:
    year: int
    week: int

    @classmethod
    def parse(cls, text: str) -> IsoWeek:
        """`2026-W48` (also `2026W48`, `2026-w48`); an impossible week is a UsageError."""
        match = _WEEK.match(text)
        if match is None:
            raise UsageError(f"a week is written like 2026-W48, not {text!r}")
        year, week = int(match[1]), int(match[2])
        try:
            date.fromisocalendar(year, week, 1)
        except ValueError:
            raise UsageError(f"{year} has no week {week}") from None
        return cls(year, week)

    @classmethod
    def of(cls, day: date) -> IsoWeek:
        year, week, _ = day.isocalendar()
        return cls(year, week)

    @classmethod
    def containing(cls, moment: datetime, zone: tzinfo) -> IsoWeek:
        """The week a moment falls in, on the household's clock."""
        return cls.of(moment.astimezone(zone).date())

    @classmethod
    def last_complete(cls, moment: datetime, zone: tzinfo) -> IsoWeek:
        """The latest week that has ended by `moment` (last week, on any day of this one)."""
        return cls.containing(moment, zone).previous()

    @property
    def monday(self) -> date:
        return date.fromisocalendar(self.year, self.week, 1)

    @property
    def sunday(self) -> date:
        return self.monday + timedelta(days=6)

    def days(self) -> tuple[date, ...]:
        return tuple(self.monday + timedelta(days=i) for i in range(7))

    def previous(self) -> IsoWeek:
        return IsoWeek.of(self.monday - timedelta(days=7))

    def next(self) -> IsoWeek:
        return IsoWeek.of(self.monday + timedelta(days=7))

    def bounds(self, zone: tzinfo) -> tuple[datetime, datetime]:
        """Local Monday 00:00 and the next Monday 00:00, timezone-aware."""
        start = datetime.combine(self.monday, time(0), tzinfo=zone)
        end = datetime.combine(self.monday + timedelta(days=7), time(0), tzinfo=zone)
        return start, end

    def __str__(self) -> str:
        return f"{self.year}-W{self.week:02d}"
