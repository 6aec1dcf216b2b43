"""Installing the filter's CA certificate: where it is, the steps per browser and OS, a check.

The check opens https://guardian.home.arpa/health through the running filter,
trusting only the file `guardian ca path` names: if that handshake verifies,
a browser that trusts the file will accept the filter's pages. The same
request with this computer's own trusted authorities says whether the
certificate is installed system-wide (Firefox keeps its own list, so its
step is separate).
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QDesktopServices, QGuiApplication
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from ui.filter_health import CertificateCheck, check_certificate
from ui.filter_launcher import FilterLauncher
from ui.language import Language
from ui.styles import BAD_COLOUR, GOOD_COLOUR
from ui.supervisor import FilterSupervisor
from ui.tasks import Tasks, error_sentence, technical_detail

STEPS = ("firefox", "windows", "macos", "linux")
GOOD, BAD = f"color: {GOOD_COLOUR};", f"color: {BAD_COLOUR};"


class CertificatePanel(QWidget):
    def __init__(self, language: Language, tasks: Tasks, launcher: FilterLauncher,
                 supervisor: FilterSupervisor, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.language, self.tasks = language, tasks
        self.launcher, self.supervisor = launcher, supervisor
        self.last_check: CertificateCheck | None = None
        self.intro = QLabel(wordWrap=True)
        self.path = QLineEdit(readOnly=True)
        self.path_label = QLabel()
        self.path_label.setBuddy(self.path)
        self.copy_button, self.folder_button = QPushButton(), QPushButton()
        self.copy_button.clicked.connect(self._copy)
        self.folder_button.clicked.connect(self._open_folder)
        self.tabs = QTabWidget()
        self.steps = {key: QLabel(wordWrap=True) for key in STEPS}
        for key in STEPS:
            self.steps[key].setMargin(8)
            self.steps[key].setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
            self.steps[key].setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            self.tabs.addTab(self.steps[key], "")
        self.check_button = QPushButton()
        self.check_button.clicked.connect(self.check)
        self.result = QLabel(wordWrap=True)
        self.browser_hint = QLabel(wordWrap=True)
        path_row = QHBoxLayout()
        path_row.addWidget(self.path_label)
        path_row.addWidget(self.path, 1)
        path_row.addWidget(self.copy_button)
        path_row.addWidget(self.folder_button)
        check_row = QHBoxLayout()
        check_row.addWidget(self.check_button)
        check_row.addWidget(self.result, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.intro)
        layout.addLayout(path_row)
        layout.addWidget(self.tabs, 1)
        layout.addLayout(check_row)
        layout.addWidget(self.browser_hint)
        self.retranslate()

    def retranslate(self) -> None:
        tr = self.language.text
        self.intro.setText(tr("app.ca.intro"))
        self.path_label.setText(tr("app.ca.path"))
        self.copy_button.setText(tr("app.ca.copy"))
        self.folder_button.setText(tr("app.ca.open_folder"))
        for index, key in enumerate(STEPS):
            self.tabs.setTabText(index, tr(f"app.ca.tab.{key}"))
            self.steps[key].setText(tr(f"app.ca.steps.{key}", path=self.path.text() or "…"))
        self.check_button.setText(tr("app.ca.check"))
        self.browser_hint.setText(tr("app.ca.browser_hint"))
        if self.last_check is not None:
            self._show(self.last_check)

    def load_path(self) -> None:
        """Ask `guardian ca path` for the certificate (it creates the CA if needed)."""
        self.tasks.run(self.launcher.ca_path, self._path_loaded,
                       lambda exc: self._fail(error_sentence(exc, self.language)), owner=self)

    def _path_loaded(self, path: Path) -> None:
        self.path.setText(str(path))
        self.retranslate()

    def check(self) -> None:
        state = self.supervisor.state
        if not state.is_up:
            self._fail(self.language.text("app.ca.filter_not_running"))
            return
        self.check_button.setEnabled(False)
        self.result.setStyleSheet("")
        self.result.setText(self.language.text("app.ca.checking"))
        launcher, host, port = self.launcher, state.host, state.port

        def run() -> tuple[Path, CertificateCheck]:
            ca = launcher.ca_path()
            return ca, check_certificate(host, port, ca)

        self.tasks.run(run, self._checked,
                       lambda exc: self._fail(error_sentence(exc, self.language)),
                       owner=self)

    def _checked(self, outcome: tuple[Path, CertificateCheck]) -> None:
        path, result = outcome
        self.path.setText(str(path))
        self.last_check = result
        self.check_button.setEnabled(True)
        self.retranslate()

    def _show(self, result: CertificateCheck) -> None:
        tr = self.language.text
        if not result.signed_by_ca:
            self.result.setStyleSheet(BAD)
            error = result.error or "?"
            self.result.setText(tr("app.ca.check_failed",
                                   error=technical_detail(error, self.language)))
            self.result.setToolTip(error)
            return
        self.result.setToolTip("")
        system = tr("app.ca.system_trusts" if result.system_trusts else "app.ca.system_not")
        self.result.setStyleSheet(GOOD)
        self.result.setText(tr("app.ca.check_passed") + " " + system)

    def _fail(self, message: str) -> None:
        self.check_button.setEnabled(True)
        self.result.setStyleSheet(BAD)
        self.result.setText(message)

    def _copy(self) -> None:
        if self.path.text():
            QGuiApplication.clipboard().setText(self.path.text())

    def _open_folder(self) -> None:
        if self.path.text():
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(Path(self.path.text()).parent)))


class CertificateDialog(QDialog):
    """The certificate panel on its own, opened from Settings after the first-run wizard."""

    def __init__(self, language: Language, tasks: Tasks, launcher: FilterLauncher,
                 supervisor: FilterSupervisor, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.language = language
        self.panel = CertificatePanel(language, tasks, launcher, supervisor, self)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.panel, 1)
        layout.addWidget(self.buttons)
        self.resize(860, 600)
        self.retranslate()
        self.panel.load_path()

    def retranslate(self) -> None:
        self.setWindowTitle(self.language.text("app.ca.title"))
        self.buttons.button(QDialogButtonBox.StandardButton.Close).setText(
            self.language.text("app.button.close"))
        self.panel.retranslate()
