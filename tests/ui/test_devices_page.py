"""Children page, "Phones and tablets" tab: a device added here is one `guardian device` lists."""

from __future__ import annotations

import json
import stat

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog, QMessageBox

from guardian.device_setup import config_path
from tests.ui.conftest import add_child, idle


def open_devices(qtbot, make_app):
    app = make_app()
    app.show_main_window()
    page = app.window.show_page("children")
    page.show_tab("devices")
    panel = page.devices
    qtbot.waitUntil(lambda: panel.child.count() > 0, timeout=10_000)
    idle(qtbot, app.tasks)
    return app, panel


def test_a_device_added_in_the_app_is_listed_by_the_cli(qtbot, make_app, db, data_dir, cli,
                                                        shoot) -> None:
    add_child(db, "An", 9, port=8081)
    app, panel = open_devices(qtbot, make_app)
    qtbot.mouseClick(panel.add_button, Qt.MouseButton.LeftButton)
    assert panel.error.isVisible() and panel.error.text() == "Type a name for the device."
    panel.name.setFocus()
    qtbot.keyClicks(panel.name, "An phone")
    panel.endpoint.setText("192.168.1.10")
    with qtbot.waitSignal(panel.devices_changed, timeout=10_000):
        qtbot.keyClick(panel.name, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: panel.shown is not None and bool(panel.shown.png), timeout=10_000)
    device = panel.shown.device
    assert (device.profile, device.name, device.endpoint) == ("An", "An phone", "192.168.1.10")
    assert not panel.qr.pixmap().isNull(), "the QR code is drawn"
    assert "51820" in panel.note.text()
    conf = config_path(data_dir, device)
    assert "[Interface]" in conf.read_text() and stat.S_IMODE(conf.stat().st_mode) == 0o600
    listed = json.loads(cli("device", "list", "--json").out)
    assert [(d["profile"], d["name"]) for d in listed] == [("An", "An phone")]
    shoot(app.window, "devices-en")


def test_the_configuration_is_saved_as_a_file_and_the_device_removed(
        qtbot, make_app, db, data_dir, cli, tmp_path, monkeypatch) -> None:
    add_child(db, "An", 9, port=8081)
    assert cli("device", "add", "An", "tablet", "--endpoint", "10.0.0.5", "--no-qr").code == 0
    app, panel = open_devices(qtbot, make_app)
    qtbot.waitUntil(lambda: panel.shown is not None and bool(panel.shown.text), timeout=10_000)
    target = tmp_path / "tablet.conf"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), ""))
    qtbot.mouseClick(panel.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(target.exists, timeout=10_000)
    assert target.read_text() == panel.shown.text
    idle(qtbot, app.tasks)
    assert str(target) in panel.note.text()
    panel.view.setFocus()
    qtbot.keyClick(panel.view, Qt.Key.Key_Delete)
    assert panel.confirm is not None
    with qtbot.waitSignal(panel.devices_changed, timeout=10_000):
        panel.confirm.button(QMessageBox.StandardButton.Yes).click()
    assert json.loads(cli("device", "list", "--json").out) == []
    qtbot.waitUntil(lambda: panel.model.rowCount() == 0, timeout=10_000)
    assert panel.shown is None and not panel.save_button.isEnabled()
