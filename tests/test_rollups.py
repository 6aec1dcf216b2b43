"""The daily rollups: each figure by hand, and always equal to a recomputation from raw rows."""

from __future__ import annotations

import asyncio
from collections import Counter, defaultdict
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import delete, select, update

from guardian.active_time import MinuteRow
from guardian.sites import site_of
from guardian.storage.models import (
    ActiveMinute,
    DailyBlocks,
    DailySearches,
    DailySiteUsage,
    HourlyMinutes,
    RequestLog,
)
from guardian.storage.profiles import add_profile
from guardian.storage.rollups import (
    ALL_SITES,
    OTHER_SITES,
    ROLLUP_TABLES,
    RollupConflict,
    _insert_minutes,
    rebuild_rollups,
)
from proxy_addons.batch_writer import BatchWriter
from proxy_addons.policy_source import SharedDatabase
from tests.weekly_fixtures import blocked, local, minutes, request, write

pytestmark = pytest.mark.both_backends

HCM = ZoneInfo("Asia/Ho_Chi_Minh")
BERLIN = ZoneInfo("Europe/Berlin")


@pytest.fixture
def child(db) -> int:  # type: ignore[no-untyped-def]
    with db.begin() as session:
        return add_profile(session, "An", 9).id


def site_rows(session, profile_id: int) -> dict[tuple[str, str], DailySiteUsage]:  # type: ignore[no-untyped-def]
    return {(r.day, r.site): r for r in session.scalars(
        select(DailySiteUsage).where(DailySiteUsage.profile_id == profile_id))}


def hours(session, profile_id: int) -> dict[tuple[str, int, str], int]:  # type: ignore[no-untyped-def]
    return {(r.day, r.hour, r.category): r.minutes for r in session.scalars(
        select(HourlyMinutes).where(HourlyMinutes.profile_id == profile_id))}


def test_a_site_minute_written_twice_counts_once(db, child) -> None:  # type: ignore[no-untyped-def]
    start = local(HCM, "2026-11-23 16:00")
    with db.begin() as session:
        first = minutes(child, start, 5, "youtube.com", "video")
        assert write(session, HCM, minute_rows=first) == 5
    with db.begin() as session:  # the same five again, plus one new, plus a duplicate in-batch
        again = minutes(child, start, 6, "youtube.com", "video")
        assert write(session, HCM, minute_rows=again + again[-1:]) == 1
    with db.begin() as session:
        usage = site_rows(session, child)[("2026-11-23", "youtube.com")]
        assert (usage.minutes, usage.visits, usage.category) == (6, 1, "video")
        assert hours(session, child) == {("2026-11-23", 16, ALL_SITES): 6,
                                         ("2026-11-23", 16, "video"): 6}
        assert len(session.scalars(select(ActiveMinute)).all()) == 6


def test_total_and_categories_count_a_minute_once_across_sites(db, child) -> None:  # type: ignore[no-untyped-def]
    start = local(HCM, "2026-11-23 16:58")
    rows = (minutes(child, start, 4, "youtube.com", "video")  # 16:58-17:01
            + minutes(child, start, 2, "tiktok.com", "video")  # 16:58-16:59, same minutes
            + minutes(child, start, 3, "olm.vn")  # 16:58-17:00, no category
            + minutes(child, start, 1, "wikipedia.org"))  # 16:58, no category
    with db.begin() as session:
        write(session, HCM, minute_rows=rows)
    with db.begin() as session:
        assert hours(session, child) == {
            ("2026-11-23", 16, ALL_SITES): 2, ("2026-11-23", 17, ALL_SITES): 2,
            ("2026-11-23", 16, "video"): 2, ("2026-11-23", 17, "video"): 2,
            ("2026-11-23", 16, OTHER_SITES): 2, ("2026-11-23", 17, OTHER_SITES): 1,
        }
        usage = site_rows(session, child)
        assert {site: u.minutes for (_d, site), u in usage.items()} == {
            "youtube.com": 4, "tiktok.com": 2, "olm.vn": 3, "wikipedia.org": 1}


