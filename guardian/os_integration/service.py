"""Start the filter at boot: a systemd unit, a Task Scheduler task, a launchd job.

The filter runs as the owner of the data folder (never as root), so the parent app
and the service share one database and one CA; it restarts by itself if it stops.
"""

from __future__ import annotations

import plistlib
from pathlib import PurePath, PurePosixPath, PureWindowsPath
from xml.sax.saxutils import escape

from guardian.os_integration.actions import RemoveFile, Run, Step, WriteFile, skipped
from guardian.os_integration.host import SERVICE_NAME, Host, Install

SYSTEM_UNIT_DIR = PurePosixPath("/etc/systemd/system")
LAUNCHD_LABEL = "org.guardian.filter"
TASK_NAME = "Guardian filter"


# --- Linux: systemd ------------------------------------------------------------------------


def systemd_quote(arg: str) -> str:
    """One ExecStart word: quoted when needed; `%` and `$` escaped from expansion."""
    text = arg.replace("%", "%%").replace("$", "$$")
    if text and not any(c.isspace() or c in "\"'\\;" for c in text):
        return text
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def systemd_unit(install: Install, *, system_unit: bool) -> str:
    lines = [
        "[Unit]",
        "Description=Guardian household filter",
        "After=network-online.target",
        "Wants=network-online.target",
        "",
        "[Service]",
        "Type=simple",
        "ExecStart=" + " ".join(systemd_quote(arg) for arg in install.filter_argv()),
    ]
    if install.working_dir is not None:
        lines.append(f"WorkingDirectory={systemd_quote(str(install.working_dir))}")
    if system_unit and install.service_user:
        lines.append(f"User={install.service_user}")
    lines += [f"Environment={systemd_quote(f'{name}={value}')}"
              for name, value in install.environment]
    lines += [
        "Restart=on-failure",
        "RestartSec=2",
        "NoNewPrivileges=yes",
        "",
        "[Install]",
        "WantedBy=" + ("multi-user.target" if system_unit else "default.target"),
        "",
    ]
    return "\n".join(lines)


def _unit_path(host: Host) -> PurePath:
    if host.admin:
        return SYSTEM_UNIT_DIR / f"{SERVICE_NAME}.service"
    return host.home / ".config" / "systemd" / "user" / f"{SERVICE_NAME}.service"


def linux_service(host: Host, install: Install) -> Step:
    if not host.has("systemctl"):
        return skipped("start at boot", "systemd's systemctl not found: start "
                       "`guardian proxy` from the system's start-up programs instead")
    if not host.systemd_running:
        return skipped("start at boot", "systemd is not running here (a container?)")
    path = _unit_path(host)
    unit = systemd_unit(install, system_unit=host.admin)
    mode = 0o600 if install.environment else 0o644  # a database URL may hold a password
    if host.admin:
        return Step(f"start at boot (systemd unit {path})", (
            WriteFile(path, unit, mode),
            Run(("systemctl", "daemon-reload")),
            Run(("systemctl", "enable", "--now", f"{SERVICE_NAME}.service")),
        ))
    actions: list[WriteFile | Run] = [
        WriteFile(path, unit, mode),
        Run(("systemctl", "--user", "daemon-reload")),
        Run(("systemctl", "--user", "enable", "--now", f"{SERVICE_NAME}.service")),
    ]
    if host.has("loginctl"):  # a user's units start at boot only with lingering on
        actions.append(Run(("loginctl", "enable-linger", host.user)))
    return Step(f"start at boot (systemd user unit {path})", tuple(actions))


def linux_service_removal(host: Host) -> Step:
    if not host.has("systemctl"):
        return skipped("stop starting at boot", "systemd's systemctl not found")
    if not host.systemd_running:
        return skipped("stop starting at boot", "systemd is not running here (a container?)")
    path = _unit_path(host)
    scope = () if host.admin else ("--user",)
    return Step(f"stop starting at boot (remove {path})", (
        # 1 and 5: the unit was not loaded, nothing to stop.
        Run(("systemctl", *scope, "disable", "--now", f"{SERVICE_NAME}.service"), (0, 1, 5)),
        RemoveFile(path),
        Run(("systemctl", *scope, "daemon-reload")),
    ))


# --- Windows: Task Scheduler -----------------------------------------------------------------


