"""The child's block page and the small answers for blocked non-page requests."""

from __future__ import annotations

import json
import re
import struct
import subprocess
import sys
from collections.abc import Iterator, Mapping
from datetime import UTC, datetime, timedelta, timezone
from html import escape
from html.parser import HTMLParser

import pytest

from guardian import i18n
from guardian.block_page import (
    BLOCK_PAGE_HEADERS,
    GENERIC_TIP_AGE,
    HOTLINE_HREF,
    MAX_MESSAGE_CHARS,
    PORTAL_HOST,
    TRANSPARENT_GIF,
    VNCOP_URL,
    BlockedRequest,
    FormTarget,
    ResponseKind,
    cited_rule,
    form_action,
    render_block_page,
    render_blocked_body,
    response_kind,
    shorten_url,
    when_text,
)
from guardian.categories import CATEGORIES
from guardian.conduct import load_catalog
from guardian.decision import Reason, TimeLimit

ALLOWED_LINKS = {HOTLINE_HREF, VNCOP_URL}
ASK = FormTarget("https://guardian.home.arpa/ask", "v1.payload.signature")
REPORT = FormTarget("https://guardian.home.arpa/report", "v1.other.signature")
FORM_LINKS = ALLOWED_LINKS | {ASK.action, REPORT.action}
# Friday 14 March 2025, 21:30 in Hanoi.
HANOI = timezone(timedelta(hours=7))
NOW = datetime(2025, 3, 14, 21, 30, tzinfo=HANOI)


