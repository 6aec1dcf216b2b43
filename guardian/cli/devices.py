"""`guardian device ...`: a child's phones and tablets, each joined to the filter by WireGuard."""

from __future__ import annotations

import argparse
import os
from pathlib import Path

from guardian.cli.context import CliContext, print_json
from guardian.devices import (
    DEFAULT_LISTEN_HOST,
    Device,
    add_device,
    device_config,
    devices_dir,
    find_device,
    forget_device_file,
    list_devices,
    qr_terminal,
    remove_device,
)


def register(commands: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    device = commands.add_parser(
        "device", help="children's phones and tablets (WireGuard)",
        description="Each device joins the filter with its own WireGuard configuration: "
                    "install the WireGuard app on it and scan the QR code.",
    )
    actions = device.add_subparsers(dest="device_command", metavar="COMMAND", required=True)

    add = actions.add_parser("add", help="give a child's device its WireGuard configuration")
    add.add_argument("profile", help="the child's profile")
    add.add_argument("name", help="a name for the device, e.g. 'An phone'")
    add.add_argument("--endpoint", metavar="HOST",
                     help="this PC's address as the device reaches it (default: its address "
                          "on the local network)")
    add.add_argument("--port", type=int, help="UDP port for this device (default: from 51820)")
    add.add_argument("--listen-host", default=DEFAULT_LISTEN_HOST, metavar="HOST",
                     help=f"address the filter listens on for it (default {DEFAULT_LISTEN_HOST})")
    add.add_argument("--out", type=Path, metavar="FILE",
                     help="also write the device's configuration to FILE")
    add.add_argument("--no-qr", action="store_true", help="do not draw the QR code")
    add.set_defaults(handler=add_command)

    show = actions.add_parser("show", help="print a device's configuration and QR code again")
    show.add_argument("profile")
    show.add_argument("name")
    show.add_argument("--no-qr", action="store_true")
    show.set_defaults(handler=show_command)

    listing = actions.add_parser("list", help="list the devices")
    listing.add_argument("--json", action="store_true")
    listing.set_defaults(handler=list_command)

    remove = actions.add_parser("remove", help="disconnect a device for good")
    remove.add_argument("profile")
    remove.add_argument("name")
    remove.set_defaults(handler=remove_command)


def add_command(args: argparse.Namespace, context: CliContext) -> int:
    device: Device | None = None
    try:
        with context.db().begin() as session:
            device = add_device(session, context.data_dir, args.profile, args.name,
                                endpoint=args.endpoint, listen_host=args.listen_host,
                                port=args.port)
    except BaseException:
        if device is not None:  # the file was written but the database refused
            forget_device_file(context.data_dir, device)
        raise
    text = device_config(device)
    path = devices_dir(context.data_dir) / f"wireguard-{device.port}.conf"
    _write_private(path, text)
    if args.out:
        _write_private(args.out, text)
    print(f"Added {device.name} for {device.profile}: tunnel address {device.address}, "
          f"UDP port {device.port}, configuration in {path}")
    _show(device, text, qr=not args.no_qr)
    if device.endpoint.startswith("127."):
        print(f"Note: the device dials {device.endpoint}, this PC's loopback address; pass "
              "--endpoint with the PC's address on the home network.")
    print("The filter opens the device's port within a few seconds (or at its next start); "
          f"allow UDP port {device.port} through this PC's firewall.")
    return 0


def show_command(args: argparse.Namespace, context: CliContext) -> int:
    device = find_device(context.data_dir, args.profile, args.name)
    _show(device, device_config(device), qr=not args.no_qr)
    return 0


def list_command(args: argparse.Namespace, context: CliContext) -> int:
    devices = list_devices(context.data_dir)
    rows = [
        {"profile": d.profile, "name": d.name, "address": d.address, "port": d.port,
         "endpoint": d.endpoint, "public_key": d.client_public_key}
        for d in devices
    ]
    if args.json:
        print_json(rows)
        return 0
    if not rows:
        print("No devices yet. Add one: guardian device add PROFILE NAME")
    for row in rows:
        print(f"{row['profile']}  {row['name']}  {row['address']}  "
              f"udp {row['port']}  endpoint {row['endpoint']}")
    return 0


def remove_command(args: argparse.Namespace, context: CliContext) -> int:
    with context.db().begin() as session:
        device = remove_device(session, context.data_dir, args.profile, args.name)
    (devices_dir(context.data_dir) / f"wireguard-{device.port}.conf").unlink(missing_ok=True)
    print(f"Removed {device.name} ({device.profile}); its keys no longer connect")
    return 0


def _show(device: Device, text: str, *, qr: bool) -> None:
    print()
    print(text, end="")
    if qr:
        print()
        print(f"Scan this in the WireGuard app on {device.name}:")
        print(qr_terminal(text), end="")


def _write_private(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    descriptor = os.open(path, os.O_CREAT | os.O_WRONLY | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
        handle.write(text)
