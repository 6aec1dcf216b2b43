"""The first-run wizard, the password asked at every later start, and changing it."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox, QWizard

from guardian.storage.database import Database
from guardian.storage.parent_account import set_parent_password, verify_parent_password
from guardian.storage.profiles import profile_summaries
from guardian.storage.settings import APP_LANGUAGE, PARENT_PASSWORD_HASH, get_setting
from tests.ui.conftest import idle
from ui.supervisor import FilterStatus

PASSWORD = "a long family password"


def set_password(db: Database, password: str = PASSWORD) -> None:
    with db.begin() as session:
        set_parent_password(session, password)


def test_the_wizard_stores_the_password_hash_the_children_and_the_language(
        qtbot, make_app, db, shoot) -> None:
    app = make_app("en")
    app.start(first_run=True)
    wizard = app.wizard
    assert wizard is not None and wizard.isVisible() and not app.window.isVisible()
    shoot(wizard, "wizard-1-welcome-en")
    welcome = wizard.welcome
    welcome.choice.setCurrentIndex(welcome.choice.findData("vi"))
    assert wizard.button(QWizard.WizardButton.NextButton).text() == "&Tiếp >"
    shoot(wizard, "wizard-1-welcome-vi")
    welcome.choice.setCurrentIndex(welcome.choice.findData("en"))
    assert wizard.button(QWizard.WizardButton.NextButton).text() == "&Next >"

    wizard.next()
    assert wizard.currentPage() is wizard.password
    next_button = wizard.button(QWizard.WizardButton.NextButton)
    qtbot.keyClicks(wizard.password.fields.password, PASSWORD)
    qtbot.keyClicks(wizard.password.fields.confirm, "something else")
    assert not next_button.isEnabled() and "not the same" in wizard.password.problem.text()
    wizard.password.fields.confirm.setText(PASSWORD)
    assert next_button.isEnabled()
    shoot(wizard, "wizard-2-password-en")

    wizard.next()
    assert wizard.currentPage() is wizard.children_step
    idle(qtbot, app.tasks)
    assert not next_button.isEnabled(), "at least one child"
    editor = wizard.children_step.editor
    editor.add()
    qtbot.waitUntil(lambda: editor.dialog is not None)
    dialog = editor.dialog
    dialog.name.setText("Lan")
    dialog.age.setValue(7)
    dialog.buttons.button(QDialogButtonBox.StandardButton.Save).click()
    qtbot.waitUntil(lambda: editor.model.rowCount() == 1, timeout=10_000)
    assert next_button.isEnabled()
    shoot(wizard, "wizard-3-children-en")

    wizard.next()
    assert wizard.currentPage() is wizard.filter
    qtbot.waitUntil(lambda: app.supervisor.state.status == FilterStatus.ATTACHED, timeout=10_000)
    assert "Lan: proxy 127.0.0.1, port 8081" in wizard.filter.settings.text()
    shoot(wizard, "wizard-4-filter-en")

    wizard.next()
    assert wizard.currentPage() is wizard.certificate
    panel = wizard.certificate.panel
    qtbot.waitUntil(lambda: panel.path.text().endswith(".pem"), timeout=60_000)
    shoot(wizard, "wizard-5-certificate-en")
    with db.begin() as session:
        assert get_setting(session, PARENT_PASSWORD_HASH) == "", "stored only at the end"

    with qtbot.waitSignal(wizard.setup_completed, timeout=10_000):
        wizard.button(QWizard.WizardButton.FinishButton).click()
    assert app.window.isVisible()
    with db.begin() as session:
        stored = get_setting(session, PARENT_PASSWORD_HASH)
        assert verify_parent_password(session, PASSWORD)
        assert get_setting(session, APP_LANGUAGE) == "en"
        children = profile_summaries(session)
    assert stored.startswith("$argon2id$") and PASSWORD not in stored
    assert [(c.name, c.age, c.ports) for c in children] == [("Lan", 7, (8081,))]


def test_a_wrong_password_is_rejected_and_the_right_one_opens_the_app(
        qtbot, make_app, db, shoot) -> None:
    set_password(db)
    app = make_app("vi")
    app.start(first_run=False)
    login = app.login
    assert login is not None and login.isVisible()
    ok = login.buttons.button(QDialogButtonBox.StandardButton.Ok)
    assert ok.isDefault() or ok.autoDefault()
    qtbot.keyClicks(login.password, "wrong password")
    qtbot.keyClick(login.password, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: login.error.isVisible(), timeout=10_000)
    assert login.error.text() == "Mật khẩu không đúng. Hãy thử lại."
    assert login.password.text() == "" and not app.window.isVisible()
    assert login.result() == 0
    shoot(login, "login-wrong-vi")
    qtbot.keyClicks(login.password, PASSWORD)
    qtbot.keyClick(login.password, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: app.window.isVisible(), timeout=10_000)
    qtbot.waitUntil(lambda: app.supervisor.state.status == FilterStatus.ATTACHED, timeout=10_000)


def test_change_the_password_from_settings(qtbot, make_app, db) -> None:
    set_password(db)
    app = make_app()
    app.show_main_window()
    app.window.show_page("settings")
    app.settings.password_button.click()
    dialog = app.dialogs[-1]
    dialog.current.setText("not it")
    dialog.new.password.setText("brand new password")
    dialog.new.confirm.setText("brand new password")
    dialog.buttons.button(QDialogButtonBox.StandardButton.Save).click()
    qtbot.waitUntil(lambda: dialog.error.isVisible(), timeout=10_000)
    assert dialog.error.text() == "The current password is not right."
    dialog.current.setText(PASSWORD)
    dialog.buttons.button(QDialogButtonBox.StandardButton.Save).click()
    qtbot.waitUntil(lambda: not app.dialogs, timeout=10_000)
    with db.begin() as session:
        assert verify_parent_password(session, "brand new password")
        assert not verify_parent_password(session, PASSWORD)
