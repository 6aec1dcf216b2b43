"""Every spelling of a host name reaches the engine as one canonical name."""

from __future__ import annotations

import pytest

from guardian.errors import InvalidHost
from guardian.hosts import (
    domain_suffixes,
    normalize_host,
    normalize_path,
    parse_ip,
    split_target,
)


@pytest.mark.parametrize(
    ("raw", "canonical"),
    [
        ("example.com", "example.com"),
        ("Example.COM", "example.com"),
        ("example.com.", "example.com"),
        ("example.com..", "example.com"),
        ("EXAMPLE.com.:8443", "example.com"),
        ("example.com:80", "example.com"),
        ("user:pw@example.com", "example.com"),
        ("%65xample.com", "example.com"),
        ("  example.com  ", "example.com"),
        ("ｅｘａｍｐｌｅ.com", "example.com"),  # fullwidth letters (UTS #46 mapping)
        ("example。com", "example.com"),  # ideographic full stop
        ("bücher.de", "xn--bcher-kva.de"),
        ("BÜCHER.DE", "xn--bcher-kva.de"),
        ("xn--bcher-kva.de", "xn--bcher-kva.de"),
        ("XN--BCHER-KVA.DE.", "xn--bcher-kva.de"),
        ("127.0.0.1", "127.0.0.1"),
        ("2130706433", "127.0.0.1"),
        ("0x7f000001", "127.0.0.1"),
        ("0x7f.0.0.1", "127.0.0.1"),
        ("0xa", "0.0.0.10"),
        ("0x7f.0.0.0xa", "127.0.0.10"),
        ("0XA", "0.0.0.10"),
        ("user%40evil.example@good.example", "good.example"),
        ("0177.0.0.1", "127.0.0.1"),
        ("127.1", "127.0.0.1"),
        ("127.0.1", "127.0.0.1"),
        ("[::1]", "::1"),
        ("[::1]:8080", "::1"),
        ("[0:0:0:0:0:0:0:1]", "::1"),
        ("[::ffff:127.0.0.1]", "127.0.0.1"),
        ("2001:DB8::1", "2001:db8::1"),
        ("under_score.example", "under_score.example"),
    ],
)
def test_spellings_become_one_name(raw: str, canonical: str) -> None:
    assert normalize_host(raw) == canonical


def test_vietnamese_names_match_in_every_unicode_form() -> None:
    import unicodedata

    import idna

    composed = unicodedata.normalize("NFC", "Cờbạc.VN")
    decomposed = unicodedata.normalize("NFD", "cờbạc.vn")
    canonical = normalize_host(composed)
    assert canonical.startswith("xn--") and canonical.endswith(".vn")
    assert normalize_host(decomposed) == canonical
    assert normalize_host(canonical.upper() + ".") == canonical
    assert idna.decode(canonical) == "cờbạc.vn"


@pytest.mark.parametrize(
    "raw",
    ["", "   ", ".", "exa mple.com", "example..com", "<script>.com", "[::1", "a" * 300,
     "example.com/path", "1.2.3.4.5", "999.1.1.1", "example.123", "a" * 64 + ".com",
     "\u0661\u0662\u0667.0.0.1"],
)
def test_unusable_hosts_are_refused(raw: str) -> None:
    with pytest.raises(InvalidHost):
        normalize_host(raw)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("256.1.1.1", None),
        ("1.2.3.4.5", None),
        ("1.2.3.999999", None),
        ("0x", "0.0.0.0"),
        ("4294967295", "255.255.255.255"),
        ("4294967296", None),
        ("example.com", None),
        ("1e100.net", None),
    ],
)
def test_ipv4_forms(text: str, expected: str | None) -> None:
    assert parse_ip(text) == expected


def test_suffixes_walk_label_boundaries() -> None:
    assert list(domain_suffixes("a.b.example.com")) == [
        "a.b.example.com", "b.example.com", "example.com", "com",
    ]
    assert list(domain_suffixes("10.0.0.1")) == ["10.0.0.1"]
    assert list(domain_suffixes("::1")) == ["::1"]


@pytest.mark.parametrize(
    ("target", "expected"),
    [
        ("example.com", ("example.com", None)),
        ("https://Example.com/", ("example.com", None)),
        ("example.com/Games/", ("example.com", "/games/")),
        ("http://www.example.com:8080/a%20b?x=1", ("www.example.com", "/a b?x=1")),
        ("example.com?q=1", ("example.com", "/?q=1")),
    ],
)
def test_rule_targets(target: str, expected: tuple[str, str | None]) -> None:
    assert split_target(target) == expected


def test_paths_compare_decoded_and_lower_case() -> None:
    assert normalize_path("/Shorts/%41bc") == "/shorts/abc"
    assert normalize_path("") == "/"


@pytest.mark.parametrize(
    ("host", "site"),
    [("www.youtube.com", "youtube.com"), ("m.youtube.com", "youtube.com"),
     ("www.google.com.vn", "google.com.vn"), ("a.b.example.co.uk", "example.co.uk"),
     ("alice.github.io", "alice.github.io"), ("www.game.example", "game.example"),
     ("localhost", "localhost"), ("10.0.0.1", "10.0.0.1"), ("::1", "::1")],
)
def test_sites_are_registrable_domains(host: str, site: str) -> None:
    from guardian.sites import site_of

    assert site_of(host) == site
