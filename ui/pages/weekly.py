"""Weekly summary: one child's week as the parent report shows it, saved as HTML or PDF.

The summary is computed on a worker (`weekly_summary` reads the rollups); a
generation number drops the answers to a child or week chosen before the last
one. Files are written on a worker too; the file name is chosen by a dialog in
`choose_file()`, and `save_html(path)` / `save_pdf(path)` do the rest.
"""

from __future__ import annotations

from datetime import UTC, datetime
from html import escape
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFileDialog,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QScrollArea,
    QTableView,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.orm import Session

from guardian.reports import IsoWeek, ReportText, WeeklySummary, weekly_summary
from guardian.reports.charts import days_chart
from guardian.reports.html_export import render_html
from guardian.reports.pdf_export import render_pdf
from guardian.storage.profiles import ProfileSummary, profile_summaries
from guardian.storage.settings import HOUSEHOLD_TIMEZONE, get_setting
from guardian.zones import household_zone
from ui.language import Language
from ui.models.weekly_models import BlockGroupModel, CategoryTimeModel, SiteTimeModel
from ui.pages.page import Page
from ui.tasks import Tasks, error_sentence
from ui.widgets.week_chart import ChartWidget

TABLE_ROWS = 6


def _table(model: Any, stretch: int = 0) -> QTableView:
    table = QTableView()
    table.setModel(model)
    table.setAlternatingRowColors(True)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.verticalHeader().hide()
    header = table.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    header.setSectionResizeMode(stretch, QHeaderView.ResizeMode.Stretch)
    row = table.fontMetrics().height() + 8
    table.verticalHeader().setDefaultSectionSize(row)
    table.setFixedHeight(row * TABLE_ROWS + header.sizeHint().height() + 4)
    return table


def _label() -> QLabel:
    label = QLabel()
    label.setWordWrap(True)
    label.setTextFormat(Qt.TextFormat.RichText)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return label


def _html_table(headers: list[str], rows: list[list[str]]) -> str:
    head = "".join(f"<th align=left>{escape(h)}</th>" for h in headers)
    body = "".join("<tr>" + "".join(f"<td>{escape(c)}</td>" for c in row) + "</tr>"
                   for row in rows)
    return f"<table cellspacing=0 cellpadding=3><tr>{head}</tr>{body}</table>"


def compute_summary(session: Session, profile_id: int, week: IsoWeek | None,
                    language: str) -> WeeklySummary:
    """The child's summary of `week`; None: the last complete week in the household's zone."""
    zone = household_zone(get_setting(session, HOUSEHOLD_TIMEZONE))
    now = datetime.now(UTC)
    return weekly_summary(session, profile_id, week or IsoWeek.last_complete(now, zone), zone,
                          language, now)