@pytest.fixture(autouse=True)
def strict_messages(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(i18n.STRICT_ENV, "1")


def blocked(**overrides: object) -> BlockedRequest:
    fields: dict[str, object] = {
        "url": "https://casino.example/play",
        "host": "casino.example",
        "language": "vi",
        "reason": Reason.CATEGORY,
        "category": "gambling",
    }
    fields.update(overrides)
    return BlockedRequest(**fields)  # type: ignore[arg-type]


def limit(
    scope: str = "category",
    key: str = "games",
    used: int | None = 60,
    allowed: int | None = 60,
    returns_at: datetime | None = None,
) -> TimeLimit:
    return TimeLimit(scope, key, used, allowed, returns_at)


def time_up(**overrides: object) -> BlockedRequest:
    fields: dict[str, object] = {
        "url": "https://play.game.example/",
        "host": "play.game.example",
        "reason": Reason.TIME_UP,
        "category": "games",
        "limit": limit(),
    }
    fields.update(overrides)
    return blocked(**fields)


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    def handle_data(self, data: str) -> None:
        self.parts.append(data)


def text_of(page: str) -> str:
    """The page's text as the child reads it: tags gone, entities decoded, spaces collapsed."""
    parser = _Text()
    parser.feed(page.split("</style>", 1)[-1])
    return re.sub(r"\s+", " ", "".join(parser.parts))


class _Elements(HTMLParser):
    """Every start tag of a page with its attributes, as the browser would parse them."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, {name: value or "" for name, value in attrs}))


def elements(page: str) -> list[tuple[str, dict[str, str]]]:
    parser = _Elements()
    parser.feed(page)
    parser.close()
    return parser.tags


def links(page: str) -> Iterator[str]:
    for _, attrs in elements(page):
        for name in ("href", "src", "srcset", "action", "formaction", "poster", "data"):
            if name in attrs:
                yield attrs[name]


# --- the page ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("language", "category_name", "heading"),
    [
        ("vi", "Cờ bạc", "Loại trang này đang bị chặn"),
        ("en", "Gambling", "This kind of site is blocked"),
    ],
)
def test_page_is_in_the_childs_language(language: str, category_name: str, heading: str) -> None:
    page = render_block_page(blocked(language=language))
    assert page.startswith("<!DOCTYPE html>")
    assert f'<html lang="{language}">' in page
    assert '<meta charset="utf-8">' in page
    assert '<meta name="viewport" content="width=device-width, initial-scale=1">' in page
    assert category_name in page
    assert heading in page
    assert i18n.translate(language, "category.gambling.why") in page


@pytest.mark.parametrize("language", i18n.LANGUAGES)
@pytest.mark.parametrize("reason", list(Reason))
def test_every_reason_renders_in_both_languages(language: str, reason: Reason) -> None:
    page = render_block_page(blocked(language=language, reason=reason, category=None))
    assert f'<html lang="{language}">' in page
    assert f"<h1>{_html_text(i18n.translate(language, f'reason.{reason.value}'))}</h1>" in page
    assert _html_text(i18n.translate(language, f"reason.{reason.value}.detail")) in page
    assert _html_text(i18n.translate(language, f"reason.{reason.value}.action")) in page


def _html_text(text: str) -> str:
    return escape(text, quote=True)


@pytest.mark.parametrize("code", CATEGORIES)
def test_every_category_is_named_and_explained(code: str) -> None:
    page = render_block_page(blocked(category=code))
    assert _html_text(i18n.translate("vi", f"category.{code}")) in page
    assert _html_text(i18n.translate("vi", f"category.{code}.why")) in page


@pytest.mark.parametrize("language", i18n.LANGUAGES)
def test_page_says_what_the_child_can_do(language: str) -> None:
    page = render_block_page(blocked(language=language))
    for key in ("page.what_happened", "page.why", "page.what_you_can_do", "page.help_title"):
        assert _html_text(i18n.translate(language, key)) in page
    assert _html_text(i18n.translate(language, "page.go_back")) in page
    assert f'<a href="{HOTLINE_HREF}">111</a>' in page
    assert f'href="{VNCOP_URL}"' in page


def test_parents_rule_and_profile_are_shown() -> None:
    page = render_block_page(
        blocked(
            language="en",
            reason=Reason.BLOCK_RULE,
            category=None,
            rule="youtube.com/shorts",
            profile_name="Minh",
        )
    )
    assert "This site is blocked by your parent&#x27;s rule" in page
    assert "Your parent&#x27;s rule: " in page
    assert "youtube.com/shorts" in page
    assert "Minh" in page


def test_unknown_category_is_shown_as_its_code_without_failing() -> None:
    page = render_block_page(blocked(category="future_category"))
    assert "future_category" in page


def test_unknown_language_gets_english() -> None:
    assert '<html lang="en">' in render_block_page(blocked(language="fr"))


def test_empty_host_falls_back_to_url_then_to_a_sentence() -> None:
    assert "casino.example/play" in render_block_page(blocked(host="", reason=Reason.INVALID_HOST))
    page = render_block_page(blocked(url="", host="", reason=Reason.INVALID_HOST, category=None))
    assert _html_text(i18n.translate("vi", "page.tried_to_open_unknown")) in page


def test_long_url_is_shortened_in_the_middle() -> None:
    url = "https://casino.example/" + "a" * 300 + "/END"
    page = render_block_page(blocked(url=url))
    assert "a" * 100 not in page
    assert "/END" in page
    assert len(shorten_url(url)) == 80
    assert shorten_url("https://short.example/") == "https://short.example/"


def test_page_has_no_script_and_no_external_resource() -> None:
    page = render_block_page(blocked(rule="casino.example", profile_name="An"))
    tags = {tag for tag, _ in elements(page)}
    assert tags.isdisjoint({"script", "img", "iframe", "link", "object", "embed", "form", "base"})
    assert set(links(page)) <= ALLOWED_LINKS


XSS_PAYLOADS = [
    "<script>document.title='pwned'</script>",
    '"><img src=x onerror=alert(1)>',
    "'><svg onload=alert(1)>",
    "javascript:alert(1)",
    "</style><script>alert(1)</script>",
    "{host}{0}{rule}",
]


@pytest.mark.parametrize(
    "field", ["url", "host", "rule", "profile_name", "category", "limit_key", "token"]
)
@pytest.mark.parametrize("payload", XSS_PAYLOADS)
@pytest.mark.parametrize("language", i18n.LANGUAGES)
def test_reflected_values_cannot_inject_markup(field: str, payload: str, language: str) -> None:
    if field == "limit_key":
        request = time_up(language=language, limit=limit("site", payload, 30, 30))
    elif field == "token":
        request = blocked(language=language, ask=FormTarget(ASK.action, payload),
                          report=FormTarget(REPORT.action, payload))
    else:
        request = blocked(language=language, **{field: payload})
    page = render_block_page(request, NOW)
    if "<" in payload or '"' in payload:
        assert payload not in page
    tags = elements(page)
    assert {tag for tag, _ in tags}.isdisjoint({"script", "img"})
    assert not [name for _, attrs in tags for name in attrs if name.startswith("on")]
    assert set(links(page)) <= FORM_LINKS
    if field == "token":
        tokens = [attrs["value"] for tag, attrs in tags if attrs.get("name") == "token"]
        assert tokens == [payload, payload]  # intact, and only as the inputs' values



def test_javascript_url_is_text_never_a_link() -> None:
    page = render_block_page(blocked(url="javascript:alert(document.cookie)", host=""))
    assert "javascript:alert(document.cookie)" in page
    assert not [link for link in links(page) if link.lower().startswith("javascript")]


def test_bidirectional_controls_are_not_reflected() -> None:
    page = render_block_page(blocked(host="evil\u202egpj.example", profile_name="A\u2066n\x07"))
    assert "\u202e" not in page and "\u2066" not in page and "\x07" not in page
    assert "evilgpj.example" in page


def test_block_page_headers_lock_the_page_down() -> None:
    csp = BLOCK_PAGE_HEADERS["Content-Security-Policy"]
    assert "default-src 'none'" in csp
    assert "style-src 'unsafe-inline'" in csp
    assert "img-src data:" in csp
    assert "script-src" not in csp
    # The ask and report forms post to the filter's reserved host, and only there.
    assert "form-action https://guardian.home.arpa http://guardian.home.arpa" in csp
    assert "form-action 'none'" not in csp
    assert PORTAL_HOST == "guardian.home.arpa"
    assert BLOCK_PAGE_HEADERS["Cache-Control"] == "no-store"
    assert BLOCK_PAGE_HEADERS["X-Content-Type-Options"] == "nosniff"
    assert BLOCK_PAGE_HEADERS["Referrer-Policy"] == "no-referrer"


def test_module_imports_neither_mitmproxy_nor_qt() -> None:
    code = (
        "import sys, guardian.block_page, guardian.i18n;"
        "bad = [m for m in sys.modules if m.split('.')[0] in ('mitmproxy', 'PySide6')];"
        "print(bad); sys.exit(1 if bad else 0)"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


# --- time's up and outside hours -------------------------------------------------------

TOMORROW_7 = datetime(2025, 3, 15, 7, 0, tzinfo=HANOI)


@pytest.mark.parametrize(
    ("language", "reason", "time_limit", "sentences"),
    [
        ("en", Reason.OUTSIDE_HOURS, limit("hours", "", None, None, TOMORROW_7), [
            "It is now outside your allowed hours.",
            "Your allowed hours start again at 07:00 tomorrow.",
        ]),
        ("en", Reason.TIME_UP, limit("total", "", 120, 120, TOMORROW_7), [
            "You have used up your 120 minutes a day on the Internet.",
            "You used 120 of 120 minutes today.",
            "You can use it again at 07:00 tomorrow.",
        ]),
        ("en", Reason.TIME_UP, limit("category", "games", 60, 60), [
            "You have used up your 60 minutes a day for online games.",
            "You used 60 of 60 minutes today.",
        ]),
        ("en", Reason.TIME_UP, limit("site", "youtube.com", 31, 30), [
            "You have used up the 30 minutes a day you may spend on youtube.com.",
            "You used 31 of 30 minutes today.",
        ]),
        ("en", Reason.TIME_UP, limit("each_site", "", 45, 45), [
            "You have used up the 45 minutes a day you may spend on each site.",
        ]),
        ("en", Reason.TIME_UP, limit("total", "", 90, None), [
            "You have used up your time on the Internet for today.",
            "You used 90 minutes today.",
        ]),
        ("vi", Reason.OUTSIDE_HOURS, limit("hours", "", None, None, TOMORROW_7), [
            "Bây giờ nằm ngoài khung giờ bạn được phép lên mạng.",
            "Khung giờ được phép sẽ bắt đầu lại lúc 07:00 ngày mai.",
        ]),
        ("vi", Reason.TIME_UP, limit("total", "", 120, 120, TOMORROW_7), [
            "Bạn đã dùng hết 120 phút lên mạng mỗi ngày.",
            "Hôm nay bạn đã dùng 120 trong số 120 phút được phép.",
            "Bạn có thể dùng lại lúc 07:00 ngày mai.",
        ]),
        ("vi", Reason.TIME_UP, limit("category", "games", 60, 60), [
            "Bạn đã dùng hết 60 phút mỗi ngày dành cho trò chơi điện tử.",
            "Hôm nay bạn đã dùng 60 trong số 60 phút được phép.",
        ]),
        ("vi", Reason.TIME_UP, limit("site", "youtube.com", 30, 30), [
            "Bạn đã dùng hết 30 phút mỗi ngày dành cho youtube.com.",
        ]),
        ("vi", Reason.TIME_UP, limit("each_site", "", 45, 45), [
            "Bạn đã dùng hết 45 phút mỗi ngày dành cho mỗi trang web.",
        ]),
    ],
)
def test_time_page_says_which_limit_how_much_and_when(
    language: str, reason: Reason, time_limit: TimeLimit, sentences: list[str]
) -> None:
    page = render_block_page(time_up(language=language, reason=reason, limit=time_limit), NOW)
    text = text_of(page)
    for sentence in sentences:
        assert sentence in text
    assert f"<h1>{_html_text(i18n.translate(language, f'reason.{reason.value}'))}</h1>" in page
    assert _html_text(i18n.translate(language, f"reason.{reason.value}.action")) in page


@pytest.mark.parametrize(
    ("at", "english", "vietnamese"),
    [
        (datetime(2025, 3, 14, 22, 0, tzinfo=HANOI), "at 22:00 today", "lúc 22:00 hôm nay"),
        (datetime(2025, 3, 15, 7, 0, tzinfo=HANOI), "at 07:00 tomorrow", "lúc 07:00 ngày mai"),
        (datetime(2025, 3, 17, 16, 30, tzinfo=HANOI), "at 16:30 on Monday", "lúc 16:30 thứ Hai"),
        (datetime(2025, 3, 16, 8, 0, tzinfo=HANOI), "at 08:00 on Sunday", "lúc 08:00 Chủ nhật"),
        (datetime(2025, 3, 25, 7, 0, tzinfo=HANOI), "at 07:00 on 25/03/2025",
         "lúc 07:00 ngày 25/03/2025"),
    ],
)
def test_when_access_returns_is_said_from_today(
    at: datetime, english: str, vietnamese: str
) -> None:
    assert when_text("en", at, NOW) == english
    assert when_text("vi", at, NOW) == vietnamese
    page = render_block_page(time_up(language="en", limit=limit(returns_at=at)), NOW)
    assert f"You can use it again {english}." in text_of(page)


def test_today_and_tomorrow_are_the_local_days_of_the_return() -> None:
    # 23:30 in UTC is already 06:30 on the 15th in Hanoi: 07:00 that day is "today".
    utc_now = datetime(2025, 3, 14, 23, 30, tzinfo=UTC)
    assert when_text("en", TOMORROW_7, utc_now) == "at 07:00 today"
    # Naive times are compared as they are.
    assert when_text("en", datetime(2025, 3, 15, 7, 0), datetime(2025, 3, 14, 21, 0)) == (
        "at 07:00 tomorrow"
    )


def test_time_page_without_a_return_time_or_limit_still_explains() -> None:
    page = render_block_page(time_up(language="en", limit=limit()), NOW)
    assert "You can use it again" not in page
    bare = render_block_page(time_up(language="en", limit=None), NOW)
    assert _html_text(i18n.translate("en", "reason.time_up.detail")) in bare
    assert "You have used up your" not in bare


def test_minutes_are_singular_when_there_is_one() -> None:
    page = render_block_page(time_up(language="en", limit=limit("total", "", 1, 1)), NOW)
    assert "You used 1 of 1 minute today." in text_of(page)


@pytest.mark.parametrize("language", i18n.LANGUAGES)
def test_games_time_page_states_the_legal_limits_kindly(language: str) -> None:
    law = load_catalog().law
    expected = i18n.translate(language, "limit.games_law", age=law.games_under_age,
                              per_game=law.per_game_minutes, total=law.games_total_minutes)
    assert "147/2024" in expected and "60" in expected and "180" in expected
    assert expected in text_of(render_block_page(time_up(language=language, age=12), NOW))
    # Not on other limits, and not for an adult's profile.
    video = time_up(language=language, category="video", limit=limit("category", "video"))
    assert expected not in text_of(render_block_page(video, NOW))
    assert expected not in text_of(render_block_page(time_up(language=language, age=18), NOW))


# --- the rule of the code, and the tip ---------------------------------------------------


@pytest.mark.parametrize("language", i18n.LANGUAGES)
@pytest.mark.parametrize("code", CATEGORIES)
def test_category_page_cites_the_first_rule_of_its_category(language: str, code: str) -> None:
    rule = load_catalog().rules_for_category(code)[0]
    assert rule.child is not None
    page = render_block_page(blocked(language=language, category=code))
    assert f"<strong>{rule.id}</strong>" in page
    assert _html_text(rule.child.get(language)) in page


@pytest.mark.parametrize(
    ("reason", "rule_id"),
    [
        (Reason.BLOCK_RULE, "PARENT-5"),
        (Reason.TIME_UP, "PLATFORM-3"),
        (Reason.OUTSIDE_HOURS, "PARENT-5"),
        (Reason.UNSAFE_SEARCH, "CHILD-2"),
        (Reason.CONTENT, "CHILD-7"),
        (Reason.PERSONAL_INFO, "CHILD-8"),
        (Reason.NOT_ASSIGNED, "GEN-1"),
        (Reason.POLICY_UNAVAILABLE, "GEN-1"),
    ],
)
@pytest.mark.parametrize("language", i18n.LANGUAGES)
def test_other_blocks_cite_their_rule(language: str, reason: Reason, rule_id: str) -> None:
    request = blocked(language=language, reason=reason, category=None, rule="example.com")
    rule = cited_rule(request)
    assert rule is not None and rule.id == rule_id and rule.child is not None
    page = render_block_page(request, NOW)
    assert f"<strong>{rule_id}</strong>" in page
    assert _html_text(rule.child.get(language)) in page
    cite = i18n.translate(language, "code.cite", rule=rule_id)
    assert cite in text_of(page)


@pytest.mark.parametrize("reason", list(Reason))
def test_every_reason_cites_a_rule_of_the_catalog_or_none_on_purpose(reason: Reason) -> None:
    rule = cited_rule(blocked(reason=reason, category=None))
    if reason in (Reason.INVALID_HOST, Reason.ALLOWED, Reason.ALLOW_RULE):
        assert rule is None
    else:
        assert rule is not None and rule.child is not None


def test_invalid_address_cites_no_rule_and_unknown_category_cites_gen_1() -> None:
    page = render_block_page(blocked(reason=Reason.INVALID_HOST, category=None))
    assert 'class="note code"' not in page
    assert "<strong>GEN-1</strong>" in render_block_page(blocked(category="future_category"))


@pytest.mark.parametrize("language", i18n.LANGUAGES)
@pytest.mark.parametrize("age", [None, 4, 8, 12, 16, 30])
def test_one_tip_for_the_childs_age(language: str, age: int | None) -> None:
    request = blocked(language=language, age=age)
    tip = load_catalog().tip_for(GENERIC_TIP_AGE if age is None else age, language,
                                 seed=len(request.host))
    page = render_block_page(request)
    assert page.count('class="note tip"') == 1
    assert _html_text(tip) in page
    assert render_block_page(request) == page  # the same tip each time


# --- asking a parent, reporting ---------------------------------------------------------


def forms(page: str) -> list[dict[str, object]]:
    """Each form with its attributes and its fields by name."""
    found: list[dict[str, object]] = []
    for tag, attrs in elements(page):
        if tag == "form":
            found.append({"attrs": attrs, "fields": {}})
        elif tag in ("input", "textarea", "button") and found and "name" in attrs:
            fields = found[-1]["fields"]
            assert isinstance(fields, dict)
            fields[attrs["name"]] = attrs
    return found


def test_no_forms_without_targets() -> None:
    assert forms(render_block_page(blocked())) == []


@pytest.mark.parametrize(
    ("reason", "kind", "button"),
    [
        (Reason.CATEGORY, "site", "Ask to open this site"),
        (Reason.BLOCK_RULE, "site", "Ask to open this site"),
        (Reason.TIME_UP, "time", "Ask for more time"),
        (Reason.OUTSIDE_HOURS, "time", "Ask for more time"),
    ],
)
def test_ask_form_posts_token_message_and_kind(reason: Reason, kind: str, button: str) -> None:
    page = render_block_page(blocked(language="en", reason=reason, ask=ASK), NOW)
    [form] = forms(page)
    assert form["attrs"] == {"method": "post", "action": ASK.action, "class": "message-form"}
    fields = form["fields"]
    assert isinstance(fields, dict)
    assert set(fields) == {"token", "kind", "message"}
    assert fields["token"] == {"type": "hidden", "name": "token", "value": ASK.token}
    assert fields["kind"] == {"type": "hidden", "name": "kind", "value": kind}
    assert fields["message"]["maxlength"] == str(MAX_MESSAGE_CHARS) == "500"
    assert f">{button}</button>" in page
    assert "Message for your parent (optional)" in page


def test_ask_form_in_vietnamese() -> None:
    page = render_block_page(time_up(ask=ASK), NOW)
    assert "Lời nhắn cho bố mẹ (không bắt buộc)" in page
    assert ">Xin bố mẹ thêm thời gian</button>" in page
    site = render_block_page(blocked(ask=ASK))
    assert ">Xin bố mẹ mở trang này</button>" in site


@pytest.mark.parametrize("language", i18n.LANGUAGES)
def test_report_form_sits_with_the_hotline(language: str) -> None:
    page = render_block_page(blocked(language=language, report=REPORT))
    [form] = forms(page)
    assert form["attrs"]["action"] == REPORT.action
    fields = form["fields"]
    assert isinstance(fields, dict)
    assert set(fields) == {"token", "note"}
    assert fields["token"]["value"] == REPORT.token
    assert fields["note"]["maxlength"] == "500"
    help_box = page[page.index('<aside class="help">'):page.index("</aside>")]
    assert "<form" in help_box and f'href="{HOTLINE_HREF}"' in help_box
    assert f'href="{VNCOP_URL}"' in help_box
    assert _html_text(i18n.translate(language, "report.button")) in help_box


def test_both_forms_together() -> None:
    page = render_block_page(blocked(ask=ASK, report=REPORT))
    assert [f["attrs"]["action"] for f in forms(page)] == [ASK.action, REPORT.action]


@pytest.mark.parametrize(
    "action",
    [
        "https://guardian.home.arpa/ask",
        "http://guardian.home.arpa/ask",
        "https://guardian.home.arpa/report",
        "https://guardian.home.arpa/",
        "https://guardian.home.arpa",
    ],
)
def test_reserved_host_actions_are_kept(action: str) -> None:
    assert form_action(FormTarget(action, "t")) == action


@pytest.mark.parametrize(
    "action",
    [
        "https://evil.example/ask",
        "https://guardian.home.arpa.evil.example/ask",
        "https://guardian.home.arpa@evil.example/ask",
        "https://evil.example@guardian.home.arpa/ask",
        "https://guardian.home.arpa:8443/ask",
        "https://guardian.home.arpa/ask?next=https://evil.example",
        "https://guardian.home.arpa/ask#x",
        "https://guardian.home.arpa/a b",
        'https://guardian.home.arpa/ask"><script>alert(1)</script>',
        "//guardian.home.arpa/ask",
        "/ask",
        "javascript:alert(1)",
        "ftp://guardian.home.arpa/ask",
        "HTTPS://GUARDIAN.HOME.ARPA/ask",
        "",
    ],
)
def test_other_actions_drop_the_form(action: str) -> None:
    target = FormTarget(action, "t")
    assert form_action(target) is None
    page = render_block_page(blocked(ask=target, report=target))
    assert forms(page) == []
    assert "<form" not in page and "evil" not in page


@pytest.mark.parametrize("language", i18n.LANGUAGES)
def test_minutes_left_are_shown_quietly(language: str) -> None:
    page = render_block_page(blocked(language=language, minutes_left=25))
    note = i18n.translate(language, "time.left_today", minutes=i18n.translate(
        language, "time.minutes", n=25))
    assert f'<span class="header-note">{_html_text(note)}</span>' in page
    assert 'class="header-note"' not in render_block_page(blocked(language=language))


def test_old_callers_still_render_with_the_original_fields() -> None:
    request = BlockedRequest("https://a.example/", "a.example", "vi", Reason.CATEGORY, "adult")
    assert request.limit is None and request.ask is None and request.report is None
    assert request.age is None and request.minutes_left is None
    content_type, body = render_blocked_body(ResponseKind.DOCUMENT, request)
    assert content_type.startswith("text/html") and b"GEN-2" in body


# --- the kind of answer ------------------------------------------------------------------

CHROME_NAVIGATION = "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,*/*;q=0.8"
CHROME_IMAGE = "image/avif,image/webp,image/apng,image/svg+xml,image/*,*/*;q=0.8"


@pytest.mark.parametrize(
    ("method", "headers", "kind"),
    [
        ("GET", {"Sec-Fetch-Dest": "document", "Accept": CHROME_NAVIGATION}, ResponseKind.DOCUMENT),
        ("GET", {"Sec-Fetch-Dest": "iframe"}, ResponseKind.DOCUMENT),
        ("GET", {"Sec-Fetch-Dest": "frame"}, ResponseKind.DOCUMENT),
        ("POST", {"Sec-Fetch-Dest": "document"}, ResponseKind.DOCUMENT),
        ("GET", {"Sec-Fetch-Dest": "image", "Accept": CHROME_IMAGE}, ResponseKind.IMAGE),
        ("GET", {"Sec-Fetch-Dest": "script", "Accept": "*/*"}, ResponseKind.SCRIPT),
        ("GET", {"Sec-Fetch-Dest": "serviceworker"}, ResponseKind.SCRIPT),
        ("GET", {"Sec-Fetch-Dest": "style", "Accept": "text/css,*/*;q=0.1"}, ResponseKind.STYLE),
        ("GET", {"Sec-Fetch-Dest": "empty", "Accept": "application/json"}, ResponseKind.JSON),
        ("POST", {"Sec-Fetch-Dest": "empty", "Accept": "application/json, */*"}, ResponseKind.JSON),
        ("GET", {"Sec-Fetch-Dest": "empty", "Accept": "*/*"}, ResponseKind.OTHER),
        ("GET", {"Sec-Fetch-Dest": "empty"}, ResponseKind.OTHER),
        ("GET", {"Sec-Fetch-Dest": "font", "Accept": "*/*"}, ResponseKind.OTHER),
        ("GET", {"Sec-Fetch-Dest": "video"}, ResponseKind.OTHER),
        # No fetch metadata: Accept decides.
        ("GET", {"Accept": CHROME_NAVIGATION}, ResponseKind.DOCUMENT),
        ("GET", {"Accept": CHROME_IMAGE}, ResponseKind.IMAGE),
        ("GET", {"Accept": "application/json, text/plain, */*"}, ResponseKind.JSON),
        ("GET", {"Accept": "application/problem+json"}, ResponseKind.JSON),
        ("GET", {"Accept": "text/css"}, ResponseKind.STYLE),
        ("GET", {"Accept": "text/html;q=0.1, application/json"}, ResponseKind.JSON),
        ("GET", {"Accept": "application/json;q=0, text/html"}, ResponseKind.DOCUMENT),
        # No hints at all: a typed URL or curl gets the page, anything else a line of text.
        ("GET", {}, ResponseKind.DOCUMENT),
        ("GET", {"Accept": "*/*", "User-Agent": "curl/8.5.0"}, ResponseKind.DOCUMENT),
        ("head", {}, ResponseKind.DOCUMENT),
        ("POST", {}, ResponseKind.OTHER),
        ("PUT", {"Accept": "*/*"}, ResponseKind.OTHER),
        ("GET", {"Accept": "application/octet-stream"}, ResponseKind.OTHER),
        # Header names in any case.
        ("GET", {"SEC-FETCH-DEST": "image"}, ResponseKind.IMAGE),
        ("GET", {"sec-fetch-dest": "Script"}, ResponseKind.SCRIPT),
        ("GET", {"aCCEPT": "application/json"}, ResponseKind.JSON),
    ],
)
def test_response_kind(method: str, headers: dict[str, str], kind: ResponseKind) -> None:
    assert response_kind(method, headers) is kind


class _ReadOnlyHeaders(Mapping[str, str]):
    """A Mapping that is not a dict, as mitmproxy's Headers is not."""

    def __init__(self, **fields: str) -> None:
        self._fields = {name.replace("_", "-"): value for name, value in fields.items()}

    def __getitem__(self, name: str) -> str:
        return self._fields[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self._fields)

    def __len__(self) -> int:
        return len(self._fields)


def test_response_kind_accepts_any_mapping() -> None:
    assert response_kind("GET", _ReadOnlyHeaders(Sec_Fetch_Dest="style")) is ResponseKind.STYLE


# --- the answer's body -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "content_type"),
    [
        (ResponseKind.DOCUMENT, "text/html; charset=utf-8"),
        (ResponseKind.IMAGE, "image/gif"),
        (ResponseKind.SCRIPT, "application/javascript; charset=utf-8"),
        (ResponseKind.STYLE, "text/css; charset=utf-8"),
        (ResponseKind.JSON, "application/json; charset=utf-8"),
        (ResponseKind.OTHER, "text/plain; charset=utf-8"),
    ],
)
def test_each_kind_gets_its_content_type(kind: ResponseKind, content_type: str) -> None:
    got_type, body = render_blocked_body(kind, blocked())
    assert got_type == content_type
    assert body


