"""Settings: the app's language (live), how long activity is kept, where data lives, security.

A second tab installs Guardian on this computer (`ui/pages/install_panel.py`).
"""

from __future__ import annotations

from PySide6.QtCore import QUrl, Signal
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.orm import Session

from guardian.cli.proxy import parse_listen
from guardian.datadir import DataDir
from guardian.errors import UsageError
from guardian.i18n import LANGUAGES
from guardian.storage.retention import MIN_RAW_DAYS
from guardian.storage.settings import RAW_LOG_RETENTION_DAYS, get_setting, set_setting
from ui.language import Language
from ui.pages.install_panel import InstallPanel
from ui.pages.page import Page
from ui.styles import error_label
from ui.tasks import Tasks

MAX_RETENTION_DAYS = 3650


def describe_database(url: str) -> str:
    """The database without any password in it."""
    if url.startswith("sqlite:///"):
        return url[len("sqlite:///"):]
    scheme, _, rest = url.partition("://")
    return f"{scheme}://{rest.rpartition('@')[2]}"


def store_retention(session: Session, days: int) -> None:
    set_setting(session, RAW_LOG_RETENTION_DAYS, str(days))


def load_retention(session: Session) -> int:
    try:
        return int(get_setting(session, RAW_LOG_RETENTION_DAYS))
    except ValueError:
        return int(RAW_LOG_RETENTION_DAYS.default)


