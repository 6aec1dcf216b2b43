"""Phones and tablets over WireGuard, and local capture: configs, QR codes, listener modes.

The WireGuard handshake itself is mitmproxy's; here: the keys and configurations
Guardian writes, the attribution of each device's tunnel address to its child, the
mode specs the filter listens with, and the real filter opening each device's UDP port.
"""

from __future__ import annotations

import base64
import errno
import io
import json
import socket
import time
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey
from mitmproxy.proxy import mode_specs

from guardian.devices import (
    device_config,
    devices_dir,
    list_devices,
    new_private_key,
    public_key,
    qr_matrix,
    qr_png,
)
from proxy_addons.device_traffic import DeviceTraffic
from proxy_addons.policy_source import ListenerSync
from tests.proxy_harness import GuardianProxy, free_port, guardian_cli


def parse_config(text: str) -> dict[str, dict[str, str]]:
    sections: dict[str, dict[str, str]] = {}
    current: dict[str, str] = {}
    for line in text.splitlines():
        line = line.strip()
        if line.startswith("[") and line.endswith("]"):
            current = sections.setdefault(line[1:-1], {})
        elif "=" in line and not line.startswith("#"):
            key, _, value = line.partition("=")
            current[key.strip()] = value.strip()
    return sections


def key_bytes(text: str) -> bytes:
    raw = base64.b64decode(text, validate=True)
    assert len(raw) == 32
    return raw


def test_keys_are_32_bytes_and_public_keys_are_x25519() -> None:
    private = new_private_key()
    raw = key_bytes(private)
    assert raw[0] & 7 == 0 and raw[31] & 128 == 0 and raw[31] & 64  # clamped like `wg genkey`
    expected = X25519PrivateKey.from_private_bytes(raw).public_key().public_bytes_raw()
    assert key_bytes(public_key(private)) == expected
    assert new_private_key() != private


@pytest.fixture
def child(cli) -> None:  # type: ignore[no-untyped-def]
    assert cli("profile", "add", "An", "--age", "9").code == 0


def test_device_add_writes_a_working_config_and_attributes_the_address(cli, data_dir,
                                                                       child) -> None:
    result = cli("device", "add", "An", "An phone", "--endpoint", "192.168.1.10", "--no-qr")
    assert result.code == 0, result.err
    assert "tunnel address 10.88.0.2" in result.out

    conf_path = devices_dir(data_dir) / "wireguard-51820.conf"
    assert conf_path.stat().st_mode & 0o777 == 0o600
    config = parse_config(conf_path.read_text())
    interface, peer = config["Interface"], config["Peer"]
    key_bytes(interface["PrivateKey"])
    key_bytes(peer["PublicKey"])
    assert interface["Address"] == "10.88.0.2/32"
    assert interface["DNS"] == "10.0.0.53"
    assert peer["Endpoint"] == "192.168.1.10:51820"
    assert peer["AllowedIPs"] == "0.0.0.0/0, ::/0"  # IPv6 must not go around the filter

    # mitmproxy's side: the server key answers to the PublicKey, the client key is the device's.
    server_file = json.loads((devices_dir(data_dir) / "wireguard-51820.json").read_text())
    assert (devices_dir(data_dir) / "wireguard-51820.json").stat().st_mode & 0o777 == 0o600
    assert public_key(server_file["server_key"]) == peer["PublicKey"]
    assert server_file["client_key"] == interface["PrivateKey"]

    profiles = json.loads(cli("profile", "list", "--json").out)
    assert profiles[0]["clients"] == ["10.88.0.2/32"]


def test_each_device_gets_its_own_address_and_port(cli, data_dir, child) -> None:
    cli("device", "add", "An", "phone", "--endpoint", "10.0.0.5", "--no-qr")
    result = cli("device", "add", "An", "tablet", "--endpoint", "fd00::5", "--no-qr")
    assert result.code == 0, result.err
    devices = {d.name: d for d in list_devices(data_dir)}
    assert (devices["tablet"].address, devices["tablet"].port) == ("10.88.0.3", 51821)
    assert "Endpoint = [fd00::5]:51821" in device_config(devices["tablet"])
    assert devices["phone"].server_key != devices["tablet"].server_key

    listing = json.loads(cli("device", "list", "--json").out)
    assert [(d["name"], d["address"], d["port"]) for d in listing] == [
        ("phone", "10.88.0.2", 51820), ("tablet", "10.88.0.3", 51821)]


def test_device_mistakes_are_one_line_errors(cli, child) -> None:
    assert cli("device", "add", "An", "phone", "--endpoint", "10.0.0.5", "--no-qr").code == 0
    again = cli("device", "add", "An", "phone", "--endpoint", "10.0.0.5", "--no-qr")
    assert again.code == 1 and "already has a device named 'phone'" in again.err
    nobody = cli("device", "add", "Binh", "phone", "--no-qr")
    assert nobody.code == 1 and "no profile named 'Binh'" in nobody.err
    port = cli("device", "add", "An", "tablet", "--port", "51820", "--no-qr")
    assert port.code == 1 and "51820" in port.err
    bad = cli("device", "add", "An", "../../etc", "--no-qr")
    assert bad.code == 1


