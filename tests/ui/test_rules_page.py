"""Rules page: categories and sites per child, stored with a new policy version."""

from __future__ import annotations

from PySide6.QtCore import Qt

from guardian.storage.database import Database
from guardian.storage.policy_version import policy_version
from guardian.storage.profiles import category_states, get_profile, rule_entries
from tests.ui.conftest import add_child, idle


def state(db: Database, profile_id: int) -> tuple[int, dict[str, bool], list[tuple[str, str]]]:
    with db.begin() as session:
        profile = get_profile(session, profile_id)
        return (policy_version(session), category_states(profile),
                [(r.action, r.target) for r in rule_entries(profile)])


def open_rules(qtbot, make_app, child: int | None = None):
    app = make_app()
    app.show_main_window()
    page = app.window.show_page("rules")
    qtbot.waitUntil(lambda: page.categories.rowCount() > 0, timeout=10_000)
    if child is not None:
        page.select_child(child)
        qtbot.waitUntil(lambda: page.profile_id == child)
    idle(qtbot, app.tasks)
    return app, page


def row_of(page, code: str) -> int:
    return next(i for i, row in enumerate(page.categories.rows) if row.code == code)


def test_block_a_category_is_stored_and_bumps_the_policy(qtbot, make_app, db, shoot) -> None:
    an = add_child(db, "An", 9)
    binh = add_child(db, "Binh", 15)
    version, states, _ = state(db, binh)
    assert not states["games"]
    app, page = open_rules(qtbot, make_app, binh)
    index = page.categories.index(row_of(page, "games"), 0)
    with qtbot.waitSignal(page.policy_saved, timeout=10_000):
        page.categories.setData(index, Qt.CheckState.Checked.value,
                                Qt.ItemDataRole.CheckStateRole)
    new_version, states, _ = state(db, binh)
    assert states["games"] and new_version > version
    assert not state(db, an)[1]["games"], "only the chosen child changed"
    shoot(app.window, "rules-en")


def test_the_keyboard_toggles_a_category(qtbot, make_app, db) -> None:
    an = add_child(db, "An", 9)
    app, page = open_rules(qtbot, make_app, an)
    assert state(db, an)[1]["adult"]
    view = page.categories_view
    view.setFocus()
    view.setCurrentIndex(page.categories.index(row_of(page, "adult"), 0))
    with qtbot.waitSignal(page.policy_saved, timeout=10_000):
        qtbot.keyClick(view, Qt.Key.Key_Space)
    assert not state(db, an)[1]["adult"]


def test_each_category_names_the_rules_of_the_code_behind_it(qtbot, make_app, db) -> None:
    add_child(db, "An")
    app, page = open_rules(qtbot, make_app)
    rules = page.categories.data(page.categories.index(row_of(page, "gambling"), 1))
    assert "GEN-2" in rules and "CHILD-7" in rules


def test_add_and_remove_a_site_rule(qtbot, make_app, db) -> None:
    an = add_child(db, "An")
    app, page = open_rules(qtbot, make_app, an)
    version = state(db, an)[0]
    page.action.setCurrentIndex(page.action.findData("allow"))
    qtbot.keyClicks(page.target, "YouTube.com/Kids")
    with qtbot.waitSignal(page.policy_saved, timeout=10_000):
        qtbot.keyClick(page.target, Qt.Key.Key_Return)
    new_version, _, rules = state(db, an)
    assert rules == [("allow", "youtube.com/kids")] and new_version > version
    assert page.target.text() == ""
    qtbot.waitUntil(lambda: page.rules.rowCount() == 1)
    assert page.rules.data(page.rules.index(0, 0)) == "Allow"
    page.rules_view.selectRow(0)
    with qtbot.waitSignal(page.policy_saved, timeout=10_000):
        qtbot.mouseClick(page.remove_button, Qt.MouseButton.LeftButton)
    assert state(db, an)[2] == []


def test_a_bad_site_is_explained(qtbot, make_app, db) -> None:
    an = add_child(db, "An")
    app, page = open_rules(qtbot, make_app, an)
    page.target.setText("not a host!")
    page.add_button.click()
    qtbot.waitUntil(lambda: page.rule_error.isVisible(), timeout=10_000)
    assert "not a host!" in page.rule_error.text()
    assert state(db, an)[2] == []
