"""A past week is read against the total budget it had, not today's."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import text

from guardian.reports import weekly_summary
from guardian.reports.charts import RED, days_chart
from guardian.reports.text import ReportText
from guardian.storage.access_requests import approve_request
from guardian.storage.models import AccessRequest
from guardian.storage.profiles import add_profile, get_profile
from guardian.storage.screen_time import record_total_budget, set_budget, total_budgets
from tests.old_databases import upgraded_from
from tests.weekly_fixtures import local, minutes, write

pytestmark = pytest.mark.both_backends

HCM = ZoneInfo("Asia/Ho_Chi_Minh")
WEEK = [date(2026, 11, 23 + i) for i in range(7)]  # 2026-W48, Monday to Sunday


def child_without_history(session, age: int = 9):  # type: ignore[no-untyped-def]
    """A child whose budget history the test writes (adding one records today's budget)."""
    child = add_profile(session, "An", age, "en")
    session.execute(text("DELETE FROM total_budget_changes"))
    return child


def test_a_change_counts_from_its_day_on(db) -> None:  # type: ignore[no-untyped-def]
    with db.begin() as session:
        an = child_without_history(session)
        record_total_budget(session, an, 120, date(2026, 11, 1))
        record_total_budget(session, an, 60, date(2026, 11, 26))  # Thursday
        record_total_budget(session, an, 90, date(2026, 11, 26))  # the last change of a day
        record_total_budget(session, an, None, date(2026, 11, 29))  # lifted on Sunday
        assert total_budgets(session, an.id, WEEK) == [120, 120, 120, 90, 90, 90, None]
        assert total_budgets(session, an.id, [date(2026, 10, 1)]) == [120]  # before any change


def test_with_no_history_every_day_has_todays_setting(db) -> None:  # type: ignore[no-untyped-def]
    with db.begin() as session:
        an = child_without_history(session)
        assert total_budgets(session, an.id, WEEK[:2]) == [120, 120]


def test_set_budget_and_a_parents_always_are_recorded(db) -> None:  # type: ignore[no-untyped-def]
    with db.begin() as session:
        an = add_profile(session, "An", 9, "vi")
        set_budget(session, an, 45)
        today = total_budgets(session, an.id, [datetime.now(UTC).date()])
        assert today in ([45], [120])  # 120 only if the household's day is not UTC's
        session.add(AccessRequest(profile_id=an.id, kind="time", scope="total", nonce="n1"))
        session.flush()
        request_id = session.scalars(text("SELECT id FROM access_requests")).one()
        approve_request(session, request_id, "always", datetime(2027, 1, 5, 3, tzinfo=UTC), HCM)
        assert total_budgets(session, an.id, [date(2027, 1, 5)]) == [None]


def test_the_week_shows_each_days_budget_and_the_chart_draws_the_change(db) -> None:  # type: ignore[no-untyped-def]
    with db.begin() as session:
        an = child_without_history(session)
        record_total_budget(session, an, 120, date(2026, 11, 1))
        record_total_budget(session, an, 60, date(2026, 11, 26))
        write(session, HCM, minute_rows=minutes(an.id, local(HCM, "2026-11-24 16:00"), 90,
                                                "olm.vn")
              + minutes(an.id, local(HCM, "2026-11-27 16:00"), 90, "olm.vn"))
        week = weekly_summary(session, an.id, "2026-W48", HCM, "en",
                              datetime(2026, 12, 2, tzinfo=UTC))
    assert [d.allowed for d in week.days] == [120, 120, 120, 60, 60, 60, 60]
    assert week.daily_budget == 60
    # 90 minutes on Tuesday was within that day's 2 hours; on Friday, over its hour.
    assert [d.minutes > d.allowed for d in week.days if d.minutes] == [False, True]
    chart = days_chart(week.days, ReportText("en"))
    limits = [line for line in chart.lines if line.stroke == RED and line.dashed]
    # One dashed segment per day at two heights (two hours, then one), and the legend's.
    assert len(limits) == 8 and len({line.y1 for line in limits[:7]}) == 2
    assert any(label.text == "Daily limit: 2 h → 1 h" for label in chart.labels)


@pytest.mark.sqlite_only
def test_an_older_database_keeps_its_budgets_as_always_so(tmp_path) -> None:  # type: ignore[no-untyped-def]
    with upgraded_from(tmp_path, "0007", (
        "INSERT INTO profiles (id, name, age, language, is_default, created_at) "
        "VALUES (1, 'An', 9, 'vi', 0, '2026-01-01')",
        "INSERT INTO budgets (profile_id, scope, key, minutes) "
        "VALUES (1, 'total', '', 75), (1, 'category', 'games', 180)",
    )) as db, db.begin() as session:
        assert total_budgets(session, 1, [date(2020, 1, 1), date(2026, 11, 23)]) == [75, 75]
        assert get_profile(session, 1).name == "An"
