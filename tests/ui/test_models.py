"""Every table model passes Qt's model tester, shows translated headers and plain cells."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from PySide6.QtCore import QModelIndex, Qt

from guardian.conduct import load_catalog
from guardian.devices import Device
from guardian.explain import explain
from guardian.list_import import ImportedList
from guardian.storage.activity import ActivityRecord
from guardian.storage.profiles import ProfileSummary, RuleEntry
from ui.language import Language
from ui.models.activity_model import ActivityModel
from ui.models.categories_model import CategoriesModel, CategoryRow
from ui.models.children_model import ChildrenModel
from ui.models.devices_model import DevicesModel
from ui.models.explain_model import ExplainModel
from ui.models.install_model import InstallStepsModel, StepRow
from ui.models.lists_model import ListsModel
from ui.models.rules_model import RulesModel
from ui.models.today_model import TodayModel, TodayRow

NOW = datetime(2026, 3, 2, 8, 30, tzinfo=UTC)


def record(n: int, decision: str = "allow") -> ActivityRecord:
    return ActivityRecord(
        id=n, time=NOW, profile="An" if n % 2 else None, host=f"site{n}.example", path="/a",
        method="GET", status=200 if decision == "allow" else 403, decision=decision,
        reason="allowed" if decision == "allow" else "category",
        category=None if decision == "allow" else "gambling", bytes=n * 700,
    )


CHILD = ProfileSummary(1, "An", 9, "vi", True, (8081,), ("192.168.1.20/32",),
                       ("adult", "gambling"), 2)
MODELS = {
    "children": lambda lang: (ChildrenModel(lang), [CHILD]),
    "categories": lambda lang: (CategoriesModel(lang, load_catalog()),
                                [CategoryRow("adult", True), CategoryRow("games", False)]),
    "rules": lambda lang: (RulesModel(lang), [RuleEntry("block", "youtube.com", NOW),
                                              RuleEntry("allow", "youtube.com/kids", NOW)]),
    "activity": lambda lang: (ActivityModel(lang), [record(1), record(2, "block")]),
    "lists": lambda lang: (ListsModel(lang), [ImportedList(1, "/tmp/gambling.txt", "gambling",
                                                           "domains", 1200, 3, 1, NOW)]),
    "today": lambda lang: (TodayModel(lang), [TodayRow("An", 30, 4), TodayRow(None, 2, 2)]),
    "explain": lambda lang: (ExplainModel(lang, load_catalog()), explain(load_catalog(), "en")),
    "devices": lambda lang: (DevicesModel(lang), [Device("An", "An phone", "10.88.0.2", 51820,
                                                         "192.168.1.10", "0.0.0.0", "k", "k")]),
    "install": lambda lang: (InstallStepsModel(lang), [
        StepRow("start at boot (systemd user unit /x)", "failed", "systemctl exited with 1: x"),
        StepRow("trust the CA in the system store", "skipped", "needs root: run it with sudo")]),
}


@pytest.mark.parametrize("name", sorted(MODELS))
def test_model_passes_the_model_tester(qtmodeltester, name: str) -> None:
    model, rows = MODELS[name](Language("en"))
    model.set_rows(rows)
    qtmodeltester.check(model, force_py=True)
    # The tester stays connected and checks every change from here on.
    model.set_rows([])
    model.set_rows(rows)
    model.retranslate()


@pytest.mark.parametrize("name", sorted(MODELS))
def test_headers_and_cells_follow_the_language(name: str) -> None:
    language = Language("en")
    model, rows = MODELS[name](language)
    model.set_rows(rows)
    english = [model.headerData(c, Qt.Orientation.Horizontal) for c in range(model.columnCount())]
    language.set_code("vi")
    model.retranslate()
    vietnamese = [model.headerData(c, Qt.Orientation.Horizontal)
                  for c in range(model.columnCount())]
    assert all(english) and all(vietnamese)
    assert english != vietnamese
    cells = [model.data(model.index(r, c)) for r in range(len(rows))
             for c in range(model.columnCount())]
    assert all(isinstance(cell, str) and cell for cell in cells)


def test_children_cells() -> None:
    model = ChildrenModel(Language("en"))
    model.set_rows([CHILD])
    row = [model.data(model.index(0, c)) for c in range(model.columnCount())]
    assert row == ["An", "9", "6 to 10 years", "Tiếng Việt",
                   "port 8081, device 192.168.1.20/32, default", "2 categories", "2"]


def test_ticking_a_category_reports_it_and_shows_at_once(qtbot) -> None:
    model = CategoriesModel(Language("en"), load_catalog())
    model.set_rows([CategoryRow("games", False)])
    index = model.index(0, 0)
    assert model.flags(index) & Qt.ItemFlag.ItemIsUserCheckable
    with qtbot.waitSignal(model.block_toggled) as signal:
        assert model.setData(index, Qt.CheckState.Checked.value, Qt.ItemDataRole.CheckStateRole)
    assert signal.args == ["games", True]
    assert model.data(index, Qt.ItemDataRole.CheckStateRole) == Qt.CheckState.Checked
    assert "GEN-2" in model.data(model.index(0, 1))
    assert "Decree 147/2024" in model.data(model.index(0, 1), Qt.ItemDataRole.ToolTipRole)


def test_activity_model_asks_for_more_only_when_there_is_more(qtbot, qtmodeltester) -> None:
    model = ActivityModel(Language("en"))
    model.set_rows([record(1)], has_more=True)
    assert model.canFetchMore(QModelIndex())
    with qtbot.waitSignal(model.more_wanted):
        model.fetchMore(QModelIndex())
    assert not model.canFetchMore(QModelIndex()), "one request at a time"
    with qtbot.waitSignal(model.rowsInserted):
        model.append_rows([record(2), record(3)], has_more=False)
    assert model.rowCount() == 3
    assert not model.canFetchMore(QModelIndex())
    qtmodeltester.check(model, force_py=True)


def test_activity_shows_reasons_in_words() -> None:
    model = ActivityModel(Language("en"))
    model.set_rows([record(2, "block")])
    assert model.data(model.index(0, 2)) == "Blocked"
    assert model.data(model.index(0, 5)) == "Kind of site: Gambling"
    assert model.data(model.index(0, 8)) == "1.4 KB"
