"""DeviceTraffic: what phones, tablets and captured programs send as raw packets.

In WireGuard and local-capture modes the filter receives whole connections
from devices and programs, not proxy requests. Two things follow.

Attribution. A phone is known by the WireGuard listener it reached (each
device has its own keys and UDP port), never by the source address it uses
inside the tunnel: that address comes from the phone's own configuration,
and a child who edits it could take a sibling's policy. For each request that
arrives through a device's listener, the device's assigned tunnel address is
left in `flow.metadata[DEVICE_ADDRESS]`, and `profile_of` attributes by it.

Refusal. Only what Guardian can read is carried: HTTP and HTTPS (also over
QUIC), and DNS. Any other connection from a device or a captured program
would be relayed unchecked (raw TCP or UDP, QUIC that is not HTTP/3), so it
is closed as soon as mitmproxy has chosen such a layer for it.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from pathlib import Path

from mitmproxy import http
from mitmproxy.proxy import commands, events, layer, layers
from mitmproxy.proxy.mode_specs import LocalMode, WireGuardMode

from guardian.devices import Device

logger = logging.getLogger("guardian.proxy")

# flow.metadata key: the tunnel address of the device whose listener carried the flow;
# "" for a listener that no longer belongs to any device.
DEVICE_ADDRESS = "guardian.device_address"

RAW_LAYERS = (layers.TCPLayer, layers.UDPLayer, layers.RawQuicLayer)


class Refused(layer.Layer):
    """Closes the client's connection at once; nothing reaches the server."""

    def _handle_event(self, event: events.Event) -> layer.CommandGenerator[None]:
        if isinstance(event, events.Start):
            yield commands.CloseConnection(self.context.client)


class DeviceTraffic:
    def __init__(self) -> None:
        self._addresses: dict[str, str] = {}  # device file -> the device's tunnel address

    def remember(self, devices: Iterable[Device], folder: Path) -> tuple[str, ...]:
        """Note each device's listener and address; return the listener modes to serve.

        Called whenever the device files are read (at start and when the policy
        changes), so attribution always matches the listeners being served.
        """
        devices = tuple(devices)
        self._addresses = {str(folder / device.file_name()): device.address
                           for device in devices}
        return tuple(device.mode_spec(folder) for device in devices)

    def requestheaders(self, flow: http.HTTPFlow) -> None:
        mode = flow.client_conn.proxy_mode
        if isinstance(mode, WireGuardMode):
            flow.metadata[DEVICE_ADDRESS] = self._addresses.get(mode.data, "")

    def next_layer(self, nextlayer: layer.NextLayer) -> None:
        chosen = nextlayer.layer
        if not isinstance(chosen, RAW_LAYERS):
            return
        if not isinstance(nextlayer.context.client.proxy_mode, (WireGuardMode, LocalMode)):
            return  # a parent's own --set tcp_hosts/ignore_hosts on the proxy port stays theirs
        if isinstance(chosen, (layers.TCPLayer, layers.UDPLayer)) and chosen.flow is None:
            return  # ignore_hosts: passed through on purpose, as the parent configured
        logger.debug("Refused %s traffic from %s to %s: Guardian cannot check it",
                     type(chosen).__name__, nextlayer.context.client.peername,
                     nextlayer.context.server.address)
        nextlayer.layer = Refused(nextlayer.context)
