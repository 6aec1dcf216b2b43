"""The weekly summary against a week built by hand, with every figure computed by hand."""

from __future__ import annotations

import time as wallclock
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from guardian.conduct import load_catalog
from guardian.errors import UsageError
from guardian.reports import IsoWeek, weekly_summary
from guardian.storage.models import AccessRequest, Report, TimeGrant
from guardian.storage.profiles import add_profile
from tests.weekly_fixtures import blocked, local, minutes, request, write

pytestmark = pytest.mark.both_backends

HCM = ZoneInfo("Asia/Ho_Chi_Minh")  # UTC+7, no daylight saving
BERLIN = ZoneInfo("Europe/Berlin")
AFTER = datetime(2026, 12, 2, tzinfo=UTC)


@pytest.fixture
def week(db) -> int:  # type: ignore[no-untyped-def]
    """An, 9 (daily budget 120 min from the 6-10 preset), in week 2026-W48 (23-29 Nov).

    Time, by hand:
    - Mon 23: youtube 16:00-16:29 (30, video) and olm.vn 16:10-16:19 (10, inside it) -> 30
    - Tue 24: poki 20:50-21:19 (30, games; 20 after 21:00) -> 30, 20 at night
    - Wed 25: youtube 17:00-17:09 and 17:30-17:39 (2 visits) -> 20
    - Sun 29: olm.vn 08:00-10:09 -> 130, over the 120 budget
    - Mon 30 00:30 (Sunday 17:30 UTC): youtube 5 -> the next week, not this one
    - the week before, Wed 18: youtube 40
    Total 210; video 50, games 30, other 140; the week before 40 (all video).
    """
    with db.begin() as session:
        an = add_profile(session, "An", 9, "vi")
        pid = an.id
        write(session, HCM, minute_rows=(
            minutes(pid, local(HCM, "2026-11-23 16:00"), 30, "youtube.com", "video")
            + minutes(pid, local(HCM, "2026-11-23 16:10"), 10, "olm.vn")
            + minutes(pid, local(HCM, "2026-11-24 20:50"), 30, "poki.com", "games")
            + minutes(pid, local(HCM, "2026-11-25 17:00"), 10, "youtube.com", "video")
            + minutes(pid, local(HCM, "2026-11-25 17:30"), 10, "youtube.com", "video")
            + minutes(pid, local(HCM, "2026-11-29 08:00"), 130, "olm.vn")
            + minutes(pid, local(HCM, "2026-11-30 00:30"), 5, "youtube.com", "video")
            + minutes(pid, local(HCM, "2026-11-18 19:00"), 40, "youtube.com", "video")
        ))
        write(session, HCM, [
            request(pid, local(HCM, "2026-11-23 16:00"), "www.youtube.com", category="video"),
            request(pid, local(HCM, "2026-11-23 16:02"), "www.google.com", search="mèo"),
            request(pid, local(HCM, "2026-11-23 16:05"), "www.google.com", search="mèo"),
            blocked(pid, local(HCM, "2026-11-25 17:20"), "www.google.com", "content",
                    search="lego"),
            blocked(pid, local(HCM, "2026-11-24 21:30"), "bet.example", category="gambling"),
            blocked(pid, local(HCM, "2026-11-24 21:31"), "www.bet.example", category="gambling"),
            blocked(pid, local(HCM, "2026-11-26 15:00"), "xxx.example", category="adult"),
            blocked(pid, local(HCM, "2026-11-27 15:00"), "tiktok.com", "block_rule"),
            blocked(pid, local(HCM, "2026-11-29 10:10"), "olm.vn", "time_up"),
            blocked(pid, local(HCM, "2026-11-29 10:15"), "olm.vn", "time_up"),
            blocked(pid, local(HCM, "2026-11-18 18:00"), "bet.example", category="gambling"),
            blocked(pid, local(HCM, "2026-11-30 00:40"), "bet.example", category="gambling"),
        ])
        session.add_all([
            TimeGrant(profile_id=pid, day="2026-11-24", scope="total", minutes=15),
            AccessRequest(profile_id=pid, kind="time", scope="total", nonce="n1",
                          message="Cho con thêm nhé", status="approved", answer="15m",
                          created_at=local(HCM, "2026-11-24 20:00"),
                          answered_at=local(HCM, "2026-11-24 20:05")),
            AccessRequest(profile_id=pid, kind="site", host="tiktok.com", nonce="n2",
                          category="social", created_at=local(HCM, "2026-11-28 09:00")),
            AccessRequest(profile_id=pid, kind="site", host="late.example", nonce="n3",
                          created_at=local(HCM, "2026-11-30 00:30")),
            Report(profile_id=pid, host="www.youtube.com", path="/watch", category="video",
                   note="Video đáng sợ", nonce="r1", created_at=local(HCM, "2026-11-26 17:00")),
        ])
    return pid


