"""Time: per child, daily budgets, allowed hours in the week, and extra time for today.

Everything here goes through the same data functions as `guardian time`:
budgets with `set_budget`, hours with `set_hours`/`apply_template` (texts
checked with `parse_ranges` first), extra time with `grant_time`, and the
minutes used today with `minutes_used`, in the household's time zone.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, tzinfo

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.orm import Session

from guardian.categories import CATEGORIES
from guardian.errors import UsageError
from guardian.schedule import DAY_NAMES, TEMPLATES, HourRange, parse_ranges
from guardian.storage.profiles import ProfileSummary, get_profile, profile_summaries
from guardian.storage.screen_time import (
    MAX_MINUTES,
    apply_template,
    budget_target,
    grant_time,
    list_budgets,
    list_hours,
    minutes_used,
    set_budget,
    set_hours,
)
from guardian.storage.settings import HOUSEHOLD_TIMEZONE, get_setting
from guardian.zones import household_zone
from ui.language import Language
from ui.models.time_model import BudgetRow, BudgetsModel
from ui.pages.page import Page
from ui.styles import error_label
from ui.tasks import Tasks, error_sentence
from ui.widgets.child_picker import ChildPicker
from ui.widgets.table_view import table

NO_LIMIT_WORDS = ("", "no limit", "off")


@dataclass(frozen=True, slots=True)
class ChildTime:
    budgets: tuple[BudgetRow, ...]
    hours: dict[str, list[str]]
    used_today: int


def household_today(session: Session) -> tuple[date, tzinfo]:
    zone = household_zone(get_setting(session, HOUSEHOLD_TIMEZONE))
    return datetime.now(UTC).astimezone(zone).date(), zone


def load_time(session: Session, profile_id: int) -> ChildTime:
    profile = get_profile(session, profile_id)
    today, zone = household_today(session)
    used = minutes_used(session, profile, today, zone)
    rows = tuple(
        BudgetRow(b.scope, b.key, b.minutes,
                  None if b.scope == "each_site" else used.get((b.scope, b.key), 0))
        for b in list_budgets(session, profile))
    return ChildTime(rows, list_hours(session, profile), used[("total", "")])


def parse_day_text(text: str, no_limit_word: str) -> tuple[HourRange, ...] | None:
    """A day's row: ranges, or None for no limit (empty, "no limit" in either language)."""
    cleaned = text.strip().lower()
    if cleaned in (*NO_LIMIT_WORDS, no_limit_word.strip().lower()):
        return None
    return parse_ranges(cleaned)


