"""A walk through every page and dialog of the app, in both languages, saving a PNG of each.

Used by `python -m ui.screenshots` (a real X window under Xvfb) and by the
offscreen tests. The household is the demo one, in a temporary data folder;
the filter is the real one, started by the app's own supervisor.
"""

from __future__ import annotations

import getpass
import socket
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QEventLoop
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication, QWidget

from guardian.datadir import resolve_data_dir
from guardian.i18n import LANGUAGES
from guardian.storage.database import open_database
from guardian.storage.profiles import ProfileSummary, profile_summaries
from ui.app import GuardianApp
from ui.certificate_panel import CertificateDialog
from ui.child_dialog import ChildDialog
from ui.demo_household import create_demo_household
from ui.list_import_dialog import ListImportDialog
from ui.password_dialogs import LoginDialog
from ui.prefs import UiPrefs
from ui.supervisor import FilterStatus
from ui.wizard import SetupWizard

SCREEN = (1366, 768)
# Tabs of a page beyond its first, each saved as <language>-<number>-<page>-<tab>.png.
SECTIONS = (("children", "devices"), ("rules", "protection"), ("rules", "explain"),
            ("settings", "install"))
EXPLAIN_URL = "https://casino-online.example/"  # in the demo's gambling list
Grab = Callable[[QWidget, Path], None]


def grab_widget(widget: QWidget, path: Path) -> None:
    """What the widget paints (any platform, offscreen included)."""
    if not widget.grab().save(str(path)):
        raise OSError(f"cannot write {path}")


def grab_window(widget: QWidget, path: Path) -> None:
    """What the window system shows for the window: the real thing, under X."""
    screen = widget.screen() or QGuiApplication.primaryScreen()
    if not screen.grabWindow(widget.winId()).save(str(path)):
        raise OSError(f"cannot write {path}")


def settle(app: GuardianApp, at_least: float = 0.1, timeout: float = 30.0) -> None:
    """Let background work finish and the window repaint."""
    started = time.monotonic()
    while time.monotonic() - started < timeout:
        QApplication.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 50)
        if time.monotonic() - started >= at_least and not app.tasks.busy:
            break
        time.sleep(0.01)
    QApplication.processEvents()


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def take_screenshots(out: Path, grab: Grab = grab_widget, *,
                     languages: tuple[str, ...] = LANGUAGES) -> list[Path]:
    """Save every page and dialog of the app into `out`; the paths, in order."""
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="guardian-demo-") as folder:
        data_dir = resolve_data_dir(Path(folder) / "data").ensure()
        db = open_database(data_dir.database_url)
        try:
            create_demo_household(data_dir, db)
            prefs = UiPrefs.in_folder(data_dir.root)
            prefs.filter_listen = f"127.0.0.1:{_free_port()}"
            app = GuardianApp(data_dir, db, prefs, languages[0])
            try:
                return _tour(app, out, grab, languages)
            finally:
                app.shutdown(stop_filter=True)
                app.window.close()
        finally:
            db.close()


def _tour(app: GuardianApp, out: Path, grab: Grab, languages: tuple[str, ...]) -> list[Path]:
    saved: list[Path] = []

    def save(widget: QWidget, name: str) -> None:
        settle(app)
        path = out / f"{name}.png"
        grab(widget, path)
        saved.append(path)

    app.supervisor.start()
    deadline = time.monotonic() + 60
    while not app.supervisor.state.is_up and time.monotonic() < deadline:
        settle(app, 0.1)
    if app.supervisor.state.status != FilterStatus.RUNNING:
        raise RuntimeError(f"the filter did not start: {app.supervisor.state}")
    window = app.window
    window.setGeometry(0, 0, *SCREEN)
    window.show()
    for language in languages:
        app.choose_language(language)
        for number, page in enumerate(window.pages, start=1):
            window.show_page(page.objectName())
            save(window, f"{language}-{number}-{page.objectName()}")
        for name, tab in SECTIONS:
            page = window.show_page(name)
            number = window.pages.index(page) + 1
            page.show_tab(tab)  # type: ignore[attr-defined]
            settle(app)
            _fill_section(app, tab)
            save(window, f"{language}-{number}-{name}-{tab}")
            page.show_tab(page.TABS[0])  # type: ignore[attr-defined]
        children = _children(app)
        for name, dialog in _dialogs(app, children):
            dialog.show()
            if isinstance(dialog, CertificateDialog):
                settle(app)
                dialog.panel.check()  # through the running filter, trusting its CA file
            save(dialog, f"{language}-dialog-{name}")
            dialog.close()
            dialog.deleteLater()
        saved += _wizard(app, out, grab, language)
    return saved


def _fill_section(app: GuardianApp, tab: str) -> None:
    """What a parent would have done on the tab before looking at it."""
    if tab == "explain":
        app.rules.explain.url.setText(EXPLAIN_URL)
        app.rules.explain.check()
    elif tab == "install":
        app.install.user.setText(getpass.getuser())  # an account that exists here
        app.install.start("install", dry_run=True)  # a preview: changes nothing
    elif tab == "devices":
        devices = app.children_page.devices
        if devices is not None:
            settle(app)
            devices.view.selectRow(0)
    settle(app, 0.3)


def _children(app: GuardianApp) -> list[ProfileSummary]:
    with app.db.begin() as session:
        return profile_summaries(session)


def _dialogs(app: GuardianApp, children: list[ProfileSummary]) -> list[tuple[str, QWidget]]:
    language, tasks, window = app.language, app.tasks, app.window
    binh = next(child for child in children if child.clients)
    return [
        ("login", LoginDialog(language, tasks, window)),
        ("child-add", ChildDialog(language, suggested_port=8082, parent=window)),
        ("child-edit", ChildDialog(language, existing=binh, parent=window)),
        ("list-import", ListImportDialog(language, from_url=True, parent=window)),
        ("certificate", CertificateDialog(language, tasks, app.launcher, app.supervisor,
                                          window)),
    ]


def _wizard(app: GuardianApp, out: Path, grab: Grab, language: str) -> list[Path]:
    wizard = SetupWizard(app.language, app.tasks, app.launcher, app.supervisor)
    wizard.show()
    paths = []
    names = ("welcome", "password", "children", "filter", "certificate")
    for number, name in enumerate(names, start=1):
        if name == "password":
            wizard.password.fields.password.setText("short")
            wizard.password.fields.confirm.setText("short")
        if name == "children":
            wizard.password.fields.password.setText("a long family password")
            wizard.password.fields.confirm.setText("a long family password")
        if number > 1:
            wizard.next()
        if name == "certificate":
            settle(app)
            wizard.certificate.panel.check()
        settle(app)
        path = out / f"{language}-wizard-{number}-{name}.png"
        grab(wizard, path)
        paths.append(path)
    wizard.close()
    wizard.deleteLater()
    return paths
