"""The parent app put together: every part built once, every signal wired here.

`run()` opens the database, then either the first-run wizard (no parent
password yet) or the password prompt, then the main window. The filter is
started (or attached to) after the password, or from the wizard. Closing the
app leaves the filter running so that the children stay protected; the next
start attaches to it.
"""

from __future__ import annotations

import sys
from typing import Any

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QApplication, QSystemTrayIcon

from guardian.cli.proxy import parse_listen
from guardian.conduct import load_catalog
from guardian.datadir import DataDir
from guardian.storage.access_requests import ReportInfo, RequestInfo
from guardian.storage.database import Database, open_database
from guardian.storage.parent_account import has_parent_password
from guardian.storage.settings import APP_LANGUAGE, get_setting, set_setting
from ui.certificate_panel import CertificateDialog
from ui.filter_launcher import FilterLauncher
from ui.language import Language
from ui.main_window import MainWindow
from ui.pages.activity import ActivityLogPage
from ui.pages.children import ChildrenPage
from ui.pages.filters import FiltersPage
from ui.pages.install_panel import InstallPanel
from ui.pages.lists import ListsPage
from ui.pages.overview import OverviewPage
from ui.pages.requests import RequestsPage
from ui.pages.rules import RulesPage
from ui.pages.settings import SettingsPage
from ui.pages.time import TimePage
from ui.pages.weekly import WeeklyPage
from ui.password_dialogs import ChangePasswordDialog, LoginDialog
from ui.prefs import UiPrefs
from ui.supervisor import FilterExit, FilterSupervisor
from ui.tasks import Tasks
from ui.wizard import SetupWizard


