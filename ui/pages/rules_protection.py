"""The Rules page's "Safe search, sign-ups and personal details" tab, for the chosen child.

Safe search: forced SafeSearch on the search engines Guardian can make safe,
what happens on those it cannot (blocked, or allowed and marked in the log),
YouTube Restricted Mode, and whether social networks' sign-up pages ask a
parent first (the preset's choice under 16, Decree 147/2024). Personal
details: the child's own name, phone, address, school and ID number, so the
filter can warn before the child sends them (`guardian profile details`).
They are kept in Guardian's database on this computer only; the form shows
the numbers masked until the parent asks.
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from guardian.protection import (
    DETAIL_FIELDS,
    MAX_LENGTHS,
    UNSAFE_SEARCH_MODES,
    YOUTUBE_MODES,
    DetailProblem,
    Details,
    Protection,
    SafeSearch,
    check_detail,
    load_protection,
    masked,
    save_details,
    save_safe_search,
)
from ui.language import Language
from ui.styles import GOOD_COLOUR, error_label
from ui.tasks import Tasks, error_sentence

# Shown as dots unless the parent ticks "Show": the details a passer-by could misuse.
HIDDEN_FIELDS = ("phone", "address", "id_number")


class ProtectionPanel(QWidget):
    safe_search_saved = Signal()
    details_saved = Signal()

    def __init__(self, language: Language, tasks: Tasks, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.language, self.tasks = language, tasks
        self.profile_id: int | None = None
        self.loaded: Protection | None = None

        self.search_box = QGroupBox()
        self.search_help = QLabel(wordWrap=True)
        self.safe_search = QCheckBox()
        self.unsafe = QComboBox()
        self.youtube = QComboBox()
        self.unsafe_label, self.youtube_label = QLabel(), QLabel()
        self.unsafe_label.setBuddy(self.unsafe)
        self.youtube_label.setBuddy(self.youtube)
        self.safe_search.toggled.connect(self.unsafe.setEnabled)
        self.signup = QCheckBox()
        self.search_button = QPushButton()
        self.search_button.clicked.connect(self.save_safe_search)
        self.search_error = error_label()
        search_form = QFormLayout()
        search_form.addRow(self.safe_search)
        search_form.addRow(self.unsafe_label, self.unsafe)
        search_form.addRow(self.youtube_label, self.youtube)
        search_form.addRow(self.signup)
        search_buttons = QHBoxLayout()
        search_buttons.addWidget(self.search_button)
        search_buttons.addStretch(1)
        search = QVBoxLayout(self.search_box)
        search.addWidget(self.search_help)
        search.addLayout(search_form)
        search.addWidget(self.search_error)
        search.addLayout(search_buttons)
        search.addStretch(1)

        self.details_box = QGroupBox()
        self.details_help = QLabel(wordWrap=True)
        self.local_note = QLabel(wordWrap=True)
        self.local_note.setStyleSheet(f"color: {GOOD_COLOUR}; font-weight: bold;")
        self.fields: dict[str, QLineEdit] = {}
        self.field_labels: dict[str, QLabel] = {}
        details_form = QFormLayout()
        for field in DETAIL_FIELDS:
            edit = QLineEdit()
            edit.setMaxLength(MAX_LENGTHS[field])
            edit.setObjectName(f"detail_{field}")
            label = QLabel()
            label.setBuddy(edit)
            self.fields[field], self.field_labels[field] = edit, label
            details_form.addRow(label, edit)
        self.show_details = QCheckBox()
        self.show_details.toggled.connect(self._set_echo)
        self.send_anyway = QCheckBox()
        self.recorded = QLabel(wordWrap=True)
        self.details_button, self.clear_button = QPushButton(), QPushButton()
        self.details_button.clicked.connect(self.save_details)
        self.clear_button.clicked.connect(self.clear_details)
        self.details_error = error_label()
        details_buttons = QHBoxLayout()
        details_buttons.addWidget(self.details_button)
        details_buttons.addWidget(self.clear_button)
        details_buttons.addStretch(1)
        details = QVBoxLayout(self.details_box)
        details.addWidget(self.details_help)
        details.addWidget(self.local_note)
        details.addLayout(details_form)
        details.addWidget(self.show_details)
        details.addWidget(self.send_anyway)
        details.addWidget(self.recorded)
        details.addWidget(self.details_error)
        details.addLayout(details_buttons)
        details.addStretch(1)

        layout = QHBoxLayout(self)
        layout.addWidget(self.search_box, 2)
        layout.addWidget(self.details_box, 3)
        order = [self.safe_search, self.unsafe, self.youtube, self.signup, self.search_button,
                 *self.fields.values(), self.show_details, self.send_anyway,
                 self.details_button, self.clear_button]
        for first, second in zip(order, order[1:], strict=False):
            self.setTabOrder(first, second)
        self._set_echo(False)
        self.retranslate()

    def retranslate(self) -> None:
        tr = self.language.text
        self.search_box.setTitle(tr("app.protection.search"))
        self.search_help.setText(tr("app.protection.search_help"))
        self.safe_search.setText(tr("app.protection.safe_search"))
        self.unsafe_label.setText(tr("app.protection.unsafe"))
        self.youtube_label.setText(tr("app.protection.youtube"))
        self.signup.setText(tr("app.protection.signup"))
        self._fill(self.unsafe, "app.protection.unsafe_mode", UNSAFE_SEARCH_MODES)
        self._fill(self.youtube, "app.protection.youtube_mode", YOUTUBE_MODES)
        self.search_button.setText(tr("app.protection.save_search"))
        self.details_box.setTitle(tr("app.protection.details"))
        self.details_help.setText(tr("app.protection.details_help"))
        self.local_note.setText(tr("app.protection.local_only"))
        for field in DETAIL_FIELDS:
            self.field_labels[field].setText(tr(f"app.protection.field.{field}"))
            self.fields[field].setPlaceholderText(tr(f"app.protection.placeholder.{field}"))
        self.show_details.setText(tr("app.protection.show"))
        self.send_anyway.setText(tr("app.protection.send_anyway"))
        self.details_button.setText(tr("app.protection.save_details"))
        self.clear_button.setText(tr("app.protection.clear"))
        self.search_error.hide()
        self.details_error.hide()
        self._show_recorded()

    def _fill(self, combo: QComboBox, prefix: str, values: tuple[str, ...]) -> None:
        current = combo.currentData()
        combo.clear()
        for value in values:
            combo.addItem(self.language.text(f"{prefix}.{value}"), value)
        if current is not None:
            combo.setCurrentIndex(combo.findData(current))

    def _set_echo(self, shown: bool) -> None:
        mode = QLineEdit.EchoMode.Normal if shown else QLineEdit.EchoMode.Password
        for field in HIDDEN_FIELDS:
            self.fields[field].setEchoMode(mode)

    def set_profile(self, profile_id: int | None) -> None:
        self.profile_id = profile_id
        self.setEnabled(profile_id is not None)
        if profile_id is None:
            self._loaded_for(None, None)
            return
        self.tasks.query(lambda session: load_protection(session, profile_id),
                         lambda found: self._loaded_for(profile_id, found), owner=self)

    def _loaded_for(self, profile_id: int | None, found: Protection | None) -> None:
        if profile_id != self.profile_id:
            return  # another child was chosen meanwhile
        self.loaded = found
        search = found.safe_search if found else SafeSearch(True, "strict", "block", True)
        details = found.details if found else Details()
        self.safe_search.setChecked(search.enabled)
        self.unsafe.setEnabled(search.enabled)
        self.unsafe.setCurrentIndex(self.unsafe.findData(search.unsafe_search))
        self.youtube.setCurrentIndex(self.youtube.findData(search.youtube))
        self.signup.setChecked(search.signup_needs_parent)
        for field in DETAIL_FIELDS:
            self.fields[field].setText(details.value(field))
        self.send_anyway.setChecked(details.send_anyway)
        self.show_details.setChecked(False)
        self.details_error.hide()
        self._show_recorded()

    def _show_recorded(self) -> None:
        tr = self.language.text
        details = self.loaded.details if self.loaded else Details()
        if not details.recorded:
            self.recorded.setText(tr("app.protection.recorded_none"))
            return
        parts = []
        for field in details.recorded:
            name = tr(f"app.protection.short.{field}")
            shown = masked(details.value(field)) if field in HIDDEN_FIELDS else details.value(field)
            parts.append(f"{name} ({shown})")
        self.recorded.setText(tr("app.protection.recorded", details="; ".join(parts)))

    def save_safe_search(self) -> None:
        profile_id = self.profile_id
        if profile_id is None:
            return
        settings = SafeSearch(self.safe_search.isChecked(), str(self.youtube.currentData()),
                              str(self.unsafe.currentData()), self.signup.isChecked())
        self.tasks.write(lambda session: save_safe_search(session, profile_id, settings),
                         lambda _none: self._search_saved(), self._search_failed, owner=self)

    def _search_saved(self) -> None:
        self.search_error.hide()
        self.safe_search_saved.emit()  # the window says "Saved" in its status bar

    def _search_failed(self, exc: BaseException) -> None:
        self.search_error.setText(error_sentence(exc, self.language))
        self.search_error.show()

    def save_details(self) -> None:
        profile_id = self.profile_id
        if profile_id is None:
            return
        values = {}
        try:
            for field in DETAIL_FIELDS:
                values[field] = check_detail(field, self.fields[field].text())
        except DetailProblem as problem:
            self._problem(problem)
            return
        details = Details(**values, send_anyway=self.send_anyway.isChecked())
        self.details_error.hide()
        self.tasks.write(lambda session: save_details(session, profile_id, details),
                         lambda stored: self._details_saved(profile_id, stored),
                         self._details_failed, owner=self)

    def clear_details(self) -> None:
        for edit in self.fields.values():
            edit.clear()
        self.save_details()

    def _problem(self, problem: DetailProblem) -> None:
        field = self.language.text(f"app.protection.short.{problem.field}")
        self.details_error.setText(self.language.text(f"app.protection.problem.{problem.problem}",
                                                      field=field))
        self.details_error.show()
        self.fields[problem.field].setFocus()

    def _details_saved(self, profile_id: int, stored: Details) -> None:
        if self.loaded is not None and profile_id == self.profile_id:
            self.loaded = Protection(self.loaded.safe_search, stored)
        self._show_recorded()
        self.details_saved.emit()

    def _details_failed(self, exc: BaseException) -> None:
        if isinstance(exc, DetailProblem):
            self._problem(exc)
            return
        self.details_error.setText(error_sentence(exc, self.language))
        self.details_error.show()
