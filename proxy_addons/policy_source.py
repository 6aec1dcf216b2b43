"""The filter's view of the household policy: loaded off the event loop, swapped in whole.

`PolicyHolder` is what the hooks read: the current `HouseholdPolicy`, or the
reason it could not be loaded (then children's requests are blocked with the
"filter unavailable" page: Guardian fails closed). `PolicyReloader` polls the
policy version once a second in a worker thread and reloads on a change, so
a rule added by the command line or the app applies within about a second,
and a database that was missing or broken is picked up as soon as it works.
Several filters sharing one database each poll it, so a change reaches all of
them within the same second or two; each loads the policy for its own machine
name (`guardian.machine`), which picks a profile attributed to that machine.
"""

from __future__ import annotations

import asyncio
import logging
import os
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

from mitmproxy import ctx

from guardian.active_time import ActiveTimeTracker, MinuteRow
from guardian.clock import Clock, SystemClock
from guardian.domain_index import DomainIndex
from guardian.errors import GuardianError
from guardian.machine import machine_name
from guardian.policy import HouseholdPolicy, load_policy
from guardian.schedule import next_midnight
from guardian.storage.database import Database, open_database
from guardian.storage.policy_version import policy_version
from guardian.storage.screen_time import load_minutes

logger = logging.getLogger("guardian.policy")


class SharedDatabase:
    """One database connection pool for the filter's worker threads, opened on first use."""

    def __init__(self, url: str) -> None:
        self.url = url
        self._db: Database | None = None
        self._lock = threading.Lock()

    def get(self) -> Database:
        with self._lock:
            if self._db is None:
                self._db = open_database(self.url)
            return self._db

    def reset(self) -> None:
        """Drop the pool after an error, so the next use opens it afresh."""
        with self._lock:
            if self._db is not None:
                self._db.close()
                self._db = None


@dataclass
class PolicyHolder:
    policy: HouseholdPolicy | None = None
    error: str | None = "the policy has not been loaded yet"
    # Set by the batch writer while activity cannot be recorded (a full or
    # read-only disk): children are then blocked too, not browsing unrecorded.
    recording_error: str | None = None