class SettingsPage(Page):
    TITLE_KEY = "app.nav.settings"
    OBJECT_NAME = "settings"
    language_chosen = Signal(str)
    filter_address_chosen = Signal(str, int)
    password_change_requested = Signal()
    certificate_requested = Signal()

    TABS = ("app", "install")

    def __init__(self, language: Language, tasks: Tasks, data_dir: DataDir, listen: str,
                 log_path: str, install: InstallPanel | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(language, parent)
        self.tasks = tasks
        self.data_dir = data_dir

        self.app_box = QGroupBox()
        self.app_language = QComboBox()
        for code in LANGUAGES:
            self.app_language.addItem(language.language_name(code), code)
        self.app_language.setCurrentIndex(self.app_language.findData(language.code))
        self.app_language.currentIndexChanged.connect(
            lambda _i: self.language_chosen.emit(str(self.app_language.currentData())))
        self.retention = QSpinBox(minimum=MIN_RAW_DAYS, maximum=MAX_RETENTION_DAYS, value=30)
        self.retention.editingFinished.connect(self._save_retention)
        self.retention_saved = QLabel()
        self.address = QLineEdit(listen)
        self.address.returnPressed.connect(self._apply_address)
        self.address_button = QPushButton()
        self.address_button.clicked.connect(self._apply_address)
        self.address_error = error_label()
        self.language_label, self.retention_label = QLabel(), QLabel()
        self.address_label = QLabel()
        for label, field in ((self.language_label, self.app_language),
                             (self.retention_label, self.retention),
                             (self.address_label, self.address)):
            label.setBuddy(field)
        retention_row = QHBoxLayout()
        retention_row.addWidget(self.retention)
        retention_row.addWidget(self.retention_saved, 1)
        address_row = QHBoxLayout()
        address_row.addWidget(self.address)
        address_row.addWidget(self.address_button)
        address_row.addStretch(1)
        self.app_language.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.address.setMaximumWidth(260)
        app_form = QFormLayout(self.app_box)
        app_form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.FieldsStayAtSizeHint)
        app_form.addRow(self.language_label, self.app_language)
        app_form.addRow(self.retention_label, retention_row)
        app_form.addRow(self.address_label, address_row)
        app_form.addRow("", self.address_error)

        self.data_box = QGroupBox()
        self.folder = QLineEdit(str(data_dir.root), readOnly=True)
        self.database = QLineEdit(describe_database(data_dir.database_url), readOnly=True)
        self.log = QLineEdit(log_path, readOnly=True)
        self.folder_label, self.database_label = QLabel(), QLabel()
        self.log_label = QLabel()
        for label, field in ((self.folder_label, self.folder),
                             (self.database_label, self.database), (self.log_label, self.log)):
            label.setBuddy(field)
        self.open_folder = QPushButton()
        self.open_folder.clicked.connect(
            lambda: QDesktopServices.openUrl(QUrl.fromLocalFile(str(data_dir.root))))
        self.data_note = QLabel(wordWrap=True)
        data_form = QFormLayout(self.data_box)
        data_form.addRow(self.folder_label, self.folder)
        data_form.addRow(self.database_label, self.database)
        data_form.addRow(self.log_label, self.log)
        open_row = QHBoxLayout()
        open_row.addWidget(self.open_folder)
        open_row.addStretch(1)
        data_form.addRow("", open_row)
        data_form.addRow(self.data_note)

        self.security_box = QGroupBox()
        self.password_button, self.certificate_button = QPushButton(), QPushButton()
        self.password_button.clicked.connect(self.password_change_requested)
        self.certificate_button.clicked.connect(self.certificate_requested)
        security = QHBoxLayout(self.security_box)
        security.addWidget(self.password_button)
        security.addWidget(self.certificate_button)
        security.addStretch(1)

        general = QWidget(self)
        column = QVBoxLayout(general)
        column.addWidget(self.app_box)
        column.addWidget(self.data_box)
        column.addWidget(self.security_box)
        column.addStretch(1)
        self.install = install
        self.tabs = QTabWidget(self)
        self.tabs.addTab(general, "")
        if install is not None:
            self.tabs.addTab(install, "")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.tabs)
        self.retranslate()

    def show_tab(self, name: str) -> None:
        self.tabs.setCurrentIndex(self.TABS.index(name))

    def retranslate(self) -> None:
        tr = self.language.text
        self.app_box.setTitle(tr("app.settings.app"))
        self.language_label.setText(tr("app.settings.language"))
        self.retention_label.setText(tr("app.settings.retention"))
        self.retention.setSuffix(tr("app.settings.days_suffix"))
        self.address_label.setText(tr("app.settings.address"))
        self.address_button.setText(tr("app.settings.apply"))
        self.data_box.setTitle(tr("app.settings.data"))
        self.folder_label.setText(tr("app.settings.folder"))
        self.database_label.setText(tr("app.settings.database"))
        self.log_label.setText(tr("app.settings.log"))
        self.open_folder.setText(tr("app.settings.open_folder"))
        self.data_note.setText(tr("app.settings.data_note"))
        self.security_box.setTitle(tr("app.settings.security"))
        self.password_button.setText(tr("app.settings.change_password"))
        self.certificate_button.setText(tr("app.settings.certificate"))
        self.retention_saved.clear()
        for number in range(self.tabs.count()):
            self.tabs.setTabText(number, tr(f"app.settings.tab.{self.TABS[number]}"))
        if self.install is not None:
            self.install.retranslate()

    def refresh(self) -> None:
        if self.install is not None:
            self.install.refresh()
        self.tasks.query(load_retention, self._retention_loaded, owner=self)
        self.app_language.blockSignals(True)
        self.app_language.setCurrentIndex(self.app_language.findData(self.language.code))
        self.app_language.blockSignals(False)

    def _retention_loaded(self, days: int) -> None:
        self.retention.setValue(days)

    def _save_retention(self) -> None:
        days = self.retention.value()
        self.tasks.write(lambda session: store_retention(session, days),
                         lambda _none: self.retention_saved.setText(
                             self.language.text("app.settings.saved")), owner=self)

    def _apply_address(self) -> None:
        try:
            host, port = parse_listen(self.address.text().strip())
        except UsageError:
            self.address_error.setText(self.language.text("app.settings.address_error"))
            self.address_error.show()
            return
        self.address_error.hide()
        self.filter_address_chosen.emit(host, port)

