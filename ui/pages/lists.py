"""Lists: the category lists imported, importing one from a file or address, updating one."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from guardian.datadir import DataDir
from guardian.known_sites import known_count
from guardian.list_import import ImportedList, ImportResult, import_list, imported_lists
from ui.language import Language
from ui.list_import_dialog import ListImportDialog, ListImportForm
from ui.models import lists_model as columns
from ui.models.lists_model import ListsModel
from ui.pages.page import Page
from ui.styles import ERROR_STYLE
from ui.tasks import Tasks, error_sentence


class ListsPage(Page):
    TITLE_KEY = "app.nav.lists"
    OBJECT_NAME = "lists"
    lists_imported = Signal()

    def __init__(self, language: Language, tasks: Tasks, data_dir: DataDir,
                 parent: QWidget | None = None) -> None:
        super().__init__(language, parent)
        self.tasks, self.data_dir = tasks, data_dir
        self.dialog: ListImportDialog | None = None
        self.intro = QLabel(wordWrap=True)
        self.builtin = QLabel(wordWrap=True)
        self.model = ListsModel(language, self)
        self.table = QTableView(self)
        self.table.setAlternatingRowColors(True)
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(columns.LOCATION, QHeaderView.ResizeMode.Stretch)
        self.from_file, self.from_url = QPushButton(), QPushButton()
        self.update_button = QPushButton()
        self.from_file.clicked.connect(lambda: self.open_import(from_url=False))
        self.from_url.clicked.connect(lambda: self.open_import(from_url=True))
        self.update_button.clicked.connect(self.update_selected)
        self.table.selectionModel().selectionChanged.connect(self._enable)
        self.result = QLabel(wordWrap=True)
        self.empty = QLabel(wordWrap=True)
        buttons = QHBoxLayout()
        for button in (self.from_file, self.from_url, self.update_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addWidget(self.builtin)
        layout.addLayout(buttons)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.empty)
        layout.addWidget(self.result)
        self._enable()
        self.retranslate()

    def retranslate(self) -> None:
        tr = self.language.text
        self.intro.setText(tr("app.lists.intro"))
        self.builtin.setText(tr("app.lists.builtin", count=known_count()))
        self.from_file.setText(tr("app.lists.from_file"))
        self.from_url.setText(tr("app.lists.from_url"))
        self.update_button.setText(tr("app.lists.update"))
        self.empty.setText(tr("app.lists.empty"))
        self.model.retranslate()
        if self.dialog is not None:
            self.dialog.retranslate()

    def refresh(self) -> None:
        self.tasks.query(imported_lists, self._loaded, owner=self)

    def _loaded(self, rows: list[ImportedList]) -> None:
        self.model.set_rows(rows)
        self.empty.setVisible(not rows)
        self._enable()

    def selected(self) -> ImportedList | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.row_at(rows[0].row()) if rows else None

    def open_import(self, *, from_url: bool) -> ListImportDialog:
        dialog = ListImportDialog(self.language, from_url=from_url, parent=self)
        self.dialog = dialog
        dialog.form_submitted.connect(lambda form: self._import(form, dialog))
        dialog.finished.connect(lambda _result: self._closed(dialog))
        dialog.open()
        return dialog

    def _closed(self, dialog: ListImportDialog) -> None:
        if self.dialog is dialog:
            self.dialog = None
        dialog.deleteLater()

    def update_selected(self) -> None:
        chosen = self.selected()
        if chosen is None:
            return
        self.update_button.setEnabled(False)
        self.result.setStyleSheet("")
        self.result.setText(self.language.text("app.lists.updating", location=chosen.location))
        self._import(ListImportForm(chosen.location, chosen.category, chosen.format), None)

    def _import(self, form: ListImportForm, dialog: ListImportDialog | None) -> None:
        data_dir = self.data_dir

        def done(result: ImportResult) -> None:
            if dialog is not None:
                dialog.accept()
            self._show_result(result)
            self._enable()
            self.refresh()
            self.lists_imported.emit()

        def failed(exc: BaseException) -> None:
            if dialog is not None:
                dialog.show_error(error_sentence(exc, self.language))
            else:
                self.result.setStyleSheet(ERROR_STYLE)
                self.result.setText(error_sentence(exc, self.language))
            self._enable()

        self.tasks.serial(
            lambda db: import_list(data_dir, db, form.location, form.category, form.format),
            done, failed, owner=self)

    def _show_result(self, result: ImportResult) -> None:
        tr = self.language.text
        lines = [tr("app.lists.imported", domains=f"{result.domains:,}", urls=f"{result.urls:,}",
                    category=self.language.category(result.category),
                    format=self.language.tr_known((f"app.lists.format_{result.format}",),
                                                  result.format))]
        if result.unsupported_lines:
            lines.append(tr("app.lists.unsupported", count=f"{result.unsupported_lines:,}"))
        if result.bad_lines:
            examples = "; ".join(f"{bad.file}:{bad.line} {bad.text}"
                                 for bad in result.bad_examples[:3])
            lines.append(tr("app.lists.bad_lines", count=f"{result.bad_lines:,}",
                            examples=examples))
        self.result.setStyleSheet("")
        self.result.setText("\n".join(lines))

    def _enable(self) -> None:
        self.update_button.setEnabled(self.selected() is not None)