def windows_task_xml(install: Install) -> str:
    """A task that starts the filter at boot as SYSTEM and restarts it if it stops."""
    program, *arguments = install.filter_argv()
    from subprocess import list2cmdline

    working = install.working_dir or PureWindowsPath(program).parent
    return f"""<?xml version="1.0" encoding="UTF-16"?>
<Task version="1.4" xmlns="http://schemas.microsoft.com/windows/2004/02/mit/task">
  <RegistrationInfo>
    <Description>Guardian household filter</Description>
    <URI>\\{escape(TASK_NAME)}</URI>
  </RegistrationInfo>
  <Triggers>
    <BootTrigger>
      <Enabled>true</Enabled>
    </BootTrigger>
  </Triggers>
  <Principals>
    <Principal id="Author">
      <UserId>S-1-5-18</UserId>
      <RunLevel>HighestAvailable</RunLevel>
    </Principal>
  </Principals>
  <Settings>
    <MultipleInstancesPolicy>IgnoreNew</MultipleInstancesPolicy>
    <DisallowStartIfOnBatteries>false</DisallowStartIfOnBatteries>
    <StopIfGoingOnBatteries>false</StopIfGoingOnBatteries>
    <AllowHardTerminate>true</AllowHardTerminate>
    <StartWhenAvailable>true</StartWhenAvailable>
    <AllowStartOnDemand>true</AllowStartOnDemand>
    <Enabled>true</Enabled>
    <Hidden>false</Hidden>
    <ExecutionTimeLimit>PT0S</ExecutionTimeLimit>
    <Priority>5</Priority>
    <RestartOnFailure>
      <Interval>PT1M</Interval>
      <Count>999</Count>
    </RestartOnFailure>
  </Settings>
  <Actions Context="Author">
    <Exec>
      <Command>{escape(program)}</Command>
      <Arguments>{escape(list2cmdline(arguments))}</Arguments>
      <WorkingDirectory>{escape(str(working))}</WorkingDirectory>
    </Exec>
  </Actions>
</Task>
"""


def windows_service(host: Host, install: Install) -> Step:
    if not host.admin:
        return skipped("start at boot", "needs an administrator: run it from an "
                       "administrator's command prompt")
    xml_path = PureWindowsPath(install.data_dir) / "guardian-task.xml"
    return Step(f"start at boot (scheduled task \"{TASK_NAME}\")", (
        WriteFile(xml_path, windows_task_xml(install), encoding="utf-16"),
        Run(("schtasks", "/Create", "/TN", TASK_NAME, "/XML", str(xml_path), "/F")),
        Run(("schtasks", "/Run", "/TN", TASK_NAME)),
    ))


def windows_service_removal(host: Host, install: Install) -> Step:
    if not host.admin:
        return skipped("stop starting at boot", "needs an administrator")
    return Step(f"stop starting at boot (scheduled task \"{TASK_NAME}\")", (
        Run(("schtasks", "/End", "/TN", TASK_NAME), (0, 1)),
        Run(("schtasks", "/Delete", "/TN", TASK_NAME, "/F"), (0, 1)),
        RemoveFile(PureWindowsPath(install.data_dir) / "guardian-task.xml"),
    ))


# --- macOS: launchd ------------------------------------------------------------------------------


def launchd_plist(install: Install, *, daemon: bool) -> str:
    job: dict[str, object] = {
        "Label": LAUNCHD_LABEL,
        "ProgramArguments": list(install.filter_argv()),
        "RunAtLoad": True,
        "KeepAlive": {"SuccessfulExit": False},
        "ThrottleInterval": 5,
        "StandardOutPath": str(PurePosixPath(install.data_dir) / "filter-service.log"),
        "StandardErrorPath": str(PurePosixPath(install.data_dir) / "filter-service.log"),
    }
    if install.working_dir is not None:
        job["WorkingDirectory"] = str(install.working_dir)
    if daemon and install.service_user:
        job["UserName"] = install.service_user
    if install.environment:
        job["EnvironmentVariables"] = dict(install.environment)
    return plistlib.dumps(job).decode("utf-8")


def _plist_path(host: Host) -> PurePath:
    if host.admin:
        return PurePosixPath("/Library/LaunchDaemons") / f"{LAUNCHD_LABEL}.plist"
    return host.home / "Library" / "LaunchAgents" / f"{LAUNCHD_LABEL}.plist"


def _launchd_domain(host: Host) -> str:
    return "system" if host.admin else f"gui/{host.uid}"


def macos_service(host: Host, install: Install) -> Step:
    path = _plist_path(host)
    mode = 0o600 if install.environment else 0o644
    return Step(f"start at boot (launchd job {path})", (
        WriteFile(path, launchd_plist(install, daemon=host.admin), mode),
        Run(("launchctl", "bootstrap", _launchd_domain(host), str(path))),
    ))


def macos_service_removal(host: Host) -> Step:
    path = _plist_path(host)
    return Step(f"stop starting at boot (remove {path})", (
        Run(("launchctl", "bootout", f"{_launchd_domain(host)}/{LAUNCHD_LABEL}"), (0, 3, 5, 36)),
        RemoveFile(path),
    ))


def service_step(host: Host, install: Install) -> Step:
    if host.system == "windows":
        return windows_service(host, install)
    if host.system == "macos":
        return macos_service(host, install)
    return linux_service(host, install)


def service_removal_step(host: Host, install: Install) -> Step:
    if host.system == "windows":
        return windows_service_removal(host, install)
    if host.system == "macos":
        return macos_service_removal(host)
    return linux_service_removal(host)