def summary(db, pid: int, iso_week: str = "2026-W48", language: str = "en",  # type: ignore[no-untyped-def]
            zone=HCM, now=AFTER):
    with db.begin() as session:
        return weekly_summary(session, pid, iso_week, zone, language, now)


def test_time_per_day_against_the_budget(db, week) -> None:  # type: ignore[no-untyped-def]
    s = summary(db, week)
    assert [d.day for d in s.days] == [date(2026, 11, 23) + timedelta(days=i) for i in range(7)]
    assert [d.minutes for d in s.days] == [30, 30, 20, 0, 0, 0, 130]
    assert s.total_minutes == 210 and s.daily_budget == 120
    assert [d.allowed for d in s.days] == [120, 135, 120, 120, 120, 120, 120]
    assert s.days[1].extra == 15 and s.days_over_budget == 1
    assert [d.night_minutes for d in s.days] == [0, 20, 0, 0, 0, 0, 0]
    expected_hours = [0] * 24
    for hour, value in ((16, 30), (20, 10), (21, 20), (17, 20), (8, 60), (9, 60), (10, 10)):
        expected_hours[hour] = value
    assert list(s.minutes_by_hour) == expected_hours
    assert s.complete and s.week == "2026-W48" and s.zone == "Asia/Ho_Chi_Minh"


def test_time_by_category_and_top_sites(db, week) -> None:  # type: ignore[no-untyped-def]
    s = summary(db, week)
    assert [(c.category, c.minutes, c.previous_minutes) for c in s.categories] == [
        (None, 140, 0), ("video", 50, 40), ("games", 30, 0)]
    assert [(x.site, x.minutes, x.visits) for x in s.top_sites_by_time] == [
        ("olm.vn", 140, 2), ("youtube.com", 50, 3), ("poki.com", 30, 1)]
    assert [(x.site, x.visits) for x in s.top_sites_by_visits] == [
        ("youtube.com", 3), ("olm.vn", 2), ("poki.com", 1)]
    assert s.top_sites_by_time[1].requests == 1


def test_blocks_time_limits_and_searches(db, week) -> None:  # type: ignore[no-untyped-def]
    s = summary(db, week)
    assert [(g.reason, g.category, g.count, g.days, g.examples) for g in s.blocks] == [
        ("category", "gambling", 2, 1, ("bet.example",)),
        ("block_rule", None, 1, 1, ("tiktok.com",)),
        ("category", "adult", 1, 1, ("xxx.example",)),
        ("content", None, 1, 1, ("google.com",)),
    ]
    assert s.blocked_attempts == 5
    (limit,) = s.time_limits
    assert (limit.day, limit.reason, limit.count) == (date(2026, 11, 29), "time_up", 2)
    assert (limit.first_at, limit.last_at) == (local(HCM, "2026-11-29 10:10"),
                                               local(HCM, "2026-11-29 10:15"))
    assert [(x.term, x.count, x.blocked) for x in s.searches] == [("mèo", 2, 0), ("lego", 1, 1)]
    assert s.searches_total == 2


def test_requests_reports_and_the_week_before(db, week) -> None:  # type: ignore[no-untyped-def]
    s = summary(db, week)
    assert [(r.kind, r.target, r.status, r.answer) for r in s.requests] == [
        ("time", "total", "approved", "15m"), ("site", "tiktok.com", "pending", None)]
    assert s.requests[0].created_at == local(HCM, "2026-11-24 20:00")
    assert [(r.host, r.note) for r in s.reports] == [("www.youtube.com", "Video đáng sợ")]
    change = s.comparison
    assert (change.previous_week, change.minutes, change.previous_minutes) == ("2026-W47", 210, 40)
    assert (change.blocks, change.previous_blocks) == (5, 1)
    assert change.minutes_change_percent == 425 and change.new_categories == ("games",)


