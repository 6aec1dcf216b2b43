"""The whole install and uninstall, and the record install leaves for uninstall."""

from __future__ import annotations

import json
from pathlib import Path

from guardian.os_integration.actions import Step
from guardian.os_integration.certificates import (
    nss_removal_steps,
    nss_steps,
    system_store_removal_step,
    system_store_step,
)
from guardian.os_integration.host import Host, Install
from guardian.os_integration.proxy_settings import proxy_step
from guardian.os_integration.service import service_removal_step, service_step

RECORD_NAME = "install.json"


def install_plan(host: Host, install: Install) -> list[Step]:
    """Start at boot, trust the CA everywhere the child's browsers look, point the child at it."""
    return [
        service_step(host, install),
        system_store_step(host, install),
        *nss_steps(host, install),
        proxy_step(host, install, enable=True),
    ]


def uninstall_plan(host: Host, install: Install) -> list[Step]:
    """Undo all of it: the service, the child's proxy settings, the CA wherever it was put."""
    return [
        service_removal_step(host, install),
        proxy_step(host, install, enable=False),
        system_store_removal_step(host, install),
        *nss_removal_steps(host, install),
    ]


def write_record(data_root: Path, install: Install) -> None:
    """What uninstall needs to know later: whose settings were changed, and how."""
    record = {
        "child_user": install.child_user,
        "child_port": install.child_port,
        "listen": f"{install.listen_host}:{install.listen_port}",
    }
    (data_root / RECORD_NAME).write_text(json.dumps(record, indent=2) + "\n", encoding="utf-8")


def read_record(data_root: Path) -> dict[str, object]:
    try:
        raw = json.loads((data_root / RECORD_NAME).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return raw if isinstance(raw, dict) else {}


def forget_record(data_root: Path) -> None:
    (data_root / RECORD_NAME).unlink(missing_ok=True)
