"""Children page: adding, editing and removing a child reaches the database."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QDialogButtonBox, QMessageBox

from guardian.presets import blocked_categories_for_age
from guardian.storage.database import Database
from guardian.storage.policy_version import policy_version
from guardian.storage.profiles import category_states, get_profile, profile_summaries
from tests.ui.conftest import add_child, idle
from ui.child_dialog import ChildDialog


def summaries(db: Database) -> dict[str, object]:
    with db.begin() as session:
        return {s.name: s for s in profile_summaries(session)}


def open_page(qtbot, make_app):
    app = make_app()
    app.show_main_window()
    page = app.window.show_page("children")
    idle(qtbot, app.tasks)
    return app, page


def dialog_of(qtbot, editor) -> ChildDialog:
    qtbot.waitUntil(lambda: editor.dialog is not None and editor.dialog.isVisible())
    return editor.dialog


def test_add_a_child_stores_them_with_their_age_preset(qtbot, make_app, db, shoot) -> None:
    app, page = open_page(qtbot, make_app)
    with db.begin() as session:
        before = policy_version(session)
    qtbot.mouseClick(page.editor.add_button, Qt.MouseButton.LeftButton)
    dialog = dialog_of(qtbot, page.editor)
    assert dialog.ports.text() == "8081", "a free port is suggested"
    qtbot.keyClicks(dialog.name, "Minh")
    dialog.age.setValue(12)
    assert "11 to 13 years" in dialog.preset.text() and "Social networks" in dialog.preset.text()
    dialog.child_language.setCurrentIndex(dialog.child_language.findData("en"))
    qtbot.keyClicks(dialog.clients, "192.168.1.30")
    shoot(dialog, "child-dialog-en")
    with qtbot.waitSignal(page.children_changed, timeout=10_000):
        qtbot.mouseClick(dialog.buttons.button(QDialogButtonBox.StandardButton.Save),
                         Qt.MouseButton.LeftButton)
    minh = summaries(db)["Minh"]
    assert (minh.age, minh.language, minh.ports, minh.clients) == (
        12, "en", (8081,), ("192.168.1.30/32",))
    assert set(minh.blocked_categories) == blocked_categories_for_age(12)
    with db.begin() as session:
        assert policy_version(session) > before
    qtbot.waitUntil(lambda: page.editor.model.rowCount() == 1)
    assert page.editor.model.data(page.editor.model.index(0, 0)) == "Minh"
    assert page.editor.dialog is None, "the dialog closed"


def test_a_refused_child_keeps_the_dialog_open_with_the_reason(qtbot, make_app, db) -> None:
    add_child(db, "An", port=8081)
    app, page = open_page(qtbot, make_app)
    page.editor.add()
    dialog = dialog_of(qtbot, page.editor)
    dialog.name.setText("Binh")
    dialog.ports.setText("8081")
    dialog.buttons.button(QDialogButtonBox.StandardButton.Save).click()
    qtbot.waitUntil(lambda: dialog.error.isVisible(), timeout=10_000)
    assert "8081" in dialog.error.text() and "An" in dialog.error.text()
    assert dialog.isVisible() and dialog.buttons.isEnabled()
    dialog.ports.setText("not a port")
    dialog.buttons.button(QDialogButtonBox.StandardButton.Save).click()
    assert "not a port" in dialog.error.text()
    assert set(summaries(db)) == {"An"}
    dialog.reject()


def test_edit_a_child(qtbot, make_app, db) -> None:
    an = add_child(db, "An", 9, port=8081)
    app, page = open_page(qtbot, make_app)
    qtbot.waitUntil(lambda: page.editor.model.rowCount() == 1)
    page.editor.table.selectRow(0)
    qtbot.keyClick(page.editor.table, Qt.Key.Key_Return)
    dialog = dialog_of(qtbot, page.editor)
    assert dialog.name.text() == "An" and dialog.age.value() == 9
    assert dialog.reset.isVisible()
    dialog.age.setValue(16)
    dialog.reset.setChecked(True)
    dialog.ports.setText("8085")
    dialog.default.setChecked(True)
    with qtbot.waitSignal(page.children_changed, timeout=10_000):
        dialog.buttons.button(QDialogButtonBox.StandardButton.Save).click()
    an_now = summaries(db)["An"]
    assert (an_now.age, an_now.ports, an_now.is_default) == (16, (8085,), True)
    with db.begin() as session:
        blocked = {c for c, b in category_states(get_profile(session, an)).items() if b}
    assert blocked == blocked_categories_for_age(16)


def test_remove_a_child_after_confirming(qtbot, make_app, db) -> None:
    add_child(db, "An")
    app, page = open_page(qtbot, make_app)
    qtbot.waitUntil(lambda: page.editor.model.rowCount() == 1)
    page.editor.table.selectRow(0)
    page.editor.remove_selected()
    box = next(w for w in QApplication.topLevelWidgets()
               if isinstance(w, QMessageBox) and w.isVisible())
    assert box.defaultButton() is box.button(QMessageBox.StandardButton.No)
    with qtbot.waitSignal(page.children_changed, timeout=10_000):
        box.button(QMessageBox.StandardButton.Yes).click()
    assert summaries(db) == {}
    qtbot.waitUntil(lambda: page.editor.model.rowCount() == 0)
