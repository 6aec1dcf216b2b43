"""Activity: the request log, filtered and sorted in the database, loaded a page at a time.

Each change of a filter starts a new query (a generation number drops the
answers of the old ones); scrolling near the end loads the next page after the
last row shown (keyset on time and id), so a log of a million rows opens as
fast as one of a hundred and nothing here waits for the database.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, time, timedelta

from PySide6.QtCore import QDate, Qt, QTimer
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDateEdit,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from guardian.storage.activity import ActivityCursor, ActivityQuery, activity_page
from guardian.storage.activity import ActivityPage as LogPage
from guardian.storage.profiles import ProfileSummary, profile_summaries
from ui.language import Language
from ui.models import activity_model as columns
from ui.models.activity_model import ActivityModel
from ui.pages.page import Page
from ui.tasks import Tasks, error_sentence

PAGE_SIZE = 500
SEARCH_DELAY_MS = 300
PERIODS = ("all", "today", "week", "month", "custom")
COLUMN_WIDTHS = {columns.TIME: 140, columns.CHILD: 90, columns.DECISION: 80,
                 columns.HOST: 200, columns.PATH: 200, columns.REASON: 190, columns.METHOD: 70,
                 columns.STATUS: 60, columns.SIZE: 70}


def _local_day_start(day: QDate) -> datetime:
    return datetime.combine(date(day.year(), day.month(), day.day()), time()).astimezone()


class ActivityLogPage(Page):
    TITLE_KEY = "app.nav.activity"
    OBJECT_NAME = "activity"

    def __init__(self, language: Language, tasks: Tasks, parent: QWidget | None = None) -> None:
        super().__init__(language, parent)
        self.tasks = tasks
        self._generation = 0
        self._query = ActivityQuery()
        self._cursor: ActivityCursor | None = None

        self.child, self.decision, self.period = QComboBox(), QComboBox(), QComboBox()
        self.search = QLineEdit(clearButtonEnabled=True)
        self.search.setMinimumWidth(200)
        today = QDate.currentDate()
        self.since, self.until = QDateEdit(today.addDays(-7)), QDateEdit(today)
        for edit in (self.since, self.until):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("yyyy-MM-dd")
        self.child_label, self.decision_label = QLabel(), QLabel()
        self.period_label, self.search_label = QLabel(), QLabel()
        for label, field in ((self.child_label, self.child),
                             (self.decision_label, self.decision),
                             (self.period_label, self.period), (self.search_label, self.search)):
            label.setBuddy(field)
        self.search_timer = QTimer(self)
        self.search_timer.setSingleShot(True)
        self.search_timer.setInterval(SEARCH_DELAY_MS)
        self.search_timer.timeout.connect(self.reload)
        self.search.textChanged.connect(lambda _text: self.search_timer.start())
        self.search.returnPressed.connect(self.reload)
        for combo in (self.child, self.decision):
            combo.currentIndexChanged.connect(lambda _i: self.reload())
        self.period.currentIndexChanged.connect(self._period_changed)
        self.since.dateChanged.connect(lambda _d: self.reload())
        self.until.dateChanged.connect(lambda _d: self.reload())

        self.model = ActivityModel(language, self)
        self.model.more_wanted.connect(self._load_more)
        self.table = QTableView(self)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setHorizontalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.table.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 8)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        for column, width in COLUMN_WIDTHS.items():
            header.resizeSection(column, width)
        header.setSectionResizeMode(columns.PATH, QHeaderView.ResizeMode.Stretch)
        header.setSortIndicatorShown(True)
        header.setSortIndicator(columns.TIME, Qt.SortOrder.DescendingOrder)
        header.sectionClicked.connect(self._header_clicked)
        self.status = QLabel()
        QShortcut(QKeySequence(QKeySequence.StandardKey.Find), self, self.search.setFocus)

        filters = QHBoxLayout()
        for widget in (self.child_label, self.child, self.decision_label, self.decision,
                       self.period_label, self.period, self.since, self.until,
                       self.search_label):
            filters.addWidget(widget)
        filters.addWidget(self.search, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(filters)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.status)
        self._fill_choices()
        self._period_changed()
        self.retranslate()

    @property
    def query(self) -> ActivityQuery:
        return self._query

    def _fill_choices(self) -> None:
        for combo, values in ((self.decision, (None, "allow", "block")), (self.period, PERIODS)):
            combo.blockSignals(True)
            for value in values:
                combo.addItem("", value)
            combo.blockSignals(False)
        self.child.blockSignals(True)
        self.child.addItem("", None)
        self.child.blockSignals(False)

    def retranslate(self) -> None:
        tr = self.language.text
        self.child_label.setText(tr("app.activity.child"))
        self.decision_label.setText(tr("app.activity.decision"))
        self.period_label.setText(tr("app.activity.period"))
        self.search_label.setText(tr("app.activity.search"))
        self.search.setPlaceholderText(tr("app.activity.search_placeholder"))
        self.child.setItemText(0, tr("app.activity.all_children"))
        for index, key in enumerate(("all", "allow", "block")):
            self.decision.setItemText(index, tr(f"app.activity.decision_{key}"))
        for index, key in enumerate(PERIODS):
            self.period.setItemText(index, tr(f"app.activity.period_{key}"))
        self.since.setToolTip(tr("app.activity.since"))
        self.until.setToolTip(tr("app.activity.until"))
        self.model.retranslate()
        self._fit_headers()
        self._show_status()

    def _fit_headers(self) -> None:
        """Widen a column whose header, in this language, is wider than the column."""
        header = self.table.horizontalHeader()
        metrics = header.fontMetrics()
        for column, width in COLUMN_WIDTHS.items():
            title = str(self.model.headerData(column, Qt.Orientation.Horizontal))
            header.resizeSection(column, max(width, metrics.horizontalAdvance(title) + 28))

    def refresh(self) -> None:
        """Reload the children for the filter, then the rows."""
        self.tasks.query(profile_summaries, self._children_loaded, owner=self)

    def _children_loaded(self, children: list[ProfileSummary]) -> None:
        chosen = self.child.currentData()
        self.child.blockSignals(True)
        while self.child.count() > 1:
            self.child.removeItem(1)
        for summary in children:
            self.child.addItem(summary.name, summary.id)
        index = self.child.findData(chosen) if chosen is not None else 0
        self.child.setCurrentIndex(max(index, 0))
        self.child.blockSignals(False)
        self.reload()

    def _period_changed(self) -> None:
        custom = self.period.currentData() == "custom"
        self.since.setVisible(custom)
        self.until.setVisible(custom)
        self.reload()

    def _header_clicked(self, column: int) -> None:
        header = self.table.horizontalHeader()
        newest_first = not self._query.newest_first if column == columns.TIME else (
            self._query.newest_first)
        order = Qt.SortOrder.DescendingOrder if newest_first else Qt.SortOrder.AscendingOrder
        header.setSortIndicator(columns.TIME, order)  # only time is sorted, in the database
        if newest_first != self._query.newest_first:
            self._query = replace(self._query, newest_first=newest_first)
            self.reload()

    def build_query(self) -> ActivityQuery:
        since = until = None
        today = QDate.currentDate()
        period = self.period.currentData()
        if period == "today":
            since = _local_day_start(today)
        elif period == "week":
            since = _local_day_start(today.addDays(-6))
        elif period == "month":
            since = _local_day_start(today.addDays(-29))
        elif period == "custom":
            since = _local_day_start(self.since.date())
            until = _local_day_start(self.until.date()) + timedelta(days=1)
        child = self.child.currentData()
        return ActivityQuery(
            profile_id=int(child) if child is not None else None,
            decision=self.decision.currentData(), text=self.search.text().strip(),
            since=since, until=until, newest_first=self._query.newest_first,
        )

    def reload(self) -> None:
        self.search_timer.stop()
        self._query = self.build_query()
        self._generation += 1
        self._cursor = None
        self.model.set_rows([])
        self.model.set_loading(True)
        self._fetch(None)

    def _load_more(self) -> None:
        if self._cursor is not None:
            self._fetch(self._cursor)

    def _fetch(self, after: ActivityCursor | None) -> None:
        query, generation = self._query, self._generation
        self._show_status(loading=True)
        self.tasks.query(lambda session: activity_page(session, query, after, PAGE_SIZE),
                         lambda page: self._page_loaded(generation, after, page),
                         lambda exc: self._failed(generation, exc), owner=self)

    def _page_loaded(self, generation: int, after: ActivityCursor | None,
                     page: LogPage) -> None:
        if generation != self._generation:
            return  # an answer to filters the parent has changed since
        self._cursor = page.next_cursor
        has_more = page.next_cursor is not None
        if after is None:
            self.model.set_rows(page.records, has_more)
        else:
            self.model.append_rows(page.records, has_more)
        self._show_status()

    def _failed(self, generation: int, exc: BaseException) -> None:
        if generation == self._generation:
            self.model.set_loading(False)
            self.status.setText(error_sentence(exc, self.language))

    def _show_status(self, loading: bool = False) -> None:
        tr = self.language.text
        count = self.model.rowCount()
        if loading:
            text = tr("app.activity.loading")
        elif count == 0:
            text = tr("app.activity.empty")
        elif self.model.has_more:
            text = tr("app.activity.shown_more", count=f"{count:,}")
        else:
            text = tr("app.activity.shown_all", count=f"{count:,}")
        self.status.setText(text)
