"""Malformed HTTP from a raw socket does not take the filter down.

Each case writes bytes no browser would send (garbage, truncated requests,
huge or NUL-laden headers, broken chunked bodies, smuggling attempts,
CONNECT to garbage, garbage inside a tunnel, an HTTP/2 preface, TLS on the
plain port), and afterwards the same proxy process is alive and still
answers a normal request: a blocked host gets the block page, an allowed
one reaches the (fake) Internet, and the portal's /health says ok. Allowed
requests go to `FakeInternet`, so nothing leaves loopback. Hypothesis adds
random bytes after plausible request starts.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import random
import socket
import ssl
import time
from collections.abc import Callable, Iterator

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.proxy_harness import GuardianProxy
from tests.reliability.household import CASINO, make_household
from tests.reliability.internet import FakeInternet
from tests.reliability.proxy_checks import alive, assert_no_failures
from tests.reliability.raw_http import (
    exchange,
    open_proxy,
    read_reply,
    request_bytes,
    send_garbage,
)

pytestmark = [pytest.mark.e2e, pytest.mark.slow]

ALLOWED = "school.example"
CHANCE = random.Random(20261129)


@pytest.fixture(scope="module")
def proxy(tmp_path_factory: pytest.TempPathFactory,
          internet: FakeInternet) -> Iterator[GuardianProxy]:
    data_dir = make_household(tmp_path_factory.mktemp("malformed"))
    with GuardianProxy(data_dir, extra_args=("--upstream-proxy", internet.url)) as running:
        yield running
    # mitmproxy logs clients' protocol errors; Guardian's code must never fail.
    assert_no_failures(running)


def still_serving(proxy: GuardianProxy) -> None:
    assert alive(proxy)
    blocked = exchange(proxy.port, request_bytes("GET", f"http://{CASINO}/", CASINO,
                                                 [("Accept", "text/html")]))
    assert blocked.status == 403
    allowed = exchange(proxy.port, request_bytes("GET", f"http://{ALLOWED}/", ALLOWED))
    assert allowed.status == 200 and b"outside page" in allowed.body
    health = exchange(proxy.port, request_bytes("GET", "http://guardian.home.arpa/health",
                                                "guardian.home.arpa"))
    assert health.status == 200 and json.loads(health.body)["ok"] is True


def tls_client_hello() -> bytes:
    """The first bytes a TLS client sends, made by Python's own ssl module."""
    incoming, outgoing = ssl.MemoryBIO(), ssl.MemoryBIO()
    context = ssl.create_default_context()
    tls = context.wrap_bio(incoming, outgoing, server_hostname=ALLOWED)
    with contextlib.suppress(ssl.SSLWantReadError):  # it waits for the server's answer
        tls.do_handshake()
    return outgoing.read()


def line(text: bytes) -> bytes:
    return text + b"\r\n"


POST = b"POST http://school.example/form HTTP/1.1\r\nHost: school.example\r\n"

GARBAGE: dict[str, bytes] = {
    "random bytes": CHANCE.randbytes(16384),
    "nothing": b"",
    "truncated request line": b"GET http://casino.exa",
    "truncated headers": b"GET http://school.example/ HTTP/1.1\r\nHost: school.exa",
    "origin-form without Host": b"GET / HTTP/1.1\r\n\r\n",
    "huge request line": b"GET http://school.example/" + b"a" * 2_000_000 + b" HTTP/1.1\r\n\r\n",
    "huge header": b"GET http://school.example/ HTTP/1.1\r\nHost: school.example\r\nX-Big: "
                   + b"b" * 2_000_000 + b"\r\n\r\n",
    "ten thousand headers": b"GET http://school.example/ HTTP/1.1\r\nHost: school.example\r\n"
                            + b"".join(line(b"X-%d: v" % i) for i in range(10_000)) + b"\r\n",
    "huge host name": b"GET http://" + b"a." * 50_000 + b"example/ HTTP/1.1\r\n\r\n",
    "invalid chunk size": POST + b"Transfer-Encoding: chunked\r\n\r\nZZ\r\nhello\r\n0\r\n\r\n",
    "chunk size overflow": POST + b"Transfer-Encoding: chunked\r\n\r\n"
                           + b"f" * 40 + b"\r\nhello\r\n0\r\n\r\n",
    "chunked body cut short": POST + b"Transfer-Encoding: chunked\r\n\r\n100\r\nshort",
    "content-length and chunked": POST + b"Content-Length: 4\r\nTransfer-Encoding: chunked"
                                  b"\r\n\r\n0\r\n\r\nGET http://casino.example/ HTTP/1.1\r\n\r\n",
    "negative content-length": POST + b"Content-Length: -5\r\n\r\nhello",
    "two content-lengths": POST + b"Content-Length: 5\r\nContent-Length: 50\r\n\r\nhello",
    "NUL in the request line": b"GET http://school.example/\x00 HTTP/1.1\r\n\r\n",
    "NUL in the host": b"GET http://casino.example\x00.school.example/ HTTP/1.1\r\n"
                       b"Host: casino.example\x00.school.example\r\n\r\n",
    "NUL in a header name": b"GET http://school.example/ HTTP/1.1\r\nHo\x00st: x\r\n\r\n",
    "bare CR line ends": b"GET http://school.example/ HTTP/1.1\rHost: school.example\r\r",
    "folded header": b"GET http://school.example/ HTTP/1.1\r\nHost: school.example\r\n"
                     b"X-A: one\r\n two\r\n\r\n",
    "non-ASCII method": "GËT http://school.example/ HTTP/1.1\r\n\r\n".encode(),
    "unknown version": b"GET http://school.example/ HTTP/9.9\r\n\r\n",
    "HTTP/2 preface": b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n" + CHANCE.randbytes(512),
    "TLS on the plain port": tls_client_hello(),
    "CONNECT to garbage": b"CONNECT \xff\xfe\x00:99999 HTTP/1.1\r\n\r\n",
    "CONNECT without host": b"CONNECT :443 HTTP/1.1\r\n\r\n",
    "CONNECT with a bad port": b"CONNECT school.example:https HTTP/1.1\r\n\r\n",
    "CONNECT with an open bracket": b"CONNECT [::1 HTTP/1.1\r\n\r\n",
    "CONNECT to a huge name": b"CONNECT " + b"a" * 70_000 + b":443 HTTP/1.1\r\n\r\n",
}


