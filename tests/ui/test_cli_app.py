"""`guardian app`: the command opens the wizard on first run, the password prompt after."""

from __future__ import annotations

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QDialog

from guardian.storage.database import Database
from guardian.storage.parent_account import set_parent_password
from tests.proxy_harness import free_port
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


def test_first_run_opens_the_wizard_and_closing_it_quits(qtbot, cli, data_dir) -> None:
    port = free_port()
    seen: list[str] = []
    close_when_shown(SetupWizard, seen)
    result = cli("app", "--listen", f"127.0.0.1:{port}")
    assert result.code == 0, result.err
    assert seen == ["Thiết lập Guardian"], "Vietnamese until the parent chooses"
    assert UiPrefs.in_folder(data_dir.root).filter_listen == f"127.0.0.1:{port}"


def test_a_later_start_asks_for_the_password(qtbot, cli, db: Database) -> None:
    with db.begin() as session:
        set_parent_password(session, "a long family password")
    seen: list[str] = []
    close_when_shown(LoginDialog, seen)
    result = cli("app", "--listen", f"127.0.0.1:{free_port()}")
    assert result.code == 0, result.err
    assert seen == ["Guardian — mật khẩu phụ huynh"]


def test_a_bad_address_is_refused_before_any_window(cli) -> None:
    result = cli("app", "--listen", "nowhere:port")
    assert result.code == 1
    assert "HOST:PORT" in result.err
