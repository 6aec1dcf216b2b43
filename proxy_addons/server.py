"""Running the filter: mitmproxy embedded with only the addons Guardian needs.

`mitmdump` loads about forty addons and dispatches every hook to each; the
filter loads the four it needs to proxy (core, proxy server, next layer, TLS
configuration) plus its own, which measured about 1.7x the throughput.
Upstream connections are lazy, so a blocked host is never contacted, and an
HTTPS block page can be served even for a host that does not exist.
"""

from __future__ import annotations

import asyncio
import logging
import signal
import tempfile
from dataclasses import dataclass, field
from datetime import UTC
from pathlib import Path

from mitmproxy import exceptions, options
from mitmproxy.addons import core, dns_resolver, errorcheck, next_layer, proxyserver, tlsconfig

from guardian.active_time import ActiveTimeTracker
from guardian.clock import SystemClock
from guardian.datadir import DataDir
from guardian.devices import devices_dir, list_devices
from guardian.errors import GuardianError, UsageError
from guardian.list_import import rebuild_stale_index
from proxy_addons import guardian_addons
from proxy_addons.certificates import ensure_ca
from proxy_addons.device_traffic import DeviceTraffic
from proxy_addons.hook_table import filter_master
from proxy_addons.interpreter import release_heap, settle_heap, skip_debug_type_checks
from proxy_addons.policy_source import ListenerSync, PolicyHolder, PolicyReloader, SharedDatabase

logger = logging.getLogger("guardian.proxy")

# Bodies above this size pass through as they arrive instead of being held.
STREAM_LARGE_BODIES = "1m"


@dataclass(frozen=True)
class ProxyConfig:
    data_dir: DataDir
    listen_host: str = "127.0.0.1"
    listen_port: int = 8080
    # mitmproxy options as NAME=VALUE (`--set`), for what Guardian does not wrap.
    extra_options: tuple[str, ...] = field(default_factory=tuple)
    flush_interval: float = 0.5
    reload_interval: float = 1.0
    # Send allowed traffic on through another proxy (a school's or an ISP's).
    upstream_proxy: str | None = None
    # "local" or "local:PROGRAMS": also capture this PC's own traffic (mitmproxy's local
    # capture), so a child who clears the proxy settings is still filtered.
    capture: str | None = None
    # This filter's name in a shared database: where it registers, and which
    # profile attributed to a machine applies here. None: the host's name.
    machine_name: str | None = None


class _NoPrivateKeys(logging.Filter):
    """mitmproxy logs a sample WireGuard client config, private key included: drop it."""

    def filter(self, record: logging.LogRecord) -> bool:
        return "PrivateKey" not in record.getMessage()


def _rebuild_stale_index(data_dir: DataDir, database: SharedDatabase) -> None:
    """After an upgrade that changed the index's format, compile it again from the saved lists."""
    try:
        stats = rebuild_stale_index(database.get(), data_dir)
    except GuardianError:
        return  # the database or lists are unusable: the reloader says why and fails closed
    if stats is not None:
        logger.info("Compiled the category lists again for this version of Guardian "
                    "(%d domains, %.1f s)", stats.domains, stats.seconds)


def run_proxy(config: ProxyConfig) -> int:
    """Run the filter in the foreground until SIGINT or SIGTERM."""
    return asyncio.run(_serve(config))


async def _serve(config: ProxyConfig) -> int:
    logging.getLogger("mitmproxy.proxy.mode_servers").addFilter(_NoPrivateKeys())
    # Guardian's own events (policy loaded, listeners, retention, ...) in the filter's log;
    # mitmproxy's per-connection chatter stays below the root logger's level.
    logging.getLogger("guardian").setLevel(logging.INFO)
    confdir = config.data_dir.ca_dir
    try:
        config.data_dir.ensure()
    except GuardianError as exc:
        # Keep serving: with no data folder there is no policy, so every
        # child's request gets the "filter unavailable" page (fail closed).
        # A temporary CA lets that page be answered; browsers will not trust
        # it, which also fails closed.
        logger.error("%s", exc.message)
        confdir = Path(tempfile.mkdtemp(prefix="guardian-ca-"))
    else:
        try:
            ensure_ca(confdir)
        except OSError as exc:  # a read-only or full folder without a CA yet
            logger.error("Cannot create the filter's certificate in %s: %s", confdir, exc)
            confdir = Path(tempfile.mkdtemp(prefix="guardian-ca-"))

    skip_debug_type_checks()
    master = filter_master(options.Options())
    holder = PolicyHolder()
    database = SharedDatabase(config.data_dir.database_url)
    devices = DeviceTraffic()
    listeners = ListenerSync(
        config.listen_host, config.listen_port, config.upstream_proxy, config.capture,
        lambda: devices.remember(list_devices(config.data_dir), devices_dir(config.data_dir)),
    )
    clock = SystemClock()
    tracker = ActiveTimeTracker(UTC)
    reloader = PolicyReloader(
        holder, database, config.data_dir.index_path, listeners, config.reload_interval,
        tracker, clock, config.machine_name,
    )
    master.addons.add(
        core.Core(),
        proxyserver.Proxyserver(),
        next_layer.NextLayer(),
        tlsconfig.TlsConfig(),
        errorcheck.ErrorCheck(),
        # Answers the DNS queries of captured programs and WireGuard devices.
        dns_resolver.DnsResolver(),
        # After NextLayer: refuses what it would relay unchecked; tells which device is which.
        devices,
    )
    master.addons.add(
        *guardian_addons(holder, reloader, database, tracker, clock, config.flush_interval)
    )
    await asyncio.to_thread(_rebuild_stale_index, config.data_dir, database)
    await asyncio.to_thread(reloader.load_now)
    ports = holder.policy.ports if holder.policy else ()
    try:
        master.options.update(
            listen_host=config.listen_host,
            listen_port=config.listen_port,
            confdir=str(confdir),
            connection_strategy="lazy",
            # Only HTTP(S) is checked: other protocols are not relayed as raw TCP.
            rawtcp=False,
            stream_large_bodies=STREAM_LARGE_BODIES,
            mode=listeners.modes(ports),
        )
        if config.extra_options:
            master.options.set(*config.extra_options)
    except exceptions.OptionsError as exc:
        raise UsageError(f"invalid proxy option: {exc}") from exc
    listeners.remember(ports)

    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, master.shutdown)
    if hasattr(signal, "SIGPIPE"):
        signal.signal(signal.SIGPIPE, signal.SIG_IGN)
    settle_heap()
    try:
        await master.run()
    finally:
        release_heap()
    return 0
