"""Activity page: a large log in a real SQLite file opens at once, filters and sorts."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta

import pytest
from PySide6.QtCore import QTimer
from sqlalchemy import insert

from guardian.datadir import resolve_data_dir
from guardian.storage.database import open_database
from guardian.storage.models import RequestLog
from guardian.storage.profiles import add_profile
from tests.ui.conftest import idle
from ui.app import GuardianApp
from ui.models import activity_model as columns
from ui.pages.activity import PAGE_SIZE
from ui.prefs import UiPrefs

ROWS = 120_000
START = datetime.now(UTC) - timedelta(days=20)


@pytest.fixture(scope="module")
def big_log(tmp_path_factory):
    """120,000 requests from two children over 20 days; every 7th blocked."""
    data_dir = resolve_data_dir(tmp_path_factory.mktemp("big") / "data").ensure()
    db = open_database(data_dir.database_url)
    with db.begin() as session:
        ids = [add_profile(session, "An", 9, port=8081).id,
               add_profile(session, "Binh", 15, port=8082).id]
    step = timedelta(days=20) / ROWS
    with db.begin() as session:
        session.execute(insert(RequestLog), [
            {"time": START + n * step, "profile_id": ids[n % 2],
             "host": "casino.example" if n % 7 == 0 else f"site{n % 300}.example",
             "path": f"/p/{n % 50}", "method": "GET", "status": 403 if n % 7 == 0 else 200,
             "decision": "block" if n % 7 == 0 else "allow",
             "reason": "category" if n % 7 == 0 else "allowed",
             "category": "gambling" if n % 7 == 0 else None, "bytes": 1000}
            for n in range(ROWS)
        ])
    yield data_dir, db, ids
    db.close()


@pytest.fixture
def activity(qtbot, big_log):
    data_dir, db, ids = big_log
    app = GuardianApp(data_dir, db, UiPrefs.in_folder(data_dir.root), "en")
    qtbot.addWidget(app.window)
    app.show_main_window()
    yield app, app.window.show_page("activity"), ids
    app.shutdown()
    idle(qtbot, app.tasks)


def wait_loaded(qtbot, page) -> None:
    qtbot.waitUntil(lambda: page.model.rowCount() > 0 and not page.model._loading,
                    timeout=10_000)


def test_the_first_page_loads_without_blocking_the_window(qtbot, activity, shoot) -> None:
    app, page, _ids = activity
    ticks: list[float] = []
    timer = QTimer(interval=5, timeout=lambda: ticks.append(time.monotonic()))
    timer.start()
    started = time.monotonic()
    page.reload()
    returned = time.monotonic() - started
    wait_loaded(qtbot, page)
    timer.stop()
    assert returned < 0.1, f"reload() held the UI thread for {returned:.3f} s"
    assert page.model.rowCount() == PAGE_SIZE and page.model.has_more
    gaps = [b - a for a, b in zip(ticks, ticks[1:], strict=False)]
    assert ticks and max(gaps, default=0) < 0.25, "the event loop stalled while loading"
    times = [r.time for r in page.model.rows]
    assert times == sorted(times, reverse=True), "newest first"
    assert "more load as you scroll" in page.status.text()
    shoot(app.window, "activity-en")


def test_scrolling_to_the_end_loads_the_next_page(qtbot, activity) -> None:
    app, page, _ids = activity
    page.reload()
    wait_loaded(qtbot, page)
    first = page.model.rows
    page.table.scrollToBottom()
    qtbot.waitUntil(lambda: page.model.rowCount() == 2 * PAGE_SIZE, timeout=10_000)
    ids = [r.id for r in page.model.rows]
    assert len(set(ids)) == len(ids), "no row twice"
    assert page.model.rows[PAGE_SIZE].time <= first[-1].time


def test_filters_by_child_decision_and_text(qtbot, activity) -> None:
    app, page, ids = activity
    qtbot.waitUntil(lambda: page.child.count() == 3, timeout=10_000)
    wait_loaded(qtbot, page)
    page.child.setCurrentIndex(page.child.findData(ids[1]))
    qtbot.waitUntil(lambda: page.query.profile_id == ids[1] and page.model.rowCount() > 0,
                    timeout=10_000)
    wait_loaded(qtbot, page)
    assert {r.profile for r in page.model.rows} == {"Binh"}
    page.decision.setCurrentIndex(page.decision.findData("block"))
    qtbot.waitUntil(lambda: page.model.rowCount() > 0 and page.query.decision == "block",
                    timeout=10_000)
    wait_loaded(qtbot, page)
    assert {(r.profile, r.decision) for r in page.model.rows} == {("Binh", "block")}
    page.child.setCurrentIndex(0)
    page.decision.setCurrentIndex(0)
    qtbot.keyClicks(page.search, "site42.")
    qtbot.waitUntil(lambda: page.query.text == "site42.", timeout=10_000)
    wait_loaded(qtbot, page)
    assert {r.host for r in page.model.rows} == {"site42.example"}


def test_a_search_that_matches_nothing_says_so(qtbot, activity) -> None:
    app, page, _ids = activity
    page.search.setText("no-such-site.example")
    page.reload()
    qtbot.waitUntil(lambda: page.status.text() == "No activity matches.", timeout=20_000)
    assert page.model.rowCount() == 0


def test_the_time_header_reverses_the_order(qtbot, activity) -> None:
    app, page, _ids = activity
    page.reload()
    wait_loaded(qtbot, page)
    newest = page.model.rows[0].time
    page.table.horizontalHeader().sectionClicked.emit(columns.TIME)
    qtbot.waitUntil(lambda: not page.query.newest_first, timeout=10_000)
    wait_loaded(qtbot, page)
    times = [r.time for r in page.model.rows]
    assert times == sorted(times) and times[0] < newest


def test_the_period_filter(qtbot, activity) -> None:
    app, page, _ids = activity
    page.period.setCurrentIndex(page.period.findData("week"))
    qtbot.waitUntil(lambda: page.query.since is not None, timeout=10_000)
    wait_loaded(qtbot, page)
    assert min(r.time for r in page.model.rows) >= page.query.since  # type: ignore[operator]
    page.period.setCurrentIndex(page.period.findData("custom"))
    assert page.since.isVisible() and page.until.isVisible()


