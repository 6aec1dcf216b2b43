"""Load generators: wrk for plain HTTP, hey for HTTPS, a Python client without them.

Every client keeps its connections alive and sends what a browser sends to
a proxy: absolute-form requests for HTTP, CONNECT then TLS for HTTPS (the
proxy intercepts, so the client accepts its certificate), with the headers
of a page load. Each returns a `LoadResult`; the suite also runs each client
straight against the upstream, to show the client is not the bottleneck.
"""

from __future__ import annotations

import asyncio
import re
import shutil
import ssl
import statistics
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

PAGE_HEADERS = {"Accept": "text/html", "Sec-Fetch-Dest": "document",
                "User-Agent": "guardian-benchmark"}


@dataclass(frozen=True)
class LoadResult:
    requests_per_second: float
    p50_ms: float
    p99_ms: float
    requests: int
    errors: int  # failed requests, and answers with an unexpected status
    client: str

    @property
    def ok(self) -> bool:
        return self.requests > 0 and self.errors <= max(5, self.requests // 1000)


def have(tool: str) -> bool:
    return shutil.which(tool) is not None


def run_load(url: str, proxy_port: int | None, connections: int, seconds: float,
             expect_status: int = 200) -> LoadResult:
    """`connections` keep-alive connections fetching `url` for `seconds`, through the proxy
    on `proxy_port` (None: straight to the upstream)."""
    tls = url.startswith("https:")
    if not tls and have("wrk"):
        return wrk(url, proxy_port, connections, seconds, expect_status)
    if tls and have("hey"):
        return hey(url, proxy_port, connections, seconds, expect_status)
    return asyncio.run(python_load(url, proxy_port, connections, seconds, expect_status))


_WRK_SCRIPT = """\
wrk.method = "GET"
wrk.path = "{path}"
{headers}
done = function(summary, latency, requests)
  io.write(string.format("GUARDIAN-BENCH %d %d %d %d %d\\n", summary.requests,
    summary.errors.connect + summary.errors.read + summary.errors.write
      + summary.errors.timeout, summary.errors.status, latency:percentile(50),
    latency:percentile(99)))
end
"""


def wrk(url: str, proxy_port: int | None, connections: int, seconds: float,
        expect_status: int = 200) -> LoadResult:
    parts = urlsplit(url)
    headers = {"Host": parts.netloc, **PAGE_HEADERS}
    if proxy_port is None:
        target, path = f"http://127.0.0.1:{parts.port}", parts.path
    else:
        target, path = f"http://127.0.0.1:{proxy_port}", url  # absolute-form
    script = _WRK_SCRIPT.format(path=path, headers="\n".join(
        f'wrk.headers["{name}"] = "{value}"' for name, value in headers.items()))
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as handle:
        handle.write(script)
    threads = 1 if connections < 10 else 2
    try:
        output = subprocess.run(
            ["wrk", "-t", str(threads), "-c", str(connections), "-d", f"{seconds:g}s",
             "--timeout", "10s", "-s", handle.name, target],
            capture_output=True, text=True, timeout=seconds + 60, check=False,
        ).stdout
    finally:
        Path(handle.name).unlink(missing_ok=True)
    found = re.search(r"GUARDIAN-BENCH (\d+) (\d+) (\d+) (\d+) (\d+)", output)
    rate = re.search(r"Requests/sec:\s+([\d.]+)", output)
    if not found or not rate:
        raise RuntimeError(f"wrk gave no result:\n{output}")
    requests, errors, bad_status, p50_us, p99_us = map(int, found.groups())
    # wrk counts non-2xx/3xx answers as status errors; a block page is a 403 on purpose.
    if expect_status >= 400:
        bad_status = 0
    return LoadResult(float(rate.group(1)), p50_us / 1000, p99_us / 1000, requests,
                      errors + bad_status, "wrk")


def hey(url: str, proxy_port: int | None, connections: int, seconds: float,
        expect_status: int = 200) -> LoadResult:
    args = ["hey", "-z", f"{seconds:g}s", "-c", str(connections), "-t", "10"]
    for name, value in PAGE_HEADERS.items():
        args += ["-H", f"{name}: {value}"]
    if proxy_port is not None:
        args += ["-x", f"http://127.0.0.1:{proxy_port}"]
    output = subprocess.run(args + [url], capture_output=True, text=True,
                            timeout=seconds + 60, check=False).stdout
    rate = re.search(r"Requests/sec:\s+([\d.]+)", output)
    p50 = re.search(r"50%% in ([\d.]+) secs", output.replace("%", "%%"))
    p99 = re.search(r"99%% in ([\d.]+) secs", output.replace("%", "%%"))
    statuses = {int(code): int(count) for code, count in
                re.findall(r"\[(\d+)\]\s+(\d+) responses", output)}
    _, _, error_part = output.partition("Error distribution:")
    failures = sum(int(n) for n in re.findall(r"^\s+\[(\d+)\]", error_part, re.M))
    if not rate or not statuses:
        raise RuntimeError(f"hey gave no result:\n{output}")
    wrong = sum(count for code, count in statuses.items() if code != expect_status)
    # hey stops at the deadline with requests in flight: those count as errors, not failures.
    return LoadResult(float(rate.group(1)), float(p50.group(1)) * 1000 if p50 else 0.0,
                      float(p99.group(1)) * 1000 if p99 else 0.0, sum(statuses.values()),
                      wrong + max(0, failures - connections), "hey")


async def python_load(url: str, proxy_port: int | None, connections: int, seconds: float,
                      expect_status: int = 200) -> LoadResult:
    """The fallback client: one asyncio task per connection, in this process."""
    deadline = time.perf_counter() + seconds
    latencies: list[float] = []
    errors = [0]

    async def one_connection() -> None:
        while time.perf_counter() < deadline:
            try:
                reader, writer = await open_through(url, proxy_port)
            except OSError:
                errors[0] += 1
                await asyncio.sleep(0.01)
                continue
            try:
                while time.perf_counter() < deadline:
                    started = time.perf_counter()
                    status, _ = await fetch_on(reader, writer, url, proxy_port)
                    latencies.append(time.perf_counter() - started)
                    if status != expect_status:
                        errors[0] += 1
            except (OSError, asyncio.IncompleteReadError, ValueError):
                errors[0] += 1
            finally:
                writer.close()

    started = time.perf_counter()
    await asyncio.gather(*(one_connection() for _ in range(connections)))
    elapsed = time.perf_counter() - started
    if not latencies:
        return LoadResult(0.0, 0.0, 0.0, 0, errors[0], "python")
    latencies.sort()
    return LoadResult(len(latencies) / elapsed, statistics.median(latencies) * 1000,
                      latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))] * 1000,
                      len(latencies), errors[0], "python")


