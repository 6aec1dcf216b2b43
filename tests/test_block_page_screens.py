"""The block page as a real browser shows it: screenshots to look at, and an XSS check.

Debian's headless chromium renders each representative page at a desktop size
(1366×768) and a phone size (390×844) into `tests/screenshots/block_pages/`
(not committed) so that a person can look at them. The same browser parses a
page full of injection attempts, and its DOM must hold none of them.

Needs the Debian packages `chromium` and `fonts-dejavu-core` (for the
Vietnamese diacritics). Without chromium the test is skipped, except in CI,
where it fails.
"""

from __future__ import annotations

import os
import struct
import subprocess
from dataclasses import replace
from html.parser import HTMLParser
from pathlib import Path

import pytest

from guardian import i18n
from guardian.block_page import HOTLINE_HREF, VNCOP_URL, BlockedRequest, render_block_page
from guardian.decision import Reason

pytestmark = pytest.mark.chromium

CHROMIUM = Path("/usr/bin/chromium")
SCREENSHOTS = Path(__file__).parent / "screenshots" / "block_pages"
SIZES = {"desktop": (1366, 768), "phone": (390, 844)}

CASES = {
    "category": BlockedRequest(
        url="https://www.casino.example/play/slots?ref=home&utm_source=newsletter&utm_campaign=spring",
        host="www.casino.example",
        language="vi",
        reason=Reason.CATEGORY,
        category="gambling",
        profile_name="Minh",
    ),
    "parent-rule": BlockedRequest(
        url="https://www.youtube.com/watch?v=dQw4w9WgXcQ",
        host="www.youtube.com",
        language="vi",
        reason=Reason.BLOCK_RULE,
        category="video",
        rule="youtube.com",
        profile_name="An",
    ),
    "unavailable": BlockedRequest(
        url="http://vnexpress.net/",
        host="vnexpress.net",
        language="vi",
        reason=Reason.POLICY_UNAVAILABLE,
    ),
    "not-assigned": BlockedRequest(
        url="https://www.wikipedia.org/",
        host="www.wikipedia.org",
        language="vi",
        reason=Reason.NOT_ASSIGNED,
    ),
}


@pytest.fixture(scope="module")
def chromium() -> Path:
    if not CHROMIUM.exists():
        message = f"{CHROMIUM} is missing: apt-get install chromium fonts-dejavu-core"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    return CHROMIUM


@pytest.fixture(autouse=True)
def strict_messages(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(i18n.STRICT_ENV, "1")


def run_chromium(
    chromium: Path, profile: Path, page: Path, *flags: str
) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(
        [
            str(chromium),
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            f"--user-data-dir={profile}",
            *flags,
            page.as_uri(),
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    return result


def png_size(path: Path) -> tuple[int, int]:
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", f"{path} is not a PNG"
    assert data[12:16] == b"IHDR"
    width, height = struct.unpack(">II", data[16:24])
    return width, height


def test_fonts_cover_vietnamese() -> None:
    """Without a font that has the Vietnamese letters, diacritics render as boxes."""
    try:
        result = subprocess.run(
            ["fc-list", ":lang=vi", "family"], capture_output=True, text=True, timeout=30
        )
    except FileNotFoundError:
        pytest.skip("fontconfig's fc-list is missing")
    assert result.stdout.strip(), "no Vietnamese font: apt-get install fonts-dejavu-core"


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("language", i18n.LANGUAGES)
@pytest.mark.parametrize("case", CASES)
def test_screenshot(chromium: Path, tmp_path: Path, case: str, language: str, size: str) -> None:
    blocked = CASES[case]
    page = tmp_path / f"{case}-{language}.html"
    page.write_text(render_block_page(replace(blocked, language=language)), encoding="utf-8")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    png = SCREENSHOTS / f"{case}-{language}-{size}.png"
    png.unlink(missing_ok=True)
    width, height = SIZES[size]

    run_chromium(
        chromium,
        tmp_path / "profile",
        page,
        f"--window-size={width},{height}",
        f"--screenshot={png}",
    )

    assert png_size(png) == (width, height)
    # A blank or error page compresses to a few kilobytes; the page is far richer.
    assert png.stat().st_size > 20_000


XSS = {
    "url": 'https://x.example/"><img src=x onerror="document.title=\'pwned\'">',
    "host": "<script>document.title='pwned'</script>",
    "rule": "'><svg onload=\"document.title='pwned'\"></svg>",
    "profile_name": "</style><script>document.title='pwned'</script><img src=x>",
    "category": "javascript:document.title='pwned'",
}


class _Dom(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str]]] = []
        self.title = ""
        self.text = ""
        self._in_title = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, {name: value or "" for name, value in attrs}))
        self._in_title = tag == "title"

    def handle_endtag(self, tag: str) -> None:
        self._in_title = False

    def handle_data(self, data: str) -> None:
        self.text += data
        if self._in_title:
            self.title += data


@pytest.mark.parametrize("language", i18n.LANGUAGES)
def test_injected_markup_never_reaches_the_dom(
    chromium: Path, tmp_path: Path, language: str
) -> None:
    page = tmp_path / "xss.html"
    page.write_text(
        render_block_page(
            BlockedRequest(language=language, reason=Reason.BLOCK_RULE, **XSS)  # type: ignore[arg-type]
        ),
        encoding="utf-8",
    )

    dom = _Dom()
    dom.feed(run_chromium(chromium, tmp_path / "profile", page, "--dump-dom").stdout)

    assert dom.tags, "chromium printed no DOM"
    tags = {tag for tag, _ in dom.tags}
    assert tags.isdisjoint({"script", "img", "iframe", "object", "embed"})
    assert [tag for tag, attrs in dom.tags if any(n.startswith("on") for n in attrs)] == []
    links = {attrs["href"] for _, attrs in dom.tags if "href" in attrs}
    assert links <= {HOTLINE_HREF, VNCOP_URL}
    assert dom.title == f"{i18n.translate(language, 'page.title')} · Guardian"
    assert "pwned" not in dom.title
    # The payloads are still there, as text the child can read.
    assert XSS["host"] in dom.text
    assert XSS["rule"] in dom.text
