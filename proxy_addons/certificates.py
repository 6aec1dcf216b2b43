"""The filter's certificate authority, kept in Guardian's data folder.

mitmproxy creates it on first use (key files owner-only); a parent installs
`mitmproxy-ca-cert.pem` in the child's browsers so that HTTPS block pages
are trusted.
"""

from __future__ import annotations

from pathlib import Path

from mitmproxy import certs
from mitmproxy.options import CONF_BASENAME, KEY_SIZE


def ensure_ca(ca_dir: Path) -> Path:
    """Create the CA if missing; return the path of the certificate to install."""
    ca_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
    certs.CertStore.from_store(ca_dir, CONF_BASENAME, KEY_SIZE)
    return ca_dir / f"{CONF_BASENAME}-ca-cert.pem"
