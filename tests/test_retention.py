"""Retention: raw rows go after the parent's number of days, in batches; the rollups stay."""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from guardian.storage.models import ActiveMinute, DailySiteUsage, HourlyMinutes, RequestLog
from guardian.storage.profiles import add_profile
from guardian.storage.retention import (
    ROLLUP_RETENTION_DAYS,
    apply_retention,
    raw_retention_days,
)
from guardian.storage.rollups import ALL_SITES
from guardian.storage.settings import RAW_LOG_RETENTION_DAYS, set_setting
from proxy_addons import guardian_addons
from proxy_addons.policy_source import SharedDatabase
from proxy_addons.retention import RetentionRunner
from tests.clocks import ManualClock
from tests.weekly_fixtures import minutes, request, write

pytestmark = pytest.mark.both_backends

NOW = datetime(2026, 11, 29, 12, 0, tzinfo=UTC)


def count(session, model) -> int:  # type: ignore[no-untyped-def]
    return session.scalar(select(func.count()).select_from(model))


@pytest.fixture
def history(db) -> int:  # type: ignore[no-untyped-def]
    """25 requests and 25 minutes 40 days ago, 5 of each yesterday, a rollup 401 days old."""
    with db.begin() as session:
        pid = add_profile(session, "An", 9).id
        old, recent = NOW - timedelta(days=40), NOW - timedelta(days=1)
        write(session, UTC, [request(pid, old + timedelta(seconds=i), "olm.vn") for i in range(25)],
              minutes(pid, old, 25, "olm.vn"))
        write(session, UTC, [request(pid, recent + timedelta(seconds=i), "olm.vn")
                             for i in range(5)], minutes(pid, recent, 5, "olm.vn"))
        ancient = (NOW - timedelta(days=ROLLUP_RETENTION_DAYS + 1)).date().isoformat()
        session.add(DailySiteUsage(profile_id=pid, day=ancient, site="olm.vn", minutes=3))
    return pid


def test_old_raw_rows_go_and_the_rollups_stay(db, history) -> None:  # type: ignore[no-untyped-def]
    with db.begin() as session:
        result = apply_retention(session, NOW)
    assert (result.requests, result.minutes, result.rollups, result.more) == (25, 25, 1, False)
    with db.begin() as session:
        assert count(session, RequestLog) == 5 and count(session, ActiveMinute) == 5
        old_day = (NOW - timedelta(days=40)).date().isoformat()
        kept = session.scalars(select(DailySiteUsage).where(DailySiteUsage.day == old_day)).one()
        assert (kept.minutes, kept.requests) == (25, 25)  # the summary of that week survives
        assert session.scalar(select(func.sum(HourlyMinutes.minutes))
                              .where(HourlyMinutes.category == ALL_SITES)) == 30
        assert min(session.scalars(select(DailySiteUsage.day))) == old_day


def test_deletion_goes_in_small_batches(db, history) -> None:  # type: ignore[no-untyped-def]
    results = []
    while not results or results[-1].more:
        with db.begin() as session:
            results.append(apply_retention(session, NOW, batch=10))
    assert [r.requests for r in results] == [10, 10, 5]
    assert sum(r.minutes for r in results) == 25
    with db.begin() as session:
        assert count(session, RequestLog) == 5 and count(session, ActiveMinute) == 5


def test_the_parents_setting_decides_how_long(db, history) -> None:  # type: ignore[no-untyped-def]
    with db.begin() as session:
        set_setting(session, RAW_LOG_RETENTION_DAYS, "60")
        assert raw_retention_days(session) == 60
        assert apply_retention(session, NOW).requests == 0
        set_setting(session, RAW_LOG_RETENTION_DAYS, "0")
        assert raw_retention_days(session) == 1  # never "delete everything at once"
        set_setting(session, RAW_LOG_RETENTION_DAYS, "a month")
        assert raw_retention_days(session) == 30


def test_the_filter_runs_retention_in_the_background(db, data_dir, history, caplog) -> None:  # type: ignore[no-untyped-def]
    runner = RetentionRunner(SharedDatabase(data_dir.database_url), ManualClock(NOW), pause=0)
    with caplog.at_level(logging.INFO, logger="guardian.retention"):
        result = runner.run_once()
    assert (result.requests, result.minutes) == (25, 25)
    assert "Deleted old activity" in caplog.text
    with db.begin() as session:
        assert count(session, RequestLog) == 5


def test_a_broken_database_only_logs(tmp_path, caplog) -> None:  # type: ignore[no-untyped-def]
    runner = RetentionRunner(SharedDatabase(f"sqlite:///{tmp_path}/missing/x.db"),
                             ManualClock(NOW), pause=0)
    with caplog.at_level(logging.WARNING, logger="guardian.retention"):
        assert runner.run_once().requests == 0
    assert "Could not delete old activity" in caplog.text


def test_the_runner_is_one_of_the_filters_addons(data_dir) -> None:  # type: ignore[no-untyped-def]
    from guardian.active_time import ActiveTimeTracker
    from proxy_addons.policy_source import PolicyHolder, PolicyReloader

    database = SharedDatabase(data_dir.database_url)
    holder = PolicyHolder()
    addons = guardian_addons(holder, PolicyReloader(holder, database, data_dir.index_path),
                             database, ActiveTimeTracker(UTC), ManualClock(NOW), 0.5)
    assert any(isinstance(addon, RetentionRunner) for addon in addons)
