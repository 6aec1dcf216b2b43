"""The block page as a real browser shows it: screenshots to look at, and an XSS check.

Debian's headless chromium renders each representative page (block pages,
time's-up pages, the reserved host's pages and a site with the time notice) at
a desktop size (1366×768) and a phone size (390×844), and again tall enough to
show the whole page, into `tests/screenshots/block_pages/` (not committed) so
that a person can look at them. The same browser parses a
page full of injection attempts, and its DOM must hold none of them.

Needs the Debian packages `chromium` and `fonts-dejavu-core` (for the
Vietnamese diacritics). Without chromium the test is skipped, except in CI,
where it fails.
"""

from __future__ import annotations

import os
import struct
import subprocess
from collections.abc import Callable
from dataclasses import replace
from datetime import datetime, timedelta, timezone
from html.parser import HTMLParser
from pathlib import Path

import pytest

from guardian import i18n
from guardian.block_page import (
    HOTLINE_HREF,
    VNCOP_URL,
    BlockedRequest,
    FormTarget,
    render_block_page,
)
from guardian.decision import Reason, TimeLimit
from guardian.portal_pages import (
    EXPIRED,
    ChildPage,
    RequestStatus,
    render_child_page,
    render_notice_page,
    render_notice_snippet,
    render_report_thanks,
    render_request_status,
)

pytestmark = pytest.mark.chromium

CHROMIUM = Path("/usr/bin/chromium")
SCREENSHOTS = Path(__file__).parent / "screenshots" / "block_pages"
# The first two are what a child sees first; the "full" ones show the whole page.
SIZES = {
    "desktop": (1366, 768),
    "phone": (390, 844),
    "desktop-full": (1366, 1250),
    "phone-full": (390, 2300),
}

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


# Friday 14 March 2025, 21:30 in Hanoi: "tomorrow" is Saturday.
HANOI = timezone(timedelta(hours=7))
NOW = datetime(2025, 3, 14, 21, 30, tzinfo=HANOI)
ASK = FormTarget("https://guardian.home.arpa/ask", "v1.eyJwIjoxfQ.c2ln")
REPORT = FormTarget("https://guardian.home.arpa/report", "v1.eyJwIjoyfQ.c2ln")

TIMED_CASES = {
    "time-up-games": BlockedRequest(
        url="https://play.roblox.example/games/123",
        host="play.roblox.example",
        language="vi",
        reason=Reason.TIME_UP,
        category="games",
        profile_name="Minh",
        age=11,
        limit=TimeLimit("category", "games", 60, 60, datetime(2025, 3, 15, 7, 0, tzinfo=HANOI)),
        ask=ASK,
        report=REPORT,
    ),
    "outside-hours": BlockedRequest(
        url="https://www.youtube.com/",
        host="www.youtube.com",
        language="vi",
        reason=Reason.OUTSIDE_HOURS,
        category="video",
        profile_name="An",
        age=8,
        limit=TimeLimit("hours", "", None, None, datetime(2025, 3, 15, 7, 0, tzinfo=HANOI)),
        ask=ASK,
    ),
    "ask-and-report": replace(CASES["category"], ask=ASK, report=REPORT, minutes_left=25, age=12),
    "signup": BlockedRequest(
        url="https://www.tiktok.com/signup/phone-or-email",
        host="www.tiktok.com",
        language="vi",
        reason=Reason.SIGNUP,
        category="social",
        profile_name="Binh",
        age=15,
        ask=ASK,
        report=REPORT,
    ),
}

NOTICE_HOST_PAGE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>A game</title>
<style>
body{margin:0;font:20px Georgia,serif;background:#f5e9d8;color:#402;line-height:2}
div{border:3px dashed red;padding:40px;text-transform:uppercase;font-size:40px}
span{color:red;letter-spacing:4px}
#game{height:2000px}
</style></head>
<body><h1>Block Builder</h1><div id="game">Game board <span>score 120</span></div>
{snippet}</body></html>
"""


def _child_page(language: str) -> str:
    def say(key: str, **params: object) -> str:
        return i18n.translate(language, key, **params)

    page = ChildPage(
        name="Minh",
        minutes_used_today=95,
        minutes_left_today=25,
        limits=(
            say("child_page.limit.category", name=say("category.games"), minutes=60),
            say("child_page.limit.total", name="", minutes=120),
            say("child_page.limit.hours", day=say("child_page.day.mon"), ranges="07:00-21:00"),
        ),
        blocked_categories=("adult", "gambling", "social", "chat_dating"),
        recorded=(say("child_page.recorded.requests"), say("child_page.recorded.minutes"),
                  say("child_page.recorded.requests_made"), say("child_page.recorded.retention")),
        recent_sites=(("vi.wikipedia.org", 40), ("play.roblox.example", 35), ("olm.vn", 20)),
    )
    return render_child_page(language, page)


PORTAL_PAGES: dict[str, Callable[[str], str]] = {
    "request-pending": lambda lang: render_request_status(lang, RequestStatus(
        "site", "www.youtube.com", "pending", None, "Con cần xem video bài giảng môn Toán ạ.")),
    "request-approved": lambda lang: render_request_status(lang, RequestStatus(
        "site", "www.youtube.com", "approved", "60m", "Con cần xem video bài giảng.")),
    "report-thanks": render_report_thanks,
    "link-expired": lambda lang: render_notice_page(lang, *EXPIRED),
    "child-page": _child_page,
    "notice-snippet": lambda lang: NOTICE_HOST_PAGE.replace(
        "{snippet}", render_notice_snippet(lang, 5, 60)),
}


PAGES: dict[str, Callable[[str], str]] = {
    **{
        name: (lambda lang, blocked=blocked: render_block_page(
            replace(blocked, language=lang), NOW))
        for name, blocked in {**CASES, **TIMED_CASES}.items()
    },
    **PORTAL_PAGES,
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
@pytest.mark.parametrize("case", PAGES)
def test_screenshot(chromium: Path, tmp_path: Path, case: str, language: str, size: str) -> None:
    page = tmp_path / f"{case}-{language}.html"
    page.write_text(PAGES[case](language), encoding="utf-8")
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


TOKEN_XSS = "\"><script>document.title='pwned'</script><input name=\"token\" value=\"x"


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
            BlockedRequest(
                language=language,
                reason=Reason.BLOCK_RULE,
                ask=FormTarget(ASK.action, TOKEN_XSS),
                report=FormTarget(REPORT.action, TOKEN_XSS),
                **XSS,  # type: ignore[arg-type]
            )
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
    # The forms post only to the reserved host; the token is one intact value.
    assert [attrs["action"] for tag, attrs in dom.tags if tag == "form"] == [
        ASK.action, REPORT.action]
    tokens = [attrs["value"] for tag, attrs in dom.tags if attrs.get("name") == "token"]
    assert tokens == [TOKEN_XSS, TOKEN_XSS]
