"""The origin server the proxies fetch from: nginx on loopback, or asyncio without it.

It serves a 2 KB HTML page (as in the earlier measurements), and a large
file for the streaming check, over HTTP and over HTTPS with a certificate
from a throwaway CA that the proxies are told to trust. The suite measures
the client straight against it ("direct") in the same run, which shows that
neither the upstream nor the client is the bottleneck.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import ipaddress
import os
import shutil
import signal
import socket
import ssl
import subprocess
import sys
import threading
import time
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

PAGE_PATH = "/page.html"
BIG_PATH = "/big.bin"
PAGE = (b"<!doctype html><html><head><title>Bai hoc hom nay</title></head><body>"
        b"<h1>Upstream page</h1><p>" + b"Hoc sinh doc bai va lam bai tap. " * 58
        + b"</p></body></html>")
UPSTREAM_HOST = "localhost"  # a name, as a browser sends; /etc/hosts maps it to 127.0.0.1


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_for_port(port: int, timeout: float = 60.0, host: str = "127.0.0.1") -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with socket.create_connection((host, port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.05)
    raise TimeoutError(f"nothing listens on {host}:{port} after {timeout} s")


def make_certificates(folder: Path) -> tuple[Path, Path]:
    """A CA (returned first, for the proxies to trust) and a localhost certificate + key."""
    folder.mkdir(parents=True, exist_ok=True)
    now = dt.datetime.now(dt.UTC)
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Guardian benchmark CA")])
    ca_cert = (
        x509.CertificateBuilder().subject_name(ca_name).issuer_name(ca_name)
        .public_key(ca_key.public_key()).serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1)).not_valid_after(now + dt.timedelta(days=7))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(ca_key, hashes.SHA256())
    )
    key = ec.generate_private_key(ec.SECP256R1())
    leaf = (
        x509.CertificateBuilder()
        .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "localhost")]))
        .issuer_name(ca_name).public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1)).not_valid_after(now + dt.timedelta(days=7))
        .add_extension(x509.SubjectAlternativeName([
            x509.DNSName("localhost"), x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
            critical=False)
        .sign(ca_key, hashes.SHA256())
    )
    ca_path, cert_path, key_path = folder / "ca.pem", folder / "cert.pem", folder / "key.pem"
    ca_path.write_bytes(ca_cert.public_bytes(serialization.Encoding.PEM))
    cert_path.write_bytes(leaf.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(key.private_bytes(serialization.Encoding.PEM,
                                           serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))
    return ca_path, cert_path


_NGINX_CONF = """\
daemon off;
{user}worker_processes {workers};
pid {root}/nginx.pid;
error_log {root}/error.log crit;
events {{ worker_connections 1024; }}
http {{
    access_log off;
    default_type application/octet-stream;
    types {{ text/html html; }}
    keepalive_requests 1000000;
    keepalive_timeout 120s;
    sendfile on;
    client_body_temp_path {root}/body;
    proxy_temp_path {root}/proxy;
    fastcgi_temp_path {root}/fastcgi;
    uwsgi_temp_path {root}/uwsgi;
    scgi_temp_path {root}/scgi;
    server {{
        listen 127.0.0.1:{http_port};
        listen 127.0.0.1:{https_port} ssl;
        ssl_certificate {cert};
        ssl_certificate_key {key};
        root {www};
    }}
}}
"""


class Upstream:
    """nginx when installed, else `AsyncioUpstream` in a thread of this process."""

    def __init__(self, root: Path, big_bytes: int) -> None:
        self.root = root
        self.www = root / "www"
        self.www.mkdir(parents=True, exist_ok=True)
        (self.www / PAGE_PATH.lstrip("/")).write_bytes(PAGE)
        big = self.www / BIG_PATH.lstrip("/")
        with big.open("wb") as handle:  # sparse: costs no disk
            handle.truncate(big_bytes)
        self.big_bytes = big_bytes
        self.ca_path, self.cert_path = make_certificates(root / "tls")
        self.http_port, self.https_port = free_port(), free_port()
        self.kind = "nginx" if shutil.which("nginx") else "asyncio"
        self._process: subprocess.Popen[bytes] | None = None
        self._fallback: AsyncioUpstream | None = None

    def url(self, path: str = PAGE_PATH, tls: bool = False) -> str:
        scheme, port = ("https", self.https_port) if tls else ("http", self.http_port)
        return f"{scheme}://{UPSTREAM_HOST}:{port}{path}"

    def __enter__(self) -> Upstream:
        if self.kind == "nginx":
            conf = self.root / "nginx.conf"
            conf.write_text(_NGINX_CONF.format(
                user="user root root;\n" if os.geteuid() == 0 else "",
                workers=1, root=self.root, http_port=self.http_port,
                https_port=self.https_port, cert=self.cert_path,
                key=self.cert_path.with_name("key.pem"), www=self.www))
            self._process = subprocess.Popen(
                ["nginx", "-c", str(conf), "-p", str(self.root), "-e", str(self.root / "err.log")],
                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        else:
            self._fallback = AsyncioUpstream(self)
            self._fallback.start()
        wait_for_port(self.http_port)
        wait_for_port(self.https_port)
        return self

    def __exit__(self, *exc: object) -> None:
        if self._process is not None:
            self._process.send_signal(signal.SIGQUIT)
            try:
                self._process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self._process.kill()
                self._process.wait()
        if self._fallback is not None:
            self._fallback.stop()

    @property
    def pids(self) -> list[int]:
        return [self._process.pid] if self._process else [os.getpid()]


class AsyncioUpstream:
    """A small keep-alive HTTP/1.1 server for machines without nginx."""

    def __init__(self, upstream: Upstream) -> None:
        self.upstream = upstream
        self.page = PAGE
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._stop: asyncio.Event | None = None

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        if self._loop is not None and self._stop is not None:
            self._loop.call_soon_threadsafe(self._stop.set)
        self._thread.join(timeout=5)

    def _run(self) -> None:
        asyncio.run(self._serve())

    async def _serve(self) -> None:
        self._loop = asyncio.get_running_loop()
        self._stop = asyncio.Event()
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(self.upstream.cert_path,
                                self.upstream.cert_path.with_name("key.pem"))
        servers = [
            await asyncio.start_server(self._handle, "127.0.0.1", self.upstream.http_port),
            await asyncio.start_server(self._handle, "127.0.0.1", self.upstream.https_port,
                                       ssl=context),
        ]
        await self._stop.wait()
        for server in servers:
            server.close()

    async def _handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            while True:
                head = await reader.readuntil(b"\r\n\r\n")
                target = head.split(b" ", 2)[1].decode("latin-1")
                if target.endswith(BIG_PATH):
                    await self._send_big(writer)
                else:
                    writer.write(b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n"
                                 b"Content-Length: %d\r\n\r\n" % len(self.page) + self.page)
                await writer.drain()
        except (asyncio.IncompleteReadError, ConnectionError, IndexError):
            pass
        finally:
            writer.close()

    async def _send_big(self, writer: asyncio.StreamWriter) -> None:
        size = self.upstream.big_bytes
        writer.write(b"HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\n"
                     b"Content-Length: %d\r\n\r\n" % size)
        chunk = bytes(256 * 1024)
        sent = 0
        while sent < size:
            piece = chunk[: size - sent]
            writer.write(piece)
            sent += len(piece)
            await writer.drain()


if __name__ == "__main__":  # a manual check: python -m benchmarks.upstream
    import tempfile

    with Upstream(Path(tempfile.mkdtemp()), 1 << 20) as up:
        print(up.kind, up.url(), up.url(tls=True), file=sys.stderr)
        time.sleep(float(sys.argv[1]) if len(sys.argv) > 1 else 2)
