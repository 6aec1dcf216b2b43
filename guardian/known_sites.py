"""Sites Guardian puts in categories without any imported list.

Two catalogues ship with Guardian: `guardian/data/known_sites.toml`, the
best-known games, social networks, video, chat and dating, adult and
gambling sites (so that the age presets and the game limits work on the day
Guardian is installed), and the ways around the filter (`guardian.bypass`).
Imported lists add to them; a parent's rules beat them, as they beat any
category.
"""

from __future__ import annotations

import tomllib
from functools import cache
from importlib.resources import files

from guardian.bypass import bypass_hosts
from guardian.categories import CATEGORY_BITS
from guardian.errors import CatalogError, InvalidHost
from guardian.hosts import domain_suffixes, normalize_host

_BYPASS = CATEGORY_BITS["bypass"]


@cache
def known_sites() -> dict[str, int]:
    """Each known canonical host with its category mask."""
    source = files("guardian") / "data" / "known_sites.toml"
    try:
        text = source.read_text(encoding="utf-8")
    except OSError as exc:
        raise CatalogError(f"the list of known sites {source} is not usable: {exc}") from exc
    masks = dict.fromkeys(bypass_hosts(), _BYPASS)
    for host, mask in parse_known_sites(text, str(source)).items():
        masks[host] = masks.get(host, 0) | mask
    return masks


def parse_known_sites(text: str, source: str) -> dict[str, int]:
    """The hosts of a known-sites catalogue (category code = [names]) and their masks."""
    masks: dict[str, int] = {}
    try:
        for code, names in tomllib.loads(text).items():
            if code not in CATEGORY_BITS or code == "bypass":
                raise ValueError(f"{code!r} is not a category it may name")
            if not isinstance(names, list) or not all(isinstance(n, str) for n in names):
                raise TypeError(f"{code} is not a list of names")
            for name in names:
                host = normalize_host(name)
                masks[host] = masks.get(host, 0) | CATEGORY_BITS[code]
    except (tomllib.TOMLDecodeError, TypeError, ValueError, InvalidHost) as exc:
        raise CatalogError(f"the list of known sites {source} is not usable: {exc}") from exc
    return masks


def known_mask(host: str) -> int:
    """The categories the shipped catalogues give the canonical `host` or a parent of it."""
    known = known_sites()
    mask = 0
    for suffix in domain_suffixes(host):
        mask |= known.get(suffix, 0)
    return mask


def known_count() -> int:
    """How many sites the shipped catalogues name."""
    return len(known_sites())