class WeeklyPage(Page):
    TITLE_KEY = "app.weekly.title"
    OBJECT_NAME = "weekly"
    summary_shown = Signal(object)
    file_saved = Signal(str)

    def __init__(self, language: Language, tasks: Tasks, parent: QWidget | None = None) -> None:
        super().__init__(language, parent)
        self.tasks = tasks
        self._generation = 0
        self._summary: WeeklySummary | None = None
        self.week: IsoWeek | None = None  # until the first summary: the last complete week

        self.child = QComboBox()
        self.child.currentIndexChanged.connect(lambda _i: self.reload())
        self.child_label = QLabel()
        self.child_label.setBuddy(self.child)
        self.previous_button, self.next_button = QPushButton("◀"), QPushButton("▶")
        self.previous_button.clicked.connect(lambda: self.step_week(-1))
        self.next_button.clicked.connect(lambda: self.step_week(1))
        for button in (self.previous_button, self.next_button):
            button.setMaximumWidth(44)
        self.week_label = QLabel()
        self.week_label.setMinimumWidth(220)
        self.week_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.save_html_button, self.save_pdf_button = QPushButton(), QPushButton()
        self.save_html_button.clicked.connect(lambda: self.choose_file("html"))
        self.save_pdf_button.clicked.connect(lambda: self.choose_file("pdf"))
        bar = QHBoxLayout()
        for widget in (self.child_label, self.child, self.previous_button, self.week_label,
                       self.next_button):
            bar.addWidget(widget)
        bar.addStretch(1)
        bar.addWidget(self.save_html_button)
        bar.addWidget(self.save_pdf_button)

        self.heading = _label()
        self.change = _label()
        self.chart = ChartWidget()
        self.categories = CategoryTimeModel(language, self)
        self.sites_by_time = SiteTimeModel(language, self)
        self.sites_by_visits = SiteTimeModel(language, self)
        self.blocks = BlockGroupModel(language, self)
        self.tables = {name: _table(model, stretch) for name, model, stretch in (
            ("categories", self.categories, 0), ("by_time", self.sites_by_time, 0),
            ("by_visits", self.sites_by_visits, 0), ("blocks", self.blocks, 3))}
        self.titles = {name: QLabel() for name in (
            "days", "categories", "by_time", "by_visits", "blocks", "limits", "searches",
            "requests", "reports", "talk")}
        for title in self.titles.values():
            font = title.font()
            font.setBold(True)
            title.setFont(font)
        self.prompts, self.limits, self.searches = _label(), _label(), _label()
        self.requests, self.reports = _label(), _label()

        content = QWidget()
        grid = QGridLayout(content)
        grid.addWidget(self.heading, 0, 0, 1, 2)
        grid.addWidget(self.change, 1, 0, 1, 2)
        grid.addWidget(self.titles["days"], 2, 0)
        grid.addWidget(self.chart, 3, 0)
        talk = QVBoxLayout()
        talk.addWidget(self.titles["talk"])
        talk.addWidget(self.prompts)
        talk.addStretch(1)
        grid.addLayout(talk, 2, 1, 2, 1)
        row = 4
        for left, right in (("categories", "blocks"), ("by_time", "by_visits")):
            for column, name in ((0, left), (1, right)):
                grid.addWidget(self.titles[name], row, column)
                grid.addWidget(self.tables[name], row + 1, column)
            row += 2
        for left, right in (("limits", "searches"), ("requests", "reports")):
            for column, (name, label) in ((0, (left, getattr(self, left))),
                                          (1, (right, getattr(self, right)))):
                grid.addWidget(self.titles[name], row, column)
                grid.addWidget(label, row + 1, column, Qt.AlignmentFlag.AlignTop)
            row += 2
        grid.setColumnStretch(0, 3)
        grid.setColumnStretch(1, 2)
        grid.setRowStretch(row, 1)
        self.scroll_area = QScrollArea()
        self.scroll_area.setWidgetResizable(True)
        self.scroll_area.setWidget(content)
        self.status = QLabel()

        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.scroll_area, 1)
        layout.addWidget(self.status)
        self.retranslate()

    @property
    def summary(self) -> WeeklySummary | None:
        return self._summary

    def retranslate(self) -> None:
        tr, text = self.language.text, ReportText(self.language.code)
        self.child_label.setText(tr("app.weekly.child"))
        self.previous_button.setToolTip(tr("app.weekly.previous"))
        self.next_button.setToolTip(tr("app.weekly.next"))
        self.save_html_button.setText(tr("app.weekly.save_html"))
        self.save_pdf_button.setText(tr("app.weekly.save_pdf"))
        for name, key in (("days", "section.days"), ("categories", "section.categories"),
                          ("by_time", "sites.by_time"), ("by_visits", "sites.by_visits"),
                          ("blocks", "section.blocks"), ("limits", "section.limits"),
                          ("searches", "section.searches"), ("requests", "section.requests"),
                          ("reports", "section.reports"), ("talk", "section.talk")):
            self.titles[name].setText(text.t(key))
        for name in ("by_time", "by_visits"):
            self.titles[name].setText(f"{text.t('section.sites')}: {self.titles[name].text()}")
        for model in (self.categories, self.sites_by_time, self.sites_by_visits, self.blocks):
            model.retranslate()
        self._show_week()
        if self._summary is not None and self._summary.language != self.language.code:
            self.reload()  # the summary's own texts (prompts, rules) are in its language

    def refresh(self) -> None:
        self.tasks.query(profile_summaries, self._children_loaded, owner=self)

    def _children_loaded(self, children: list[ProfileSummary]) -> None:
        chosen = self.child.currentData()
        self.child.blockSignals(True)
        self.child.clear()
        for child in children:
            self.child.addItem(child.name, child.id)
        self.child.setCurrentIndex(max(self.child.findData(chosen), 0))
        self.child.blockSignals(False)
        self.reload()

    def set_week(self, week: IsoWeek) -> None:
        self.week = week
        self.reload()

    def step_week(self, weeks: int) -> None:
        if self.week is not None:
            self.set_week(self.week.previous() if weeks < 0 else self.week.next())

    def _show_week(self) -> None:
        text = ReportText(self.language.code)
        if self.week is None:
            self.week_label.setText("")
            return
        self.week_label.setText(self.language.text(
            "app.weekly.week", week=str(self.week), first=text.full_date(self.week.monday),
            last=text.full_date(self.week.sunday)))

    def reload(self) -> None:
        self._show_week()
        child = self.child.currentData()
        self._generation += 1
        if child is None:
            self.status.setText(self.language.text("app.weekly.no_children"))
            return
        generation, week, code = self._generation, self.week, self.language.code
        self.status.setText(self.language.text("app.weekly.loading"))
        self.tasks.query(lambda session: compute_summary(session, int(child), week, code),
                         lambda summary: self._loaded(generation, summary),
                         lambda exc: self._failed(generation, exc), owner=self)

    def _failed(self, generation: int, exc: BaseException) -> None:
        if generation == self._generation:
            self.status.setText(error_sentence(exc, self.language))

    def _loaded(self, generation: int, summary: WeeklySummary) -> None:
        if generation != self._generation:
            return  # an answer to a child or week chosen before the last one
        self._summary = summary
        self.week = IsoWeek.parse(summary.week)
        self._show_week()
        text = ReportText(summary.language)
        self.heading.setText(
            f"<h2>{escape(text.t('title', name=summary.profile))}</h2>"
            f"<b>{escape(text.t('card.time'))}: {escape(text.duration(summary.total_minutes))}"
            f"</b> · {escape(text.t('card.blocks'))}: {summary.blocked_attempts}"
            + (f"<br><i>{escape(text.t('incomplete'))}</i>" if not summary.complete else ""))
        comparison = summary.comparison
        self.change.setText(escape(self.language.text(
            "app.weekly.change", change=text.change(summary),
            blocks=comparison.blocks, previous_blocks=comparison.previous_blocks)))
        self.chart.set_chart(days_chart(summary.days, text))
        self.categories.set_rows(summary.categories)
        self.sites_by_time.set_rows(summary.top_sites_by_time)
        self.sites_by_visits.set_rows(summary.top_sites_by_visits)
        self.blocks.set_rows(summary.blocks)
        self._show_lists(summary, text)
        self.status.setText("")
        self.summary_shown.emit(summary)

    def _show_lists(self, summary: WeeklySummary, text: ReportText) -> None:
        self.prompts.setText("".join(
            f"<p>{escape(p.text)}<br><small><i>{escape(text.rules_label(p.rules))}: "
            f"{escape(p.rule_text)}</i></small></p>" for p in summary.prompts))
        self.limits.setText(_html_table(
            [text.t("col.day"), text.t("col.what"), text.t("col.when")],
            [[text.day(x.day), text.t(f"limits.{x.reason}"),
              text.t("limits.detail", count=x.count, first=text.clock(x.first_at),
                     last=text.clock(x.last_at))] for x in summary.time_limits])
            if summary.time_limits else escape(text.t("limits.none")))
        self.searches.setText(_html_table(
            [text.t("col.search"), text.t("col.times"), text.t("col.last")],
            [[s.term + (f" ({text.t('searches.blocked')})" if s.blocked else ""),
              str(s.count), text.moment(s.last_at)] for s in summary.searches])
            if summary.searches else escape(text.t("searches.none")))
        self.requests.setText(_html_table(
            [text.t("col.asked"), text.t("col.request"), text.t("col.message"),
             text.t("col.answer")],
            [[text.moment(r.created_at), text.request(r), r.message or "–", text.answer(r)]
             for r in summary.requests])
            if summary.requests else escape(text.t("requests.none")))
        self.reports.setText(_html_table(
            [text.t("col.when"), text.t("col.page"), text.t("col.note")],
            [[text.moment(r.created_at), r.host + r.path, r.note or "–"]
             for r in summary.reports])
            if summary.reports else escape(text.t("reports.none")))

    def default_file_name(self, kind: str) -> str:
        summary = self._summary
        name = f"{summary.profile}-{summary.week}" if summary else "weekly"
        return f"guardian-{name}.{kind}"

    def choose_file(self, kind: str) -> None:
        """Ask where to save (a dialog), then save there; tests call save_html/save_pdf."""
        if self._summary is None:
            return
        file_filter = "HTML (*.html)" if kind == "html" else "PDF (*.pdf)"
        path, _chosen = QFileDialog.getSaveFileName(
            self, self.language.text(f"app.weekly.save_{kind}_title"),
            str(Path.home() / self.default_file_name(kind)), file_filter)
        if path:
            (self.save_html if kind == "html" else self.save_pdf)(Path(path))

    def save_html(self, path: Path) -> None:
        summary = self._summary
        if summary is not None:
            self._write(path, lambda: render_html(summary).encode("utf-8"))

    def save_pdf(self, path: Path) -> None:
        summary = self._summary
        if summary is not None:
            self._write(path, lambda: render_pdf(summary))

    def _write(self, path: Path, render: Any) -> None:
        def job() -> str:
            path.write_bytes(render())
            return str(path)

        self.tasks.run(job, self._saved,
                       lambda exc: self.status.setText(error_sentence(exc, self.language)),
                       owner=self)

    def _saved(self, path: str) -> None:
        self.status.setText(self.language.text("app.weekly.saved", path=path))
        self.file_saved.emit(path)
