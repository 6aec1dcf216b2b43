"""Reading public lists: formats, detection, bad lines, downloads, per-source files."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from guardian.errors import ListError
from guardian.lists import (
    BadLine,
    ParsedList,
    fetch_list,
    parse_list,
    read_source_file,
    write_source_file,
)


def write(tmp_path: Path, text: str | bytes, name: str = "list.txt") -> Path:
    path = tmp_path / name
    if isinstance(text, str):
        path.write_text(text, encoding="utf-8")
    else:
        path.write_bytes(text)
    return path


def ut1_folder(tmp_path: Path, domains: str | None, urls: str | None = None) -> Path:
    folder = tmp_path / "blacklists" / "gambling"
    folder.mkdir(parents=True)
    if domains is not None:
        (folder / "domains").write_text(domains, encoding="utf-8")
    if urls is not None:
        (folder / "urls").write_text(urls, encoding="utf-8")
    return folder


@pytest.mark.parametrize(
    ("fmt", "text", "domains", "urls"),
    [
        (
            "domains",
            "# a comment\n\nExample.COM\nwww.Ads.example.net.  # trailing comment\n",
            {"example.com", "www.ads.example.net"},
            set(),
        ),
        ("domains", "*.wild.example\n.dot.example\n", {"wild.example", "dot.example"}, set()),
        (
            "domains",
            "https://Shop.example/Games?x=1\nexample.org/\n",
            {"example.org"},
            {"shop.example/games?x=1"},
        ),
        (
            "domains",
            "bücher.example\n203.0.113.9\n",
            {"xn--bcher-kva.example", "203.0.113.9"},
            set(),
        ),
        (
            "hosts",
            "127.0.0.1 localhost\n::1 ip6-localhost ip6-loopback\n0.0.0.0 0.0.0.0\n"
            "0.0.0.0 ads.example.com\n127.0.0.1 a.example b.example # pair\n"
            "255.255.255.255 broadcasthost\n0.0.0.0 10.1.2.3\n",
            {"ads.example.com", "a.example", "b.example"},
            set(),
        ),
        (
            "abp",
            "[Adblock Plus 2.0]\n! Title: test\n||ads.example.com^\n"
            "||track.example^$third-party\n||pixel.example^|\n||*.wild.example^$important\n",
            {"ads.example.com", "track.example", "pixel.example", "wild.example"},
            set(),
        ),
    ],
)
def test_each_format_yields_canonical_entries(
    tmp_path: Path, fmt: str, text: str, domains: set[str], urls: set[str]
) -> None:
    parsed = parse_list(write(tmp_path, text), fmt)

    assert parsed.format == fmt
    assert parsed.domains == domains
    assert parsed.urls == urls
    assert parsed.bad_lines == 0


@pytest.mark.parametrize(
    ("text", "detected"),
    [
        ("example.com\nexample.org\n", "domains"),
        ("# hosts\n0.0.0.0 a.example\n0.0.0.0 b.example\nc.example\n", "hosts"),
        ("! comment\n||a.example^\n||b.example^\nexample##.ad\n", "abp"),
        ("[Adblock Plus 2.0]\nexample.com\nexample.org\n||a.example^\n", "abp"),
        ("example.com\n0.0.0.0 b.example\n||c.example^\n", "domains"),
    ],
)
def test_auto_detects_the_format_most_lines_use(tmp_path: Path, text: str, detected: str) -> None:
    assert parse_list(write(tmp_path, text)).format == detected


def test_auto_reads_a_folder_as_ut1(tmp_path: Path) -> None:
    folder = ut1_folder(tmp_path, "casino.example\n")

    assert parse_list(folder).format == "ut1"


def test_abp_rules_guardian_cannot_enforce_are_unsupported_not_bad(tmp_path: Path) -> None:
    text = (
        "||ok.example^\n"
        "@@||allowed.example^\n"
        "example.com##.banner\n"
        "##.ad\n"
        "||cdn.example/ads/*\n"
        "||scripts.example^$script\n"
        "/banner[0-9]+/\n"
        "||bad host.example^\n"
    )
    parsed = parse_list(write(tmp_path, text), "abp")

    assert parsed.domains == {"ok.example"}
    assert parsed.unsupported_lines == 6
    assert parsed.bad_lines == 1
    assert parsed.bad_examples == (BadLine("list.txt", 8, "||bad host.example^"),)


def test_bad_lines_are_counted_with_five_examples(tmp_path: Path) -> None:
    lines = ["good.example"] + [f"bad host {n}" for n in range(1, 9)] + ["a" * 300 + ".example"]
    parsed = parse_list(write(tmp_path, "\n".join(lines)), "domains")

    assert parsed.domains == {"good.example"}
    assert parsed.total_lines == 10
    assert parsed.bad_lines == 9
    assert [(bad.line, bad.text) for bad in parsed.bad_examples] == [
        (2, "bad host 1"),
        (3, "bad host 2"),
        (4, "bad host 3"),
        (5, "bad host 4"),
        (6, "bad host 5"),
    ]


def test_an_overlong_bad_line_is_truncated_in_the_report(tmp_path: Path) -> None:
    parsed = parse_list(write(tmp_path, "ok.example\n" + "x y" * 100_000 + "\n"), "domains")

    (example,) = parsed.bad_examples
    assert example.line == 2
    assert len(example.text) == 80
    assert example.text.endswith("...")


@pytest.mark.parametrize(
    ("fmt", "text"),
    [
        ("hosts", "example.com 0.0.0.0\n0.0.0.0 ok.example\n"),
        ("hosts", "0.0.0.0\n0.0.0.0 ok.example\n"),
        ("hosts", "0.0.0.0 bad_host!\n0.0.0.0 ok.example\n"),
        ("domains", "exa mple.com\nok.example\n"),
        ("domains", "ads.*.example\nok.example\n"),
    ],
)
def test_malformed_lines_are_bad_not_fatal(tmp_path: Path, fmt: str, text: str) -> None:
    parsed = parse_list(write(tmp_path, text), fmt)

    assert parsed.domains == {"ok.example"}
    assert parsed.bad_lines == 1
    assert parsed.bad_examples[0].line == 1


def test_bom_and_crlf_are_read_as_plain_lines(tmp_path: Path) -> None:
    data = "\ufeffFirst.example\r\nsecond.example\r\n\r\n# note\r\n".encode()
    parsed = parse_list(write(tmp_path, data), "domains")

    assert parsed.domains == {"first.example", "second.example"}
    assert parsed.bad_lines == 0


def test_undecodable_bytes_make_a_bad_line_but_not_in_comments(tmp_path: Path) -> None:
    data = b"# Universit\xe9 list\nok.example\ncaf\xe9.example\n"
    parsed = parse_list(write(tmp_path, data), "domains")

    assert parsed.domains == {"ok.example"}
    assert parsed.bad_lines == 1
    assert parsed.bad_examples[0].line == 3


def test_ut1_folder_reads_domains_and_urls(tmp_path: Path) -> None:
    folder = ut1_folder(
        tmp_path,
        domains="casino.example\nBET.example\n",
        urls="poker.example/Tables\nexample.org/games/\nbad url here/x\n",
    )
    parsed = parse_list(folder, "ut1")

    assert parsed.domains == {"casino.example", "bet.example"}
    assert parsed.urls == {"poker.example/tables", "example.org/games/"}
    assert parsed.total_lines == 5
    assert parsed.bad_examples == (BadLine("urls", 3, "bad url here/x"),)


@pytest.mark.parametrize(
    ("text", "fmt"),
    [
        ("# only comments\n\n", "domains"),
        ("not a host!\n", "domains"),
        ("127.0.0.1 localhost\n", "hosts"),
        ("@@||allowed.example^\n##.ad\n", "abp"),
    ],
)
def test_a_list_without_entries_is_refused(tmp_path: Path, text: str, fmt: str) -> None:
    path = write(tmp_path, text)

    with pytest.raises(ListError, match="previous lists are unchanged") as caught:
        parse_list(path, fmt)
    assert str(path) in str(caught.value)


@pytest.mark.parametrize(
    ("make", "fmt", "message"),
    [
        (lambda tmp: write(tmp, "a.example\n"), "csv", "not a list format"),
        (lambda tmp: tmp / "missing.txt", "auto", "does not exist"),
        (lambda tmp: write(tmp, "a.example\n"), "ut1", "is a file"),
        (lambda tmp: ut1_folder(tmp, "a.example\n"), "hosts", "is a folder"),
        (lambda tmp: ut1_folder(tmp, None), "ut1", "not a UT1 category folder"),
    ],
)
def test_unusable_requests_raise_list_error(
    tmp_path: Path, make: object, fmt: str, message: str
) -> None:
    path = make(tmp_path)  # type: ignore[operator]

    with pytest.raises(ListError, match=message):
        parse_list(path, fmt)


def test_source_file_round_trip(tmp_path: Path) -> None:
    parsed = parse_list(
        write(tmp_path, "b.example\na.example\n2001:db8::1\nexample.org/Games\n"), "domains"
    )
    source = tmp_path / "sources" / "kids.list"

    write_source_file(parsed, source)

    assert read_source_file(source) == (parsed.domains, parsed.urls)
    lines = source.read_text().splitlines()
    assert lines[1:] == ["2001:db8::1", "a.example", "b.example", "example.org/games"]
    assert list(source.parent.iterdir()) == [source]  # no temporary file left behind


def test_source_file_is_replaced_not_appended(tmp_path: Path) -> None:
    source = tmp_path / "kids.list"
    write_source_file(_parsed({"old.example"}), source)
    write_source_file(_parsed({"new.example"}), source)

    assert read_source_file(source) == (frozenset({"new.example"}), frozenset())


def test_reading_a_missing_source_file_raises_list_error(tmp_path: Path) -> None:
    with pytest.raises(ListError, match="cannot be read"):
        read_source_file(tmp_path / "nothing.list")


def _parsed(domains: set[str]) -> ParsedList:
    return ParsedList(frozenset(domains), frozenset(), "domains", len(domains), 0, (), 0)


# Downloads: a real HTTP server on loopback, never the internet.

PAGES = {
    "/list.txt": b"0.0.0.0 ads.example\n",
    "/big.txt": b"x" * 5000,
    "/slow.txt": b"late.example\n",
}


class _Handler(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        if self.path == "/slow.txt":
            time.sleep(0.5)
        body = PAGES.get(self.path)
        try:
            if body is None:
                self.send_error(404, "Not Found")
                return
            self.send_response(200)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up waiting, as the timeout test intends

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def server(monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    for name in ("http_proxy", "HTTP_PROXY", "https_proxy", "HTTPS_PROXY", "all_proxy"):
        monkeypatch.delenv(name, raising=False)
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=httpd.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def test_fetch_list_downloads_to_dest(server: str, tmp_path: Path) -> None:
    dest = tmp_path / "raw" / "list.txt"

    assert fetch_list(f"{server}/list.txt", dest, timeout=5) == dest
    assert dest.read_bytes() == PAGES["/list.txt"]
    assert parse_list(dest).domains == {"ads.example"}


def test_fetch_list_404_keeps_the_previous_file(server: str, tmp_path: Path) -> None:
    dest = write(tmp_path, "old.example\n")

    with pytest.raises(ListError, match="404"):
        fetch_list(f"{server}/missing.txt", dest, timeout=5)
    assert dest.read_text() == "old.example\n"
    assert list(tmp_path.iterdir()) == [dest]


def test_fetch_list_refuses_a_list_over_the_size_cap(server: str, tmp_path: Path) -> None:
    with pytest.raises(ListError, match="larger than 1,000 bytes"):
        fetch_list(f"{server}/big.txt", tmp_path / "big.txt", timeout=5, max_bytes=1000)
    assert not (tmp_path / "big.txt").exists()


def test_fetch_list_gives_up_after_the_timeout(server: str, tmp_path: Path) -> None:
    with pytest.raises(ListError, match="no answer within 0.1 seconds"):
        fetch_list(f"{server}/slow.txt", tmp_path / "slow.txt", timeout=0.1)
    assert not (tmp_path / "slow.txt").exists()


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("ftp://example.com/list.txt", "not an http or https address"),
        ("not a url", "not an http or https address"),
        ("http://127.0.0.1:1/list.txt", "failed"),
    ],
)
def test_fetch_list_reports_unusable_addresses(tmp_path: Path, url: str, message: str) -> None:
    with pytest.raises(ListError, match=message):
        fetch_list(url, tmp_path / "list.txt", timeout=5)
