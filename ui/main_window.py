"""The main window: a list of pages on the left, the page on the right, the filter below.

Pages are added with `add_page(page)`, one line each in `ui/app.py`; each gets
a navigation entry and the shortcut Ctrl+<its number> (Ctrl+0 for the tenth).
F5 reloads the page shown. A page reloads its data whenever it is shown.
"""

from __future__ import annotations

from PySide6.QtCore import QSize
from PySide6.QtGui import QCloseEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QStackedWidget,
    QWidget,
)

from ui.language import Language
from ui.pages.page import Page
from ui.prefs import UiPrefs
from ui.styles import ERROR_STYLE
from ui.supervisor import FilterState, FilterStatus

MESSAGE_MS = 10_000
NAV_WIDTH = 210


class MainWindow(QMainWindow):
    def __init__(self, language: Language, prefs: UiPrefs,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.language, self.prefs = language, prefs
        self.setObjectName("main_window")
        self.pages: list[Page] = []
        self.navigation = QListWidget()
        self.navigation.setFixedWidth(NAV_WIDTH)
        self.navigation.setIconSize(QSize(0, 0))
        self.navigation.setSpacing(2)
        self.navigation.setStyleSheet("QListWidget::item { padding: 8px 10px; }")
        self.stack = QStackedWidget()
        self.navigation.currentRowChanged.connect(self._show_page)
        central = QWidget()
        layout = QHBoxLayout(central)
        layout.addWidget(self.navigation)
        layout.addWidget(self.stack, 1)
        self.setCentralWidget(central)
        self.filter_status = QLabel()
        self.statusBar().addPermanentWidget(self.filter_status)
        QShortcut(QKeySequence("F5"), self, self.refresh_current)
        self._filter_state: FilterState | None = None
        self.resize(1280, 720)
        if prefs.window_geometry is not None:
            self.restoreGeometry(prefs.window_geometry)
        self.retranslate()

    def add_page(self, page: Page) -> None:
        number = len(self.pages) + 1
        self.pages.append(page)
        self.stack.addWidget(page)
        item = QListWidgetItem(page.title)
        self.navigation.addItem(item)
        if number <= 10:  # Ctrl+1 ... Ctrl+9, then Ctrl+0 for the tenth
            key = f"Ctrl+{number % 10}"
            QShortcut(QKeySequence(key), self,
                      lambda row=number - 1: self.navigation.setCurrentRow(row))
            item.setToolTip(key)

    def show_page(self, object_name: str) -> Page:
        for row, page in enumerate(self.pages):
            if page.objectName() == object_name:
                self.navigation.setCurrentRow(row)
                return page
        raise KeyError(object_name)

    def current_page(self) -> Page | None:
        widget = self.stack.currentWidget()
        return widget if isinstance(widget, Page) else None

    def open_last_page(self) -> None:
        last = self.prefs.last_page
        self.navigation.setCurrentRow(last if last < len(self.pages) else 0)
        self.navigation.setFocus()

    def _show_page(self, row: int) -> None:
        if 0 <= row < len(self.pages):
            self.stack.setCurrentIndex(row)
            self.pages[row].refresh()

    def refresh_current(self) -> None:
        page = self.current_page()
        if page is not None:
            page.refresh()

    def retranslate(self) -> None:
        self.setWindowTitle(self.language.text("app.title"))
        for row, page in enumerate(self.pages):
            self.navigation.item(row).setText(page.title)
            page.retranslate()
        if self._filter_state is not None:
            self.show_filter_state(self._filter_state)

    def show_filter_state(self, state: FilterState) -> None:
        self._filter_state = state
        text = self.language.text(f"app.filter.short.{state.status.value}", address=state.address)
        if state.health is not None and not state.health.ok:
            text += " · " + self.language.text("app.filter.short.policy_unavailable")
        self.filter_status.setText(text)
        up = state.status in (FilterStatus.RUNNING, FilterStatus.ATTACHED)
        self.filter_status.setStyleSheet("" if up else ERROR_STYLE)

    def show_message(self, message: str) -> None:
        self.statusBar().showMessage(message, MESSAGE_MS)

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802
        self.prefs.window_geometry = self.saveGeometry()
        self.prefs.last_page = max(0, self.navigation.currentRow())
        self.prefs.sync()
        super().closeEvent(event)

    def sizeHint(self) -> QSize:  # noqa: N802
        return QSize(1280, 720)

