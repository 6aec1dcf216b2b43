"""A host's site: the registrable domain a person would name (`youtube.com`, `google.com.vn`).

Screen time is counted per site, so `www.youtube.com`, `m.youtube.com` and
`youtube.com` share one budget, while two blogs on `github.io` do not.
"""

from __future__ import annotations

from functools import lru_cache

from publicsuffix2 import PublicSuffixList

from guardian.hosts import is_ip

_LIST = PublicSuffixList()


@lru_cache(maxsize=8192)
def site_of(host: str) -> str:
    """The registrable domain of a canonical host; the host itself for IPs and bare names.

    A top-level domain the public suffix list does not know (`.example`,
    `.internal`) is taken to be a plain one: the last two labels.
    """
    if is_ip(host) or "." not in host:
        return host
    return _LIST.get_sld(host, strict=True) or ".".join(host.rsplit(".", 2)[-2:])
