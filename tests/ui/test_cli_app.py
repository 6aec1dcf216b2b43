"""`guardian app`: the command opens the wizard on first run, the password prompt after."""

from __future__ import annotations

import os
import signal
import time

from PySide6.QtCore import QCoreApplication, QEvent, QTimer
from PySide6.QtWidgets import QApplication, QDialog

from guardian.storage.database import Database
from guardian.storage.parent_account import set_parent_password
from tests.proxy_harness import free_port
from ui.filter_launcher import FilterLauncher, process_alive
from ui.main_window import MainWindow
from ui.password_dialogs import LoginDialog
from ui.prefs import UiPrefs
from ui.wizard import SetupWizard


def close_when_shown(kind: type[QDialog], seen: list[str]) -> None:
    def look() -> None:
        for widget in QApplication.topLevelWidgets():
            if isinstance(widget, kind) and widget.isVisible():
                seen.append(widget.windowTitle())
                widget.reject()  # the parent closes it: the app quits
                return
        QTimer.singleShot(50, look)

    QTimer.singleShot(50, look)


def run_app(cli, *args: str):  # type: ignore[no-untyped-def]
    """`guardian app` in this process, on the tests' one QApplication."""
    try:
        return cli("app", *args)
    finally:
        # Closing the last window also posts a Quit event; left queued, it would
        # end every event loop the following tests start.
        QCoreApplication.removePostedEvents(QCoreApplication.instance(), QEvent.Type.Quit)


def test_first_run_opens_the_wizard_and_closing_it_quits(qtbot, cli, data_dir) -> None:
    port = free_port()
    seen: list[str] = []
    close_when_shown(SetupWizard, seen)
    result = run_app(cli, "--listen", f"127.0.0.1:{port}")
    assert result.code == 0, result.err
    assert seen == ["Thiết lập Guardian"], "Vietnamese until the parent chooses"
    assert UiPrefs.in_folder(data_dir.root).filter_listen == f"127.0.0.1:{port}"


def test_a_later_start_asks_for_the_password(qtbot, cli, db: Database) -> None:
    with db.begin() as session:
        set_parent_password(session, "a long family password")
    seen: list[str] = []
    close_when_shown(LoginDialog, seen)
    result = run_app(cli, "--listen", f"127.0.0.1:{free_port()}")
    assert result.code == 0, result.err
    assert seen == ["Guardian — mật khẩu phụ huynh"]


def test_a_bad_address_is_refused_before_any_window(cli) -> None:
    result = cli("app", "--listen", "nowhere:port")
    assert result.code == 1
    assert "HOST:PORT" in result.err


def test_the_right_password_opens_the_window_and_the_app_runs_until_it_closes(
        qtbot, cli, db: Database, data_dir) -> None:
    with db.begin() as session:
        set_parent_password(session, "a long family password")
    steps: list[str] = []

    def unlock() -> None:
        login = next((w for w in QApplication.topLevelWidgets()
                      if isinstance(w, LoginDialog) and w.isVisible()), None)
        if login is None:
            QTimer.singleShot(50, unlock)
            return
        login.password.setText("a long family password")
        login.buttons.buttons()[0].click()
        steps.append("unlocked")
        QTimer.singleShot(50, close_window)

    def close_window() -> None:
        window = next((w for w in QApplication.topLevelWidgets()
                       if isinstance(w, MainWindow) and w.isVisible()), None)
        if window is None:
            QTimer.singleShot(50, close_window)
            return
        steps.append("window shown")
        QTimer.singleShot(500, lambda: (steps.append("closing"), window.close()))

    QTimer.singleShot(50, unlock)
    port = free_port()
    result = run_app(cli, "--listen", f"127.0.0.1:{port}")
    assert result.code == 0, result.err
    assert steps == ["unlocked", "window shown", "closing"], "the app ran until the window closed"
    # The app started the filter after the password, and left it running for the children.
    launcher = FilterLauncher(data_dir)
    pid = launcher.recorded_pid()
    assert pid is not None and process_alive(pid)
    os.kill(pid, signal.SIGTERM)
    deadline = time.monotonic() + 20
    while os.waitpid(pid, os.WNOHANG) == (0, 0):  # a child of this test process: reap it
        assert time.monotonic() < deadline, "the filter did not stop"
        time.sleep(0.1)
