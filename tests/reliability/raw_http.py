"""HTTP/1.1 written by hand on a socket, so that every byte reaches the proxy as sent.

`http.client` and browsers tidy a request up (they lower-case nothing, but
they refuse control characters, re-encode hosts and add headers); the tests
of odd spellings and malformed requests need the raw bytes. The same small
reader serves the load generator (`tests/reliability/load.py`), which keeps
connections alive.
"""

from __future__ import annotations

import asyncio
import socket
import ssl
from dataclasses import dataclass, field
from pathlib import Path

MAX_BODY = 4 * 1024 * 1024


@dataclass
class RawReply:
    status: int
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes = b""

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", errors="replace")

    @property
    def keeps_alive(self) -> bool:
        return self.headers.get("connection", "").lower() != "close"


class ProtocolFailure(Exception):
    """The other side closed or answered something that is not HTTP/1.1."""


def request_bytes(method: str, target: str, host: str | None,
                  headers: list[tuple[str, str]] | None = None, body: bytes = b"") -> bytes:
    """One request; `host` None sends no Host header at all."""
    lines = [f"{method} {target} HTTP/1.1"]
    if host is not None:
        lines.append(f"Host: {host}")
    for name, value in headers or []:
        lines.append(f"{name}: {value}")
    if body:
        lines.append(f"Content-Length: {len(body)}")
    return ("\r\n".join(lines) + "\r\n\r\n").encode("utf-8", "surrogateescape") + body


async def read_reply(reader: asyncio.StreamReader, method: str = "GET") -> RawReply:
    head = await reader.readuntil(b"\r\n\r\n")
    status_line, *header_lines = head.decode("latin-1").split("\r\n")
    parts = status_line.split(" ", 2)
    if len(parts) < 2 or not parts[0].startswith("HTTP/1."):
        raise ProtocolFailure(f"not an HTTP status line: {status_line!r}")
    headers: dict[str, str] = {}
    for line in header_lines:
        if line:
            name, _, value = line.partition(":")
            headers[name.strip().lower()] = value.strip()
    reply = RawReply(int(parts[1]), headers)
    if method == "HEAD" or reply.status in (204, 304) or 100 <= reply.status < 200:
        return reply
    if method == "CONNECT" and reply.status == 200:
        return reply
    if "chunked" in headers.get("transfer-encoding", "").lower():
        chunks = []
        while True:
            size_line = await reader.readuntil(b"\r\n")
            size = int(size_line.split(b";")[0].strip(), 16)
            if size == 0:
                await reader.readuntil(b"\r\n")
                break
            chunks.append(await reader.readexactly(size))
            await reader.readexactly(2)
        reply.body = b"".join(chunks)
    elif "content-length" in headers:
        reply.body = await reader.readexactly(int(headers["content-length"]))
    else:
        reply.body = await reader.read(MAX_BODY)
        reply.headers["connection"] = "close"
    return reply


async def open_proxy(
    proxy_port: int, tunnel: tuple[str, int] | None = None, ca: Path | None = None,
    server_hostname: str | None = None,
) -> tuple[asyncio.StreamReader, asyncio.StreamWriter]:
    """A connection to the proxy; with `tunnel`, CONNECT and TLS on top.

    With `ca`, the tunnel's certificate must be signed by it for the host;
    without, no name is sent (SNI) and no certificate checked.
    """
    reader, writer = await asyncio.open_connection("127.0.0.1", proxy_port)
    if tunnel is None:
        return reader, writer
    host, port = tunnel
    authority = f"[{host}]:{port}" if ":" in host else f"{host}:{port}"
    writer.write(request_bytes("CONNECT", authority, authority))
    await writer.drain()
    reply = await read_reply(reader, "CONNECT")
    if reply.status != 200:
        writer.close()
        raise ProtocolFailure(f"CONNECT {authority} answered {reply.status}")
    if ca is not None:
        context = ssl.create_default_context(cafile=str(ca))
        await writer.start_tls(context, server_hostname=server_hostname or host)
    else:  # spellings that are no valid SNI: send none, trust whatever answers
        context = ssl.create_default_context()
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE
        await writer.start_tls(context, server_hostname=server_hostname)
    return reader, writer


def exchange(proxy_port: int, data: bytes, timeout: float = 10.0,
             tunnel: tuple[str, int] | None = None, ca: Path | None = None,
             server_hostname: str | None = None) -> RawReply:
    """Send `data` as it is (over a CONNECT tunnel if given) and read one reply."""

    async def run() -> RawReply:
        reader, writer = await open_proxy(proxy_port, tunnel, ca, server_hostname)
        try:
            writer.write(data)
            await writer.drain()
            method = data.split(b" ", 1)[0].decode("latin-1")
            return await read_reply(reader, method)
        finally:
            writer.close()

    return asyncio.run(asyncio.wait_for(run(), timeout))


def send_garbage(proxy_port: int, data: bytes, timeout: float = 5.0) -> bytes:
    """Write `data`, half-close, and return whatever comes back before the proxy closes."""
    with socket.create_connection(("127.0.0.1", proxy_port), timeout=timeout) as sock:
        try:
            sock.sendall(data)
            sock.shutdown(socket.SHUT_WR)
        except OSError:
            return b""  # the proxy closed first: that is a fine answer to garbage
        received = []
        try:
            while chunk := sock.recv(65536):
                received.append(chunk)
        except (TimeoutError, OSError):
            pass
        return b"".join(received)
