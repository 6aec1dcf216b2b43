"""Debian's headless chromium, held on loopback, and what to look for in the DOM it built.

Chromium always gets a proxy on 127.0.0.1 (Guardian, or `FakeInternet` for a
local file) and a resolver that resolves nothing, so neither the page under
test nor chromium's own background requests (time, updates, accounts) can
leave the computer. `--dump-dom` prints the DOM once the page has loaded, after
any script that was allowed to run (inline ones, handlers of elements that
loaded): an injected element or a changed title shows up there.
"""

from __future__ import annotations

import os
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
XSS_TITLE = "XSS-RAN"
MARKER_ID = "xss-probe"
MARKER_ATTRIBUTE = "data-xss"

# Each tries to add an element, an event handler or a script that would set the title.
PAYLOADS = (
    f"<script>document.title='{XSS_TITLE}'</script>",
    f"\"><img src=x onerror=\"document.title='{XSS_TITLE}'\" {MARKER_ATTRIBUTE}=1>",
    f"'><svg onload=document.title='{XSS_TITLE}' {MARKER_ATTRIBUTE}=1>",
    f"</title></textarea></style><b id={MARKER_ID}>probe</b>",
    f"<iframe srcdoc=\"<script>parent.document.title='{XSS_TITLE}'</script>\" "
    f"{MARKER_ATTRIBUTE}=1></iframe>",
    f"javascript:document.title='{XSS_TITLE}'",
)


def require_chromium() -> None:
    """Skip without chromium, except in CI (`CI` set), where it is a failure."""
    if not CHROMIUM.exists():
        if os.environ.get("CI"):
            pytest.fail("chromium is required in CI (apt-get install chromium)")
        pytest.skip("Debian's chromium is not installed")


def dump_dom(url: str, proxy_port: int, profile: Path, timeout: float = 60) -> str:
    """The DOM chromium built for `url`, loaded through the proxy on `proxy_port`."""
    profile.mkdir(parents=True, exist_ok=True)
    result = subprocess.run(
        [str(CHROMIUM), "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
         "--no-first-run", "--disable-background-networking", "--disable-component-update",
         "--disable-sync", f"--user-data-dir={profile}",
         f"--proxy-server=http://127.0.0.1:{proxy_port}", "--proxy-bypass-list=<-loopback>",
         "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
         "--disable-features=HttpsUpgrades",
         "--dump-dom", url],
        capture_output=True, text=True, timeout=timeout)
    assert result.returncode == 0, result.stderr[-2000:]
    return result.stdout


class _Injected(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.found: list[str] = []
        self.in_title = False
        self.title = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "iframe", "object", "embed"):
            self.found.append(f"<{tag}>")
        for name, value in attrs:
            if name.startswith("on") or name == MARKER_ATTRIBUTE:
                self.found.append(f"<{tag} {name}>")
            if name == "id" and value == MARKER_ID:
                self.found.append(f"<{tag} id={MARKER_ID}>")
            if name in ("href", "src", "action") and (value or "").strip().lower().startswith(
                    "javascript:"):
                self.found.append(f"<{tag} {name}=javascript:>")
        self.in_title = tag == "title"

    def handle_endtag(self, tag: str) -> None:
        self.in_title = False

    def handle_data(self, data: str) -> None:
        if self.in_title:
            self.title += data


def injected(dom: str) -> list[str]:
    """Elements, handlers or a title in `dom` that only an injection could have made."""
    parser = _Injected()
    parser.feed(dom)
    return parser.found + ([f"title {parser.title!r}"] if XSS_TITLE in parser.title else [])
