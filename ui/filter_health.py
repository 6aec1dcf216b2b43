"""Asking the filter how it is, through the filter itself.

The filter answers `GET http://guardian.home.arpa/health` on its own (also over
HTTPS through the proxy, signed by Guardian's CA) with JSON:
`{"guardian": "<version>", "ok": true|false, "policy_version": N|null,
"error": "policy_unavailable"|null}` (why, only in the filter's log: children
may read this page too). A request to that reserved host tells the app whether
the program listening on the filter's address is Guardian (attach to it) or
something else (do not start a second filter there), and an HTTPS request to
it checks that the CA certificate is the one the filter signs with.

Plain blocking functions with timeouts, no Qt: the app runs them on a worker.
"""

from __future__ import annotations

import http.client
import json
import socket
import ssl
from dataclasses import dataclass
from pathlib import Path

HEALTH_HOST = "guardian.home.arpa"
HEALTH_PATH = "/health"
HEALTH_URL = f"http://{HEALTH_HOST}{HEALTH_PATH}"
MAX_BODY = 64 * 1024


@dataclass(frozen=True, slots=True)
class Health:
    version: str
    ok: bool
    policy_version: int | None
    error: str | None


@dataclass(frozen=True, slots=True)
class Probe:
    """What is at the filter's address: nothing, Guardian (with its health), or another program."""

    listening: bool
    health: Health | None = None

    @property
    def is_guardian(self) -> bool:
        return self.health is not None


@dataclass(frozen=True, slots=True)
class CertificateCheck:
    signed_by_ca: bool  # a TLS connection through the filter verified against the CA file
    system_trusts: bool  # ... and against this computer's own trusted authorities
    health: Health | None
    error: str | None  # why the CA check failed, for the parent (technical detail)


def parse_health(body: bytes) -> Health | None:
    """The health answer, or None when `body` is not one (so it is not Guardian)."""
    try:
        data = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        return None
    if not isinstance(data, dict) or not isinstance(data.get("guardian"), str):
        return None
    ok = data.get("ok")
    version = data.get("policy_version")
    error = data.get("error")
    return Health(
        version=data["guardian"],
        ok=ok is True,
        policy_version=version if isinstance(version, int) else None,
        error=error if isinstance(error, str) else None,
    )


def is_listening(host: str, port: int, timeout: float = 1.0) -> bool:
    try:
        with socket.create_connection((host, port), timeout=timeout):
            return True
    except OSError:
        return False


def probe_filter(host: str, port: int, timeout: float = 3.0) -> Probe:
    """Ask whatever listens on host:port for Guardian's health page, as a proxy client."""
    connection = http.client.HTTPConnection(host, port, timeout=timeout)
    try:
        connection.request("GET", HEALTH_URL, headers={
            "Host": HEALTH_HOST, "Accept": "application/json", "Connection": "close",
        })
        response = connection.getresponse()
        body = response.read(MAX_BODY)
    except (ConnectionRefusedError, socket.gaierror):
        return Probe(listening=False)
    except (OSError, http.client.HTTPException):
        # Something accepted the connection but did not answer like a proxy.
        return Probe(listening=is_listening(host, port))
    finally:
        connection.close()
    return Probe(listening=True, health=parse_health(body) if response.status == 200 else None)


def check_certificate(
    host: str, port: int, ca_file: Path, timeout: float = 10.0
) -> CertificateCheck:
    """Open https://guardian.home.arpa/health through the filter, trusting only `ca_file`.

    A verified handshake proves the filter signs with this CA, so a browser that
    trusts the file will accept the filter's pages. The same request with this
    computer's trusted authorities tells whether the CA is installed system-wide.
    """
    try:
        health = _https_health(host, port, ssl.create_default_context(cafile=str(ca_file)),
                               timeout)
    except (OSError, ssl.SSLError, http.client.HTTPException) as exc:
        return CertificateCheck(False, False, None, _reason(exc))
    try:
        _https_health(host, port, ssl.create_default_context(), timeout)
        system = True
    except (OSError, ssl.SSLError, http.client.HTTPException):
        system = False
    return CertificateCheck(True, system, health, None)


def _https_health(host: str, port: int, context: ssl.SSLContext, timeout: float) -> Health | None:
    connection = http.client.HTTPSConnection(host, port, context=context, timeout=timeout)
    connection.set_tunnel(HEALTH_HOST, 443)
    try:
        connection.request("GET", HEALTH_PATH, headers={"Accept": "application/json"})
        response = connection.getresponse()
        body = response.read(MAX_BODY)
    finally:
        connection.close()
    return parse_health(body) if response.status == 200 else None


def _reason(exc: BaseException) -> str:
    if isinstance(exc, ssl.SSLCertVerificationError):
        return exc.verify_message or str(exc)
    return str(exc) or type(exc).__name__
