"""The pages on the filter's reserved host, and the note added to other sites' pages."""

from __future__ import annotations

import re
import subprocess
import sys
from dataclasses import fields
from html import escape
from html.parser import HTMLParser

import pytest

from guardian import i18n
from guardian.block_page import HOTLINE_HREF, VNCOP_URL, BlockedRequest, render_block_page
from guardian.conduct import CHILD_PAGE, load_catalog
from guardian.decision import Reason
from guardian.portal_pages import ERROR as ERROR_NOTICE
from guardian.portal_pages import (
    EXPIRED,
    NOT_FOUND,
    NOTICE_ID,
    TOO_MANY,
    TRANSPARENCY_RULE,
    USED,
    ChildPage,
    RequestStatus,
    grant_text,
    render_child_page,
    render_notice_page,
    render_notice_snippet,
    render_report_thanks,
    render_request_status,
)

XSS = "<script>alert(1)</script>\"'><img src=x onerror=alert(1)>"
HEALTH_VI = "Chơi quá 180 phút một ngày sẽ ảnh hưởng xấu đến sức khỏe"


@pytest.fixture(autouse=True)
def strict_messages(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(i18n.STRICT_ENV, "1")


def status(**overrides: object) -> RequestStatus:
    values: dict[str, object] = {
        "kind": "site",
        "target": "www.youtube.com",
        "status": "pending",
        "answer": None,
        "message": "Con cần xem video bài giảng.",
    }
    values.update(overrides)
    return RequestStatus(**values)  # type: ignore[arg-type]


def child(**overrides: object) -> ChildPage:
    values: dict[str, object] = {
        "name": "Minh",
        "minutes_used_today": 95,
        "minutes_left_today": 25,
        "limits": ("Games: 60 minutes a day",),
        "blocked_categories": ("adult", "gambling"),
        "recorded": ("The sites you open.",),
        "recent_sites": (("vi.wikipedia.org", 40), ("olm.vn", 1)),
    }
    values.update(overrides)
    return ChildPage(**values)  # type: ignore[arg-type]


class _Parsed(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str]]] = []
        self.events: list[tuple[str, str]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, {name: value or "" for name, value in attrs}))
        self.events.append(("start", tag))

    def handle_endtag(self, tag: str) -> None:
        self.events.append(("end", tag))

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def parse(html: str) -> _Parsed:
    parser = _Parsed()
    parser.feed(html)
    parser.close()
    return parser


def text_of(page: str) -> str:
    return re.sub(r"\s+", " ", "".join(parse(page.split("</style>", 1)[-1]).text))


def links(page: str) -> set[str]:
    return {attrs["href"] for _, attrs in parse(page).tags if "href" in attrs}


def assert_safe(page: str) -> None:
    tags = parse(page).tags
    assert {tag for tag, _ in tags}.isdisjoint({"script", "img", "iframe", "object", "embed"})
    assert not [name for _, attrs in tags for name in attrs if name.startswith("on")]


def refresh(page: str) -> list[str]:
    return [attrs["content"] for tag, attrs in parse(page).tags
            if tag == "meta" and attrs.get("http-equiv") == "refresh"]


# --- ask a parent -----------------------------------------------------------------------


@pytest.mark.parametrize("language", i18n.LANGUAGES)
def test_pending_request_reloads_itself(language: str) -> None:
    page = render_request_status(language, status())
    assert page.startswith("<!DOCTYPE html>") and f'<html lang="{language}">' in page
    assert refresh(page) == ["3"]
    assert '<meta http-equiv="refresh" content="3">' in page
    text = text_of(page)
    assert i18n.translate(language, "request.pending_title") in text
    assert i18n.translate(language, "request.pending_text") in text
    assert "www.youtube.com" in text and "Con cần xem video bài giảng." in text
    assert links(page) == set()  # no way out but Back while waiting


def test_pending_request_says_it_in_plain_words() -> None:
    text = text_of(render_request_status("en", status()))
    assert "Your parent has been asked" in text
    assert "This page updates by itself when your parent answers." in text
    vi = text_of(render_request_status("vi", status()))
    assert "Trang này sẽ tự cập nhật khi bố mẹ trả lời." in vi


def test_refresh_interval_is_the_statuss_and_at_least_a_second() -> None:
    assert refresh(render_request_status("en", status(refresh_seconds=10))) == ["10"]
    assert refresh(render_request_status("en", status(refresh_seconds=0))) == ["1"]


