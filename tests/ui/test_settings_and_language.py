"""Settings page: the language switches every visible text live; the other settings are kept."""

from __future__ import annotations

from PySide6.QtWidgets import QAbstractButton, QGroupBox, QLabel, QWidget

from guardian.storage.settings import APP_LANGUAGE, RAW_LOG_RETENTION_DAYS, get_setting
from tests.ui.conftest import add_child, idle
from ui.prefs import UiPrefs


def visible_texts(root: QWidget) -> set[str]:
    texts = set()
    for widget in root.findChildren(QWidget):
        if isinstance(widget, QLabel | QAbstractButton):
            texts.add(widget.text())
        elif isinstance(widget, QGroupBox):
            texts.add(widget.title())
    return {t for t in texts if t}


def test_switching_the_language_changes_visible_texts_and_is_stored(qtbot, make_app, db) -> None:
    add_child(db, "An")
    app = make_app("en")
    app.show_main_window()
    page = app.window.show_page("settings")
    idle(qtbot, app.tasks)
    english_nav = [app.window.navigation.item(i).text() for i in range(6)]
    english = {name: visible_texts(p) for name, p in
               ((p.objectName(), p) for p in app.window.pages)}
    assert english_nav[0] == "Overview"
    page.app_language.setCurrentIndex(page.app_language.findData("vi"))
    assert app.language.code == "vi"
    vietnamese_nav = [app.window.navigation.item(i).text() for i in range(6)]
    assert vietnamese_nav == ["Tổng quan", "Trẻ em", "Quy tắc", "Hoạt động", "Danh sách",
                              "Cài đặt"]
    for current in app.window.pages:
        now = visible_texts(current)
        assert now != english[current.objectName()], f"{current.objectName()} did not change"
    assert app.window.windowTitle().startswith("Guardian — cài đặt")
    idle(qtbot, app.tasks)
    with db.begin() as session:
        assert get_setting(session, APP_LANGUAGE) == "vi"
    app.window.show_page("children")
    qtbot.waitUntil(lambda: app.children_page.editor.model.rowCount() == 1)
    assert app.children_page.editor.model.data(app.children_page.editor.model.index(0, 2)) == (
        "Từ 6 đến 10 tuổi")


def test_retention_days_are_stored(qtbot, make_app, db) -> None:
    app = make_app()
    page = app.settings
    page.refresh()
    idle(qtbot, app.tasks)
    assert page.retention.value() == 30
    page.retention.setValue(90)
    page.retention.editingFinished.emit()
    qtbot.waitUntil(lambda: page.retention_saved.text() == "Saved.", timeout=10_000)
    with db.begin() as session:
        assert get_setting(session, RAW_LOG_RETENTION_DAYS) == "90"


def test_the_filter_address_is_checked_and_remembered(qtbot, make_app, data_dir) -> None:
    app = make_app()
    page = app.settings
    page.address.setText("localhost:notaport")
    page.address_button.click()
    assert not page.address_error.isHidden()
    page.address.setText("127.0.0.1:18080")
    with qtbot.waitSignal(page.filter_address_chosen) as signal:
        page.address_button.click()
    assert signal.args == ["127.0.0.1", 18080]
    assert page.address_error.isHidden()
    assert UiPrefs.in_folder(data_dir.root).filter_listen == "127.0.0.1:18080"
    assert app.supervisor.state.port == 18080


def test_data_location_is_shown(make_app, data_dir) -> None:
    app = make_app()
    assert app.settings.folder.text() == str(data_dir.root)
    assert app.settings.database.text().endswith("guardian.db")
    assert app.settings.log.text().endswith("filter.log")