@pytest.mark.parametrize("case", list(GARBAGE))
def test_malformed_requests_leave_the_filter_serving(proxy: GuardianProxy, case: str) -> None:
    answer = send_garbage(proxy.port, GARBAGE[case])
    assert b"outside page" not in answer  # nothing malformed was passed on
    still_serving(proxy)


def test_a_folded_header_is_refused_not_passed_on(proxy: GuardianProxy,
                                                   internet: FakeInternet) -> None:
    before = len(internet.requests)
    reply = exchange(proxy.port, GARBAGE["folded header"])
    assert reply.status == 400 and b"folded" in reply.body
    assert len(internet.requests) == before


def connect_then(proxy: GuardianProxy, payload: bytes) -> bytes:
    with socket.create_connection(("127.0.0.1", proxy.port), timeout=5) as sock:
        sock.sendall(request_bytes("CONNECT", f"{ALLOWED}:443", f"{ALLOWED}:443"))
        assert sock.recv(4096).startswith(b"HTTP/1.1 200")
        sock.sendall(payload)
        received = b""
        try:
            while chunk := sock.recv(65536):
                received += chunk
        except OSError:
            pass
        return received


TUNNELLED: dict[str, Callable[[], bytes]] = {
    "garbage in a tunnel": lambda: CHANCE.randbytes(4096),
    "half a TLS hello in a tunnel": lambda: tls_client_hello()[:40],
    "a TLS record of absurd length": lambda: b"\x16\x03\x01\xff\xff" + CHANCE.randbytes(64),
}


@pytest.mark.parametrize("case", list(TUNNELLED))
def test_garbage_inside_a_tunnel_leaves_the_filter_serving(proxy: GuardianProxy,
                                                           case: str) -> None:
    connect_then(proxy, TUNNELLED[case]())
    still_serving(proxy)


def test_half_open_connections_do_not_starve_others(proxy: GuardianProxy) -> None:
    """Slowloris: 200 connections each holding half a request; others are still served."""
    held = []
    try:
        for _ in range(200):
            sock = socket.create_connection(("127.0.0.1", proxy.port), timeout=5)
            sock.sendall(b"GET http://school.example/ HTTP/1.1\r\nHost: sch")
            held.append(sock)
        started = time.monotonic()
        still_serving(proxy)
        assert time.monotonic() - started < 5
    finally:
        for sock in held:
            sock.close()


def test_a_pipelined_blocked_request_is_still_blocked(proxy: GuardianProxy,
                                                      internet: FakeInternet) -> None:
    """Two requests in one write: the second is judged on its own."""

    async def both() -> list[int]:
        reader, writer = await open_proxy(proxy.port)
        writer.write(request_bytes("GET", f"http://{ALLOWED}/one", ALLOWED)
                     + request_bytes("GET", f"http://{CASINO}/two", CASINO))
        await writer.drain()
        statuses = [(await read_reply(reader)).status, (await read_reply(reader)).status]
        writer.close()
        return statuses

    internet.clear()
    assert asyncio.run(asyncio.wait_for(both(), 10)) == [200, 403]
    assert [r.target for r in internet.seen()] == [f"http://{ALLOWED}/one"]


@settings(max_examples=40, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(start=st.sampled_from([b"", b"GET ", b"CONNECT ", b"GET http://school.example/ HTTP/1.1",
                              POST, POST + b"Transfer-Encoding: chunked\r\n\r\n"]),
       rest=st.binary(max_size=2048))
def test_random_bytes_leave_the_filter_serving(proxy: GuardianProxy, start: bytes,
                                               rest: bytes) -> None:
    send_garbage(proxy.port, start + rest, timeout=3)
    assert alive(proxy)
    blocked = exchange(proxy.port, request_bytes("GET", f"http://{CASINO}/", CASINO))
    assert blocked.status == 403
