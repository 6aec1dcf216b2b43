"""Rules: per child, in three tabs.

Categories and sites: the kinds of sites blocked (with the rules of the code
each serves) and the parent's own allow and block rules. Safe search and
personal details: `ui/pages/rules_protection.py`. Why: test an address and the
code's rules for the child, `ui/pages/rules_explain.py`.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.orm import Session

from guardian.conduct import Catalog
from guardian.storage.profiles import (
    ProfileSummary,
    RuleEntry,
    add_rule,
    category_states,
    get_profile,
    profile_summaries,
    remove_rule,
    rule_entries,
    set_category,
)
from ui.language import Language
from ui.models.categories_model import CategoriesModel, CategoryRow
from ui.models.rules_model import RulesModel
from ui.pages.page import Page
from ui.pages.rules_explain import ExplainPanel
from ui.pages.rules_protection import ProtectionPanel
from ui.styles import error_label
from ui.tasks import Tasks, error_sentence
from ui.widgets.child_picker import ChildPicker
from ui.widgets.table_view import table


@dataclass(frozen=True, slots=True)
class ChildPolicy:
    categories: tuple[CategoryRow, ...]
    rules: tuple[RuleEntry, ...]


def load_policy(session: Session, profile_id: int) -> ChildPolicy:
    profile = get_profile(session, profile_id)
    states = category_states(profile)
    return ChildPolicy(tuple(CategoryRow(code, blocked) for code, blocked in states.items()),
                       tuple(rule_entries(profile)))


class RulesPage(Page):
    TITLE_KEY = "app.nav.rules"
    OBJECT_NAME = "rules"
    policy_saved = Signal()

    TABS = ("categories", "protection", "explain")

    def __init__(self, language: Language, tasks: Tasks, catalog: Catalog,
                 index_path: Path | None = None, parent: QWidget | None = None) -> None:
        super().__init__(language, parent)
        self.tasks = tasks
        self.child = ChildPicker()
        self.child_label = QLabel()
        self.child_label.setBuddy(self.child)
        self.child.currentIndexChanged.connect(lambda _i: self._load_child())
        self.no_children = QLabel(wordWrap=True)

        self.categories_box = QGroupBox()
        self.categories_help = QLabel(wordWrap=True)
        self.categories = CategoriesModel(language, catalog, self)
        self.categories.block_toggled.connect(self._toggle)
        self.categories_view = table(self.categories, self)
        categories = QVBoxLayout(self.categories_box)
        categories.addWidget(self.categories_help)
        categories.addWidget(self.categories_view)

        self.sites_box = QGroupBox()
        self.sites_help = QLabel(wordWrap=True)
        self.rules = RulesModel(language, self)
        self.rules_view = table(self.rules, self)
        self.action = QComboBox()
        self.target = QLineEdit()
        self.target_label = QLabel()
        self.target_label.setBuddy(self.target)
        self.add_button, self.remove_button = QPushButton(), QPushButton()
        self.add_button.clicked.connect(self._add_rule)
        self.target.returnPressed.connect(self._add_rule)
        self.remove_button.clicked.connect(self._remove_rule)
        QShortcut(QKeySequence(QKeySequence.StandardKey.Delete), self.rules_view,
                  self._remove_rule, context=Qt.ShortcutContext.WidgetShortcut)
        self.rule_error = error_label()
        add_row = QHBoxLayout()
        add_row.addWidget(self.action)
        add_row.addWidget(self.target, 1)
        add_row.addWidget(self.add_button)
        sites = QVBoxLayout(self.sites_box)
        sites.addWidget(self.sites_help)
        sites.addWidget(self.target_label)
        sites.addLayout(add_row)
        sites.addWidget(self.rule_error)
        sites.addWidget(self.rules_view, 1)
        remove_row = QHBoxLayout()
        remove_row.addStretch(1)
        remove_row.addWidget(self.remove_button)
        sites.addLayout(remove_row)

        top = QHBoxLayout()
        top.addWidget(self.child_label)
        top.addWidget(self.child)
        top.addWidget(self.no_children, 1)
        top.addStretch(0)
        splitter = QSplitter(Qt.Orientation.Horizontal, self)
        splitter.addWidget(self.categories_box)
        splitter.addWidget(self.sites_box)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        self.protection = ProtectionPanel(language, tasks, self)
        self.explain = ExplainPanel(language, tasks, catalog, index_path, self)
        # What the code's rules say is on for the child follows these settings.
        self.protection.safe_search_saved.connect(lambda: self.explain.set_profile(self.profile_id))
        self.protection.details_saved.connect(lambda: self.explain.set_profile(self.profile_id))
        self.tabs = QTabWidget(self)
        self.tabs.addTab(splitter, "")
        self.tabs.addTab(self.protection, "")
        self.tabs.addTab(self.explain, "")
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.tabs, 1)
        self.setTabOrder(self.child, self.tabs)
        self.setTabOrder(self.tabs, self.categories_view)
        self.setTabOrder(self.categories_view, self.action)
        self.setTabOrder(self.action, self.target)
        self.setTabOrder(self.target, self.add_button)
        self.setTabOrder(self.add_button, self.rules_view)
        self.setTabOrder(self.rules_view, self.remove_button)
        self.retranslate()

    def retranslate(self) -> None:
        tr = self.language.text
        self.child_label.setText(tr("app.rules.child"))
        self.no_children.setText(tr("app.rules.no_children"))
        self.categories_box.setTitle(tr("app.rules.categories"))
        self.categories_help.setText(tr("app.rules.categories_help"))
        self.sites_box.setTitle(tr("app.rules.sites"))
        self.sites_help.setText(tr("app.rules.sites_help"))
        self.target_label.setText(tr("app.rules.target"))
        self.target.setPlaceholderText(tr("app.rules.target_placeholder"))
        current = self.action.currentIndex()
        self.action.clear()
        for action in ("block", "allow"):
            self.action.addItem(tr(f"app.rules.action.{action}"), action)
        self.action.setCurrentIndex(max(current, 0))
        self.add_button.setText(tr("app.rules.add"))
        self.remove_button.setText(tr("app.rules.remove"))
        for number, name in enumerate(self.TABS):
            self.tabs.setTabText(number, tr(f"app.rules.tab.{name}"))
        self.categories.retranslate()
        self.rules.retranslate()
        self.protection.retranslate()
        self.explain.retranslate()

    def show_tab(self, name: str) -> None:
        self.tabs.setCurrentIndex(self.TABS.index(name))

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
        for widget in (self.child, self.categories_box, self.sites_box, self.protection,
                       self.explain):
            widget.setEnabled(has_children)
        self._load_child()

    def _load_child(self) -> None:
        profile_id = self.profile_id
        self.protection.set_profile(profile_id)
        self.explain.set_profile(profile_id)
        if profile_id is None:
            self.categories.set_rows([])
            self.rules.set_rows([])
            return
        self.tasks.query(lambda session: load_policy(session, profile_id),
                         lambda policy: self._policy_loaded(profile_id, policy), owner=self)

    def _policy_loaded(self, profile_id: int, policy: ChildPolicy) -> None:
        if profile_id != self.profile_id:
            return  # the parent chose another child meanwhile
        self.categories.set_rows(policy.categories)
        self.rules.set_rows(policy.rules)

    def _saved(self, _result: object = None) -> None:
        self.policy_saved.emit()
        self._load_child()

    def _failed(self, exc: BaseException) -> None:
        self.rule_error.setText(error_sentence(exc, self.language))
        self.rule_error.show()
        self._load_child()

    def _toggle(self, code: str, blocked: bool) -> None:
        profile_id = self.profile_id
        if profile_id is None:
            return
        self.tasks.write(
            lambda session: set_category(session, get_profile(session, profile_id), code, blocked),
            self._saved, self._failed, owner=self)

    def _add_rule(self) -> None:
        profile_id, target = self.profile_id, self.target.text().strip()
        action = str(self.action.currentData())
        if profile_id is None or not target:
            return
        self.rule_error.hide()

        def add(session: Session) -> None:
            add_rule(session, get_profile(session, profile_id), action, target)

        def added(_none: None) -> None:
            self.target.clear()
            self._saved()

        self.tasks.write(add, added, self._failed, owner=self)

    def _remove_rule(self) -> None:
        rows = self.rules_view.selectionModel().selectedRows()
        rule = self.rules.row_at(rows[0].row()) if rows else None
        profile_id = self.profile_id
        if rule is None or profile_id is None:
            return
        self.rule_error.hide()
        self.tasks.write(
            lambda session: remove_rule(session, get_profile(session, profile_id), rule.action,
                                        rule.target),
            self._saved, self._failed, owner=self)
