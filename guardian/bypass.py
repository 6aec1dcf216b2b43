"""Ways around the filter that Guardian blocks without any imported list.

The data is `guardian/data/bypass.toml`: DNS-over-HTTPS resolvers and
well-known web proxies and VPN sites, all in the `bypass` category (blocked
for every child by the presets). A request of the DNS-over-HTTPS type
(`application/dns-message`) is recognised whatever its host.
"""

from __future__ import annotations

import tomllib
from functools import cache
from importlib.resources import files

from guardian.errors import CatalogError, InvalidHost
from guardian.hosts import normalize_host

DNS_MESSAGE = "application/dns-message"


@cache
def bypass_hosts() -> frozenset[str]:
    source = files("guardian") / "data" / "bypass.toml"
    try:
        data = tomllib.loads(source.read_text(encoding="utf-8"))
        names = [*data["doh_resolvers"], *data["proxies_and_vpns"]]
        return frozenset(normalize_host(name) for name in names)
    except (OSError, tomllib.TOMLDecodeError, KeyError, TypeError, ValueError, InvalidHost) as exc:
        raise CatalogError(f"the list of filter bypasses {source} is not usable: {exc}") from exc


def is_dns_message(content_type: str, accept: str) -> bool:
    """A DNS-over-HTTPS request: it sends or asks for `application/dns-message`."""
    return DNS_MESSAGE in content_type.lower() or DNS_MESSAGE in accept.lower()
