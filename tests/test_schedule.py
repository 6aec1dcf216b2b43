"""Allowed hours in local time: days, ranges across midnight, templates, DST."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from guardian.errors import UsageError
from guardian.schedule import (
    TEMPLATES,
    HourRange,
    build_hours,
    next_midnight,
    parse_days,
    parse_ranges,
)

HCM = ZoneInfo("Asia/Ho_Chi_Minh")
PARIS = ZoneInfo("Europe/Paris")  # has daylight saving time


def at(day: int, hhmm: str, zone=HCM) -> datetime:  # type: ignore[no-untyped-def]
    """A local time on 2026-11-30 (a Monday) + `day` days."""
    hour, minute = map(int, hhmm.split(":"))
    return datetime(2026, 11, 30, hour, minute, tzinfo=zone) + timedelta(days=day)


def hours(**days: str):  # type: ignore[no-untyped-def]
    rows = []
    names = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
    for name, text in days.items():
        for r in parse_ranges(text):
            rows.append((names.index(name), r.start, r.end))
    return build_hours(rows)


@pytest.mark.parametrize(
    ("text", "days"),
    [("mon-fri", (0, 1, 2, 3, 4)), ("sat,sun", (5, 6)), ("all", tuple(range(7))),
     ("fri-mon", (4, 5, 6, 0)), ("tue", (1,)), ("MON, wed", (0, 2))],
)
def test_days(text: str, days: tuple[int, ...]) -> None:
    assert parse_days(text) == days


@pytest.mark.parametrize("text", ["weekdays", "mon-xyz", "", "1-5"])
def test_bad_days(text: str) -> None:
    with pytest.raises(UsageError):
        parse_days(text)


@pytest.mark.parametrize(
    ("text", "ranges"),
    [("07:00-20:30", (HourRange(420, 1230),)),
     ("21:00-07:00", (HourRange(1260, 420),)),
     ("7:00-12:00,14:00-24:00", (HourRange(420, 720), HourRange(840, 1440))),
     ("00:00-00:00", (HourRange(0, 1440),))],
)
def test_ranges(text: str, ranges: tuple[HourRange, ...]) -> None:
    assert parse_ranges(text) == ranges


@pytest.mark.parametrize("text", ["7-8", "25:00-26:00", "10:00-10:00", "07:60-08:00", "x"])
def test_bad_ranges(text: str) -> None:
    with pytest.raises(UsageError):
        parse_ranges(text)


@pytest.mark.parametrize(
    ("moment", "allowed"),
    [
        (at(0, "06:59"), False), (at(0, "07:00"), True), (at(0, "20:29"), True),
        (at(0, "20:30"), False), (at(0, "23:59"), False),
        (at(5, "03:00"), True),  # Saturday: no limit set
    ],
)
def test_school_day_hours(moment: datetime, allowed: bool) -> None:
    week = hours(mon="07:00-20:30", tue="07:00-20:30")
    assert week.allows(moment) is allowed


@pytest.mark.parametrize(
    ("moment", "allowed"),
    [
        (at(4, "07:59"), False), (at(4, "08:00"), True), (at(4, "23:59"), True),
        (at(5, "00:29"), True),  # Saturday morning: the tail of Friday's range
        (at(5, "00:30"), False), (at(5, "09:00"), True),
    ],
)
def test_ranges_cross_midnight(moment: datetime, allowed: bool) -> None:
    week = hours(fri="08:00-00:30", sat="09:00-12:00")
    assert week.allows(moment) is allowed


def test_when_access_returns_and_how_long_is_left() -> None:
    week = hours(mon="07:00-20:30", tue="07:00-20:30")
    assert week.next_allowed(at(0, "21:15")) == at(1, "07:00")
    assert week.next_allowed(at(0, "10:00")) == at(0, "10:00")
    assert week.minutes_left(at(0, "20:00")) == 30
    assert week.minutes_left(at(0, "21:00")) == 0
    # Wednesday to Sunday are unrestricted: allowed until Monday 00:00.
    assert week.minutes_left(at(2, "10:00")) == (14 + 4 * 24) * 60


def test_templates_give_school_nights_and_weekends() -> None:
    days, ranges = TEMPLATES["school-nights"]
    week = build_hours([(d, s, e) for d in days for s, e in ranges])
    assert not week.allows(at(0, "21:30")) and week.allows(at(0, "20:59"))
    assert week.allows(at(4, "22:00"))  # Friday night is not a school night


def test_daylight_saving_moves_hours_with_the_clock() -> None:
    week = build_hours([(d, 7 * 60, 20 * 60) for d in range(7)])
    # 29 March 2026: Paris moves from 02:00 to 03:00.
    before = datetime(2026, 3, 29, 1, 30, tzinfo=PARIS)
    assert week.next_allowed(before) == datetime(2026, 3, 29, 7, 0, tzinfo=PARIS)
    assert next_midnight(datetime(2026, 3, 29, 12, 0, tzinfo=PARIS)).utcoffset().seconds == 7200
