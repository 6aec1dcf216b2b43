"""Phones' traffic: attributed by the listener it reached, and only what Guardian can read.

A phone's WireGuard configuration is the child's to edit, so the source address
inside the tunnel proves nothing; the listener (one per device, with its own
keys) does. And in device and capture modes, connections that are neither
HTTP(S) nor DNS are closed rather than relayed unchecked.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from mitmproxy import connection
from mitmproxy.options import Options
from mitmproxy.proxy import commands, events, layers
from mitmproxy.proxy.context import Context
from mitmproxy.proxy.layer import NextLayer
from mitmproxy.proxy.mode_specs import ProxyMode
from mitmproxy.test import tflow

from guardian.devices import Device, devices_dir, list_devices
from guardian.domain_index import DomainIndex
from guardian.policy import load_policy
from proxy_addons.device_traffic import DEVICE_ADDRESS, DeviceTraffic, Refused
from proxy_addons.enforcer import profile_of


@pytest.fixture
def household(cli) -> None:  # type: ignore[no-untyped-def]
    for name, age in (("An", 9), ("Binh", 16)):
        assert cli("profile", "add", name, "--age", str(age)).code == 0
    for name in ("An", "Binh"):
        result = cli("device", "add", name, "phone", "--endpoint", "192.168.1.10",
                     "--listen-host", "127.0.0.1", "--no-qr")
        assert result.code == 0, result.err


def devices_by_profile(data_dir) -> dict[str, Device]:  # type: ignore[no-untyped-def]
    return {device.profile: device for device in list_devices(data_dir)}


def tunnel_flow(spec: str, claimed_address: str) -> object:
    flow = tflow.tflow()
    flow.client_conn.proxy_mode = ProxyMode.parse(spec)
    flow.client_conn.peername = (claimed_address, 40000)
    flow.client_conn.sockname = ("93.184.216.34", 443)  # inside the tunnel: the site
    return flow


def test_a_phone_that_claims_a_siblings_address_keeps_its_own_child(
    cli, data_dir, db, household  # type: ignore[no-untyped-def]
) -> None:
    folder = devices_dir(data_dir)
    phones = devices_by_profile(data_dir)
    traffic = DeviceTraffic()
    modes = traffic.remember(list_devices(data_dir), folder)
    assert modes == tuple(device.mode_spec(folder) for device in list_devices(data_dir))
    with db.begin() as session:
        policy = load_policy(session, DomainIndex.EMPTY)

    # An's phone, its configuration edited to use Binh's tunnel address.
    flow = tunnel_flow(phones["An"].mode_spec(folder), claimed_address=phones["Binh"].address)
    assert policy.profile_for(None, phones["Binh"].address).name == "Binh"  # what it aims at
    traffic.requestheaders(flow)
    assert flow.metadata[DEVICE_ADDRESS] == phones["An"].address
    assert profile_of(flow, policy).name == "An"

    # And Binh's phone, honest, is Binh's.
    honest = tunnel_flow(phones["Binh"].mode_spec(folder), claimed_address=phones["Binh"].address)
    traffic.requestheaders(honest)
    assert profile_of(honest, policy).name == "Binh"


def test_a_listener_whose_device_was_removed_is_nobodys(
    cli, data_dir, db, household  # type: ignore[no-untyped-def]
) -> None:
    folder = devices_dir(data_dir)
    phones = devices_by_profile(data_dir)
    traffic = DeviceTraffic()
    traffic.remember(list_devices(data_dir), folder)
    assert cli("device", "remove", "An", "phone").code == 0
    traffic.remember(list_devices(data_dir), folder)  # the filter reads the files again
    with db.begin() as session:
        policy = load_policy(session, DomainIndex.EMPTY)
    flow = tunnel_flow(phones["An"].mode_spec(folder), claimed_address=phones["Binh"].address)
    traffic.requestheaders(flow)
    assert flow.metadata[DEVICE_ADDRESS] == ""
    assert profile_of(flow, policy) is None  # no default profile: the enforcer blocks it


def test_proxy_port_traffic_is_attributed_as_before(cli, data_dir, db) -> None:  # type: ignore[no-untyped-def]
    assert cli("profile", "add", "An", "--age", "9", "--client", "10.1.0.0/24").code == 0
    with db.begin() as session:
        policy = load_policy(session, DomainIndex.EMPTY)
    flow = tflow.tflow()
    flow.client_conn.peername = ("10.1.0.7", 50000)
    DeviceTraffic().requestheaders(flow)
    assert DEVICE_ADDRESS not in flow.metadata
    assert profile_of(flow, policy).name == "An"


# --- what is not relayed ---------------------------------------------------------------------


def next_layer_for(
    proxy_mode: str, transport: str, chosen: type, **kwargs: object
) -> NextLayer:
    client = connection.Client(
        peername=("10.88.0.2", 40000), sockname=("203.0.113.9", 5000),
        timestamp_start=0.0, proxy_mode=ProxyMode.parse(proxy_mode), transport_protocol=transport)
    context = Context(client, Options())
    context.server.address = ("203.0.113.9", 5000)
    nextlayer = NextLayer(context)
    nextlayer.layer = chosen(context, **kwargs)
    return nextlayer


DEVICE_MODE = "wireguard:/nonexistent/wireguard-51820.json@127.0.0.1:51820"


@pytest.mark.parametrize("mode", [DEVICE_MODE, "local"])
@pytest.mark.parametrize(("transport", "raw"), [("udp", layers.UDPLayer),
                                                ("tcp", layers.TCPLayer)])
def test_raw_traffic_from_devices_and_captured_programs_is_closed(
    mode: str, transport: str, raw: type
) -> None:
    nextlayer = next_layer_for(mode, transport, raw)
    DeviceTraffic().next_layer(nextlayer)
    refused = nextlayer.layer
    assert isinstance(refused, Refused)
    # Started, it closes the client's side at once and opens nothing upstream.
    issued = list(refused.handle_event(events.Start()))
    assert [type(command) for command in issued] == [commands.CloseConnection]
    assert issued[0].connection is nextlayer.context.client


@pytest.mark.parametrize("chosen", [layers.DNSLayer])
def test_dns_from_devices_is_answered(chosen: type) -> None:
    nextlayer = next_layer_for(DEVICE_MODE, "udp", chosen)
    DeviceTraffic().next_layer(nextlayer)
    assert isinstance(nextlayer.layer, chosen)


def test_web_traffic_from_devices_is_read() -> None:
    nextlayer = next_layer_for(DEVICE_MODE, "tcp", layers.HttpLayer,
                               mode=layers.http.HTTPMode.transparent)
    DeviceTraffic().next_layer(nextlayer)
    assert isinstance(nextlayer.layer, layers.HttpLayer)


def test_a_parents_own_passthrough_on_the_proxy_port_is_left_alone() -> None:
    # `--set ignore_hosts=...` on the regular port: passed through on purpose.
    for mode, ignore in (("regular", False), (DEVICE_MODE, True)):
        nextlayer = next_layer_for(mode, "tcp", layers.TCPLayer, ignore=ignore)
        DeviceTraffic().next_layer(nextlayer)
        assert isinstance(nextlayer.layer, layers.TCPLayer)


def test_with_no_device_files_no_tunnel_is_anybodys(tmp_path: Path) -> None:
    """With no device files there is nothing to serve and nobody to attribute to."""
    traffic = DeviceTraffic()
    assert traffic.remember([], tmp_path) == ()
    flow = tunnel_flow(f"wireguard:{tmp_path / 'wireguard-51820.json'}@127.0.0.1:51820",
                       claimed_address="10.88.0.2")
    traffic.requestheaders(flow)
    assert flow.metadata[DEVICE_ADDRESS] == ""
