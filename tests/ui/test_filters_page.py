"""Filters page: every filter sharing the database, its health, refreshed on its own."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from sqlalchemy import select

from guardian.storage.filters import FilterStatus, heartbeat, mark_stopped, register_filter
from guardian.storage.models import FilterInstance
from ui.language import Language
from ui.models import filters_model as columns
from ui.models.filters_model import FiltersModel
from ui.pages.filters import FiltersPage
from ui.styles import BAD_COLOUR, GOOD_COLOUR

pytestmark = pytest.mark.both_backends

NOW = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)


def status(name: str, health: str, seconds: int = 2, problem: str | None = None) -> FilterStatus:
    return FilterStatus(1, name, "0.0.0.0:8080", "1.0", NOW - timedelta(hours=1),
                        NOW - timedelta(seconds=seconds), timedelta(seconds=seconds), health,
                        problem)


@pytest.mark.parametrize("code", ["en", "vi"])
def test_the_model_passes_the_model_tester_and_says_each_health(qtmodeltester, code) -> None:  # type: ignore[no-untyped-def]
    model = FiltersModel(Language(code))
    model.set_rows([status("pc1", "ok"), status("pc2", "problem", problem="disk full"),
                    status("pc3", "silent", 400), status("pc4", "stopped", 9000)])
    qtmodeltester.check(model, force_py=True)
    cell = model.index(1, columns.HEALTH)
    assert model.data(cell, Qt.ItemDataRole.ToolTipRole) == "disk full"
    assert model.data(cell, Qt.ItemDataRole.ForegroundRole) == QColor(BAD_COLOUR)
    assert model.data(model.index(0, columns.HEALTH),
                      Qt.ItemDataRole.ForegroundRole) == QColor(GOOD_COLOUR)
    texts = {model.data(model.index(r, columns.HEALTH)) for r in range(4)}
    assert len(texts) == 4  # four healths, four words
    if code == "en":
        assert texts == {"Filtering", "Blocking everything", "Not responding", "Stopped"}
        assert model.data(model.index(0, columns.LAST_SEEN)) == "2 s ago"
        assert model.data(model.index(2, columns.LAST_SEEN)) == "6 min ago"
        assert model.headerData(columns.MACHINE, Qt.Orientation.Horizontal) == "Machine"
    else:
        assert "Đang lọc" in texts
        assert model.data(model.index(0, columns.LAST_SEEN)) == "2 giây trước"


def test_the_page_lists_the_filters_and_follows_them(qtbot, db, tasks, shoot) -> None:  # type: ignore[no-untyped-def]
    page = FiltersPage(Language("en"), tasks, refresh_ms=100)
    qtbot.addWidget(page)
    page.show()
    page.refresh()
    qtbot.waitUntil(lambda: page.empty.isVisible(), timeout=5000)
    assert "No filter has used this database yet" in page.empty.text()
    assert not page.table.isVisible()

    with db.begin() as session:
        first = register_filter(session, "room-a-pc1", "0.0.0.0:8080", "1.0")
        second = register_filter(session, "room-a-pc2", "0.0.0.0:8080", "1.0")
    # No call to refresh(): the page's own timer picks the new filters up.
    qtbot.waitUntil(lambda: page.model.rowCount() == 2, timeout=5000)
    assert page.table.isVisible() and not page.empty.isVisible()
    assert [r.name for r in page.model.rows] == ["room-a-pc1", "room-a-pc2"]
    assert page.summary.text() == "filtering: 2"

    with db.begin() as session:
        heartbeat(session, first, problem="the policy cannot be loaded: server gone")
        mark_stopped(session, second)
    qtbot.waitUntil(lambda: page.summary.text() == "blocking everything: 1, stopped: 1",
                    timeout=5000)
    page.resize(1000, 400)
    assert shoot(page, "filters").exists()
    health = page.model.index(0, columns.HEALTH)
    assert page.model.data(health) == "Blocking everything"
    assert "server gone" in page.model.data(health, Qt.ItemDataRole.ToolTipRole)

    with db.begin() as session:  # the first PC goes quiet
        row = session.get(FilterInstance, first)
        row.last_seen -= timedelta(minutes=5)
    qtbot.waitUntil(lambda: page.model.data(page.model.index(0, columns.HEALTH))
                    == "Not responding", timeout=5000)


def test_the_page_follows_the_language(qtbot, db, tasks) -> None:  # type: ignore[no-untyped-def]
    language = Language("en")
    page = FiltersPage(language, tasks)
    qtbot.addWidget(page)
    assert page.title == "Filters"
    language.set_code("vi")
    page.retranslate()
    assert page.title == "Các bộ lọc"
    assert "Chưa có bộ lọc" in page.empty.text()
    assert page.model.headerData(columns.MACHINE, Qt.Orientation.Horizontal) == "Máy"


def test_a_retired_pc_can_be_forgotten_but_not_a_running_one(qtbot, db, tasks) -> None:  # type: ignore[no-untyped-def]
    with db.begin() as session:
        running = register_filter(session, "room-a-pc1", "0.0.0.0:8080", "1.0")
        retired = register_filter(session, "room-a-pc2", "0.0.0.0:8080", "1.0")
        mark_stopped(session, retired)
    page = FiltersPage(Language("en"), tasks)
    qtbot.addWidget(page)
    page.show()
    page.refresh()
    qtbot.waitUntil(lambda: page.model.rowCount() == 2, timeout=5000)

    page.table.selectRow(0)  # room-a-pc1 is filtering: forgetting it would only undo itself
    assert page.selected().id == running and not page.forget_button.isEnabled()
    page.table.selectRow(1)
    assert page.selected().id == retired and page.forget_button.isEnabled()
    qtbot.mouseClick(page.forget_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: page.model.rowCount() == 1, timeout=5000)
    assert [row.name for row in page.model.rows] == ["room-a-pc1"]
    assert page.status.text() == "room-a-pc2 was removed from the list."
    with db.begin() as session:
        assert list(session.scalars(select(FilterInstance.name))) == ["room-a-pc1"]