@pytest.mark.parametrize("state", ["approved", "denied"])
@pytest.mark.parametrize("language", i18n.LANGUAGES)
def test_answered_request_stops_reloading(language: str, state: str) -> None:
    page = render_request_status(language, status(status=state, answer="15m"))
    assert refresh(page) == []
    assert i18n.translate(language, f"request.{state}_title") in text_of(page)


@pytest.mark.parametrize(
    ("answer", "english", "vietnamese"),
    [
        ("15m", "for 15 minutes", "trong 15 phút"),
        ("60m", "for 1 hour", "trong 1 giờ"),
        ("120m", "for 2 hours", "trong 2 giờ"),
        ("90m", "for 90 minutes", "trong 90 phút"),
        ("today", "for the rest of today", "đến hết hôm nay"),
        ("always", "from now on", "từ nay về sau"),
    ],
)
def test_approval_says_what_was_granted(answer: str, english: str, vietnamese: str) -> None:
    assert grant_text("en", answer) == english
    assert grant_text("vi", answer) == vietnamese
    page = render_request_status("en", status(status="approved", answer=answer))
    assert f"You can open www.youtube.com {english}." in text_of(page)
    vi = render_request_status("vi", status(status="approved", answer=answer))
    assert f"Bạn có thể mở www.youtube.com {vietnamese}." in text_of(vi)


@pytest.mark.parametrize("answer", [None, "", "0m", "soon", "15", "m", "<b>1m</b>"])
def test_unknown_grant_is_a_plain_yes(answer: str | None) -> None:
    assert grant_text("en", answer) is None
    page = render_request_status("en", status(status="approved", answer=answer))
    assert "Your parent said yes to your request." in text_of(page)


def test_more_time_request() -> None:
    page = render_request_status("en", status(kind="time", target="category",
                                              status="approved", answer="today"))
    text = text_of(page)
    assert "You asked" in text and "for more time" in text and "category" not in text
    assert "You can keep going for the rest of today." in text
    assert links(page) == set()  # "category" is no host to go back to
    named = render_request_status("vi", status(kind="time", target="Trò chơi điện tử"))
    assert "thêm thời gian: Trò chơi điện tử" in text_of(named)


@pytest.mark.parametrize("host", ["www.youtube.com", "olm.vn", "xn--bcher-kva.example", "a-b.c"])
def test_approved_site_links_back_to_a_plain_host(host: str) -> None:
    page = render_request_status("en", status(target=host, status="approved", answer="60m"))
    assert links(page) == {f"https://{host}/"}
    assert f"Open {host}" in text_of(page)


@pytest.mark.parametrize(
    "target",
    [
        "javascript:alert(1)",
        "evil.example/path",
        "evil.example:8080",
        "user@evil.example",
        "WWW.YOUTUBE.COM",
        "localhost",
        "",
        "evil.example\" onmouseover=\"alert(1)",
        "https://evil.example",
        "evil.example/?x=<script>",
        "évil.example",
    ],
)
def test_no_link_back_unless_the_target_is_a_plain_host(target: str) -> None:
    page = render_request_status("en", status(target=target, status="approved", answer="15m"))
    assert links(page) == set()
    assert_safe(page)


@pytest.mark.parametrize("state", ["pending", "denied"])
def test_no_link_back_before_or_after_a_no(state: str) -> None:
    assert links(render_request_status("en", status(status=state, answer="15m"))) == set()


@pytest.mark.parametrize("language", i18n.LANGUAGES)
def test_denied_request_is_kind(language: str) -> None:
    text = text_of(render_request_status(language, status(status="denied")))
    assert i18n.translate(language, "request.denied_text") in text
    assert ("talk to your parent" in text) if language == "en" else ("nói chuyện với bố mẹ" in text)


@pytest.mark.parametrize("field", ["target", "message"])
@pytest.mark.parametrize("state", ["pending", "approved", "denied"])
def test_request_values_are_escaped(field: str, state: str) -> None:
    page = render_request_status("vi", status(**{field: XSS, "status": state, "answer": "15m"}))
    assert XSS not in page
    assert escape(XSS, quote=True) in page
    assert_safe(page)
    assert XSS in text_of(page)  # still readable as text


def test_unknown_status_is_shown_as_waiting() -> None:
    page = render_request_status("en", status(status="maybe"))
    assert "Your parent has been asked" in text_of(page) and refresh(page) == ["3"]


# --- report -----------------------------------------------------------------------------