class GuardianApp(QObject):
    """Owns the app's parts and the flow between the wizard, the login and the window."""

    def __init__(self, data_dir: DataDir, db: Database, prefs: UiPrefs, language_code: str,
                 *, launcher: FilterLauncher | None = None,
                 supervisor_options: dict[str, Any] | None = None,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.data_dir, self.db, self.prefs = data_dir, db, prefs
        self.language = Language(language_code, self)
        self.tasks = Tasks(db, self, language=self.language)
        self.launcher = launcher or FilterLauncher(data_dir)
        host, port = parse_listen(prefs.filter_listen)
        self.supervisor = FilterSupervisor(self.tasks, self.launcher, host, port, parent=self,
                                           **(supervisor_options or {}))
        language, tasks = self.language, self.tasks

        self.window = MainWindow(language, prefs)
        self.overview = OverviewPage(language, tasks)
        self.children_page = ChildrenPage(language, tasks, data_dir)
        self.rules = RulesPage(language, tasks, load_catalog(), data_dir.index_path)
        self.activity = ActivityLogPage(language, tasks)
        self.lists = ListsPage(language, tasks, data_dir)
        self.install = InstallPanel(language, tasks, data_dir, (host, port))
        self.settings = SettingsPage(language, tasks, data_dir, prefs.filter_listen,
                                     str(self.launcher.log_path), self.install)
        self.time = TimePage(language, tasks)
        self.requests = RequestsPage(language, tasks)
        self.weekly = WeeklyPage(language, tasks)
        self.filters = FiltersPage(language, tasks)
        self.tray: QSystemTrayIcon | None = None
        # The navigation, in order; a new page is one more line here.
        self.window.add_page(self.overview)
        self.window.add_page(self.children_page)
        self.window.add_page(self.rules)
        self.window.add_page(self.activity)
        self.window.add_page(self.lists)
        self.window.add_page(self.settings)
        self.window.add_page(self.time)
        self.window.add_page(self.requests)
        self.window.add_page(self.weekly)
        self.window.add_page(self.filters)

        self.wizard: SetupWizard | None = None
        self.login: LoginDialog | None = None
        self.dialogs: list[CertificateDialog | ChangePasswordDialog] = []
        self.children_page.set_filter_address(host, port)
        wire(self)

    def start(self, first_run: bool) -> None:
        if first_run:
            self.wizard = SetupWizard(self.language, self.tasks, self.launcher, self.supervisor)
            wire_wizard(self, self.wizard)
            self.wizard.show()
        else:
            self.login = LoginDialog(self.language, self.tasks)
            self.login.accepted.connect(self.logged_in)
            self.login.rejected.connect(QApplication.quit)
            self.login.show()

    def logged_in(self) -> None:
        self.supervisor.start()
        self.show_main_window()

    def show_main_window(self) -> None:
        self.window.show()
        self.window.open_last_page()
        self.requests.start_polling()

    def requests_arrived(self, new: list[RequestInfo]) -> None:
        self.notify(self.requests.notification(new))

    def reports_arrived(self, new: list[ReportInfo]) -> None:
        self.notify(self.requests.report_notification(new))

    def notify(self, message: str) -> None:
        """A desktop notification where there is a tray, else the status bar."""
        if QSystemTrayIcon.isSystemTrayAvailable():
            if self.tray is None:
                self.tray = QSystemTrayIcon(self.window.windowIcon(), self)
                self.tray.messageClicked.connect(lambda: self.window.show_page("requests"))
                self.tray.show()
            self.tray.showMessage(self.language.text("app.title"), message)
        else:
            self.window.show_message(message)

    def show_pending_count(self, _count: int) -> None:
        row = self.window.pages.index(self.requests)
        self.window.navigation.item(row).setText(self.requests.title)

    def choose_language(self, code: str) -> None:
        self.language.set_code(code)
        self.tasks.write(lambda session: set_setting(session, APP_LANGUAGE, self.language.code))

    def choose_filter_address(self, host: str, port: int) -> None:
        self.prefs.filter_listen = f"{host}:{port}"
        self.supervisor.set_address(host, port)

    def retranslate(self) -> None:
        self.window.retranslate()
        for widget in (self.wizard, self.login, *self.dialogs):
            if widget is not None:
                widget.retranslate()

    def open_password_dialog(self) -> None:
        self._open(ChangePasswordDialog(self.language, self.tasks, self.window))

    def open_certificate_dialog(self) -> None:
        self._open(CertificateDialog(self.language, self.tasks, self.launcher, self.supervisor,
                                     self.window))

    def _open(self, dialog: CertificateDialog | ChangePasswordDialog) -> None:
        self.dialogs.append(dialog)
        dialog.finished.connect(lambda _result: self._closed(dialog))
        dialog.open()

    def _closed(self, dialog: CertificateDialog | ChangePasswordDialog) -> None:
        if dialog in self.dialogs:
            self.dialogs.remove(dialog)
        dialog.deleteLater()

    def filter_exited(self, exit_: FilterExit) -> None:
        self.window.show_message(self.language.text("app.filter.exited_message"))

    def saved(self) -> None:
        self.window.show_message(self.language.text("app.saved"))

    def shutdown(self, *, stop_filter: bool = False) -> None:
        """Leave the filter running (unless asked), finish every pending write."""
        self.supervisor.shutdown(stop_filter=stop_filter)
        self.tasks.wait_for_idle()


def wire(app: GuardianApp) -> None:
    """Every connection between the app's parts, in one place."""
    app.language.language_changed.connect(lambda _code: app.retranslate())
    app.tasks.task_failed.connect(app.window.show_message)

    app.supervisor.state_changed.connect(app.overview.show_filter_state)
    app.supervisor.state_changed.connect(app.window.show_filter_state)
    app.supervisor.state_changed.connect(
        lambda state: app.children_page.set_filter_address(state.host, state.port))
    app.supervisor.filter_exited.connect(app.filter_exited)
    app.overview.start_requested.connect(app.supervisor.start)
    app.overview.stop_requested.connect(app.supervisor.stop)

    app.children_page.children_changed.connect(app.saved)
    if app.children_page.devices is not None:
        app.children_page.devices.devices_changed.connect(app.saved)
    app.rules.policy_saved.connect(app.saved)
    app.rules.protection.safe_search_saved.connect(app.saved)
    app.rules.protection.details_saved.connect(app.saved)
    app.lists.lists_imported.connect(app.saved)
    app.time.time_saved.connect(app.saved)
    app.requests.request_answered.connect(app.saved)
    app.requests.requests_arrived.connect(app.requests_arrived)
    app.requests.reports_arrived.connect(app.reports_arrived)
    app.requests.pending_counted.connect(app.show_pending_count)

    app.settings.language_chosen.connect(app.choose_language)
    app.settings.filter_address_chosen.connect(app.choose_filter_address)
    app.settings.filter_address_chosen.connect(app.install.set_listen)
    app.settings.password_change_requested.connect(app.open_password_dialog)
    app.settings.certificate_requested.connect(app.open_certificate_dialog)

    app.overview.show_filter_state(app.supervisor.state)
    app.window.show_filter_state(app.supervisor.state)


def wire_wizard(app: GuardianApp, wizard: SetupWizard) -> None:
    wizard.language_chosen.connect(app.choose_language)
    app.supervisor.state_changed.connect(wizard.show_filter_state)
    wizard.setup_completed.connect(app.show_main_window)
    wizard.rejected.connect(QApplication.quit)


def run(data_dir: DataDir, listen: str | None = None) -> int:
    """The app's event loop until the parent closes it; the exit code."""
    qt_app = QApplication.instance() or QApplication([sys.argv[0]])
    qt_app.setApplicationName("Guardian")
    data_dir.ensure()
    db = open_database(data_dir.database_url)
    try:
        prefs = UiPrefs.in_folder(data_dir.root)
        if listen:
            prefs.filter_listen = listen
        with db.begin() as session:
            language_code = get_setting(session, APP_LANGUAGE)
            first_run = not has_parent_password(session)
        guardian_app = GuardianApp(data_dir, db, prefs, language_code)
        qt_app.aboutToQuit.connect(guardian_app.shutdown)
        guardian_app.start(first_run)
        return qt_app.exec()
    finally:
        db.close()
