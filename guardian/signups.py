"""Social network sign-up pages, which need a parent for a child under 16.

Decree 147/2024 (Art. 29) has a parent consent to a child's social network
account; the Code of Conduct asks parents to supervise it (PARENT-5). The
age presets turn "signing up needs a parent" on under 16; social networks are
blocked outright under 14, so in practice it is what a 14- or 15-year-old
meets. The sign-up pages are data (`guardian/data/signup_pages.toml`); a
parent's allow rule for the site, or a "yes" to the child's request, lets the
sign-up through.
"""

from __future__ import annotations

import tomllib
from functools import cache
from importlib.resources import files
from types import MappingProxyType

from guardian.errors import CatalogError, InvalidHost
from guardian.hosts import domain_suffixes, normalize_host

SignupPages = MappingProxyType[str, tuple[str, ...]]


@cache
def signup_pages() -> SignupPages:
    source = files("guardian") / "data" / "signup_pages.toml"
    try:
        text = source.read_text(encoding="utf-8")
    except OSError as exc:
        raise CatalogError(f"the list of sign-up pages {source} is not usable: {exc}") from exc
    return parse_signup_pages(text, str(source))


def parse_signup_pages(text: str, source: str) -> SignupPages:
    """Hosts and the path prefixes of their sign-up pages, from the TOML `text`."""
    pages: dict[str, tuple[str, ...]] = {}
    try:
        for name, prefixes in tomllib.loads(text)["pages"].items():
            if not isinstance(prefixes, list) or not prefixes or not all(
                isinstance(p, str) and p.startswith("/") and p == p.lower() for p in prefixes
            ):
                raise ValueError(f"{name}: give a list of lower-case paths starting with /")
            pages[normalize_host(name)] = tuple(prefixes)
    except (tomllib.TOMLDecodeError, KeyError, AttributeError, ValueError, InvalidHost) as exc:
        raise CatalogError(f"the list of sign-up pages {source} is not usable: {exc}") from exc
    return MappingProxyType(pages)


def is_signup_page(host: str, path: str) -> bool:
    """`path` (normalized, lower case) on the canonical `host` makes a social network account."""
    pages = signup_pages()
    for suffix in domain_suffixes(host):
        prefixes = pages.get(suffix)
        if prefixes is not None:
            return path.startswith(prefixes)
    return False