async def open_through(url: str, proxy_port: int | None
                       ) -> tuple[asyncio.StreamReader, asyncio.StreamWriter]:
    """A connection to `url`'s server, through the proxy when `proxy_port` is given."""
    parts = urlsplit(url)
    tls = parts.scheme == "https"
    port = parts.port or (443 if tls else 80)
    host = parts.hostname or ""
    context = None
    if tls:
        context = ssl.create_default_context()
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE  # the proxy's CA, or the benchmark's
    if proxy_port is None:
        return await asyncio.open_connection("127.0.0.1", port, ssl=context,
                                             server_hostname=host if tls else None)
    reader, writer = await asyncio.open_connection("127.0.0.1", proxy_port)
    if tls:
        writer.write(f"CONNECT {host}:{port} HTTP/1.1\r\nHost: {host}:{port}\r\n\r\n".encode())
        await writer.drain()
        head = await reader.readuntil(b"\r\n\r\n")
        if b" 200" not in head.split(b"\r\n", 1)[0]:
            raise OSError(f"CONNECT refused: {head[:60]!r}")
        await writer.start_tls(context, server_hostname=host)
    return reader, writer


async def fetch_on(reader: asyncio.StreamReader, writer: asyncio.StreamWriter, url: str,
                   proxy_port: int | None, sink: bool = False) -> tuple[int, int]:
    """One GET on an open connection; (status, body bytes). `sink`: read and drop the body
    in pieces instead of holding it."""
    parts = urlsplit(url)
    target = url if proxy_port is not None and parts.scheme == "http" else (
        parts.path or "/")
    lines = [f"GET {target} HTTP/1.1", f"Host: {parts.netloc}",
             *(f"{name}: {value}" for name, value in PAGE_HEADERS.items())]
    writer.write(("\r\n".join(lines) + "\r\n\r\n").encode())
    await writer.drain()
    head = await reader.readuntil(b"\r\n\r\n")
    status = int(head.split(b" ", 2)[1])
    length = 0
    chunked = False
    for line in head.split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        name = name.strip().lower()
        if name == b"content-length":
            length = int(value)
        elif name == b"transfer-encoding" and b"chunked" in value.lower():
            chunked = True
    if chunked:
        return status, await _read_chunked(reader)
    if sink:
        left = length
        while left:
            piece = await reader.read(min(left, 1 << 20))
            if not piece:
                raise asyncio.IncompleteReadError(b"", left)
            left -= len(piece)
    else:
        await reader.readexactly(length)
    return status, length


async def _read_chunked(reader: asyncio.StreamReader) -> int:
    total = 0
    while True:
        size = int((await reader.readuntil(b"\r\n")).split(b";")[0], 16)
        if size == 0:
            await reader.readuntil(b"\r\n")
            return total
        left = size
        while left:
            piece = await reader.read(min(left, 1 << 20))
            if not piece:
                raise asyncio.IncompleteReadError(b"", left)
            left -= len(piece)
        total += size
        await reader.readexactly(2)
