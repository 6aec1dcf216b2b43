"""How one line of each list format becomes canonical targets.

A line reader returns the targets on the line, `()` for a line that holds
none on purpose (a comment, `localhost`), or `None` for a rule Guardian does
not enforce (an ABP cosmetic or exception rule). A line that claims to name
a site but does not raises `InvalidHost`: the caller counts it as bad.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from guardian.errors import InvalidHost
from guardian.hosts import is_ip, normalize_host, parse_ip, split_target

# (canonical host, normalized path or None for the whole domain)
Target = tuple[str, str | None]
LineReader = Callable[[str], tuple[Target, ...] | None]

FILE_FORMATS = ("domains", "hosts", "abp")
FOLDER_FORMATS = ("ut1",)

# Names that hosts files map for the machine itself, never sites to block.
_HOSTS_SELF_NAMES = frozenset(
    {
        "localhost",
        "localhost.localdomain",
        "local",
        "broadcasthost",
        "ip6-localhost",
        "ip6-loopback",
        "ip6-localnet",
        "ip6-mcastprefix",
        "ip6-allnodes",
        "ip6-allrouters",
        "ip6-allhosts",
    }
)
# ABP options that still mean "block this whole site" for a household filter;
# any other option narrows the rule (to scripts, to some pages) and is skipped.
_ABP_SITE_OPTIONS = frozenset(
    {"third-party", "3p", "~third-party", "first-party", "1p"}
    | {"important", "all", "document", "doc"}
)


def read_domain_line(line: str) -> tuple[Target, ...]:
    """`example.com`, `*.example.com`, `.example.com`, or a URL such as `example.com/games`."""
    text = line.partition("#")[0].strip()
    if not text:
        return ()
    return (split_target(_without_wildcard(text)),)


def read_hosts_line(line: str) -> tuple[Target, ...]:
    """`0.0.0.0 example.com`, `127.0.0.1 a.com b.com # comment`."""
    fields = line.partition("#")[0].split()
    if not fields:
        return ()
    if parse_ip(fields[0].lower()) is None:
        raise InvalidHost(fields[0], "a hosts line starts with an IP address")
    if len(fields) == 1:
        raise InvalidHost(line.strip(), "no host name follows the address")
    targets = []
    for field in fields[1:]:
        if field.lower() in _HOSTS_SELF_NAMES:
            continue
        host = normalize_host(_without_wildcard(field))
        if not is_ip(host):  # `0.0.0.0 0.0.0.0` and the like name no site
            targets.append((host, None))
    return tuple(targets)


def read_abp_line(line: str) -> tuple[Target, ...] | None:
    """`||example.com^`, `||example.com^$third-party`; other ABP rules are unsupported."""
    text = line.strip()
    if not text or text.startswith(("!", "[")):
        return ()  # comment or `[Adblock Plus 2.0]` header
    if not text.startswith("||") or "#" in text:
        return None  # exceptions (@@), cosmetic (##, #@#, #?#), URL patterns, regexes
    pattern, _, options = text[2:].partition("$")
    if options and not {o.strip().lower() for o in options.split(",")} <= _ABP_SITE_OPTIONS:
        return None
    pattern = pattern.removesuffix("|").removesuffix("^")
    pattern = _without_wildcard(pattern)
    if not pattern or any(mark in pattern for mark in "/^*|?"):
        return None  # a path or wildcard pattern, not a whole site
    return ((normalize_host(pattern), None),)


def _without_wildcard(text: str) -> str:
    """`*.example.com` and `.example.com` mean what a plain `example.com` entry means."""
    if text.startswith("*."):
        return text[2:]
    return text[1:] if text.startswith(".") else text


LINE_READERS: dict[str, LineReader] = {
    "domains": read_domain_line,
    "hosts": read_hosts_line,
    "abp": read_abp_line,
}


def detect_format(lines: Iterable[str], sample: int = 1000) -> str:
    """The file format most of the first `sample` meaningful lines are written in."""
    seen = abp = hosts = 0
    for raw in lines:
        text = raw.strip()
        if text.startswith("[Adblock"):
            return "abp"
        if not text or text.startswith(("#", "!")):
            continue
        seen += 1
        if text.startswith(("||", "@@")) or "##" in text:
            abp += 1
        else:
            fields = text.split()
            if len(fields) >= 2 and parse_ip(fields[0].lower()) is not None:
                hosts += 1
        if seen >= sample:
            break
    if abp * 2 > seen:
        return "abp"
    if hosts * 2 > seen:
        return "hosts"
    return "domains"
