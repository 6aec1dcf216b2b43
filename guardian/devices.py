"""Phones and tablets: one WireGuard configuration per device, attributed to a child.

A phone cannot be pointed at a proxy for every app, but it can join a VPN.
mitmproxy's WireGuard mode is that VPN, ending inside the filter. In mitmproxy 12
one WireGuard listener serves exactly one peer (`wireguard:FILE@PORT`, where FILE
holds a server key and one client key), so every device gets its own file and its
own UDP port. Each device also gets its own tunnel address (10.88.0.N), attributed
to the child's profile as a `client` 10.88.0.N/32. The filter does not trust the
address a phone uses inside the tunnel (a child can edit it); it attributes each
flow by the listener it reached, to that listener's device's address
(proxy_addons/device_traffic.py).

The device files live in the data folder (owner-only: they hold private keys) and
are the listener list the filter reads when it starts and when the policy changes.
"""

from __future__ import annotations

import base64
import io
import ipaddress
import json
import os
import re
import socket
import struct
import zlib
from dataclasses import asdict, dataclass
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from guardian.datadir import DataDir
from guardian.errors import AlreadyExists, NotFound, UsageError
from guardian.storage.models import Attribution
from guardian.storage.policy_version import bump_policy_version
from guardian.storage.profiles import add_attribution, find_profile

DEVICE_NETWORK = ipaddress.ip_network("10.88.0.0/24")
# The tunnel's DNS server: mitmproxy answers DNS sent to any address in the tunnel.
TUNNEL_DNS = "10.0.0.53"
FIRST_PORT = 51820
DEFAULT_LISTEN_HOST = "0.0.0.0"
NAME_PATTERN = re.compile(r"^[\w][\w .-]{0,39}$")


@dataclass(frozen=True)
class Device:
    """A phone or tablet of one child, with its WireGuard keys and listener."""

    profile: str
    name: str
    address: str  # the device's tunnel address, e.g. 10.88.0.2
    port: int  # the filter's UDP port for this device
    endpoint: str  # the address the device dials: this PC on the home network
    listen_host: str
    server_key: str  # the filter's private key for this device (base64, 32 bytes)
    client_key: str  # the device's private key (base64, 32 bytes)

    @property
    def server_public_key(self) -> str:
        return public_key(self.server_key)

    @property
    def client_public_key(self) -> str:
        return public_key(self.client_key)

    @property
    def client_network(self) -> str:
        return f"{self.address}/32"

    def file_name(self) -> str:
        return f"wireguard-{self.port}.json"

    def mode_spec(self, folder: Path) -> str:
        """The mitmproxy mode that serves this device: `wireguard:FILE@HOST:PORT`."""
        host = f"[{self.listen_host}]" if ":" in self.listen_host else self.listen_host
        return f"wireguard:{folder / self.file_name()}@{host}:{self.port}"


def devices_dir(data_dir: DataDir) -> Path:
    return data_dir.root / "devices"


def new_private_key() -> str:
    """A WireGuard private key: 32 random bytes, clamped as Curve25519 expects, base64."""
    raw = bytearray(os.urandom(32))
    raw[0] &= 248
    raw[31] = (raw[31] & 127) | 64
    return base64.b64encode(bytes(raw)).decode("ascii")


def public_key(private: str) -> str:
    from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey

    key = X25519PrivateKey.from_private_bytes(decode_key(private))
    return base64.b64encode(key.public_key().public_bytes_raw()).decode("ascii")


def decode_key(text: str) -> bytes:
    try:
        raw = base64.b64decode(text, validate=True)
    except ValueError as exc:
        raise UsageError("a WireGuard key must be base64") from exc
    if len(raw) != 32:
        raise UsageError("a WireGuard key must be 32 bytes")
    return raw


def device_config(device: Device) -> str:
    """The device's WireGuard configuration, as the WireGuard apps import it (file or QR).

    All IPv4 and IPv6 traffic goes through the tunnel: a device whose IPv6 stayed
    outside would reach the web unfiltered. mitmproxy's tunnel speaks IPv4 inside,
    so IPv6 connections fail and apps fall back to IPv4: closed, not open.
    """
    return (
        "[Interface]\n"
        f"# Guardian: {device.name} ({device.profile})\n"
        f"PrivateKey = {device.client_key}\n"
        f"Address = {device.client_network}\n"
        f"DNS = {TUNNEL_DNS}\n"
        "\n"
        "[Peer]\n"
        f"PublicKey = {device.server_public_key}\n"
        "AllowedIPs = 0.0.0.0/0, ::/0\n"
        f"Endpoint = {_endpoint(device.endpoint, device.port)}\n"
        "PersistentKeepalive = 25\n"
    )


def _endpoint(host: str, port: int) -> str:
    return f"[{host}]:{port}" if ":" in host else f"{host}:{port}"