def test_device_remove_takes_the_attribution_and_keys_away(cli, data_dir, child) -> None:
    cli("device", "add", "An", "phone", "--endpoint", "10.0.0.5", "--no-qr")
    result = cli("device", "remove", "An", "phone")
    assert result.code == 0, result.err
    assert list_devices(data_dir) == []
    assert not any(devices_dir(data_dir).iterdir())
    assert json.loads(cli("profile", "list", "--json").out)[0]["clients"] == []
    assert cli("device", "remove", "An", "phone").code == 1


def test_device_add_prints_a_qr_code_of_the_config(cli, child) -> None:
    result = cli("device", "add", "An", "phone", "--endpoint", "10.0.0.5")
    assert result.code == 0, result.err
    assert "Scan this in the WireGuard app on phone" in result.out
    assert "█" in result.out and "▀" in result.out


def test_qr_matrix_and_png_agree() -> None:
    from PIL import Image

    text = "[Interface]\nPrivateKey = x\n"
    matrix = qr_matrix(text, border=4)
    size = len(matrix)
    assert all(len(row) == size for row in matrix)
    assert (size - 8 - 21) % 4 == 0  # QR versions grow by 4 modules from 21
    # The finder pattern's dark border at the top-left corner, inside the quiet zone.
    assert all(matrix[4][4 + i] for i in range(7)) and not matrix[3][4]

    png = qr_png(text, scale=3, border=4)
    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    image = Image.open(io.BytesIO(png))
    assert image.size == (size * 3, size * 3)
    for y in range(size):
        for x in range(size):
            assert (image.getpixel((x * 3 + 1, y * 3 + 1)) == 0) == matrix[y][x]


# --- listener modes ----------------------------------------------------------------------------


def test_listener_modes_with_local_capture_and_devices(tmp_path: Path) -> None:
    device = f"wireguard:{tmp_path / 'wireguard-51820.json'}@0.0.0.0:51820"
    sync = ListenerSync("127.0.0.1", 8080, capture="local", device_modes=lambda: (device,))
    modes = sync.modes((8080, 8081))
    assert modes == ["regular", "regular@127.0.0.1:8081", "local", device]
    parsed = [mode_specs.ProxyMode.parse(spec) for spec in modes]
    assert isinstance(parsed[2], mode_specs.LocalMode)
    wireguard = parsed[3]
    assert isinstance(wireguard, mode_specs.WireGuardMode)
    assert wireguard.data == str(tmp_path / "wireguard-51820.json")
    assert (wireguard.custom_listen_host, wireguard.custom_listen_port) == ("0.0.0.0", 51820)


def test_local_capture_of_some_programs(tmp_path: Path) -> None:
    sync = ListenerSync("127.0.0.1", 8080, capture="local:firefox,chrome")
    spec = mode_specs.ProxyMode.parse(sync.modes(())[-1])
    assert isinstance(spec, mode_specs.LocalMode) and spec.data == "firefox,chrome"


def test_proxy_refuses_a_capture_it_does_not_know(cli) -> None:
    result = cli("proxy", "--capture", "everything")
    assert result.code == 2 and "--capture takes local" in result.err


def test_device_modes_come_from_the_device_files(cli, data_dir, child) -> None:
    cli("device", "add", "An", "phone", "--endpoint", "10.0.0.5", "--listen-host", "127.0.0.1",
        "--port", "52000", "--no-qr")
    folder = devices_dir(data_dir)

    def device_modes() -> tuple[str, ...]:
        return DeviceTraffic().remember(list_devices(data_dir), folder)

    assert device_modes() == (f"wireguard:{folder / 'wireguard-52000.json'}@127.0.0.1:52000",)
    (folder / "wireguard-52001.json").write_text("not json")
    assert len(device_modes()) == 1  # an unreadable file is never served


def udp_port_taken(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        try:
            probe.bind(("127.0.0.1", port))
        except OSError as exc:
            return exc.errno == errno.EADDRINUSE
        return False


def wait_for(predicate, timeout: float = 15.0) -> bool:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.1)
    return False


@pytest.mark.e2e
def test_the_filter_listens_for_each_device_on_loopback_udp(tmp_path: Path) -> None:
    data = tmp_path / "data"
    guardian_cli(data, "profile", "add", "An", "--age", "9")
    first, second = free_port(), free_port()
    guardian_cli(data, "device", "add", "An", "phone", "--endpoint", "127.0.0.1",
                 "--listen-host", "127.0.0.1", "--port", str(first), "--no-qr")
    with GuardianProxy(data) as proxy:
        assert wait_for(lambda: udp_port_taken(first)), proxy.log()
        # A device added while the filter runs is served within a few seconds.
        guardian_cli(data, "device", "add", "An", "tablet", "--endpoint", "127.0.0.1",
                     "--listen-host", "127.0.0.1", "--port", str(second), "--no-qr")
        assert wait_for(lambda: udp_port_taken(second)), proxy.log()
        # Removing it closes its port.
        guardian_cli(data, "device", "remove", "An", "tablet")
        assert wait_for(lambda: not udp_port_taken(second)), proxy.log()
    # mitmproxy prints a sample client config with a private key: never in Guardian's log.
    assert "PrivateKey" not in proxy.log()
