"""Hypothesis strategies: the many ways a browser, a resolver or a curious child spells one host.

Each strategy draws spellings that a WHATWG URL parser or a resolver takes
for the same host (so a filter that missed one would be bypassed):

- names: any mix of case, fullwidth letters (UTS #46 maps them to ASCII),
  percent-encoded characters, soft hyphens (UTS #46 ignores them), the
  dot-like separators IDNA treats as full stops, a trailing dot, subdomains,
  userinfo and a port; international names in NFC, NFD, upper case and
  punycode (`xn--`, any case);
- IPv4: one to four parts, each decimal, octal (`0177`) or hex (`0x7F`),
  with leading zeros, a trailing dot, and as an IPv4-mapped IPv6 address;
- IPv6: compressed or not, any case, leading zeros, an embedded IPv4 tail.
"""

from __future__ import annotations

import ipaddress
import unicodedata

from hypothesis import strategies as st

DOTS = (".", ".", ".", "\u3002", "\uff0e", "\uff61", "%2e", "%2E")
SOFT_HYPHEN = "\u00ad"
# Subdomain labels IDNA accepts (letters and digits, a hyphen inside but never "--").
LABELS = st.text("abcdefghijklmnopqrstuvwxyz0123456789", min_size=1, max_size=6) | st.sampled_from(
    ["www", "m", "a-b", "cdn-1"])
# Labels browsers accept (WHATWG: CheckHyphens and STD3 rules off) but strict IDNA refuses.
ODD_LABELS = st.sampled_from(["ab--c", "-x", "x-", "x_y", "_dmarc", "a--"])
USERINFO = st.sampled_from(["", "", "user@", "user:secret@", "a%40b:c@", "%75ser@"])
PORTS = st.sampled_from(["", "", "", ":80", ":443", ":8080", ":0080", ":"])
# What mitmproxy accepts in a request line: no userinfo and no empty port.
REQUEST_LINE_PORTS = st.sampled_from(["", "", "", ":80", ":443", ":8080", ":0080"])


def _percent(char: str, upper: bool) -> str:
    code = "".join(f"%{byte:02X}" for byte in char.encode("utf-8"))
    return code if upper else code.lower()


CHAR_KINDS = ("same", "same", "upper", "fullwidth", "percent", "soft")


def _spell_char(char: str, kind: str, flag: bool) -> str:
    if kind == "upper":
        return char.upper()
    if kind == "fullwidth" and char.isascii() and char.isalnum():
        return chr(ord(char.lower() if flag else char.upper()) + 0xFEE0)
    if kind == "percent":
        return _percent(char, flag)
    if kind == "soft" and char.isalnum():
        return SOFT_HYPHEN + char
    return char


ASCII_KINDS = ("same", "upper")


@st.composite
def _label(draw: st.DrawFn, label: str, kinds: tuple[str, ...] = CHAR_KINDS) -> str:
    size = len(label)
    flags = draw(st.lists(st.booleans(), min_size=size, max_size=size))
    if label.startswith("xn--"):
        # Punycode: any case, but no per-character tricks (the encoding is case-insensitive).
        return "".join(c.upper() if flag else c for c, flag in zip(label, flags, strict=True))
    chosen = draw(st.lists(st.sampled_from(kinds), min_size=size, max_size=size))
    return "".join(_spell_char(c, kind, flag)
                   for c, kind, flag in zip(label, chosen, flags, strict=True))


def _unicode_forms(unicode_name: str) -> list[str]:
    """An international name as people and programs write it."""
    composed = unicodedata.normalize("NFC", unicode_name)
    decomposed = unicodedata.normalize("NFD", unicode_name)
    punycode = composed.encode("idna").decode("ascii")
    return [composed, decomposed, composed.upper(), decomposed.upper(), punycode,
            punycode.upper()]


