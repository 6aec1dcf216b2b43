"""The parent password: asked at every start, changed from Settings, chosen in the wizard.

Checking and hashing (Argon2, deliberately slow) run on a worker; the
password text only ever goes to `guardian.storage.parent_account`.
"""

from __future__ import annotations

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from guardian.storage.parent_account import (
    MIN_PASSWORD_LENGTH,
    WrongPassword,
    change_parent_password,
    verify_parent_password,
)
from ui.language import Language
from ui.styles import error_label
from ui.tasks import Tasks, error_sentence


def password_field() -> QLineEdit:
    field = QLineEdit(echoMode=QLineEdit.EchoMode.Password)
    field.setMaxLength(1024)
    return field


class NewPasswordFields(QWidget):
    """A new password typed twice, with the rules it must meet."""

    def __init__(self, language: Language, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.language = language
        self.password, self.confirm = password_field(), password_field()
        self.password_label, self.confirm_label = QLabel(), QLabel()
        self.password_label.setBuddy(self.password)
        self.confirm_label.setBuddy(self.confirm)
        self.hint = QLabel(wordWrap=True)
        layout = QFormLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addRow(self.password_label, self.password)
        layout.addRow(self.confirm_label, self.confirm)
        layout.addRow("", self.hint)
        self.retranslate()

    def retranslate(self) -> None:
        tr = self.language.text
        self.password_label.setText(tr("app.password.new"))
        self.confirm_label.setText(tr("app.password.confirm"))
        self.hint.setText(tr("app.password.rules", count=MIN_PASSWORD_LENGTH))

    def problem(self) -> str | None:
        """Why the typed password cannot be used, or None."""
        if len(self.password.text()) < MIN_PASSWORD_LENGTH:
            return self.language.text("app.password.too_short", count=MIN_PASSWORD_LENGTH)
        if self.password.text() != self.confirm.text():
            return self.language.text("app.password.mismatch")
        return None

    def clear(self) -> None:
        self.password.clear()
        self.confirm.clear()


class LoginDialog(QDialog):
    """Asks for the parent password before anything else of the app shows."""

    def __init__(self, language: Language, tasks: Tasks, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.language, self.tasks = language, tasks
        self.intro = QLabel(wordWrap=True)
        self.password = password_field()
        self.password_label = QLabel()
        self.password_label.setBuddy(self.password)
        self.error = error_label()
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Close)
        self.buttons.accepted.connect(self._check)
        self.buttons.rejected.connect(self.reject)
        form = QFormLayout()
        form.addRow(self.password_label, self.password)
        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(440)
        self.retranslate()

    def retranslate(self) -> None:
        tr = self.language.text
        self.setWindowTitle(tr("app.login.title"))
        self.intro.setText(tr("app.login.intro"))
        self.password_label.setText(tr("app.login.password"))
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(tr("app.login.unlock"))
        self.buttons.button(QDialogButtonBox.StandardButton.Close).setText(tr("app.button.quit"))

    def _check(self) -> None:
        typed = self.password.text()
        self.buttons.setEnabled(False)
        self.error.hide()
        self.tasks.write(lambda session: verify_parent_password(session, typed),
                         self._checked, self._failed, owner=self)

    def _checked(self, right: bool) -> None:
        self.buttons.setEnabled(True)
        if right:
            self.accept()
            return
        self.password.clear()
        self.password.setFocus()
        self._show(self.language.text("app.login.wrong"))

    def _failed(self, exc: BaseException) -> None:
        self.buttons.setEnabled(True)
        self._show(error_sentence(exc, self.language))

    def _show(self, message: str) -> None:
        self.error.setText(message)
        self.error.show()


class ChangePasswordDialog(QDialog):
    def __init__(self, language: Language, tasks: Tasks, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.language, self.tasks = language, tasks
        self.current = password_field()
        self.current_label = QLabel()
        self.current_label.setBuddy(self.current)
        self.new = NewPasswordFields(language)
        self.error = error_label()
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self._save)
        self.buttons.rejected.connect(self.reject)
        form = QFormLayout()
        form.addRow(self.current_label, self.current)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.new)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(480)
        self.retranslate()

    def retranslate(self) -> None:
        tr = self.language.text
        self.setWindowTitle(tr("app.password.change_title"))
        self.current_label.setText(tr("app.password.current"))
        self.new.retranslate()
        self.buttons.button(QDialogButtonBox.StandardButton.Save).setText(tr("app.button.save"))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(
            tr("app.button.cancel"))

    def _save(self) -> None:
        problem = self.new.problem()
        if problem:
            self._show(problem)
            return
        current, new = self.current.text(), self.new.password.text()
        self.buttons.setEnabled(False)
        self.tasks.write(lambda session: change_parent_password(session, current, new),
                         lambda _none: self.accept(), self._failed, owner=self)

    def _failed(self, exc: BaseException) -> None:
        self.buttons.setEnabled(True)
        if isinstance(exc, WrongPassword):
            self.current.clear()
            self.current.setFocus()
            self._show(self.language.text("app.password.wrong_current"))
        else:
            self._show(error_sentence(exc, self.language))

    def _show(self, message: str) -> None:
        self.error.setText(message)
        self.error.show()