def test_document_body_is_the_page() -> None:
    request = blocked(language="en")
    assert render_blocked_body(ResponseKind.DOCUMENT, request)[1] == render_block_page(
        request
    ).encode("utf-8")


def test_image_is_a_transparent_one_pixel_gif() -> None:
    _, body = render_blocked_body(ResponseKind.IMAGE, blocked())
    assert body == TRANSPARENT_GIF
    assert body.startswith(b"GIF89a")
    assert struct.unpack("<HH", body[6:10]) == (1, 1)
    assert body.endswith(b";")


@pytest.mark.parametrize("kind", [ResponseKind.SCRIPT, ResponseKind.STYLE])
def test_script_and_style_are_one_harmless_comment(kind: ResponseKind) -> None:
    request = blocked(host="evil.example*/alert(1);/*", category="gambling")
    text = render_blocked_body(kind, request)[1].decode("utf-8")
    assert text.startswith("/* ") and text.endswith(" */\n")
    assert text.count("*/") == 1 and text.count("\n") == 1
    assert "reason=category" in text and "category=gambling" in text
    assert "alert(1)" not in text


def test_json_says_blocked_with_reason_category_and_host() -> None:
    _, body = render_blocked_body(ResponseKind.JSON, blocked(language="en"))
    document = json.loads(body)
    assert document["blocked"] is True
    assert document["reason"] == "category"
    assert document["category"] == "gambling"
    assert document["host"] == "casino.example"
    assert document["message"] == "Guardian, your family's internet filter, blocked casino.example."


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("vi", "Guardian, bộ lọc Internet của gia đình bạn, đã chặn casino.example.\n"),
        ("en", "Guardian, your family's internet filter, blocked casino.example.\n"),
    ],
)
def test_other_is_one_line_in_the_childs_language(language: str, expected: str) -> None:
    _, body = render_blocked_body(ResponseKind.OTHER, blocked(language=language))
    assert body.decode("utf-8") == expected