def local_address() -> str:
    """This PC's address on its network, as a phone at home would dial it (no packet is sent)."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        try:
            probe.connect(("192.0.2.1", 9))  # TEST-NET-1: only picks the outgoing interface
            return str(probe.getsockname()[0])
        except OSError:
            return "127.0.0.1"


# --- the device files -------------------------------------------------------------------


def list_devices(data_dir: DataDir) -> list[Device]:
    """Every device in the data folder; unreadable files are left out (and never served)."""
    folder = devices_dir(data_dir)
    found = []
    for path in sorted(folder.glob("wireguard-*.json")) if folder.is_dir() else ():
        device = _read_device(path)
        if device is not None:
            found.append(device)
    return sorted(found, key=lambda device: (device.profile, device.name))


def _read_device(path: Path) -> Device | None:
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
        guardian = raw["guardian"]
        return Device(
            profile=str(guardian["profile"]), name=str(guardian["name"]),
            address=str(guardian["address"]), port=int(guardian["port"]),
            endpoint=str(guardian["endpoint"]), listen_host=str(guardian["listen_host"]),
            server_key=str(raw["server_key"]), client_key=str(raw["client_key"]),
        )
    except (OSError, ValueError, KeyError, TypeError):
        return None


def _write_device(folder: Path, device: Device) -> Path:
    """mitmproxy's WireGuard file (`server_key`, `client_key`) with Guardian's facts beside."""
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    fields = asdict(device)
    body = {
        "server_key": fields.pop("server_key"),
        "client_key": fields.pop("client_key"),
        "guardian": fields,
    }
    path = folder / device.file_name()
    partial = path.with_suffix(".tmp")
    descriptor = os.open(partial, os.O_CREAT | os.O_WRONLY | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
        json.dump(body, handle, indent=2)
    os.replace(partial, path)
    return path


# --- adding and removing ------------------------------------------------------------------


def add_device(
    session: Session,
    data_dir: DataDir,
    profile_name: str,
    name: str,
    *,
    endpoint: str | None = None,
    listen_host: str = DEFAULT_LISTEN_HOST,
    port: int | None = None,
) -> Device:
    """Give a child's device its keys, tunnel address and port; attribute the address.

    The caller commits the session; if that fails, `forget_device_file` undoes the file.
    """
    name = name.strip()
    if not NAME_PATTERN.match(name):
        raise UsageError("a device name is 1 to 40 letters, digits, spaces, '.', '_' or '-'")
    profile = find_profile(session, profile_name)
    devices = list_devices(data_dir)
    if any(d.profile == profile.name and d.name == name for d in devices):
        raise AlreadyExists(f"{profile.name!r} already has a device named {name!r}")
    taken_ports = {d.port for d in devices}
    if port is None:
        port = next(p for p in range(FIRST_PORT, 65536) if p not in taken_ports)
    elif not 1 <= port <= 65535:
        raise UsageError(f"port {port} is not between 1 and 65535")
    elif port in taken_ports:
        raise AlreadyExists(f"UDP port {port} already serves another device")
    address = _free_address(session, {d.address for d in devices})
    device = Device(
        profile=profile.name, name=name, address=address, port=port,
        endpoint=(endpoint or local_address()).strip("[]"), listen_host=listen_host,
        server_key=new_private_key(), client_key=new_private_key(),
    )
    add_attribution(session, profile, "client", device.client_network)
    session.flush()
    bump_policy_version(session)
    _write_device(devices_dir(data_dir), device)
    return device


def _free_address(session: Session, used: set[str]) -> str:
    claimed = set(session.scalars(select(Attribution.value).where(Attribution.kind == "client")))
    for host in DEVICE_NETWORK.hosts():
        if host.packed[-1] in (1, 53):
            continue  # .1 and .53 read as the tunnel's own addresses; leave them free
        if str(host) not in used and f"{host}/32" not in claimed:
            return str(host)
    raise UsageError(f"no free device address left in {DEVICE_NETWORK}")


def find_device(data_dir: DataDir, profile_name: str, name: str) -> Device:
    for device in list_devices(data_dir):
        if device.profile == profile_name.strip() and device.name == name.strip():
            return device
    raise NotFound(f"{profile_name!r} has no device named {name!r} (see `guardian device list`)")


def remove_device(session: Session, data_dir: DataDir, profile_name: str, name: str) -> Device:
    """Take the address's attribution away and delete the device's keys: it cannot connect."""
    device = find_device(data_dir, profile_name, name)
    for attribution in session.scalars(
        select(Attribution).where(
            Attribution.kind == "client", Attribution.value == device.client_network)
    ):
        session.delete(attribution)
    bump_policy_version(session)
    forget_device_file(data_dir, device)
    return device


def forget_device_file(data_dir: DataDir, device: Device) -> None:
    (devices_dir(data_dir) / device.file_name()).unlink(missing_ok=True)


# --- QR codes -----------------------------------------------------------------------------


def qr_matrix(text: str, border: int = 4) -> list[list[bool]]:
    """The QR code of `text` as rows of modules (True = dark), with a quiet zone of `border`."""
    import qrcode

    code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, border=border)
    code.add_data(text)
    code.make(fit=True)
    return [list(row) for row in code.get_matrix()]


def qr_terminal(text: str) -> str:
    """The QR code drawn with half blocks, two rows of modules per line, for a dark terminal."""
    import qrcode

    code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, border=2)
    code.add_data(text)
    code.make(fit=True)
    out = io.StringIO()
    code.print_ascii(out=out, invert=True)
    return out.getvalue()


def qr_png(text: str, scale: int = 8, border: int = 4) -> bytes:
    """The QR code as a black-and-white PNG (no imaging library needed), for the app to show."""
    matrix = qr_matrix(text, border)
    rows = []
    for row in matrix:
        pixels = bytes(0 if dark else 255 for dark in row for _ in range(scale))
        rows.extend([b"\x00" + pixels] * scale)
    size = len(matrix) * scale

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (struct.pack(">I", len(data)) + kind + data
                + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF))

    header = struct.pack(">IIBBBBB", size, size, 8, 0, 0, 0, 0)  # 8-bit greyscale
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header)
            + chunk(b"IDAT", zlib.compress(b"".join(rows), 9)) + chunk(b"IEND", b""))
