"""Importing a category list from a file, a UT1 folder or an http(s) address."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from guardian.categories import CATEGORIES
from guardian.list_import import FORMATS, is_url
from ui.language import Language
from ui.styles import error_label


@dataclass(frozen=True, slots=True)
class ListImportForm:
    location: str
    category: str
    format: str


class ListImportDialog(QDialog):
    form_submitted = Signal(object)  # ListImportForm

    def __init__(self, language: Language, *, from_url: bool,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.language, self.from_url = language, from_url
        self.setMinimumWidth(620)
        self.location = QLineEdit()
        self.browse_file, self.browse_folder = QPushButton(), QPushButton()
        self.browse_file.clicked.connect(self._choose_file)
        self.browse_folder.clicked.connect(self._choose_folder)
        self.category = QComboBox()
        for code in CATEGORIES:
            self.category.addItem("", code)
        self.format = QComboBox()
        for fmt in FORMATS:
            self.format.addItem("", fmt)
        self.location_label, self.category_label = QLabel(), QLabel()
        self.format_label = QLabel()
        for label, field in ((self.location_label, self.location),
                             (self.category_label, self.category),
                             (self.format_label, self.format)):
            label.setBuddy(field)
        self.help = QLabel(wordWrap=True)
        self.progress = QLabel(wordWrap=True)
        self.progress.hide()
        self.error = error_label()
        location = QHBoxLayout()
        location.addWidget(self.location, 1)
        if not from_url:
            location.addWidget(self.browse_file)
            location.addWidget(self.browse_folder)
        form = QFormLayout()
        form.addRow(self.location_label, location)
        form.addRow(self.category_label, self.category)
        form.addRow(self.format_label, self.format)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self._submit)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.help)
        layout.addLayout(form)
        layout.addWidget(self.progress)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        self.retranslate()

    def retranslate(self) -> None:
        tr = self.language.text
        kind = "url" if self.from_url else "file"
        self.setWindowTitle(tr(f"app.lists.import_{kind}_title"))
        self.help.setText(tr(f"app.lists.import_{kind}_help"))
        self.location_label.setText(tr(f"app.lists.location_{kind}"))
        self.location.setPlaceholderText(tr(f"app.lists.location_{kind}_placeholder"))
        self.browse_file.setText(tr("app.lists.browse_file"))
        self.browse_folder.setText(tr("app.lists.browse_folder"))
        self.category_label.setText(tr("app.lists.category"))
        for index, code in enumerate(CATEGORIES):
            self.category.setItemText(index, self.language.category(code))
        self.format_label.setText(tr("app.lists.format"))
        for index, fmt in enumerate(FORMATS):
            self.format.setItemText(index, tr(f"app.lists.format_{fmt}"))
        self.progress.setText(tr("app.lists.importing"))
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(tr("app.lists.import"))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(
            tr("app.button.cancel"))

    def show_error(self, message: str) -> None:
        self.progress.hide()
        self.error.setText(message)
        self.error.show()
        self.buttons.setEnabled(True)

    def _choose_file(self) -> None:
        title = self.language.text("app.lists.browse_file")
        path, _filter = QFileDialog.getOpenFileName(self, title)
        if path:
            self.location.setText(path)

    def _choose_folder(self) -> None:
        path = QFileDialog.getExistingDirectory(self, self.language.text("app.lists.browse_folder"))
        if path:
            self.location.setText(path)
            self.format.setCurrentIndex(max(0, self.format.findData("ut1")))

    def _submit(self) -> None:
        location = self.location.text().strip()
        if not location or (self.from_url and not is_url(location)):
            self.show_error(self.language.text(
                "app.lists.error_url" if self.from_url else "app.lists.error_file"))
            return
        self.error.hide()
        self.progress.show()
        self.buttons.setEnabled(False)
        self.form_submitted.emit(ListImportForm(
            location, str(self.category.currentData()), str(self.format.currentData())))
