"""Adding and removing a child's device as one action, with its configuration file.

`guardian device add` and the parent app's "Phones and tablets" tab do the
same: the device's keys and address in the data folder, its address
attributed to the child in the database, and its WireGuard configuration in
`devices/wireguard-PORT.conf` (readable by the owner only, it holds a private
key). If the database refuses, the keys written are taken back.
"""

from __future__ import annotations

import os
from pathlib import Path

from guardian.datadir import DataDir
from guardian.devices import (
    DEFAULT_LISTEN_HOST,
    Device,
    add_device,
    device_config,
    devices_dir,
    forget_device_file,
    remove_device,
)
from guardian.storage.database import Database


def config_path(data_dir: DataDir, device: Device) -> Path:
    return devices_dir(data_dir) / f"wireguard-{device.port}.conf"


def write_private(path: Path, text: str) -> None:
    """Write `text` to `path`, readable and writable by the owner only."""
    path.parent.mkdir(parents=True, exist_ok=True)
    descriptor = os.open(path, os.O_CREAT | os.O_WRONLY | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
        handle.write(text)


def add_device_with_config(db: Database, data_dir: DataDir, profile: str, name: str, *,
                           endpoint: str | None = None, port: int | None = None,
                           listen_host: str = DEFAULT_LISTEN_HOST) -> Device:
    """Add the device (one transaction) and write its configuration file."""
    device: Device | None = None
    try:
        with db.begin() as session:
            device = add_device(session, data_dir, profile, name, endpoint=endpoint,
                                listen_host=listen_host, port=port)
    except BaseException:
        if device is not None:  # the file was written but the database refused
            forget_device_file(data_dir, device)
        raise
    write_private(config_path(data_dir, device), device_config(device))
    return device


def remove_device_and_config(db: Database, data_dir: DataDir, profile: str, name: str) -> Device:
    with db.begin() as session:
        device = remove_device(session, data_dir, profile, name)
    config_path(data_dir, device).unlink(missing_ok=True)
    return device
