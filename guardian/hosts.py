"""The one spelling of a host name that every rule, list and request is compared in.

A child's browser, a hand-typed URL and a downloaded list may spell the same
host in many ways: upper case, a trailing dot, Unicode or punycode, an IPv4
address in decimal, octal or hex, an IPv6 literal in brackets, with a port or
userinfo. squidGuard's trailing-dot bypass is the cautionary tale; Guardian
turns every spelling into one canonical form before it matches anything:

- names: lower case, no trailing dot, IDNA (UTS #46) ASCII form (`xn--...`);
- IPv4: dotted decimal, parsed the way browsers parse it (WHATWG URL);
- IPv6: compressed form, IPv4-mapped addresses become their IPv4 address.
"""

from __future__ import annotations

import contextlib
import ipaddress
import re
from collections.abc import Iterator
from urllib.parse import unquote

import idna

from guardian.errors import InvalidHost

# Separators that IDNA treats as a full stop (ideographic, fullwidth, halfwidth).
_DOT_VARIANTS = str.maketrans({"\u3002": ".", "\uff0e": ".", "\uff61": "."})
_NAME_CHARS = re.compile(r"^[a-z0-9_.-]+$")
_PLAIN_NAME = re.compile(r"^[a-z0-9_-]+(\.[a-z0-9_-]+)*$")
MAX_HOST_LENGTH = 253
MAX_LABEL_LENGTH = 63
_DOTTED_QUAD = re.compile(r"^\d{1,3}(\.\d{1,3}){3}$")


def normalize_host(raw: str) -> str:
    """Return the canonical spelling of `raw`, or raise InvalidHost.

    `raw` may carry a port, brackets, userinfo or percent-encoding; all of it
    is removed. The result never ends in a dot and is never empty.
    """
    text = raw.strip()
    if not text:
        raise InvalidHost(raw, "empty host name")
    # The common case: already canonical. Checked first because the proxy
    # calls this on every request.
    if _PLAIN_NAME.match(text) and not _looks_numeric(text.rpartition(".")[2]):
        return _checked_name(text, raw)
    if "@" in text:
        text = text.rpartition("@")[2]
    if "%" in text:
        text = unquote(text)
    text = _strip_port(text, raw)
    text = text.translate(_DOT_VARIANTS).rstrip(".").lower()
    if not text:
        raise InvalidHost(raw, "empty host name")

    address = parse_ip(text)
    if address is not None:
        return address
    if ":" not in text and _looks_numeric(text.rpartition(".")[2]):
        # Browsers read a name ending in a number as an IPv4 address, and
        # refuse it when it is not one (`1.2.3.4.5`, `999.1.1.1`).
        raise InvalidHost(raw, "not a valid IPv4 address")
    if not text.isascii():
        text = _to_ascii(text, raw)
    if not _NAME_CHARS.match(text) or ".." in text or text.startswith("."):
        raise InvalidHost(raw, "not a valid host name")
    return _checked_name(text, raw)


def _checked_name(text: str, raw: str) -> str:
    if len(text) > MAX_HOST_LENGTH:
        raise InvalidHost(raw, "host name too long")
    if any(len(label) > MAX_LABEL_LENGTH for label in text.split(".")):
        raise InvalidHost(raw, "a part of the name is longer than 63 characters")
    return text


def _strip_port(text: str, raw: str) -> str:
    if text.startswith("["):
        end = text.find("]")
        if end < 0:
            raise InvalidHost(raw, "unclosed IPv6 bracket")
        return text[1:end]
    if text.count(":") == 1:
        return text.partition(":")[0]
    return text


def _to_ascii(text: str, raw: str) -> str:
    try:
        return idna.encode(text, uts46=True, transitional=False).decode("ascii")
    except idna.IDNAError:
        pass
    # Names that strict IDNA refuses (symbols, emoji, `_`, `--`) still resolve
    # in some resolvers: map them as browsers do (UTS #46), then punycode each
    # label that is still not ASCII, so they still match.
    with contextlib.suppress(idna.IDNAError, UnicodeError):
        text = idna.uts46_remap(text, std3_rules=False, transitional=False)
    labels = []
    for label in text.split("."):
        if label.isascii():
            labels.append(label)
        else:
            try:
                labels.append("xn--" + label.encode("punycode").decode("ascii"))
            except UnicodeError as exc:
                raise InvalidHost(raw, "not a valid international name") from exc
    return ".".join(labels)


