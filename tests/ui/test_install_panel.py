"""Settings, "Install on this computer": every step and its result, on a pretend machine."""

from __future__ import annotations

from pathlib import PurePosixPath

from PySide6.QtCore import Qt

from guardian.install_flow import recorded_user
from guardian.os_integration.host import Host
from tests.ui.conftest import idle
from ui.models.install_model import RESULT, STEP
from ui.pages.install_panel import InstallPanel


def pretend(tmp_path):
    ran: list[tuple[str, ...]] = []

    def probe(child_user):
        return Host(system="linux", admin=False, user="parent", uid=1000,
                    tools=frozenset({"systemctl", "gsettings"}),
                    home=PurePosixPath(tmp_path / "home"),
                    child_home=PurePosixPath(tmp_path / "home"), systemd_running=True)

    def run(argv):
        ran.append(tuple(argv))
        return 0, ""

    return probe, run, ran


def make_panel(qtbot, language, tasks, data_dir, tmp_path):
    probe, run, ran = pretend(tmp_path)
    made: list[object] = []
    panel = InstallPanel(language, tasks, data_dir, ("127.0.0.1", 8080), probe=probe, run=run,
                         prepare=made.append)
    qtbot.addWidget(panel)
    panel.show()
    return panel, ran, made


def cells(panel, column: int) -> list[str]:
    return [panel.model.data(panel.model.index(r, column)) for r in range(panel.model.rowCount())]


def test_preview_lists_every_step_and_changes_nothing(qtbot, language, tasks, data_dir,
                                                      tmp_path) -> None:
    panel, ran, made = make_panel(qtbot, language, tasks, data_dir, tmp_path)
    panel.user.setText("an")
    with qtbot.waitSignal(panel.finished, timeout=10_000) as done:
        qtbot.mouseClick(panel.preview_button, Qt.MouseButton.LeftButton)
    assert done.args == ["install", True]
    assert ran == [] and made == [] and not (tmp_path / "home").exists()
    assert "Start the filter at boot" not in cells(panel, STEP), "English shows the core's words"
    assert any(step.startswith("start at boot") for step in cells(panel, STEP))
    assert set(cells(panel, RESULT)) <= {"Would be done", "Skipped"}
    assert "nothing was changed" in panel.summary.text()
    assert recorded_user(data_dir) is None
    language.set_code("vi")
    panel.retranslate()
    assert "Chạy bộ lọc khi máy khởi động" in cells(panel, STEP)
    assert "Sẽ làm" in cells(panel, RESULT)


def test_install_then_uninstall_report_step_by_step(qtbot, language, tasks, data_dir,
                                                    tmp_path) -> None:
    panel, ran, made = make_panel(qtbot, language, tasks, data_dir, tmp_path)
    panel.user.setFocus()
    qtbot.keyClicks(panel.user, "an")
    seen: list[str] = []
    panel.model.dataChanged.connect(lambda *_: seen.append(",".join(cells(panel, RESULT))))
    with qtbot.waitSignal(panel.finished, timeout=10_000) as done:
        qtbot.mouseClick(panel.install_button, Qt.MouseButton.LeftButton)
        assert not panel.install_button.isEnabled(), "one run at a time"
    assert done.args == ["install", True]
    assert made == [data_dir], "the certificate is made before it is installed"
    assert ran, "commands went through the runner given"
    assert any("Working…" in line for line in seen), "each step reported while it runs"
    assert "Done" in cells(panel, RESULT)
    assert recorded_user(data_dir) == "an"
    assert panel.install_button.isEnabled()
    with qtbot.waitSignal(panel.finished, timeout=10_000) as done:
        qtbot.mouseClick(panel.uninstall_button, Qt.MouseButton.LeftButton)
    assert done.args == ["uninstall", True]
    assert "Uninstall finished" in panel.summary.text()
    assert recorded_user(data_dir) is None
    idle(qtbot, tasks)


def test_the_certificate_to_install_is_made_by_the_filters_own_command(data_dir) -> None:
    from ui.pages.install_panel import make_ca

    pem = make_ca(data_dir)
    assert pem.parent == data_dir.ca_dir
    assert pem.read_text().startswith("-----BEGIN CERTIFICATE-----")
    assert make_ca(data_dir) == pem  # the same certificate the second time