@pytest.mark.parametrize("language", i18n.LANGUAGES)
def test_report_thanks(language: str) -> None:
    page = render_report_thanks(language)
    text = text_of(page)
    assert i18n.translate(language, "report.thanks_title") in text
    assert i18n.translate(language, "report.thanks_text") in text
    assert i18n.translate(language, "report.danger", hotline="111") in text
    assert links(page) == {HOTLINE_HREF, VNCOP_URL}
    assert "<form" not in page
    assert refresh(page) == []


def test_report_thanks_in_plain_words() -> None:
    assert "Your parent will see your report" in text_of(render_report_thanks("en"))
    assert "hãy gọi ngay 111" in text_of(render_report_thanks("vi"))


# --- simple notices ---------------------------------------------------------------------


@pytest.mark.parametrize("keys", [EXPIRED, USED, NOT_FOUND, ERROR_NOTICE, TOO_MANY])
@pytest.mark.parametrize("language", i18n.LANGUAGES)
def test_notice_pages(language: str, keys: tuple[str, str]) -> None:
    page = render_notice_page(language, *keys)
    title, text = (i18n.translate(language, key) for key in keys)
    assert f"<title>{escape(title, quote=True)} · Guardian</title>" in page
    assert f"<h1>{escape(title, quote=True)}</h1>" in page
    assert text in text_of(page)
    assert HOTLINE_HREF in links(page)


def test_expired_link_says_to_ask_again() -> None:
    text = text_of(render_notice_page("en", *EXPIRED))
    assert "This link has expired" in text and "ask again" in text
    assert "Liên kết này đã hết hạn" in text_of(render_notice_page("vi", *EXPIRED))


def test_notice_page_takes_any_existing_message() -> None:
    page = render_notice_page("vi", "reason.policy_unavailable", "reason.policy_unavailable.detail")
    assert i18n.translate("vi", "reason.policy_unavailable") in page


# --- the child's page -------------------------------------------------------------------


@pytest.mark.parametrize("language", i18n.LANGUAGES)
def test_child_page_shows_the_childs_day(language: str) -> None:
    page = render_child_page(language, child())
    text = text_of(page)
    title = i18n.translate(language, "child_page.title")
    assert f"<title>{escape(title, quote=True)} · Guardian</title>" in page
    assert i18n.translate(language, "child_page.hello", name="Minh") in text
    minutes = i18n.translate(language, "time.minutes", n=95)
    assert i18n.translate(language, "child_page.used_today", minutes=minutes) in text
    left = i18n.translate(language, "time.minutes", n=25)
    assert i18n.translate(language, "child_page.left_today", minutes=left) in text
    assert "Games: 60 minutes a day" in text
    for code in ("adult", "gambling"):
        assert i18n.translate(language, f"category.{code}") in text
    assert "The sites you open." in text
    assert "vi.wikipedia.org" in text and i18n.translate(language, "time.minute", n=1) in text
    assert f"<strong>{TRANSPARENCY_RULE}</strong>" in page
    assert i18n.translate(language, "child_page.transparency") in text
    assert links(page) == {HOTLINE_HREF, VNCOP_URL}


def test_child_page_title_in_english() -> None:
    assert "<h1>What Guardian does on this device</h1>" in render_child_page("en", child())


def test_child_page_with_nothing_to_show() -> None:
    page = render_child_page("en", child(minutes_left_today=None, limits=(), recorded=(),
                                         blocked_categories=(), recent_sites=()))
    text = text_of(page)
    for key in ("child_page.no_daily_limit", "child_page.no_limits", "child_page.nothing_blocked",
                "child_page.no_sites", "child_page.nothing_recorded"):
        assert i18n.translate("en", key) in text


def test_child_page_transparency_rule_is_the_catalogs() -> None:
    rule = load_catalog().rule(TRANSPARENCY_RULE)
    assert CHILD_PAGE in rule.features


def test_child_page_holds_nothing_of_the_parents_settings() -> None:
    names = {field.name for field in fields(ChildPage)}
    assert names == {"name", "minutes_used_today", "minutes_left_today", "limits",
                     "blocked_categories", "recorded", "recent_sites"}
    page = render_child_page("en", child()).lower()
    assert "password" not in page and "mật khẩu" not in page


@pytest.mark.parametrize("field", ["name", "limits", "recorded", "recent_sites",
                                   "blocked_categories"])
def test_child_page_escapes_everything(field: str) -> None:
    value: object = {
        "name": XSS,
        "limits": (XSS,),
        "recorded": (XSS,),
        "recent_sites": ((XSS, 5),),
        "blocked_categories": (XSS,),
    }[field]
    page = render_child_page("vi", child(**{field: value}))
    assert XSS not in page
    assert_safe(page)
    assert XSS in text_of(page)