class PolicyReloader:
    def __init__(
        self,
        holder: PolicyHolder,
        database: SharedDatabase,
        index_path: Path,
        listen_ports: ListenerSync | None = None,
        interval: float = 1.0,
        tracker: ActiveTimeTracker | None = None,
        clock: Clock | None = None,
        machine: str | None = None,
    ) -> None:
        self.holder = holder
        # The machine this filter runs for: `guardian proxy --machine-name`, else the host's.
        self.machine = machine if machine is not None else machine_name()
        self.database = database
        self.index_path = index_path
        self.listeners = listen_ports
        self.interval = interval
        self.tracker = tracker
        self.clock = clock or SystemClock()
        self._minutes_loaded = False
        self._index: DomainIndex = DomainIndex.EMPTY
        self._index_stamp: tuple[int, int, int] | None = None
        self._task: asyncio.Task[None] | None = None

    def load_now(self) -> None:
        """Load synchronously, before the proxy starts serving (at start-up only)."""
        policy, error, minutes = self._read_if_changed(force=True)
        self._set(policy, error, minutes)

    def running(self) -> None:
        self._task = asyncio.get_running_loop().create_task(self._watch())

    def done(self) -> None:
        if self._task is not None:
            self._task.cancel()

    async def _watch(self) -> None:
        while True:
            try:
                policy, error, minutes = await asyncio.to_thread(self._read_if_changed)
                self._apply(policy, error, minutes)
            except asyncio.CancelledError:
                raise
            except Exception as exc:  # never let the watcher die: fail closed instead
                self._apply(None, f"unexpected error: {exc}", None)
            await asyncio.sleep(self.interval)

    def _read_if_changed(
        self, force: bool = False
    ) -> tuple[HouseholdPolicy | None, str | None, list[MinuteRow] | None]:
        """Runs in a worker thread: (new policy or None if unchanged, error, minutes to load)."""
        try:
            index_changed = self._refresh_index()
            db = self.database.get()
            with db.begin() as session:
                current = self.holder.policy
                minutes = None
                if self.tracker is not None and not self._minutes_loaded:
                    minutes = self._minutes_so_far(session)
                if (not force and not index_changed and current is not None
                        and policy_version(session) == current.version):
                    return None, None, minutes
                policy = load_policy(session, self._index, self.clock.now(), self.machine)
                return policy, None, minutes
        except GuardianError as exc:
            self.database.reset()
            return None, exc.message, None
        except Exception as exc:
            self.database.reset()
            return None, f"{type(exc).__name__}: {exc}", None

    def _minutes_so_far(self, session) -> list[MinuteRow]:  # type: ignore[no-untyped-def]
        """Minutes counted since yesterday began, by this or an earlier run of the filter."""
        assert self.tracker is not None
        local = self.clock.now().astimezone(self.tracker.zone)
        since = next_midnight(local) - timedelta(days=2)
        return load_minutes(session, since)

    def _refresh_index(self) -> bool:
        try:
            stat = os.stat(self.index_path)
            stamp = (stat.st_ino, stat.st_size, stat.st_mtime_ns)
        except FileNotFoundError:
            stamp = None
        if stamp == self._index_stamp:
            return False
        old = self._index
        self._index = DomainIndex.open(self.index_path)
        self._index_stamp = stamp
        # The old mapping may still be read by a snapshot in use; it is
        # released when the last policy referring to it is dropped.
        del old
        return True

    def _apply(
        self, policy: HouseholdPolicy | None, error: str | None, minutes: list[MinuteRow] | None
    ) -> None:
        """On the event loop: swap in the new policy and listen on its ports."""
        self._set(policy, error, minutes)
        if policy is not None and self.holder.policy is policy and self.listeners is not None:
            self.listeners.sync(policy.ports)

    def _set(
        self, policy: HouseholdPolicy | None, error: str | None, minutes: list[MinuteRow] | None
    ) -> None:
        """Swap in the new policy, or record why there is none; load the minutes so far."""
        if minutes is not None and self.tracker is not None:
            self.tracker.load(minutes)
            self._minutes_loaded = True
        if self.tracker is not None and self.holder.policy is not None:
            today = self.clock.now().astimezone(self.tracker.zone).date()
            self.tracker.forget_before(today - timedelta(days=1))
        if error is not None:
            if self.holder.error != error:
                logger.warning("Children's traffic is blocked: the policy cannot be loaded: %s",
                               error)
            # Fail closed: without a policy we cannot know what is allowed.
            self.holder.policy = None
            self.holder.error = error
            return
        if policy is None:
            return
        if self.holder.error is not None:
            logger.info("Household policy loaded (version %d, %d profiles)",
                        policy.version, len(policy.profiles))
        self.holder.policy = policy
        self.holder.error = None
        if self.tracker is not None:
            self.tracker.zone = policy.zone


class ListenerSync:
    """Keeps mitmproxy listening on each child's port and each child's device as they change.

    Device listeners (WireGuard, one per phone or tablet) come from `device_modes`,
    read again only when the policy version moves (adding a device moves it): a
    directory listing on that rare event, never in a request hook.
    """

    def __init__(
        self,
        listen_host: str,
        main_port: int,
        upstream_proxy: str | None = None,
        capture: str | None = None,
        device_modes: Callable[[], Sequence[str]] | None = None,
    ) -> None:
        self.listen_host = listen_host
        self.main_port = main_port
        # "regular": connect to sites directly; "upstream:URL": through another proxy.
        self.kind = f"upstream:{upstream_proxy}" if upstream_proxy else "regular"
        # "local" or "local:PROGRAMS": this PC's own traffic, captured without proxy settings.
        self.capture = capture
        self.device_modes = device_modes or tuple
        self._ports: tuple[int, ...] = ()
        self._devices: tuple[str, ...] = tuple(self.device_modes())

    def modes(self, ports: tuple[int, ...]) -> list[str]:
        host = f"[{self.listen_host}]" if ":" in self.listen_host else self.listen_host
        return [self.kind] + [
            f"{self.kind}@{host}:{port}" for port in ports if port != self.main_port
        ] + ([self.capture] if self.capture else []) + list(self._devices)

    def remember(self, ports: tuple[int, ...]) -> None:
        """Record the ports the proxy was started with."""
        self._ports = ports

    def sync(self, ports: tuple[int, ...]) -> None:
        devices = tuple(self.device_modes())
        if ports == self._ports and devices == self._devices:
            return
        self._ports = ports
        self._devices = devices
        ctx.options.update(mode=self.modes(ports))
        logger.info("Listening for children's ports: %s; devices: %d",
                    ", ".join(map(str, ports)) or "none", len(devices))