def test_visits_are_runs_of_minutes_whatever_the_order_they_arrive_in(db, child) -> None:  # type: ignore[no-untyped-def]
    start = local(HCM, "2026-11-23 10:00")
    run = minutes(child, start, 10, "olm.vn")
    with db.begin() as session:
        write(session, HCM, minute_rows=[run[0], run[2], run[4]])  # three separate visits
    with db.begin() as session:
        write(session, HCM, minute_rows=[run[3], run[1]])  # joined into one
    with db.begin() as session:
        write(session, HCM, minute_rows=run[7:9])  # a second visit
        assert site_rows(session, child)[("2026-11-23", "olm.vn")].visits == 2


def test_a_visit_across_midnight_counts_on_the_day_it_started(db, child) -> None:  # type: ignore[no-untyped-def]
    before, after = minutes(child, local(HCM, "2026-11-23 23:58"), 4, "olm.vn")[::3]
    with db.begin() as session:
        write(session, HCM, minute_rows=[before, after])  # 23:58 and 00:01: two visits
    with db.begin() as session:
        middle = minutes(child, local(HCM, "2026-11-23 23:59"), 2, "olm.vn")
        write(session, HCM, minute_rows=middle)  # 23:59 and 00:00 join them
        usage = site_rows(session, child)
        assert usage[("2026-11-23", "olm.vn")].visits == 1
        assert usage[("2026-11-24", "olm.vn")].visits == 0
        assert (usage[("2026-11-23", "olm.vn")].minutes, usage[("2026-11-24", "olm.vn")].minutes) \
            == (2, 2)


def test_requests_blocks_and_searches_add_up(db, child) -> None:  # type: ignore[no-untyped-def]
    at = local(HCM, "2026-11-23 21:30")
    with db.begin() as session:
        write(session, HCM, [
            request(child, at, "www.youtube.com", category="video", size=300),
            request(child, at + timedelta(seconds=5), "i.youtube.com", category="video", size=700),
            blocked(child, at + timedelta(minutes=3), "bet.example", category="gambling"),
            request(None, at, "nobody.example"),  # no child: not rolled up
            request(child, at, "www.google.com", search="mèo con"),
        ])
    with db.begin() as session:
        write(session, HCM, [
            blocked(child, at - timedelta(minutes=20), "www.bet.example", category="gambling"),
            blocked(child, at, "www.google.com", reason="content", search="mèo con"),
        ])
    with db.begin() as session:
        usage = site_rows(session, child)
        youtube = usage[("2026-11-23", "youtube.com")]
        assert (youtube.requests, youtube.bytes, youtube.blocked, youtube.minutes) \
            == (2, 1000, 0, 0)
        assert usage[("2026-11-23", "bet.example")].blocked == 2
        assert "nobody.example" not in {site for _d, site in usage}
        block = session.scalars(select(DailyBlocks).where(DailyBlocks.reason == "category")).one()
        assert (block.site, block.category, block.count) == ("bet.example", "gambling", 2)
        assert block.first_at == (at - timedelta(minutes=20)).astimezone(UTC)
        assert block.last_at == (at + timedelta(minutes=3)).astimezone(UTC)
        search = session.scalars(select(DailySearches)).one()
        assert (search.term, search.count, search.blocked) == ("mèo con", 2, 1)


def test_days_and_hours_are_local_and_dst_neither_adds_nor_loses_time(db, child) -> None:  # type: ignore[no-untyped-def]
    # Berlin, 29 March 2026: 02:00-03:00 does not exist; 25 October: 02:00-03:00 happens twice.
    spring = datetime(2026, 3, 29, 0, 30, tzinfo=UTC)  # 01:30 CET
    autumn = datetime(2026, 10, 25, 0, 0, tzinfo=UTC)  # 02:00 CEST
    with db.begin() as session:
        write(session, BERLIN, minute_rows=minutes(child, spring, 60, "olm.vn")
              + minutes(child, autumn, 120, "olm.vn"))
    with db.begin() as session:
        assert {k: v for k, v in hours(session, child).items() if k[2] == ALL_SITES} == {
            ("2026-03-29", 1, ALL_SITES): 30, ("2026-03-29", 3, ALL_SITES): 30,
            ("2026-10-25", 2, ALL_SITES): 120,
        }


