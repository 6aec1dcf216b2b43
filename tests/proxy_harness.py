"""Real parts for end-to-end tests, all on loopback.

- `Upstream`: an HTTP or HTTPS origin server that counts what it serves.
- `TestCA`: a certificate authority for the upstream's HTTPS certificate.
- `GuardianProxy`: the real `guardian proxy` in a subprocess.
- `fetch`: a client that speaks through the proxy as a browser would
  (absolute-form for HTTP, CONNECT then TLS trusting Guardian's CA for HTTPS).
"""

from __future__ import annotations

import datetime as dt
import http.client
import os
import signal
import socket
import ssl
import subprocess
import sys
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

REPO = Path(__file__).resolve().parent.parent
PAGE = b"<!doctype html><html><body><h1>upstream page</h1>" + b"x" * 2000 + b"</body></html>"


_HANDED_OUT: set[int] = set()


def free_port() -> int:
    """A loopback port nothing listens on, never the same one twice in a test run.

    The kernel may give a just-closed ephemeral port out again at once, so two
    calls in a row (a port for each child) could otherwise return the same one.
    """
    while True:
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            port = sock.getsockname()[1]
        if port not in _HANDED_OUT:
            _HANDED_OUT.add(port)
            return port


def wait_for_port(port: int, host: str = "127.0.0.1", timeout: float = 20.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with socket.create_connection((host, port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.05)
    raise TimeoutError(f"nothing listens on {host}:{port} after {timeout} s")


def wait_until(predicate, timeout: float = 5.0, interval: float = 0.05):  # type: ignore[no-untyped-def]
    """Poll until `predicate()` is truthy; return its value or raise TimeoutError."""
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            raise TimeoutError(f"condition not met within {timeout} s")
        time.sleep(interval)


class TestCA:
    """A throwaway CA and a leaf certificate for localhost and 127.0.0.1."""

    __test__ = False

    def __init__(self, folder: Path) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        now = dt.datetime.now(dt.UTC)
        ca_key = ec.generate_private_key(ec.SECP256R1())
        ca_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Guardian test upstream CA")])
        ca_cert = (
            x509.CertificateBuilder()
            .subject_name(ca_name).issuer_name(ca_name).public_key(ca_key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - dt.timedelta(days=1))
            .not_valid_after(now + dt.timedelta(days=30))
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
            .add_extension(x509.KeyUsage(
                digital_signature=True, key_cert_sign=True, crl_sign=True,
                content_commitment=False, key_encipherment=False, data_encipherment=False,
                key_agreement=False, encipher_only=False, decipher_only=False), critical=True)
            .sign(ca_key, hashes.SHA256())
        )
        key = ec.generate_private_key(ec.SECP256R1())
        import ipaddress

        leaf = (
            x509.CertificateBuilder()
            .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "localhost")]))
            .issuer_name(ca_name).public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - dt.timedelta(days=1))
            .not_valid_after(now + dt.timedelta(days=30))
            .add_extension(x509.SubjectAlternativeName([
                x509.DNSName("localhost"),
                x509.IPAddress(ipaddress.ip_address("127.0.0.1")),
            ]), critical=False)
            .sign(ca_key, hashes.SHA256())
        )
        self.ca_path = folder / "upstream-ca.pem"
        self.ca_path.write_bytes(ca_cert.public_bytes(serialization.Encoding.PEM))
        self.cert_path = folder / "upstream-cert.pem"
        self.cert_path.write_bytes(
            leaf.public_bytes(serialization.Encoding.PEM)
            + key.private_bytes(serialization.Encoding.PEM,
                                serialization.PrivateFormat.PKCS8,
                                serialization.NoEncryption())
        )


class Upstream:
    """An origin server on 127.0.0.1 that counts requests by path."""

    def __init__(self, tls_cert: Path | None = None) -> None:
        self.hits: Counter[str] = Counter()
        self.headers: dict[str, dict[str, str]] = {}  # the last request's headers, by path
        # Pages to serve by path: (content type, body); anything else gets PAGE.
        self.pages: dict[str, tuple[str, bytes]] = {}
        self.lock = threading.Lock()
        upstream = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_GET(self) -> None:  # noqa: N802
                with upstream.lock:
                    upstream.hits[self.path] += 1
                    upstream.headers[self.path] = {k.lower(): v for k, v in self.headers.items()}
                content_type, body = upstream.pages.get(
                    self.path.split("?", 1)[0], ("text/html; charset=utf-8", PAGE))
                self.send_response(200)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            do_POST = do_GET  # noqa: N815

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        if tls_cert is not None:
            context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            context.load_cert_chain(tls_cert)
            self.server.socket = context.wrap_socket(self.server.socket, server_side=True)
        self.port = self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> Upstream:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()

    @property
    def total(self) -> int:
        with self.lock:
            return sum(self.hits.values())


