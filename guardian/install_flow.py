"""`guardian install` / `uninstall` as a plan of steps, for the command line and the app.

`plan()` probes the machine and lists the steps (nothing changes);
`run_step()` carries one out, or only describes it in a dry run (the app runs
them one by one to report each; the command line applies them all); `finish()`
keeps or forgets the record uninstall reads. The probe and the command runner
are parameters, so tests never touch the machine.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from guardian.datadir import DataDir
from guardian.os_integration.actions import Outcome, Step, describe
from guardian.os_integration.host import Host, Install, default_install, probe_host
from guardian.os_integration.plan import (
    forget_record,
    install_plan,
    read_record,
    uninstall_plan,
    write_record,
)
from guardian.os_integration.runner import CommandRunner, apply_steps, run_command

CA_FILE = "mitmproxy-ca-cert.pem"
Probe = Callable[[str | None], Host]


@dataclass(frozen=True)
class Plan:
    kind: str  # "install" | "uninstall"
    host: Host
    install: Install
    steps: tuple[Step, ...]

    def commands(self, step: Step) -> list[str]:
        """What a step would do, as the dry run prints it."""
        return [describe(action, self.host.windows) for action in step.actions]


def recorded_user(data_dir: DataDir) -> str | None:
    """The child's account an earlier install pointed at the filter, if any."""
    user = read_record(Path(data_dir.root)).get("child_user")
    return user if isinstance(user, str) and user else None


def plan(kind: str, data_dir: DataDir, *, child_user: str | None = None,
         listen: tuple[str, int] = ("127.0.0.1", 8080), child_port: int | None = None,
         probe: Probe = probe_host) -> Plan:
    if kind not in ("install", "uninstall"):
        raise ValueError(kind)
    if kind == "uninstall":  # undo what the install recorded
        record = read_record(Path(data_dir.root))
        child_user = child_user or recorded_user(data_dir)
        port = record.get("child_port")
        child_port = port if isinstance(port, int) else child_port
        listen = _recorded_listen(record.get("listen")) or listen
    host = probe(child_user)
    install = default_install(data_dir, data_dir.ca_dir / CA_FILE, listen=listen,
                              child_port=child_port, child_user=child_user)
    steps = install_plan(host, install) if kind == "install" else uninstall_plan(host, install)
    return Plan(kind, host, install, tuple(steps))


def _recorded_listen(value: object) -> tuple[str, int] | None:
    if not isinstance(value, str):
        return None
    host, _, port = value.rpartition(":")
    return (host.strip("[]"), int(port)) if host and port.isdigit() else None


def run_step(plan: Plan, step: Step, *, dry_run: bool,
             run: CommandRunner = run_command) -> Outcome:
    return apply_steps([step], dry_run=dry_run, windows=plan.host.windows, run=run)[0]


def finish(plan: Plan, data_dir: DataDir, outcomes: Sequence[Outcome], *, dry_run: bool) -> None:
    """After the last step: remember the install, or forget it after a clean uninstall."""
    if dry_run:
        return
    if plan.kind == "install":
        write_record(Path(data_dir.root), plan.install)
    elif not any(outcome.status == "failed" for outcome in outcomes):
        forget_record(Path(data_dir.root))
