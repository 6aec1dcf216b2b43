"""Adding or editing a child: name, age (and the preset it picks), language, how traffic arrives.

The dialog checks what it can by itself (a name, port numbers, addresses) and
reports `form_submitted`; whoever opened it stores the form on a worker and
then calls `accept()` or `show_error()`, so a refusal from the database (a
name or port already taken) is shown here, with the form still filled in.
"""

from __future__ import annotations

import ipaddress

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QLabel,
    QLineEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from guardian.categories import CATEGORIES
from guardian.i18n import LANGUAGES
from guardian.presets import preset_for_age
from guardian.storage.profiles import MAX_NAME_LENGTH, ProfileSummary
from ui.child_form import ChildForm
from ui.language import Language
from ui.models.children_model import preset_text
from ui.styles import error_label


class ChildDialog(QDialog):
    form_submitted = Signal(object)  # ChildForm

    def __init__(self, language: Language, *, existing: ProfileSummary | None = None,
                 suggested_port: int | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.language = language
        self.existing = existing
        self.setMinimumWidth(640)

        self.name = QLineEdit(maxLength=MAX_NAME_LENGTH)
        self.age = QSpinBox(minimum=0, maximum=129, value=9)
        self.preset = QLabel(wordWrap=True)
        self.child_language = QComboBox()
        for code in LANGUAGES:
            self.child_language.addItem(language.language_name(code), code)
        self.ports = QLineEdit()
        self.clients = QLineEdit()
        self.default = QCheckBox()
        self.reset = QCheckBox()
        self.reach_help = QLabel(wordWrap=True)
        self.reach_warning = QLabel(wordWrap=True)
        self.error = error_label()

        self.name_label, self.age_label, self.language_label = QLabel(), QLabel(), QLabel()
        self.ports_label, self.clients_label = QLabel(), QLabel()
        for label, field in ((self.name_label, self.name), (self.age_label, self.age),
                             (self.language_label, self.child_language),
                             (self.ports_label, self.ports), (self.clients_label, self.clients)):
            label.setBuddy(field)

        about = QFormLayout()
        about.addRow(self.name_label, self.name)
        about.addRow(self.age_label, self.age)
        about.addRow(self.preset)
        about.addRow(self.language_label, self.child_language)
        about.addRow("", self.reset)
        self.reach_box = QGroupBox()
        reach = QFormLayout(self.reach_box)
        reach.addRow(self.reach_help)
        reach.addRow(self.ports_label, self.ports)
        reach.addRow(self.clients_label, self.clients)
        reach.addRow(self.default)
        reach.addRow(self.reach_warning)

        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self._submit)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(about)
        layout.addWidget(self.reach_box)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)

        self.age.valueChanged.connect(self._show_preset)
        for signal in (self.ports.textChanged, self.clients.textChanged):
            signal.connect(self._show_reach_warning)
        self.default.toggled.connect(self._show_reach_warning)
        self._fill(existing, suggested_port)
        self.retranslate()

    def _fill(self, existing: ProfileSummary | None, suggested_port: int | None) -> None:
        self.reset.setVisible(existing is not None)
        if existing is None:
            self.ports.setText(str(suggested_port) if suggested_port else "")
            return
        self.name.setText(existing.name)
        self.age.setValue(existing.age)
        self.child_language.setCurrentIndex(max(0, self.child_language.findData(existing.language)))
        self.ports.setText(", ".join(str(p) for p in existing.ports))
        self.clients.setText(", ".join(existing.clients))
        self.default.setChecked(existing.is_default)

    def retranslate(self) -> None:
        tr = self.language.text
        self.setWindowTitle(tr("app.child.title_edit" if self.existing else "app.child.title_add"))
        self.name_label.setText(tr("app.child.name"))
        self.age_label.setText(tr("app.child.age"))
        self.language_label.setText(tr("app.child.language"))
        self.reach_box.setTitle(tr("app.child.reach"))
        self.reach_help.setText(tr("app.child.reach_help"))
        self.ports_label.setText(tr("app.child.ports"))
        self.ports.setPlaceholderText(tr("app.child.ports_placeholder"))
        self.clients_label.setText(tr("app.child.clients"))
        self.clients.setPlaceholderText(tr("app.child.clients_placeholder"))
        self.default.setText(tr("app.child.default"))
        self.reset.setText(tr("app.child.reset_preset"))
        self.buttons.button(QDialogButtonBox.StandardButton.Save).setText(tr("app.button.save"))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(
            tr("app.button.cancel"))
        self._show_preset()
        self._show_reach_warning()

    def _show_preset(self) -> None:
        age = self.age.value()
        blocked = preset_for_age(age).blocked_categories
        names = ", ".join(self.language.category(c) for c in CATEGORIES if c in blocked)
        self.preset.setText(self.language.text(
            "app.child.preset", preset=preset_text(self.language, age), categories=names))
        if self.isVisible():
            self.adjustSize()  # the list of categories grows and shrinks with the age

    def _show_reach_warning(self) -> None:
        empty = not (self.ports.text().strip() or self.clients.text().strip()
                     or self.default.isChecked())
        self.reach_warning.setText(self.language.text("app.child.no_reach") if empty else "")
        self.reach_warning.setVisible(empty)

    def form(self) -> ChildForm:
        """The form as filled in; raises ValueError with a sentence for the parent."""
        tr = self.language.text
        name = self.name.text().strip()
        if not name:
            raise ValueError(tr("app.child.error_name"))
        ports: list[int] = []
        for word in _words(self.ports.text()):
            if not word.isdigit() or not 1 <= int(word) <= 65535:
                raise ValueError(tr("app.child.error_port", port=word))
            ports.append(int(word))
        clients: list[str] = []
        for word in _words(self.clients.text()):
            try:
                ipaddress.ip_network(word, strict=False)
            except ValueError:
                raise ValueError(tr("app.child.error_client", client=word)) from None
            clients.append(word)
        return ChildForm(
            name=name, age=self.age.value(), language=str(self.child_language.currentData()),
            ports=tuple(dict.fromkeys(ports)), clients=tuple(dict.fromkeys(clients)),
            default=self.default.isChecked(),
            reset_categories=self.reset.isChecked() and self.existing is not None,
        )

    def show_error(self, message: str) -> None:
        self.error.setText(message)
        self.error.show()
        self.buttons.setEnabled(True)

    def _submit(self) -> None:
        try:
            form = self.form()
        except ValueError as exc:
            self.show_error(str(exc))
            return
        self.error.hide()
        self.buttons.setEnabled(False)  # until the caller accepts or shows an error
        self.form_submitted.emit(form)


def _words(text: str) -> list[str]:
    return [word for word in text.replace(";", ",").replace(" ", ",").split(",") if word]
