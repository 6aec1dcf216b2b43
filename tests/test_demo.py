"""`guardian demo`, then `guardian report weekly`: a full week at once, in every format."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import delete, func, select

from guardian.demo import create_demo_household, generate_activity
from guardian.errors import AlreadyExists
from guardian.reports import IsoWeek, weekly_summary
from guardian.storage.models import RequestLog
from guardian.storage.profiles import add_profile, find_profile
from guardian.storage.rollups import ROLLUP_TABLES, rebuild_rollups
from tests.test_rollups import stored
from tests.test_weekly_export import save

HCM = ZoneInfo("Asia/Ho_Chi_Minh")
NOW = datetime(2026, 12, 2, 9, 30, tzinfo=UTC)  # a Wednesday


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory):  # type: ignore[no-untyped-def]
    from guardian.storage.database import open_database

    folder = tmp_path_factory.mktemp("demo")
    database = open_database(f"sqlite:///{folder}/guardian.db")
    with database.begin() as session:
        create_demo_household(session, NOW, HCM)
    yield database
    database.close()


def test_the_demo_fills_the_last_complete_week_for_every_child(demo_db) -> None:  # type: ignore[no-untyped-def]
    last = IsoWeek.last_complete(NOW, HCM)
    codes = set()
    with demo_db.begin() as session:
        for name in ("An", "Binh", "Chi"):
            s = weekly_summary(session, find_profile(session, name), last, HCM, "vi", NOW)
            assert s.complete and all(day.minutes > 0 for day in s.days), name
            assert s.top_sites_by_time and s.categories and s.searches, name
            assert s.comparison.previous_minutes > 0, name
            assert len(s.prompts) >= 2, name
            codes |= {p.code for p in s.prompts}
        an = weekly_summary(session, find_profile(session, "An"), last, HCM, "vi", NOW)
        assert an.reports and {r.status for r in an.requests} >= {"denied"}
        assert an.time_limits and an.blocks
        chi = weekly_summary(session, find_profile(session, "Chi"), last, HCM, "en", NOW)
        assert chi.night_minutes > 0 and any(r.status == "pending" for r in chi.requests)
    assert {"report", "gambling", "late_night", "strangers"} <= codes


def test_the_demo_rollups_equal_a_recomputation(demo_db) -> None:  # type: ignore[no-untyped-def]
    with demo_db.begin() as session:
        incremental = stored(session)
        rebuild_rollups(session, HCM)
        assert stored(session) == incremental
        session.rollback()


def test_a_household_with_children_is_refused(demo_db) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(AlreadyExists, match="empty data folder"), demo_db.begin() as session:
        create_demo_household(session, NOW, HCM)


def test_guardian_demo_then_report_weekly(cli, data_dir) -> None:  # type: ignore[no-untyped-def]
    made = cli("demo")
    assert made.code == 0 and "An, Binh, Chi" in made.out
    out = data_dir.root / "an.html"
    result = cli("report", "weekly", "--profile", "An", "--format", "html", "--out", str(out))
    assert result.code == 0, result.err
    page = out.read_text(encoding="utf-8")
    save("demo-An.html", page.encode())
    assert page.count("<svg") == 3 and "Cùng trò chuyện" in page  # the app's language: vi
    as_json = cli("report", "weekly", "--profile", "Chi", "--format", "json", "--out", "-",
                  "--language", "en")
    week = json.loads(as_json.out)
    assert week["complete"] and len(week["days"]) == 7
    assert all(day["minutes"] > 0 for day in week["days"])
    pdf = data_dir.root / "binh.pdf"
    assert cli("report", "weekly", "--profile", "Binh", "--format", "pdf", "--week", "current",
               "--out", str(pdf)).code == 0
    assert pdf.read_bytes().startswith(b"%PDF-")
    again = cli("demo")
    assert again.code == 1 and "empty data folder" in again.err


def test_report_errors_are_one_clear_line(cli, data_dir) -> None:  # type: ignore[no-untyped-def]
    cli("profile", "add", "An", "--age", "9")
    bad_week = cli("report", "weekly", "--profile", "An", "--week", "2026-W60", "--format",
                   "json", "--out", "-")
    assert bad_week.code == 1 and "2026 has no week 60" in bad_week.err
    nobody = cli("report", "weekly", "--profile", "Zed", "--format", "json", "--out", "-")
    assert nobody.code == 1 and "no profile named 'Zed'" in nobody.err
    pdf_to_terminal = cli("report", "weekly", "--profile", "An", "--format", "pdf", "--out", "-")
    assert pdf_to_terminal.code == 1 and "--out FILE.pdf" in pdf_to_terminal.err
    assert cli("report", "rebuild").code == 0


def test_generate_activity_for_benchmarks(db) -> None:  # type: ignore[no-untyped-def]
    with db.begin() as session:
        pid = add_profile(session, "Bench", 12).id
        written = generate_activity(session, pid, date(2026, 11, 23), 3, 2_000, HCM, batch=1_000)
    assert written == 6_000
    with db.begin() as session:
        assert session.scalar(select(func.count()).select_from(RequestLog)) == 6_000
        s = weekly_summary(session, pid, "2026-W48", HCM, "en", NOW)
        assert s.days[0].minutes == s.days[2].minutes == 15 * 60  # 07:00 to 22:00
        assert s.blocked_attempts > 0 and s.searches
        incremental = stored(session)
        for table in ROLLUP_TABLES:  # as after an upgrade: raw rows, no rollups
            session.execute(delete(table))
        rebuild_rollups(session, HCM)
        rebuilt = stored(session)
    # The oldest day may have lost rows to retention: it is left alone; the others are whole.
    assert {k[1] for k in rebuilt["sites"]} == {"2026-11-24", "2026-11-25"}
    for part, rows in rebuilt.items():
        assert rows == {k: v for k, v in incremental[part].items() if k[1] != "2026-11-23"}