def test_rebuilding_keeps_the_oldest_day_and_counts_visits_across_its_end(db, child) -> None:  # type: ignore[no-untyped-def]
    with db.begin() as session:
        write(session, HCM, minute_rows=minutes(child, local(HCM, "2026-11-23 23:50"), 20,
                                                "olm.vn"))  # one visit, 23:50 to 00:09
        write(session, HCM, [request(child, local(HCM, "2026-11-24 08:00"), "olm.vn")])
        before = stored(session)
        session.execute(delete(DailySiteUsage).where(DailySiteUsage.day == "2026-11-24"))
        session.execute(delete(HourlyMinutes).where(HourlyMinutes.day == "2026-11-24"))
        session.execute(update(DailySiteUsage).values(minutes=99))  # the oldest day: untouched
        rebuild_rollups(session, HCM)
        after = stored(session)
    assert after["sites"][(child, "2026-11-23", "olm.vn")][0] == 99
    assert after["sites"][(child, "2026-11-24", "olm.vn")] == \
        before["sites"][(child, "2026-11-24", "olm.vn")] == (10, 0, 1, 0, 1000)
    assert after["hours"] == before["hours"]


def test_a_minute_stored_meanwhile_by_another_writer_rolls_the_batch_back(db, child) -> None:  # type: ignore[no-untyped-def]
    row = minutes(child, local(HCM, "2026-11-23 10:00"), 1, "olm.vn")
    with db.begin() as session:
        write(session, HCM, minute_rows=row)
    with pytest.raises(RollupConflict), db.engine.connect() as connection:
        from sqlalchemy.orm import Session
        with Session(connection) as session:
            _insert_minutes(session, row)


def test_the_filters_writer_keeps_the_rollups(db, data_dir, child) -> None:  # type: ignore[no-untyped-def]
    writer = BatchWriter(SharedDatabase(data_dir.database_url), flush_interval=60,
                         zone=lambda: HCM)
    at = local(HCM, "2026-11-23 23:59")
    writer.add_request(request(child, at, "olm.vn"))
    writer.add_minutes(minutes(child, at, 2, "olm.vn"))
    asyncio.run(writer.flush())
    writer.add_minutes(minutes(child, at, 3, "olm.vn"))  # two again, one new
    asyncio.run(writer.flush())
    with db.begin() as session:
        usage = site_rows(session, child)
        assert usage[("2026-11-23", "olm.vn")].minutes == 1
        assert usage[("2026-11-24", "olm.vn")].minutes == 2
        assert usage[("2026-11-23", "olm.vn")].requests == 1


# Random batches: the rollups always equal a recomputation from the raw rows.

SITES = {"youtube.com": "video", "tiktok.com": "video", "poki.com": "games", "olm.vn": None,
         "wikipedia.org": None}
HOSTS = ("www.youtube.com", "m.youtube.com", "poki.com", "olm.vn", "bet.example", "google.com")
ORIGIN = datetime(2026, 3, 28, 21, 0, tzinfo=UTC)  # around Berlin's spring DST change

minute_rows = st.builds(
    lambda profile, offset, site: MinuteRow(profile, ORIGIN + timedelta(minutes=offset), site,
                                            SITES[site]),
    st.sampled_from((0, 1)), st.integers(0, 300), st.sampled_from(sorted(SITES)))
request_rows = st.builds(
    lambda profile, seconds, host, blocked_, search: request(
        profile, ORIGIN + timedelta(seconds=seconds), host,
        decision="block" if blocked_ else "allow", reason="category" if blocked_ else "allowed",
        category={"bet.example": "gambling", "poki.com": "games"}.get(host),
        search=search),
    st.sampled_from((0, 1, None)), st.integers(0, 18_000), st.sampled_from(HOSTS), st.booleans(),
    st.sampled_from((None, None, "lego", "mèo")))
batches = st.lists(st.tuples(st.lists(request_rows, max_size=8),
                             st.lists(minute_rows, max_size=25)), min_size=1, max_size=6)