def test_talk_about_it_follows_what_happened(db, week) -> None:  # type: ignore[no-untyped-def]
    s = summary(db, week)
    # A report comes first; then +425% time; then games, new this week.
    assert [p.code for p in s.prompts] == ["report", "more_time", "new_category"]
    assert [p.rules[0] for p in s.prompts] == ["CHILD-5", "PARENT-6", "PARENT-2"]
    assert "425%" in s.prompts[1].text and "Online games" in s.prompts[2].text
    vietnamese = summary(db, week, language="vi")
    assert "Trò chơi điện tử (30 phút)" in vietnamese.prompts[2].text
    assert vietnamese.prompts[0].rule_text == load_catalog().rule("CHILD-5").text.vi


def test_an_empty_week_still_has_a_prompt(db, week) -> None:  # type: ignore[no-untyped-def]
    s = summary(db, week, "2026-W50")
    assert s.total_minutes == 0 and s.blocks == () and s.top_sites_by_time == ()
    assert [p.code for p in s.prompts] == ["plan"]  # nothing happened: no site to talk about


def test_a_monday_half_past_midnight_belongs_to_the_new_week(db, week) -> None:  # type: ignore[no-untyped-def]
    moment = datetime(2026, 11, 29, 17, 30, tzinfo=UTC)  # Monday 30 Nov, 00:30 in Hanoi
    assert IsoWeek.containing(moment, HCM) == IsoWeek(2026, 49)
    assert IsoWeek.containing(moment, UTC) == IsoWeek(2026, 48)
    following = summary(db, week, "2026-W49")
    assert following.days[0].minutes == 5 and following.blocked_attempts == 1
    assert [r.target for r in following.requests] == ["late.example"]


def test_an_unfinished_week_says_so(db, week) -> None:  # type: ignore[no-untyped-def]
    s = summary(db, week, now=local(HCM, "2026-11-27 12:00"))
    assert not s.complete
    assert IsoWeek.last_complete(local(HCM, "2026-11-27 12:00"), HCM) == IsoWeek(2026, 47)


def test_a_week_with_a_daylight_saving_change(db) -> None:  # type: ignore[no-untyped-def]
    with db.begin() as session:
        pid = add_profile(session, "Lena", 12, "en").id
        # Sunday 29 March 2026 in Berlin: 01:30-01:59 CET, then 03:00-03:29 CEST.
        write(session, BERLIN, minute_rows=minutes(pid, datetime(2026, 3, 29, 0, 30, tzinfo=UTC),
                                                   60, "olm.vn"))
    s = summary(db, pid, "2026-W13", zone=BERLIN)
    assert s.days[-1].day == date(2026, 3, 29) and s.days[-1].minutes == 60
    assert s.minutes_by_hour[1] == 30 and s.minutes_by_hour[2] == 0 and s.minutes_by_hour[3] == 30
    start, end = IsoWeek(2026, 13).bounds(BERLIN)
    assert end - start == timedelta(days=7) and (end.astimezone(UTC) - start.astimezone(UTC)) \
        == timedelta(hours=167)


@pytest.mark.parametrize("text", ["2026-W54", "2026-48", "W48", "2026-W00", ""])
def test_a_week_is_written_like_2026_w48(text: str) -> None:
    with pytest.raises(UsageError):
        IsoWeek.parse(text)


def test_weeks_parse_and_count() -> None:
    assert IsoWeek.parse("2026-w48") == IsoWeek(2026, 48) == IsoWeek.parse("2026W48")
    assert str(IsoWeek(2026, 1).previous()) == "2025-W52"
    assert IsoWeek(2026, 53).monday == date(2026, 12, 28)  # 2026 has 53 ISO weeks
    assert IsoWeek(2026, 53).next() == IsoWeek(2027, 1)


def test_the_summary_reads_only_rollups_so_it_is_fast(db, week) -> None:  # type: ignore[no-untyped-def]
    started = wallclock.perf_counter()
    for _ in range(10):
        summary(db, week)
    assert (wallclock.perf_counter() - started) / 10 < 0.5