@st.composite
def name_spellings(draw: st.DrawFn, host: str, *, unicode_name: str | None = None,
                   authority: bool = True, odd_subdomain: bool = False,
                   request_line: bool = False) -> str:
    """A spelling of `host` or one of its subdomains; `authority` adds userinfo and a port.

    `odd_subdomain` puts a label browsers accept but strict IDNA refuses in front.
    `request_line` keeps to what mitmproxy accepts in a request line: case,
    subdomains, a trailing dot and a port (no userinfo, percent-encoding or
    Unicode, which it answers with 400 before Guardian sees them).
    """
    forms = _unicode_forms(unicode_name) if unicode_name else [host]
    if request_line:
        forms = [form for form in forms if form.isascii()]
    base = draw(st.sampled_from(forms))
    labels = draw(st.lists(LABELS, max_size=3)) + base.split(".")
    if odd_subdomain:
        labels.insert(0, draw(ODD_LABELS))
    kinds = ASCII_KINDS if request_line else CHAR_KINDS
    spelled = []
    for label in labels:
        if label.isascii():
            spelled.append(draw(_label(label, kinds)))
        else:
            spelled.append(label)  # Unicode labels are varied by `_unicode_forms`
    text = spelled[0]
    for label in spelled[1:]:
        text += ("." if request_line else draw(st.sampled_from(DOTS))) + label
    text += draw(st.sampled_from(["", "", "."]))
    if authority:
        text = _authority(draw, text, request_line)
    return text


def _authority(draw: st.DrawFn, host: str, request_line: bool) -> str:
    if request_line:
        return host + draw(REQUEST_LINE_PORTS)
    return draw(USERINFO) + host + draw(PORTS)


def _number(draw: st.DrawFn, value: int) -> str:
    zeros = "0" * draw(st.integers(0, 3))
    form = draw(st.sampled_from(["decimal", "octal", "hex"]))
    if form == "octal":
        return "0" + zeros + format(value, "o")
    if form == "hex":
        digits = format(value, "x")
        digits = digits.upper() if draw(st.booleans()) else digits
        return draw(st.sampled_from(["0x", "0X"])) + zeros + digits
    return str(value)


@st.composite
def ipv4_spellings(draw: st.DrawFn, address: str, *, authority: bool = True,
                   request_line: bool = False) -> str:
    """`address` in one of the forms a WHATWG URL parser reads as that IPv4 address."""
    packed = ipaddress.IPv4Address(address).packed
    form = draw(st.sampled_from(["parts", "parts", "parts", "mapped"]))
    if form == "mapped":
        high, low = int.from_bytes(packed[:2]), int.from_bytes(packed[2:])
        tail = draw(st.sampled_from([address, f"{high:x}:{low:x}", f"{high:04X}:{low:04X}"]))
        head = draw(st.sampled_from(["::ffff:", "::FFFF:", "0:0:0:0:0:ffff:", "0::ffff:"]))
        text = f"[{head}{tail}]"
    else:
        count = draw(st.integers(1, 4))
        parts = [_number(draw, byte) for byte in packed[: count - 1]]
        parts.append(_number(draw, int.from_bytes(packed[count - 1 :])))
        text = ".".join(parts) + draw(st.sampled_from(["", "", "."]))
    if authority:
        text = _authority(draw, text, request_line)
    return text


@st.composite
def ipv6_spellings(draw: st.DrawFn, address: str, *, authority: bool = True,
                   request_line: bool = False) -> str:
    """`address` (IPv6) compressed or exploded, any case, leading zeros, bracketed."""
    ip = ipaddress.IPv6Address(address)
    groups = [int.from_bytes(ip.packed[i : i + 2]) for i in range(0, 16, 2)]
    words = [draw(st.sampled_from([f"{g:x}", f"{g:04x}", f"{g:X}", f"{g:04X}"])) for g in groups]
    if draw(st.booleans()):
        words[6:] = [str(ipaddress.IPv4Address(ip.packed[12:]))]  # an IPv4 tail: `::ffff:1.2.3.4`
    zeros = [i for i, word in enumerate(words) if i < 8 and word.strip("0") == "" and
             not (len(words) == 7 and i == 6)]
    text = ":".join(words)
    if zeros and draw(st.booleans()):
        start = end = draw(st.sampled_from(zeros))
        while end + 1 in zeros:
            end += 1
        text = ":".join(words[:start]) + "::" + ":".join(words[end + 1 :])
    text = f"[{text}]"
    if authority:
        text = _authority(draw, text, request_line)
    return text