def recomputed(session, zone) -> dict[str, object]:  # type: ignore[no-untyped-def]
    """Every rollup figure, from the raw rows alone, written the obvious way."""
    site_minutes: Counter[tuple[int, str, str]] = Counter()
    by_minute: dict[tuple[int, datetime], list[tuple[str, str | None]]] = defaultdict(list)
    for row in session.scalars(select(ActiveMinute)):
        by_minute[(row.profile_id, row.minute)].append((row.site, row.category))
    hourly: Counter[tuple[int, str, int, str]] = Counter()
    visits: Counter[tuple[int, str, str]] = Counter()
    for (profile, minute), sites in by_minute.items():
        moment = minute.astimezone(zone)
        day, hour = moment.date().isoformat(), moment.hour
        hourly[(profile, day, hour, ALL_SITES)] += 1
        for category in {c or OTHER_SITES for _s, c in sites}:
            hourly[(profile, day, hour, category)] += 1
        for site, _c in sites:
            site_minutes[(profile, day, site)] += 1
            before = by_minute.get((profile, minute - timedelta(minutes=1)), [])
            if site not in {s for s, _c in before}:
                visits[(profile, day, site)] += 1
    requests: Counter[tuple[int, str, str]] = Counter()
    blocked_: Counter[tuple[int, str, str]] = Counter()
    bytes_: Counter[tuple[int, str, str]] = Counter()
    blocks: dict[tuple[int, str, str, str, str], list[datetime]] = defaultdict(list)
    searches: dict[tuple[int, str, str], list[tuple[datetime, bool]]] = defaultdict(list)
    for row in session.scalars(select(RequestLog).where(RequestLog.profile_id.is_not(None))):
        day = row.time.astimezone(zone).date().isoformat()
        key = (row.profile_id, day, site_of(row.host))
        requests[key] += 1
        bytes_[key] += row.bytes
        if row.decision == "block":
            blocked_[key] += 1
            blocks[(row.profile_id, day, row.reason, row.category or "", site_of(row.host))] \
                .append(row.time)
        if row.search:
            searches[(row.profile_id, day, row.search)].append((row.time, row.decision == "block"))
    sites = {key: (site_minutes[key], visits[key], requests[key], blocked_[key], bytes_[key])
             for key in set(site_minutes) | set(requests)}
    return {
        "sites": sites,
        "hours": dict(hourly),
        "blocks": {k: (len(v), min(v), max(v)) for k, v in blocks.items()},
        "searches": {k: (len(v), sum(b for _t, b in v), max(t for t, _b in v))
                     for k, v in searches.items()},
    }


def stored(session) -> dict[str, object]:  # type: ignore[no-untyped-def]
    return {
        "sites": {(r.profile_id, r.day, r.site): (r.minutes, r.visits, r.requests, r.blocked,
                                                   r.bytes)
                  for r in session.scalars(select(DailySiteUsage))},
        "hours": {(r.profile_id, r.day, r.hour, r.category): r.minutes
                  for r in session.scalars(select(HourlyMinutes))},
        "blocks": {(r.profile_id, r.day, r.reason, r.category, r.site): (r.count, r.first_at,
                                                                         r.last_at)
                   for r in session.scalars(select(DailyBlocks))},
        "searches": {(r.profile_id, r.day, r.term): (r.count, r.blocked, r.last_at)
                     for r in session.scalars(select(DailySearches))},
    }


@pytest.fixture
def two_children(db) -> tuple[int, int]:  # type: ignore[no-untyped-def]
    with db.begin() as session:
        return add_profile(session, "A", 9).id, add_profile(session, "B", 15).id


@settings(max_examples=60, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(batches=batches)
def test_rollups_equal_a_recomputation_from_raw_rows(db, two_children, batches) -> None:  # type: ignore[no-untyped-def]
    ids = dict(enumerate(two_children))
    with db.begin() as session:
        session.execute(delete(RequestLog))
        session.execute(delete(ActiveMinute))
        for table in ROLLUP_TABLES:
            session.execute(delete(table))
    for requests, minute_batch in batches:
        with db.begin() as session:
            write(session, BERLIN,
                  [r if r.profile_id is None else replace(r, profile_id=ids[r.profile_id])
                   for r in requests],
                  [replace(m, profile_id=ids[m.profile_id]) for m in minute_batch])
    with db.begin() as session:
        expected, incremental = recomputed(session, BERLIN), stored(session)
        assert incremental["sites"] == expected["sites"]
        assert incremental["hours"] == expected["hours"]
        assert incremental["blocks"] == expected["blocks"]
        assert incremental["searches"] == expected["searches"]
        rebuild_rollups(session, BERLIN)
    with db.begin() as session:
        assert stored(session) == incremental