@dataclass
class GuardianProxy:
    """`python -m guardian --data-dir D proxy --listen 127.0.0.1:PORT` in a subprocess."""

    data_dir: Path
    port: int = field(default_factory=free_port)
    upstream_ca: Path | None = None
    extra_args: tuple[str, ...] = ()
    log_dir: Path | None = None
    process: subprocess.Popen[bytes] | None = None
    # A shared database (`--database-url`) and this filter's machine name (`--machine-name`).
    database_url: str | None = None
    machine_name: str | None = None

    def __post_init__(self) -> None:
        self.log_path = (self.log_dir or self.data_dir.parent) / f"proxy-{self.port}.log"

    def command(self) -> list[str]:
        args = [sys.executable, "-m", "guardian", "--data-dir", str(self.data_dir)]
        if self.database_url is not None:
            args += ["--database-url", self.database_url]
        args += ["proxy", "--listen", f"127.0.0.1:{self.port}"]
        if self.machine_name is not None:
            args += ["--machine-name", self.machine_name]
        if self.upstream_ca is not None:
            args += ["--set", f"ssl_verify_upstream_trusted_ca={self.upstream_ca}"]
        return args + list(self.extra_args)

    def start(self) -> GuardianProxy:
        env = {k: v for k, v in os.environ.items() if "proxy" not in k.lower()}
        env["PYTHONPATH"] = str(REPO) + os.pathsep + env.get("PYTHONPATH", "")
        self._log = open(self.log_path, "ab")  # noqa: SIM115
        self.process = subprocess.Popen(
            self.command(), cwd=REPO, env=env, stdout=self._log, stderr=subprocess.STDOUT
        )
        try:
            wait_for_port(self.port)
        except TimeoutError:
            self.stop()
            raise RuntimeError(f"guardian proxy did not start:\n{self.log()}") from None
        return self

    def stop(self, sig: int = signal.SIGTERM) -> int | None:
        if self.process is None:
            return None
        if self.process.poll() is None:
            self.process.send_signal(sig)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self._log.close()
        code = self.process.returncode
        self.process = None
        return code

    def log(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""

    def __enter__(self) -> GuardianProxy:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def ca_cert(self) -> Path:
        return self.data_dir / "ca" / "mitmproxy-ca-cert.pem"


@dataclass
class Reply:
    status: int
    headers: dict[str, str]
    body: bytes

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", errors="replace")


def fetch(
    proxy_port: int,
    url: str,
    *,
    headers: dict[str, str] | None = None,
    ca: Path | None = None,
    method: str = "GET",
    body: bytes | None = None,
    source_address: str | None = None,
    timeout: float = 15.0,
) -> Reply:
    """One request through the proxy, as a browser configured to use it sends it."""
    scheme, _, rest = url.partition("://")
    authority, slash, path = rest.partition("/")
    path = slash + path if slash else "/"
    host, _, port_text = authority.rpartition(":") if ":" in authority else (authority, "", "")
    port = int(port_text) if port_text else (443 if scheme == "https" else 80)
    request_headers = {"Accept": "text/html", "Sec-Fetch-Dest": "document", **(headers or {})}
    source = (source_address, 0) if source_address else None
    if scheme == "https":
        context = ssl.create_default_context(cafile=str(ca) if ca else None)
        conn: http.client.HTTPConnection = http.client.HTTPSConnection(
            "127.0.0.1", proxy_port, context=context, timeout=timeout, source_address=source)
        conn.set_tunnel(host, port)
        target = path
    else:
        conn = http.client.HTTPConnection("127.0.0.1", proxy_port, timeout=timeout,
                                          source_address=source)
        target = url
    try:
        conn.request(method, target, body=body, headers=request_headers)
        response = conn.getresponse()
        return Reply(response.status, {k.lower(): v for k, v in response.getheaders()},
                     response.read())
    finally:
        conn.close()


def guardian_cli(data_dir: Path, *args: str) -> str:
    """`guardian --data-dir D ARGS...` in its own process, as a parent would run it; its output.

    Fails the test with the command's error line if it exits non-zero.
    """
    result = subprocess.run(
        [sys.executable, "-m", "guardian", "--data-dir", str(data_dir), *args],
        cwd=REPO, capture_output=True, text=True, timeout=60,
    )
    assert result.returncode == 0, f"guardian {' '.join(args)}: {result.stderr}"
    return result.stdout
