"""Install and uninstall step by step, on a pretend machine: nothing real is changed."""

from __future__ import annotations

from pathlib import Path, PurePosixPath

from guardian.install_flow import finish, plan, recorded_user, run_step
from guardian.os_integration.host import Host


def pretend_host(home: Path):
    def probe(child_user: str | None) -> Host:
        return Host(system="linux", admin=False, user="parent", uid=1000,
                    tools=frozenset({"systemctl", "gsettings"}), home=PurePosixPath(home),
                    child_home=PurePosixPath(home), systemd_running=True)
    return probe


def test_a_dry_run_changes_nothing_and_a_real_run_uses_the_runner(data_dir, tmp_path) -> None:
    probe = pretend_host(tmp_path / "home")
    steps = plan("install", data_dir, child_user="an", probe=probe)
    assert steps.kind == "install" and steps.steps
    ran: list[tuple[str, ...]] = []

    def runner(argv):
        ran.append(tuple(argv))
        return 0, ""

    dry = [run_step(steps, step, dry_run=True, run=runner) for step in steps.steps]
    assert ran == [] and {o.status for o in dry} <= {"dry run", "skipped"}
    assert not (tmp_path / "home").exists()
    finish(steps, data_dir, dry, dry_run=True)
    assert recorded_user(data_dir) is None
    real = [run_step(steps, step, dry_run=False, run=runner) for step in steps.steps]
    assert ran, "commands go through the runner given"
    assert any(o.status == "done" for o in real)
    finish(steps, data_dir, real, dry_run=False)
    assert recorded_user(data_dir) == "an"
    undo = plan("uninstall", data_dir, probe=probe)
    assert undo.install.child_user == "an", "uninstall finds the account install used"
    outcomes = [run_step(undo, step, dry_run=False, run=runner) for step in undo.steps]
    finish(undo, data_dir, outcomes, dry_run=False)
    assert recorded_user(data_dir) is None


def test_uninstall_undoes_the_address_and_port_the_install_recorded(data_dir, tmp_path) -> None:
    probe = pretend_host(tmp_path / "home")
    installed = plan("install", data_dir, child_user="an", listen=("127.0.0.1", 9090),
                     child_port=8081, probe=probe)
    finish(installed, data_dir, [], dry_run=False)
    undo = plan("uninstall", data_dir, probe=probe)  # asked without the address
    assert (undo.install.listen_host, undo.install.listen_port) == ("127.0.0.1", 9090)
    assert undo.install.child_port == 8081 and undo.install.child_user == "an"
