"""Allowed hours: when in the week a child may be online, in the household's local time.

Hours are ranges per weekday (0 = Monday), in minutes after local midnight.
A range whose end is before its start crosses midnight: `fri 08:00-00:30`
allows Friday from 08:00 until 00:30 on Saturday. A weekday with no range
is not restricted. Everything here works on wall-clock local time, so a
daylight-saving change moves the hours with the clock, as a parent expects.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta
from types import MappingProxyType

from guardian.errors import UsageError

DAY_NAMES = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
MINUTES_PER_DAY = 24 * 60

# Ready-made weeks a parent can start from: bed by 21:00 before a school day,
# later at weekends. Values: (days, ranges).
TEMPLATES: Mapping[str, tuple[tuple[int, ...], tuple[tuple[int, int], ...]]] = MappingProxyType({
    "school-nights": ((6, 0, 1, 2, 3), ((6 * 60, 21 * 60),)),
    "weekend": ((4, 5), ((7 * 60, 22 * 60 + 30),)),
})

_RANGE = re.compile(r"^\s*(\d{1,2}):(\d{2})\s*-\s*(\d{1,2}):(\d{2})\s*$")


@dataclass(frozen=True, slots=True)
class HourRange:
    start: int  # minutes after midnight, 0..1439
    end: int  # 0..1440; end <= start crosses midnight (except a whole day 0-1440)

    @property
    def crosses_midnight(self) -> bool:
        return self.end <= self.start

    def text(self) -> str:
        return f"{_hhmm(self.start)}-{_hhmm(self.end)}"


@dataclass(frozen=True)
class AllowedHours:
    by_day: Mapping[int, tuple[HourRange, ...]]
    # The end of the allowed time from each local minute asked about (see
    # minutes_left): the proxy asks on every page load, and finding it walks
    # eight days of boundaries.
    _closing: dict[tuple[datetime, object], datetime | None] = field(
        default_factory=dict, init=False, repr=False, compare=False, hash=False)

    def allows(self, local: datetime) -> bool:
        day, minute = local.weekday(), local.hour * 60 + local.minute
        if not self.by_day:
            return True
        if day not in self.by_day:
            return True
        for hour_range in self.by_day[day]:
            if hour_range.crosses_midnight:
                if minute >= hour_range.start:
                    return True
            elif hour_range.start <= minute < hour_range.end:
                return True
        # The tail of yesterday's range that crossed midnight.
        for hour_range in self.by_day.get((day - 1) % 7, ()):
            if hour_range.crosses_midnight and minute < hour_range.end:
                return True
        return False

    def next_allowed(self, local: datetime) -> datetime | None:
        """The first moment from `local` on (within a week) when the child is allowed."""
        for moment in self._boundaries(local, starts=True):
            if moment >= local and self.allows(moment):
                return max(moment, local)
        return None

    def minutes_left(self, local: datetime) -> int | None:
        """Whole minutes until the allowed time ends; None when it does not end within a week."""
        if not self.allows(local):
            return 0
        closing = self._closing_after(local.replace(second=0, microsecond=0))
        if closing is None:
            return None
        return max(1, int((closing - local).total_seconds() // 60))

    def _closing_after(self, minute: datetime) -> datetime | None:
        """The first boundary after `minute` where the child is no longer allowed.

        Boundaries fall on whole wall-clock minutes, so the answer is the same
        for every moment within that minute, and is kept per minute and zone.
        """
        key = (minute.replace(tzinfo=None), minute.tzinfo)
        if key in self._closing:
            return self._closing[key]
        found = None
        for moment in self._boundaries(minute, starts=False):
            if moment > minute and not self.allows(moment):
                found = moment
                break
        if len(self._closing) >= 64:
            self._closing.clear()
        self._closing[key] = found
        return found

    def _boundaries(self, local: datetime, *, starts: bool) -> list[datetime]:
        """Local moments where being allowed may change, over the next eight days, in order."""
        moments = [local] if starts else []
        for offset in range(-1, 8):
            day = local.date() + timedelta(days=offset)
            midnight = datetime.combine(day, time(0), tzinfo=local.tzinfo)
            moments.append(midnight)
            for hour_range in self.by_day.get(day.weekday(), ()):
                minute = hour_range.start if starts else hour_range.end
                moments.append(_wall_clock_add(midnight, minute))
        return sorted(moments)


def _wall_clock_add(local: datetime, minutes: int) -> datetime:
    """Add wall-clock minutes (what the clock on the wall shows), not elapsed ones."""
    naive = local.replace(tzinfo=None) + timedelta(minutes=minutes)
    return naive.replace(tzinfo=local.tzinfo)


def _hhmm(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def parse_days(text: str) -> tuple[int, ...]:
    """`mon-fri`, `sat,sun`, `all`, `tue` → weekday numbers (0 = Monday)."""
    text = text.strip().lower()
    if text in ("all", "every", "daily"):
        return tuple(range(7))
    days: list[int] = []
    for part in text.split(","):
        part = part.strip()
        first, sep, last = part.partition("-")
        if first not in DAY_NAMES or (sep and last not in DAY_NAMES):
            raise UsageError(
                f"{text!r} is not a list of days; use names like mon-fri, sat,sun or all"
            )
        start = DAY_NAMES.index(first)
        end = DAY_NAMES.index(last) if sep else start
        day = start
        while True:
            if day not in days:
                days.append(day)
            if day == end:
                break
            day = (day + 1) % 7
    return tuple(days)


def parse_ranges(text: str) -> tuple[HourRange, ...]:
    """`07:00-20:30` or several separated by commas; `21:00-07:00` crosses midnight."""
    ranges = []
    for part in text.split(","):
        match = _RANGE.match(part)
        if not match:
            raise UsageError(f"{part.strip()!r} is not a time range such as 07:00-20:30")
        h1, m1, h2, m2 = (int(g) for g in match.groups())
        if h1 > 23 or m1 > 59 or h2 > 24 or m2 > 59 or (h2 == 24 and m2 != 0):
            raise UsageError(f"{part.strip()!r} is not a valid time of day")
        start, end = h1 * 60 + m1, h2 * 60 + m2
        if start == end and not (start == 0 and end == 0):
            raise UsageError(f"{part.strip()!r} is empty; use 00:00-24:00 for the whole day")
        ranges.append(HourRange(start, MINUTES_PER_DAY if (start, end) == (0, 0) else end))
    return tuple(ranges)


def build_hours(rows: Iterable[tuple[int, int, int]]) -> AllowedHours | None:
    """From (weekday, start, end) rows; None when the child has no allowed hours set."""
    by_day: dict[int, list[HourRange]] = {}
    for weekday, start, end in rows:
        by_day.setdefault(weekday, []).append(HourRange(start, end))
    if not by_day:
        return None
    return AllowedHours(MappingProxyType(
        {day: tuple(sorted(r, key=lambda h: h.start)) for day, r in by_day.items()}
    ))


def next_midnight(local: datetime) -> datetime:
    """The next local midnight, when daily budgets start again."""
    tomorrow = local.date() + timedelta(days=1)
    return datetime.combine(tomorrow, time(0), tzinfo=local.tzinfo)