def parse_ip(text: str) -> str | None:
    """The canonical form of an IP literal in `text`, or None if it is a name.

    IPv4 follows the WHATWG URL parser: one to four parts, each decimal,
    octal (leading 0) or hex (0x), the last part filling the remaining bytes.
    So `2130706433`, `0x7f.1` and `0177.0.0.1` are all `127.0.0.1`.
    """
    if ":" in text:
        try:
            address = ipaddress.IPv6Address(text.partition("%")[0])
        except ValueError:
            return None
        mapped = address.ipv4_mapped
        return str(mapped) if mapped is not None else str(address)
    parts = text.split(".")
    if not _looks_numeric(parts[-1]):
        return None
    if len(parts) > 4:
        return None
    numbers = []
    for part in parts:
        number = _parse_ipv4_number(part)
        if number is None:
            return None
        numbers.append(number)
    last = numbers.pop()
    if any(n > 255 for n in numbers) or last >= 256 ** (4 - len(numbers)):
        return None
    value = last
    for index, number in enumerate(numbers):
        value += number << (8 * (3 - index))
    return str(ipaddress.IPv4Address(value))


def _looks_numeric(part: str) -> bool:
    if part.startswith(("0x", "0X")):
        return all(c in "0123456789abcdefABCDEF" for c in part[2:])
    return part.isdigit() and part.isascii()


def _parse_ipv4_number(part: str) -> int | None:
    if not part or not part.isascii():
        return None
    try:
        if part.startswith(("0x", "0X")):
            return int(part[2:], 16) if len(part) > 2 else 0
        if len(part) > 1 and part.startswith("0"):
            return int(part[1:], 8)
        return int(part, 10) if part.isdigit() else None
    except ValueError:
        return None


def is_ip(host: str) -> bool:
    """True if the canonical `host` is an IP literal."""
    return ":" in host or _DOTTED_QUAD.match(host) is not None


def domain_suffixes(host: str) -> Iterator[str]:
    """`host` and each parent domain on a label boundary, longest first.

    `www.example.com` yields `www.example.com`, `example.com`, `com`; an IP
    literal yields only itself.
    """
    yield host
    if is_ip(host):
        return
    start = host.find(".")
    while start >= 0:
        yield host[start + 1 :]
        start = host.find(".", start + 1)


def normalize_path(path: str) -> str:
    """The form URL rules compare paths in: percent-decoded, lower case, and resolved.

    Repeated slashes and `.`/`..` segments are resolved as servers do (nginx
    merges slashes and removes dot segments), so `//private`, `/./private` and
    `/x/../private` all compare as `/private`. The query string is kept as is.
    """
    if "%" in path:
        path = unquote(path)
    path = path.lower() or "/"
    bare, mark, query = path.partition("?")
    if "//" in bare or "/." in bare:
        bare = _resolve_segments(bare)
    return bare + mark + query


def _resolve_segments(path: str) -> str:
    kept: list[str] = []
    for segment in path.split("/"):
        if segment in ("", "."):
            continue
        if segment == "..":
            if kept:
                kept.pop()
            continue
        kept.append(segment)
    trailing = "/" if path.endswith(("/", "/.", "/..")) and kept else ""
    return "/" + "/".join(kept) + trailing


def split_target(target: str) -> tuple[str, str | None]:
    """Split a rule target such as `Example.com/Games?x` into host and path.

    Accepts an optional scheme. Returns (canonical host, normalized path or
    None for a whole-domain target). Raises InvalidHost.
    """
    text = target.strip()
    if "://" in text:
        text = text.split("://", 1)[1]
    cut = min((i for i in (text.find("/"), text.find("?")) if i >= 0), default=-1)
    if cut < 0:
        return normalize_host(text), None
    host, path = text[:cut], text[cut:]
    if not path.startswith("/"):
        path = "/" + path
    path = normalize_path(path)
    return normalize_host(host), None if path == "/" else path
