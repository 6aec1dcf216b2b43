"""Active time: what counts as using the web, and how minutes are counted."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from guardian.active_time import ActiveTimeTracker, MinuteRow, is_engagement

HCM = ZoneInfo("Asia/Ho_Chi_Minh")
START = datetime(2026, 11, 30, 9, 0, tzinfo=HCM)


def minutes(n: float) -> datetime:
    return START + timedelta(minutes=n)


@pytest.mark.parametrize(
    ("method", "headers", "response_type", "engaged"),
    [
        ("GET", {"sec-fetch-mode": "navigate", "sec-fetch-dest": "document"}, "text/html", True),
        ("GET", {"sec-fetch-mode": "navigate", "sec-fetch-dest": "iframe"}, "text/html", False),
        ("POST", {"sec-fetch-mode": "cors", "sec-fetch-dest": "empty", "sec-fetch-user": "?1"},
         "application/json", True),
        ("GET", {"sec-fetch-mode": "cors", "sec-fetch-dest": "empty"}, "application/json", False),
        ("GET", {"sec-fetch-mode": "no-cors", "sec-fetch-dest": "image"}, "image/png", False),
        ("GET", {"sec-fetch-mode": "no-cors", "sec-fetch-dest": "video"}, "video/mp4", True),
        ("GET", {"sec-fetch-mode": "cors", "sec-fetch-dest": "empty"}, "video/webm", True),
        ("GET", {"sec-fetch-mode": "cors", "sec-fetch-dest": "empty"},
         "application/vnd.apple.mpegurl", True),
        ("GET", {"accept": "text/html,*/*"}, None, True),  # a client without Fetch Metadata
        ("GET", {"accept": "application/json"}, None, False),
        ("POST", {"accept": "text/html"}, None, False),
    ],
)
def test_what_counts_as_engagement(method, headers, response_type, engaged) -> None:  # type: ignore[no-untyped-def]
    assert is_engagement(method, headers, response_type) is engaged


def test_a_minute_counts_once_and_short_gaps_count() -> None:
    tracker = ActiveTimeTracker(HCM)
    day = START.date()
    for second in range(0, 60, 5):  # twelve requests in one minute
        tracker.record(1, START + timedelta(seconds=second), "video.example", "video")
    assert tracker.used(1, day, "total") == 1
    tracker.record(1, minutes(3), "video.example", "video")  # 3-minute gap: watched through
    assert tracker.used(1, day, "site", "video.example") == 4
    tracker.record(1, minutes(10), "video.example", "video")  # 7 minutes idle: not counted
    assert tracker.used(1, day, "total") == 5
    assert tracker.used(1, day, "category", "video") == 5


def test_sites_share_the_total_but_not_each_other() -> None:
    tracker = ActiveTimeTracker(HCM)
    day = START.date()
    tracker.record(1, minutes(0), "a.example", "games")
    tracker.record(1, minutes(0.5), "b.example", None)
    tracker.record(1, minutes(1), "a.example", "games")
    assert tracker.used(1, day, "total") == 2
    assert tracker.used(1, day, "site", "a.example") == 2
    assert tracker.used(1, day, "site", "b.example") == 1
    assert tracker.used(1, day, "category", "games") == 2
    assert tracker.used(2, day, "total") == 0  # another child
    assert tracker.sites_used(1, day) == [("a.example", 2), ("b.example", 1)]


def test_new_rows_are_returned_once_for_storage() -> None:
    tracker = ActiveTimeTracker(HCM)
    first = tracker.record(1, minutes(0), "a.example", None)
    again = tracker.record(1, minutes(0.5), "a.example", None)
    later = tracker.record(1, minutes(2), "a.example", None)
    assert len(first) == 1 and again == [] and len(later) == 2
    assert all(row.minute.second == 0 and row.minute.tzinfo == UTC for row in later)


def test_a_clock_set_backwards_neither_creates_nor_erases_time() -> None:
    tracker = ActiveTimeTracker(HCM)
    day = START.date()
    for n in range(5):
        tracker.record(1, minutes(n), "a.example", None)
    tracker.record(1, minutes(1), "a.example", None)  # the clock went back
    tracker.record(1, minutes(2.5), "a.example", None)
    assert tracker.used(1, day, "total") == 5
    tracker.record(1, minutes(6), "a.example", None)  # and forward again
    assert tracker.used(1, day, "total") == 7


def test_days_roll_over_at_local_midnight() -> None:
    tracker = ActiveTimeTracker(HCM)
    late = datetime(2026, 11, 30, 23, 58, tzinfo=HCM)
    tracker.record(1, late, "a.example", None)
    tracker.record(1, late + timedelta(minutes=3), "a.example", None)  # 00:01 next day
    assert tracker.used(1, late.date(), "total") == 2  # 23:58, 23:59
    assert tracker.used(1, late.date() + timedelta(days=1), "total") == 2  # 00:00, 00:01
    tracker.forget_before(late.date() + timedelta(days=1))
    assert tracker.used(1, late.date(), "total") == 0


def test_a_daylight_saving_day_counts_real_minutes() -> None:
    paris = ZoneInfo("Europe/Paris")
    tracker = ActiveTimeTracker(paris)
    # 25 October 2026: 03:00 becomes 02:00 again; both 02:30s are real, distinct minutes.
    first = datetime(2026, 10, 25, 0, 30, tzinfo=UTC)  # 02:30 CEST
    second = datetime(2026, 10, 25, 1, 30, tzinfo=UTC)  # 02:30 CET
    tracker.record(1, first, "a.example", None)
    tracker.record(1, second, "a.example", None)
    assert tracker.used(1, first.astimezone(paris).date(), "total") == 2


def test_loading_stored_minutes_continues_the_count() -> None:
    tracker = ActiveTimeTracker(HCM)
    stored = [MinuteRow(1, (START + timedelta(minutes=n)).astimezone(UTC), "a.example", "games")
              for n in range(3)]
    tracker.load(stored + stored)
    assert tracker.used(1, START.date(), "category", "games") == 3
    new = tracker.record(1, minutes(4), "a.example", "games")  # continues from 09:02
    assert len(new) == 2 and tracker.used(1, START.date(), "total") == 5
