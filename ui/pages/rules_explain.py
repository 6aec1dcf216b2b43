"""The Rules page's "Why" tab: test an address for the child, and the code's rules for them.

Checking an address loads the household policy as the filter does and asks the
engine (`guardian.url_check`); the answer names the rule of the Code of
Conduct behind a block, the one the child's block page cites. Below, every rule
of the code Guardian acts on and whether it is on for this child
(`guardian policy explain`).
"""

from __future__ import annotations

from html import escape
from pathlib import Path

from PySide6.QtWidgets import (
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.orm import Session

from guardian.cli.policy import profile_facts
from guardian.conduct import Catalog
from guardian.decision import Reason
from guardian.explain import RuleExplanation, explain
from guardian.storage.profiles import get_profile
from guardian.url_check import UrlCheck, check_url
from ui.language import Language
from ui.models.explain_model import FEATURES, TEXT, ExplainModel
from ui.styles import BAD_COLOUR, GOOD_COLOUR, error_label
from ui.tasks import Tasks, error_sentence
from ui.widgets.table_view import table


def code_for_child(session: Session, catalog: Catalog, profile_id: int) -> list[RuleExplanation]:
    facts = profile_facts(session, get_profile(session, profile_id))
    return explain(catalog, "en", facts)  # the model shows each rule's text in the app's language


class ExplainPanel(QWidget):
    def __init__(self, language: Language, tasks: Tasks, catalog: Catalog,
                 index_path: Path | None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.language, self.tasks, self.catalog = language, tasks, catalog
        self.index_path = index_path
        self.profile_id: int | None = None
        self.last: UrlCheck | None = None

        self.check_box = QGroupBox()
        self.url = QLineEdit()
        self.url_label = QLabel()
        self.url_label.setBuddy(self.url)
        self.check_button = QPushButton()
        self.check_button.clicked.connect(self.check)
        self.url.returnPressed.connect(self.check)
        self.result = QLabel(wordWrap=True)
        self.result.setTextFormat(self.result.textFormat().RichText)
        self.error = error_label()
        row = QHBoxLayout()
        row.addWidget(self.url_label)
        row.addWidget(self.url, 1)
        row.addWidget(self.check_button)
        check = QVBoxLayout(self.check_box)
        check.addLayout(row)
        check.addWidget(self.result)
        check.addWidget(self.error)

        self.code_box = QGroupBox()
        self.code_help = QLabel(wordWrap=True)
        self.model = ExplainModel(language, catalog, self)
        self.view = table(self.model, self)
        self.view.setWordWrap(False)
        header = self.view.horizontalHeader()
        header.setSectionResizeMode(TEXT, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(FEATURES, QHeaderView.ResizeMode.Stretch)
        code = QVBoxLayout(self.code_box)
        code.addWidget(self.code_help)
        code.addWidget(self.view, 1)

        layout = QVBoxLayout(self)
        layout.addWidget(self.check_box)
        layout.addWidget(self.code_box, 1)
        self.setTabOrder(self.url, self.check_button)
        self.setTabOrder(self.check_button, self.view)
        self.retranslate()

    def retranslate(self) -> None:
        tr = self.language.text
        self.check_box.setTitle(tr("app.explain.check"))
        self.url_label.setText(tr("app.explain.url"))
        self.url.setPlaceholderText(tr("app.explain.url_placeholder"))
        self.check_button.setText(tr("app.explain.check_button"))
        self.code_box.setTitle(tr("app.explain.code"))
        self.code_help.setText(tr("app.explain.code_help"))
        self.model.retranslate()
        self._show_result()

    def set_profile(self, profile_id: int | None) -> None:
        if profile_id != self.profile_id:
            self.last = None
            self.error.hide()
        self.profile_id = profile_id
        self._show_result()
        if profile_id is None:
            self.model.set_rows([])
            return
        catalog = self.catalog
        self.tasks.query(lambda session: code_for_child(session, catalog, profile_id),
                         lambda rows: self._code_loaded(profile_id, rows), owner=self)

    def _code_loaded(self, profile_id: int, rows: list[RuleExplanation]) -> None:
        if profile_id == self.profile_id:
            self.model.set_rows(rows)

    def check(self) -> None:
        profile_id, url, index_path = self.profile_id, self.url.text().strip(), self.index_path
        if profile_id is None or not url:
            return
        self.error.hide()
        self.tasks.query(lambda session: check_url(session, index_path, profile_id, url),
                         lambda result: self._checked(profile_id, result), self._failed,
                         owner=self)

    def _checked(self, profile_id: int, result: UrlCheck) -> None:
        if profile_id == self.profile_id:
            self.last = result
            self._show_result()

    def _failed(self, exc: BaseException) -> None:
        self.last = None
        self._show_result()
        self.error.setText(error_sentence(exc, self.language))
        self.error.show()

    def reason_words(self, result: UrlCheck) -> str:
        decision, tr = result.decision, self.language.text
        words = tr(f"app.reason.{decision.reason.value}")
        if decision.category and decision.reason in (Reason.CATEGORY, Reason.ALLOWED):
            words += ": " + self.language.category(decision.category)
        if decision.rule:
            words += ": " + decision.rule
        return words

    def _show_result(self) -> None:
        result, tr = self.last, self.language.text
        if result is None:
            self.result.setText(tr("app.explain.none_yet"))
            return
        blocked = result.decision.blocked
        colour = BAD_COLOUR if blocked else GOOD_COLOUR
        verdict = tr("app.decision.block" if blocked else "app.decision.allow")
        lines = [f'<b style="color:{colour}">{escape(verdict)}</b> · {escape(result.host)}'
                 f"{escape(result.path if result.path != '/' else '')} — "
                 f"{escape(self.reason_words(result))}"]
        if result.rule is not None:
            rule, code = result.rule, self.language.code
            lines.append(escape(tr("app.explain.rule", rule=rule.id, article=rule.article,
                                   text=rule.text.get(code))))
            if rule.child is not None:
                lines.append("<i>" + escape(tr("app.explain.child_reads",
                                               text=rule.child.get(code))) + "</i>")
        elif not blocked:
            lines.append(escape(tr("app.explain.allowed_note")))
        self.result.setText("<br>".join(lines))
