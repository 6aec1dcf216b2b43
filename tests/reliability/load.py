"""A load generator: many keep-alive clients on raw asyncio sockets, through the proxy.

Each client holds one connection and sends its requests one after another,
reconnecting only when the proxy closes. Plain-HTTP clients mix allowed pages
with blocked hosts; HTTPS clients open a CONNECT tunnel to one host (TLS
checked against Guardian's CA) and keep it. Every answer is counted: 200 from
the upstream, 403 from the policy, or an error (anything else).
"""

from __future__ import annotations

import asyncio
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from tests.reliability.household import BLOCKED_HOSTS
from tests.reliability.raw_http import ProtocolFailure, open_proxy, read_reply, request_bytes

ACCEPT = [("Accept", "text/html"), ("Sec-Fetch-Dest", "document")]


@dataclass
class LoadResult:
    sent: int = 0
    allowed: int = 0  # 200, with the upstream's page
    blocked: int = 0  # 403, the policy's own block page
    errors: Counter[str] = field(default_factory=Counter)
    seconds: float = 0.0
    answered_at: list[float] = field(default_factory=list)  # time.monotonic() of each answer

    @property
    def rate(self) -> float:
        """Answered requests a second."""
        return (self.allowed + self.blocked) / self.seconds if self.seconds else 0.0

    def add(self, other: LoadResult) -> None:
        self.sent += other.sent
        self.allowed += other.allowed
        self.blocked += other.blocked
        self.errors.update(other.errors)
        self.answered_at.extend(other.answered_at)

    def window_of_last(self, count: int, until: float) -> float:
        """How long before `until` the last `count` answers began (0 if none)."""
        if count <= 0:
            return 0.0
        ordered = sorted(self.answered_at)
        return until - ordered[max(len(ordered) - count, 0)]


@dataclass(frozen=True)
class LoadPlan:
    """Who sends what: `https_clients` of the `clients` use tunnels, the rest plain HTTP."""

    proxy_port: int
    http_upstream: int
    https_upstream: int
    ca: Path
    clients: int = 50
    https_clients: int = 6
    blocked_every: int = 4  # one plain request in this many names a blocked host
    close_every: int = 100  # one plain request in this many closes its connection
    distinct_hosts: int = 6000  # blocked requests go to this many subdomains
    prefix: str = ""  # put in front of every path, to find one run's rows in the log


class RequestNumbers:
    """The next request number, shared by the clients (one event loop: no lock needed)."""

    def __init__(self, total: int) -> None:
        self.total = total
        self.next = 0

    def take(self) -> int | None:
        if self.next >= self.total:
            return None
        self.next += 1
        return self.next - 1


def _plain_request(plan: LoadPlan, number: int) -> tuple[bytes, bool]:
    """(request, whether the policy blocks it) for plain-HTTP request `number`.

    Blocked requests name one of a few thousand subdomains of the blocked
    hosts (so the proxy's per-host caches fill and turn over); one request in
    `close_every` asks to close the connection (so connections come and go).
    """
    headers = ACCEPT + ([("Connection", "close")] if number % plan.close_every == 0 else [])
    if number % plan.blocked_every == 0:
        base = BLOCKED_HOSTS[(number // plan.blocked_every) % len(BLOCKED_HOSTS)]
        host = f"s{number % plan.distinct_hosts}.{base}"
        return request_bytes("GET", f"http://{host}{plan.prefix}/p{number}", host, headers), True
    authority = f"127.0.0.1:{plan.http_upstream}"
    target = f"http://{authority}{plan.prefix}/p{number}"
    return request_bytes("GET", target, authority, headers), False


async def _client(plan: LoadPlan, index: int, counter: RequestNumbers, stop: asyncio.Event,
                  deadline: float | None) -> LoadResult:
    result = LoadResult()
    https = index < plan.https_clients
    tunnel_blocked = https and index % 2 == 1
    if https:
        tunnel = (BLOCKED_HOSTS[0], 443) if tunnel_blocked else ("localhost", plan.https_upstream)
        host_header = tunnel[0] if tunnel_blocked else f"localhost:{plan.https_upstream}"
    connection = None
    while not stop.is_set() and (deadline is None or time.monotonic() < deadline):
        number = counter.take()
        if number is None:
            break
        if https:
            data = request_bytes("GET", f"{plan.prefix}/s{number}", host_header, ACCEPT)
            expect_block = tunnel_blocked
        else:
            data, expect_block = _plain_request(plan, number)
        result.sent += 1
        try:
            if connection is None:
                connection = await open_proxy(plan.proxy_port, tunnel if https else None,
                                              plan.ca)
            reader, writer = connection
            writer.write(data)
            await writer.drain()
            reply = await asyncio.wait_for(read_reply(reader), 30)
        except (TimeoutError, OSError, asyncio.IncompleteReadError, ValueError,
                ProtocolFailure) as exc:
            result.errors[type(exc).__name__] += 1
            if connection is not None:
                connection[1].close()
            connection = None
            continue
        if reply.status == 403 and expect_block:
            result.blocked += 1
            result.answered_at.append(time.monotonic())
        elif reply.status == 200 and not expect_block and b"upstream page" in reply.body:
            result.allowed += 1
            result.answered_at.append(time.monotonic())
        else:
            result.errors[f"status {reply.status} (expected {403 if expect_block else 200})"] += 1
        if not reply.keeps_alive or b"\r\nConnection: close\r\n" in data:
            connection[1].close()
            connection = None
    if connection is not None:
        connection[1].close()
    return result


async def run_load_async(plan: LoadPlan, total: int, *, seconds: float | None = None,
                         stop: asyncio.Event | None = None) -> LoadResult:
    counter = RequestNumbers(total)
    stop = stop or asyncio.Event()
    deadline = time.monotonic() + seconds if seconds is not None else None
    started = time.monotonic()
    parts = await asyncio.gather(
        *(_client(plan, i, counter, stop, deadline) for i in range(plan.clients)))
    result = LoadResult(seconds=time.monotonic() - started)
    for part in parts:
        result.add(part)
    return result


def run_load(plan: LoadPlan, total: int, *, seconds: float | None = None) -> LoadResult:
    """Send `total` requests (or stop after `seconds`) with `plan.clients` at once."""
    return asyncio.run(run_load_async(plan, total, seconds=seconds))
