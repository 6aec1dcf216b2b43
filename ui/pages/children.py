"""Children: each child's profile, the preset their age picked, and how their traffic arrives.

A second tab holds the children's phones and tablets (`ui/pages/devices.py`).
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.orm import Session

from guardian.datadir import DataDir
from guardian.storage.policy_version import bump_policy_version
from guardian.storage.profiles import ProfileSummary, get_profile, profile_summaries
from ui.child_dialog import ChildDialog
from ui.child_form import ChildForm, store_child, suggest_port
from ui.language import Language
from ui.models.children_model import REACH, ChildrenModel
from ui.pages.devices import DevicesPanel
from ui.pages.page import Page
from ui.tasks import Tasks, error_sentence


def remove_child(session: Session, profile_id: int) -> None:
    """Remove a profile; its activity log stays, no longer linked to a child."""
    session.delete(get_profile(session, profile_id))
    bump_policy_version(session)


class ChildrenEditor(QWidget):
    """The children table with Add, Edit and Remove; shared by this page and the wizard."""

    children_changed = Signal()

    def __init__(self, language: Language, tasks: Tasks, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.language, self.tasks = language, tasks
        self.listen_port = 8080
        self.dialog: ChildDialog | None = None
        self.model = ChildrenModel(language, self)
        self.table = QTableView(self)
        self.table.setAlternatingRowColors(True)
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(REACH, QHeaderView.ResizeMode.Stretch)
        self.table.activated.connect(lambda _index: self.edit_selected())  # Enter, double-click
        QShortcut(QKeySequence(QKeySequence.StandardKey.Delete), self.table,
                  self.remove_selected, context=Qt.ShortcutContext.WidgetShortcut)
        self.add_button, self.edit_button = QPushButton(), QPushButton()
        self.remove_button = QPushButton()
        self.add_button.clicked.connect(self.add)
        self.edit_button.clicked.connect(self.edit_selected)
        self.remove_button.clicked.connect(self.remove_selected)
        buttons = QHBoxLayout()
        for button in (self.add_button, self.edit_button, self.remove_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(buttons)
        layout.addWidget(self.table)
        self.table.selectionModel().selectionChanged.connect(self._enable)
        self._enable()
        self.retranslate()

    @property
    def profiles(self) -> tuple[ProfileSummary, ...]:
        return tuple(self.model.rows)

    def retranslate(self) -> None:
        tr = self.language.text
        self.add_button.setText(tr("app.children.add"))
        self.edit_button.setText(tr("app.children.edit"))
        self.remove_button.setText(tr("app.children.remove"))
        self.model.retranslate()
        if self.dialog is not None:
            self.dialog.retranslate()

    def refresh(self) -> None:
        self.tasks.query(profile_summaries, self._loaded, owner=self)

    def _loaded(self, rows: list[ProfileSummary]) -> None:
        selected = self.selected()
        self.model.set_rows(rows)
        for number, row in enumerate(rows):
            if selected is not None and row.id == selected.id:
                self.table.selectRow(number)
        self._enable()

    def selected(self) -> ProfileSummary | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.row_at(rows[0].row()) if rows else None

    def add(self) -> None:
        taken = {port for child in self.profiles for port in child.ports}
        self._open(ChildDialog(self.language, suggested_port=suggest_port(taken, self.listen_port),
                               parent=self), None)

    def edit_selected(self) -> None:
        child = self.selected()
        if child is not None:
            self._open(ChildDialog(self.language, existing=child, parent=self), child.id)

    def _open(self, dialog: ChildDialog, profile_id: int | None) -> None:
        self.dialog = dialog
        dialog.form_submitted.connect(lambda form: self._store(dialog, form, profile_id))
        dialog.finished.connect(lambda _result: self._closed(dialog))
        dialog.open()

    def _closed(self, dialog: ChildDialog) -> None:
        if self.dialog is dialog:
            self.dialog = None
        dialog.deleteLater()

    def _store(self, dialog: ChildDialog, form: ChildForm, profile_id: int | None) -> None:
        def stored(_summary: ProfileSummary) -> None:
            dialog.accept()
            self.refresh()
            self.children_changed.emit()

        self.tasks.write(lambda session: store_child(session, form, profile_id), stored,
                         lambda exc: dialog.show_error(error_sentence(exc, self.language)),
                         owner=dialog)

    def remove_selected(self) -> None:
        child = self.selected()
        if child is None:
            return
        tr = self.language.text
        box = QMessageBox(QMessageBox.Icon.Question, tr("app.children.remove_title"),
                          tr("app.children.remove_question", name=child.name),
                          QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, self)
        box.button(QMessageBox.StandardButton.Yes).setText(tr("app.children.remove_confirm"))
        box.button(QMessageBox.StandardButton.No).setText(tr("app.button.cancel"))
        box.setDefaultButton(QMessageBox.StandardButton.No)
        box.finished.connect(lambda result: self._remove(child, result, box))
        box.open()

    def _remove(self, child: ProfileSummary, result: int, box: QMessageBox) -> None:
        box.deleteLater()
        if result != QMessageBox.StandardButton.Yes:
            return

        def removed(_none: None) -> None:
            self.refresh()
            self.children_changed.emit()

        self.tasks.write(lambda session: remove_child(session, child.id), removed, owner=self)

    def _enable(self) -> None:
        chosen = self.selected() is not None
        self.edit_button.setEnabled(chosen)
        self.remove_button.setEnabled(chosen)


class ChildrenPage(Page):
    TITLE_KEY = "app.nav.children"
    OBJECT_NAME = "children"
    children_changed = Signal()

    TABS = ("children", "devices")

    def __init__(self, language: Language, tasks: Tasks, data_dir: DataDir | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(language, parent)
        self.editor = ChildrenEditor(language, tasks, self)
        self.editor.children_changed.connect(self.children_changed)
        self.intro = QLabel(wordWrap=True)
        self.proxy_help = QLabel(wordWrap=True)
        self.proxy_help.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self._host, self._port = "127.0.0.1", 8080
        children = QWidget(self)
        column = QVBoxLayout(children)
        column.addWidget(self.intro)
        column.addWidget(self.editor, 1)
        column.addWidget(self.proxy_help)
        self.devices = DevicesPanel(language, tasks, data_dir, self) if data_dir else None
        self.tabs = QTabWidget(self)
        self.tabs.addTab(children, "")
        if self.devices is not None:
            self.tabs.addTab(self.devices, "")
            self.tabs.currentChanged.connect(lambda _i: self.refresh())
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.tabs)
        self.retranslate()

    def show_tab(self, name: str) -> None:
        self.tabs.setCurrentIndex(self.TABS.index(name))

    def set_filter_address(self, host: str, port: int) -> None:
        self._host, self._port = host, port
        self.editor.listen_port = port
        self.retranslate()

    def retranslate(self) -> None:
        tr = self.language.text
        self.intro.setText(tr("app.children.intro"))
        self.proxy_help.setText(tr("app.children.proxy_help", host=self._host, port=self._port))
        for number in range(self.tabs.count()):
            self.tabs.setTabText(number, tr(f"app.children.tab.{self.TABS[number]}"))
        self.editor.retranslate()
        if self.devices is not None:
            self.devices.retranslate()

    def refresh(self) -> None:
        self.editor.refresh()
        if self.devices is not None and self.tabs.currentWidget() is self.devices:
            self.devices.refresh()