# --- the note on other pages ------------------------------------------------------------


def test_nothing_to_say_is_an_empty_string() -> None:
    assert render_notice_snippet("vi", None, None) == ""
    assert render_notice_snippet("en", None, 0) == ""


@pytest.mark.parametrize(
    ("minutes_left", "games_minutes"), [(10, None), (5, None), (None, 30), (5, 90), (0, None)]
)
@pytest.mark.parametrize("language", i18n.LANGUAGES)
def test_notice_is_one_self_styled_div(
    language: str, minutes_left: int | None, games_minutes: int | None
) -> None:
    snippet = render_notice_snippet(language, minutes_left, games_minutes)
    assert snippet.startswith(f'<div id="{NOTICE_ID}" ')
    assert snippet.endswith("</div>")
    parsed = parse(snippet)
    # One element at the top: the div opens first and its end closes the snippet.
    depth, tops = 0, 0
    for event, _tag in parsed.events:
        if event == "start":
            tops += depth == 0
            depth += 1
        else:
            depth -= 1
    assert depth == 0 and tops == 1
    tags = {tag for tag, _ in parsed.tags}
    assert tags <= {"div", "span"}
    assert "<script" not in snippet.lower() and "<style" not in snippet.lower()
    assert "class=" not in snippet  # nothing the page's CSS could select but the id
    for _, attrs in parsed.tags:
        assert attrs["style"].startswith("all:initial !important;")
        declarations = [d.strip() for d in attrs["style"].split(";") if d.strip()]
        assert all(d.endswith("!important") for d in declarations)
        assert any(d.startswith("font:") for d in declarations)
    box = parsed.tags[0][1]["style"]
    for declaration in ("position:fixed", "z-index:2147483647", "pointer-events:none",
                        "bottom:16px", "right:16px"):
        assert f"{declaration} !important" in box
    assert f'lang="{language}"' in snippet


@pytest.mark.parametrize("language", i18n.LANGUAGES)
def test_games_reminder_carries_the_legal_health_warning(language: str) -> None:
    snippet = render_notice_snippet(language, None, 30)
    total = load_catalog().law.games_total_minutes
    warning = i18n.translate(language, "notice.health", total=total)
    assert warning in text_of(snippet)
    played = i18n.translate(language, "notice.played",
                            minutes=i18n.translate(language, "time.minutes", n=30))
    assert played in text_of(snippet)


def test_vietnamese_health_warning_is_the_decrees_sentence() -> None:
    assert HEALTH_VI in text_of(render_notice_snippet("vi", None, 60))
    assert "Playing more than 180 minutes a day harms your health." in text_of(
        render_notice_snippet("en", None, 60))
    assert HEALTH_VI not in render_notice_snippet("vi", 10, None)


@pytest.mark.parametrize(
    ("language", "minutes", "expected"),
    [
        ("en", 10, "10 minutes left today."),
        ("en", 1, "1 minute left today."),
        ("vi", 5, "Hôm nay bạn còn 5 phút."),
        ("en", 0, "Your time for today is almost over."),
    ],
)
def test_minutes_left_notice(language: str, minutes: int, expected: str) -> None:
    assert expected in text_of(render_notice_snippet(language, minutes, None))


# --- all of them ------------------------------------------------------------------------


def test_pages_share_the_block_pages_style() -> None:
    def style(page: str) -> str:
        return page.split("<style>", 1)[1].split("</style>", 1)[0]

    block = style(render_block_page(BlockedRequest("", "a.example", "vi", Reason.CATEGORY)))
    for page in (render_request_status("vi", status()), render_report_thanks("vi"),
                 render_notice_page("vi", *EXPIRED), render_child_page("vi", child())):
        assert style(page) == block


@pytest.mark.parametrize("language", ["fr", "vi-VN", ""])
def test_pages_normalise_the_language(language: str) -> None:
    expected = i18n.normalize_language(language)
    assert f'<html lang="{expected}">' in render_report_thanks(language)
    assert f'lang="{expected}"' in render_notice_snippet(language, 5, None)


def test_module_imports_neither_mitmproxy_nor_qt() -> None:
    code = (
        "import sys, guardian.portal_pages;"
        "bad = [m for m in sys.modules if m.split('.')[0] in ('mitmproxy', 'PySide6')];"
        "print(bad); sys.exit(1 if bad else 0)"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