class TimePage(Page):
    TITLE_KEY = "app.time.title"
    OBJECT_NAME = "time"
    time_saved = Signal()

    def __init__(self, language: Language, tasks: Tasks, parent: QWidget | None = None) -> None:
        super().__init__(language, parent)
        self.tasks = tasks
        self.child = ChildPicker()
        self.child_label = QLabel()
        self.child_label.setBuddy(self.child)
        self.child.currentIndexChanged.connect(lambda _i: self._load_child())
        self.no_children = QLabel(wordWrap=True)
        self.used_label = QLabel()

        # Budgets
        self.budgets_box = QGroupBox()
        self.budgets_help = QLabel(wordWrap=True)
        self.budgets = BudgetsModel(language, self)
        self.budgets_view = table(self.budgets, self)
        self.budgets_view.clicked.connect(self._budget_chosen)
        self.scope = QComboBox()
        self.scope.currentIndexChanged.connect(lambda _i: self._scope_changed())
        self.category = QComboBox()
        self.site = QLineEdit()
        self.minutes = QSpinBox()
        self.minutes.setRange(0, MAX_MINUTES)
        self.minutes.setValue(60)
        self.set_button, self.remove_button = QPushButton(), QPushButton()
        self.set_button.clicked.connect(self._set_budget)
        self.site.returnPressed.connect(self._set_budget)
        self.remove_button.clicked.connect(self._remove_budget)
        self.budget_error = error_label()
        budget_row = QHBoxLayout()
        for widget in (self.scope, self.category):
            budget_row.addWidget(widget)
        budget_row.addWidget(self.site, 1)
        budget_row.addWidget(self.minutes)
        budget_row.addWidget(self.set_button)
        budget_row.addWidget(self.remove_button)
        budgets = QVBoxLayout(self.budgets_box)
        budgets.addWidget(self.budgets_help)
        budgets.addLayout(budget_row)
        budgets.addWidget(self.budget_error)
        budgets.addWidget(self.budgets_view, 1)

        # Allowed hours
        self.hours_box = QGroupBox()
        self.hours_help = QLabel(wordWrap=True)
        grid = QGridLayout()
        self.day_labels: list[QLabel] = []
        self.day_edits: list[QLineEdit] = []
        for day in range(7):
            label, edit = QLabel(), QLineEdit()
            label.setBuddy(edit)
            edit.returnPressed.connect(self._save_hours)
            self.day_labels.append(label)
            self.day_edits.append(edit)
            grid.addWidget(label, day, 0)
            grid.addWidget(edit, day, 1)
        self.save_hours_button = QPushButton()
        self.save_hours_button.clicked.connect(self._save_hours)
        self.template_buttons: dict[str, QPushButton] = {}
        hours_buttons = QHBoxLayout()
        hours_buttons.addStretch(1)
        hours_buttons.addWidget(self.save_hours_button)
        self.templates_label = QLabel(wordWrap=True)
        templates = QHBoxLayout()
        for name in TEMPLATES:
            button = QPushButton()
            button.clicked.connect(lambda _checked=False, name=name: self._apply_template(name))
            self.template_buttons[name] = button
            templates.addWidget(button)
        templates.addStretch(1)
        self.hours_error = error_label()
        hours = QVBoxLayout(self.hours_box)
        hours.addWidget(self.hours_help)
        hours.addLayout(grid)
        hours.addWidget(self.hours_error)
        hours.addLayout(hours_buttons)
        hours.addWidget(self.templates_label)
        hours.addLayout(templates)
        hours.addStretch(1)

        # Extra time today
        self.extra_box = QGroupBox()
        self.extra_minutes = QSpinBox()
        self.extra_minutes.setRange(1, MAX_MINUTES)
        self.extra_minutes.setValue(30)
        self.extra_label = QLabel()
        self.extra_label.setBuddy(self.extra_minutes)
        self.extra_category = QComboBox()
        self.grant_button = QPushButton()
        self.grant_button.clicked.connect(self._grant)
        self.extra_error = error_label()
        extra_row = QHBoxLayout()
        extra_row.addWidget(self.extra_label)
        extra_row.addWidget(self.extra_minutes)
        extra_row.addWidget(self.extra_category)
        extra_row.addWidget(self.grant_button)
        extra_row.addStretch(1)
        extra = QVBoxLayout(self.extra_box)
        extra.addLayout(extra_row)
        extra.addWidget(self.extra_error)

        top = QHBoxLayout()
        top.addWidget(self.child_label)
        top.addWidget(self.child)
        top.addWidget(self.no_children, 1)
        top.addWidget(self.used_label)
        left = QVBoxLayout()
        left.addWidget(self.budgets_box, 1)
        left.addWidget(self.extra_box)
        body = QHBoxLayout()
        body.addLayout(left, 3)
        body.addWidget(self.hours_box, 2)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addLayout(body, 1)
        self.retranslate()
        self._scope_changed()

    # Texts

    def retranslate(self) -> None:
        tr = self.language.text
        self.child_label.setText(tr("app.time.child"))
        self.no_children.setText(tr("app.time.no_children"))
        self.budgets_box.setTitle(tr("app.time.budgets"))
        self.budgets_help.setText(tr("app.time.budgets_help"))
        self._fill_combo(self.scope, [(tr(f"app.time.scope.{s}"), s)
                                      for s in ("total", "category", "site")])
        self._fill_combo(self.category, [(self.language.category(c), c) for c in CATEGORIES])
        self._fill_combo(self.extra_category,
                         [(tr("app.time.scope.total"), None)]
                         + [(self.language.category(c), c) for c in CATEGORIES])
        self.site.setPlaceholderText(tr("app.time.site_placeholder"))
        self.minutes.setSuffix(tr("app.time.minutes_suffix"))
        self.extra_minutes.setSuffix(tr("app.time.minutes_suffix"))
        self.set_button.setText(tr("app.time.set_budget"))
        self.remove_button.setText(tr("app.time.remove_budget"))
        self.hours_box.setTitle(tr("app.time.hours"))
        self.hours_help.setText(tr("app.time.hours_help"))
        for day, (label, edit) in enumerate(zip(self.day_labels, self.day_edits, strict=True)):
            label.setText(tr(f"app.time.day.{DAY_NAMES[day]}"))
            edit.setPlaceholderText(tr("app.time.no_limit"))
        for name, button in self.template_buttons.items():
            button.setText(tr(f"app.time.template.{name}"))
        self.save_hours_button.setText(tr("app.time.save_hours"))
        self.templates_label.setText(tr("app.time.templates"))
        self.extra_box.setTitle(tr("app.time.extra"))
        self.extra_label.setText(tr("app.time.extra_minutes"))
        self.grant_button.setText(tr("app.time.grant"))
        self.budgets.retranslate()
        self._show_used(self._used)

    @staticmethod
    def _fill_combo(combo: QComboBox, items: list[tuple[str, object]]) -> None:
        current = combo.currentIndex()
        combo.blockSignals(True)
        combo.clear()
        for text, data in items:
            combo.addItem(text, data)
        combo.setCurrentIndex(max(current, 0))
        combo.blockSignals(False)

    def _scope_changed(self) -> None:
        scope = self.scope.currentData()
        self.category.setVisible(scope == "category")
        self.site.setVisible(scope == "site")

    _used: int | None = None

    def _show_used(self, used: int | None) -> None:
        self._used = used
        self.used_label.setText("" if used is None
                                else self.language.text("app.time.used_today", minutes=used))

    # Loading

    @property
    def profile_id(self) -> int | None:
        return self.child.profile_id

    def select_child(self, profile_id: int) -> None:
        self.child.select(profile_id)

    def refresh(self) -> None:
        self.tasks.query(profile_summaries, self._children_loaded, owner=self)

    def _children_loaded(self, children: list[ProfileSummary]) -> None:
        self.child.set_children(children)
        has_children = bool(children)
        self.no_children.setVisible(not has_children)
        for widget in (self.child, self.budgets_box, self.hours_box, self.extra_box):
            widget.setEnabled(has_children)
        self._load_child()

    def _load_child(self) -> None:
        profile_id = self.profile_id
        if profile_id is None:
            self.budgets.set_rows([])
            self._show_hours({})
            self._show_used(None)
            return
        self.tasks.query(lambda session: load_time(session, profile_id),
                         lambda state: self._time_loaded(profile_id, state), owner=self)

    def _time_loaded(self, profile_id: int, state: ChildTime) -> None:
        if profile_id != self.profile_id:
            return
        self.budgets.set_rows(state.budgets)
        self._show_hours(state.hours)
        self._show_used(state.used_today)

    def _show_hours(self, hours: dict[str, list[str]]) -> None:
        for day, edit in enumerate(self.day_edits):
            edit.setText(", ".join(hours.get(DAY_NAMES[day], [])))

    # Changes

    def _saved(self, _result: object = None) -> None:
        self.time_saved.emit()
        self._load_child()

    def _failed_into(self, label: QLabel):  # type: ignore[no-untyped-def]
        def failed(exc: BaseException) -> None:
            label.setText(error_sentence(exc, self.language))
            label.show()
            self._load_child()
        return failed

    def _budget_chosen(self) -> None:
        rows = self.budgets_view.selectionModel().selectedRows()
        budget = self.budgets.row_at(rows[0].row()) if rows else None
        if budget is None or budget.scope == "each_site":
            return
        self.scope.setCurrentIndex(self.scope.findData(budget.scope))
        if budget.scope == "category":
            self.category.setCurrentIndex(self.category.findData(budget.key))
        elif budget.scope == "site":
            self.site.setText(budget.key)
        self.minutes.setValue(budget.minutes)

    def _set_budget(self) -> None:
        profile_id, minutes = self.profile_id, self.minutes.value()
        scope = str(self.scope.currentData())
        category = self.category.currentData() if scope == "category" else None
        site = self.site.text().strip() if scope == "site" else None
        if profile_id is None:
            return
        self.budget_error.hide()

        def store(session: Session) -> None:
            if scope == "site" and not site:
                raise UsageError(self.language.text("app.time.site_missing"))
            target_scope, key = budget_target(category, site)
            set_budget(session, get_profile(session, profile_id), minutes, target_scope, key)

        self.tasks.write(store, self._saved, self._failed_into(self.budget_error), owner=self)

    def _remove_budget(self) -> None:
        rows = self.budgets_view.selectionModel().selectedRows()
        budget = self.budgets.row_at(rows[0].row()) if rows else None
        profile_id = self.profile_id
        if budget is None or profile_id is None:
            return
        self.budget_error.hide()
        self.tasks.write(
            lambda session: set_budget(session, get_profile(session, profile_id), None,
                                       budget.scope, budget.key),
            self._saved, self._failed_into(self.budget_error), owner=self)

    def _save_hours(self) -> None:
        profile_id = self.profile_id
        if profile_id is None:
            return
        no_limit = self.language.text("app.time.no_limit")
        by_day: dict[int, tuple[HourRange, ...] | None] = {}
        for day, edit in enumerate(self.day_edits):
            try:
                by_day[day] = parse_day_text(edit.text(), no_limit)
            except UsageError as exc:
                day_name = self.language.text(f"app.time.day.{DAY_NAMES[day]}")
                self.hours_error.setText(f"{day_name.replace('&', '')} {exc.message}")
                self.hours_error.show()
                edit.setFocus()
                return
        self.hours_error.hide()

        def store(session: Session) -> None:
            profile = get_profile(session, profile_id)
            for day, ranges in by_day.items():
                set_hours(session, profile, [day], ranges)

        self.tasks.write(store, self._saved, self._failed_into(self.hours_error), owner=self)

    def _apply_template(self, name: str) -> None:
        profile_id = self.profile_id
        if profile_id is None:
            return
        self.hours_error.hide()
        self.tasks.write(
            lambda session: apply_template(session, get_profile(session, profile_id), name),
            self._saved, self._failed_into(self.hours_error), owner=self)

    def _grant(self) -> None:
        profile_id, minutes = self.profile_id, self.extra_minutes.value()
        category = self.extra_category.currentData()
        if profile_id is None:
            return
        self.extra_error.hide()

        def store(session: Session) -> None:
            scope, key = budget_target(category, None)
            today, _zone = household_today(session)
            grant_time(session, get_profile(session, profile_id), today, minutes, scope, key)

        self.tasks.write(store, self._saved, self._failed_into(self.extra_error), owner=self)

