"""The app works from the keyboard: page shortcuts, one Alt+letter per control, default buttons."""

from __future__ import annotations

import re

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractButton, QDialog, QGroupBox, QLabel, QWidget, QWizard

from ui.certificate_panel import CertificateDialog
from ui.child_dialog import ChildDialog
from ui.list_import_dialog import ListImportDialog
from ui.password_dialogs import ChangePasswordDialog, LoginDialog
from ui.wizard import SetupWizard

MNEMONIC = re.compile(r"&([^&\s])")


def mnemonics(root: QWidget) -> list[tuple[str, str]]:
    """(letter, text) for every control with a shortcut letter that would be reachable."""
    found = []
    for widget in [root, *root.findChildren(QWidget)]:
        if widget is not root and not widget.isVisibleTo(root):
            continue
        if (isinstance(widget, QLabel) and widget.buddy() is not None
                or isinstance(widget, QAbstractButton)):
            text = widget.text()
        elif isinstance(widget, QGroupBox):
            text = widget.title()
        else:
            continue
        match = MNEMONIC.search(text)
        if match:
            found.append((match.group(1).lower(), text))
    return found


def assert_unique(root: QWidget, where: str) -> None:
    letters = mnemonics(root)
    seen: dict[str, str] = {}
    for letter, text in letters:
        assert letter not in seen, f"{where}: Alt+{letter} is both {seen[letter]!r} and {text!r}"
        seen[letter] = text
    assert all(letter.isascii() for letter, _ in letters), f"{where}: a letter one cannot type"


@pytest.mark.parametrize("language", ["en", "vi"])
def test_each_page_has_distinct_shortcut_letters(make_app, language: str) -> None:
    app = make_app(language)
    for page in app.window.pages:
        assert_unique(page, f"{language} {page.objectName()}")
        assert mnemonics(page), f"{page.objectName()} has no keyboard shortcut at all"


@pytest.mark.parametrize("language", ["en", "vi"])
def test_each_dialog_and_wizard_step_has_distinct_letters_and_a_default(
        qtbot, make_app, language: str) -> None:
    app = make_app(language)
    dialogs: list[QDialog] = [
        LoginDialog(app.language, app.tasks), ChangePasswordDialog(app.language, app.tasks),
        ChildDialog(app.language, suggested_port=8081),
        ListImportDialog(app.language, from_url=False),
        CertificateDialog(app.language, app.tasks, app.launcher, app.supervisor),
    ]
    for dialog in dialogs:
        qtbot.addWidget(dialog)
        dialog.show()
        assert_unique(dialog, f"{language} {type(dialog).__name__}")
    wizard = SetupWizard(app.language, app.tasks, app.launcher, app.supervisor)
    qtbot.addWidget(wizard)
    wizard.show()
    for step in wizard.steps():
        wizard.setStartId(wizard.pageIds()[wizard.steps().index(step)])
        wizard.restart()
        assert_unique(wizard, f"{language} wizard {type(step).__name__}")


def test_enter_confirms_the_dialogs(qtbot, make_app) -> None:
    app = make_app()
    login = LoginDialog(app.language, app.tasks)
    child = ChildDialog(app.language, suggested_port=8081)
    for dialog in (login, child):
        qtbot.addWidget(dialog)
        dialog.show()
    ok = login.buttons.buttons()[0]
    assert ok.isDefault() or ok.autoDefault()
    with qtbot.waitSignal(child.form_submitted):
        child.name.setText("An")
        qtbot.keyClick(child.name, Qt.Key.Key_Return)


def test_ctrl_and_a_number_opens_a_page(qtbot, make_app) -> None:
    app = make_app()
    app.show_main_window()
    window = app.window
    with qtbot.waitActive(window):
        window.activateWindow()
    for number, page in enumerate(window.pages, start=1):
        qtbot.keyClick(window.navigation, Qt.Key(Qt.Key.Key_0.value + number % 10),
                       Qt.KeyboardModifier.ControlModifier)
        assert window.current_page() is page


def test_tab_reaches_every_control_of_the_rules_page(qtbot, make_app, db) -> None:
    from tests.ui.conftest import add_child

    add_child(db, "An")
    app = make_app()
    app.show_main_window()
    page = app.window.show_page("rules")
    qtbot.waitUntil(lambda: page.child.count() == 1, timeout=10_000)
    chain = []
    widget = page.child
    for _ in range(20):
        chain.append(widget)
        widget = widget.nextInFocusChain()
        while not widget.isVisible() or widget.focusPolicy() & Qt.FocusPolicy.TabFocus == 0:
            widget = widget.nextInFocusChain()
        if widget is page.child:
            break
    expected = [page.child, page.categories_view, page.action, page.target, page.add_button,
                page.rules_view, page.remove_button]
    positions = [chain.index(w) for w in expected]
    assert positions == sorted(positions), "Tab goes through the page in reading order"


def test_the_wizard_has_no_unreachable_buttons(qtbot, make_app) -> None:
    app = make_app()
    wizard = SetupWizard(app.language, app.tasks, app.launcher, app.supervisor)
    qtbot.addWidget(wizard)
    wizard.show()
    assert wizard.button(QWizard.WizardButton.NextButton).isDefault()
