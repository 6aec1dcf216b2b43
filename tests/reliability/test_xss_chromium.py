"""Injection attempts never run: real headless chromium, through the real proxy.

Payloads (`tests/reliability/browser.py`) that try to add a script, an
event handler, a frame or a marked element go where a child or a page could
put them: the path and query of a blocked URL typed in the browser, the raw
path and Host header of a hand-written request (which no browser would
send, so the page is saved and opened in chromium), and the message a child
writes to a parent, shown back on the request-status page of the reserved
host. Each time chromium's DOM must hold nothing the payload made, and the
title must be untouched. Everything chromium asks for goes to Guardian or
to `FakeInternet`: nothing leaves loopback.
"""

from __future__ import annotations

import html
import re
import urllib.parse
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.proxy_harness import GuardianProxy
from tests.reliability.browser import PAYLOADS, dump_dom, injected, require_chromium
from tests.reliability.household import CASINO, make_household
from tests.reliability.internet import FakeInternet
from tests.reliability.raw_http import exchange, request_bytes

pytestmark = [pytest.mark.e2e, pytest.mark.chromium, pytest.mark.slow]

PORTAL = "guardian.home.arpa"


@pytest.fixture(scope="module")
def proxy(tmp_path_factory: pytest.TempPathFactory,
          internet: FakeInternet) -> Iterator[GuardianProxy]:
    require_chromium()
    data_dir = make_household(tmp_path_factory.mktemp("xss"))
    with GuardianProxy(data_dir, extra_args=("--upstream-proxy", internet.url)) as running:
        yield running


def test_the_check_sees_an_injection_that_did_run(internet: FakeInternet,
                                                 tmp_path: Path) -> None:
    """The oracle works: the payloads pasted unescaped into a page are all caught."""
    require_chromium()
    page = tmp_path / "vulnerable.html"
    page.write_text("<!doctype html><html><head><title>page</title></head><body>"
                    + "".join(PAYLOADS) + "</body></html>")
    found = injected(dump_dom(page.as_uri(), internet.port, tmp_path / "profile"))
    assert "title 'XSS-RAN'" in found  # the script ran
    assert {"<b id=xss-probe>", "<img onerror>", "<svg onload>", "<iframe>"} <= set(found)


@pytest.mark.parametrize("payload", PAYLOADS)
def test_a_payload_in_a_blocked_url_never_runs(proxy: GuardianProxy, payload: str,
                                               tmp_path: Path) -> None:
    url = f"http://{CASINO}/{payload}?q={payload}#{payload}"
    dom = dump_dom(url, proxy.port, tmp_path / "profile")
    assert CASINO in dom and 'lang="vi"' in dom  # the block page, not an error page
    assert injected(dom) == []


def raw_page(proxy: GuardianProxy, target: str, host: str) -> str:
    """The page the filter itself answers (block page, or mitmproxy's 400), or ""."""
    reply = exchange(proxy.port, request_bytes("GET", target, host, [("Accept", "text/html")]))
    if reply.status == 200:  # allowed on to the fake Internet: not the filter's page
        assert b"outside page" in reply.body
        return ""
    assert reply.status in (400, 403), reply.status
    return reply.text


def test_payloads_in_a_raw_path_and_host_never_run(proxy: GuardianProxy,
                                                   internet: FakeInternet,
                                                   tmp_path: Path) -> None:
    pages = {}
    for index, payload in enumerate(PAYLOADS):
        quoted = payload.replace(" ", "%20")  # a request line has no spaces
        pages[f"path-{index}"] = raw_page(proxy, f"http://{CASINO}/{quoted}", CASINO)
        pages[f"host-{index}"] = raw_page(proxy, "http://school.example/", payload)
        pages[f"blocked-host-{index}"] = raw_page(proxy, f"http://{CASINO}/", CASINO + payload)
    pages = {name: page for name, page in pages.items() if page}
    assert len(pages) >= 2 * len(PAYLOADS)
    for name, page in pages.items():
        assert injected(page) == [], name  # as parsed before any browser sees it
    combined = tmp_path / "pages.html"
    # One document holding every page's body: one chromium run checks them all.
    bodies = [re.sub(r"(?is)^.*?<body[^>]*>|</body>.*$", "", page) for page in pages.values()]
    combined.write_text("<!doctype html><html><head><title>pages</title></head><body>"
                        + "<hr>".join(bodies) + "</body></html>")
    dom = dump_dom(combined.as_uri(), internet.port, tmp_path / "profile")
    assert "school.example" in dom or CASINO in dom
    assert injected(dom) == []


def form_token(page: str, action: str) -> str:
    for found_action, token in re.findall(
            r'<form[^>]*action="([^"]*)"[^>]*>\s*<input type="hidden" name="token" '
            r'value="([^"]*)"', page):
        if html.unescape(found_action).endswith(action):
            return html.unescape(token)
    raise AssertionError(f"no {action} form on the page")


def test_a_message_to_the_parent_never_runs_on_the_status_page(proxy: GuardianProxy,
                                                               tmp_path: Path) -> None:
    page = raw_page(proxy, f"http://{CASINO}/", CASINO)
    assert page
    message = " ".join(PAYLOADS)[:480]
    body = urllib.parse.urlencode({"token": form_token(page, "/ask"), "kind": "site",
                                   "message": message}).encode()
    asked = exchange(proxy.port, request_bytes(
        "POST", f"http://{PORTAL}/ask", PORTAL,
        [("Content-Type", "application/x-www-form-urlencoded")], body))
    assert asked.status == 303
    status_url = f"http://{PORTAL}{asked.headers['location']}"
    dom = dump_dom(status_url, proxy.port, tmp_path / "profile")
    assert "document.title" in dom  # the message is shown, as text
    assert injected(dom) == []
