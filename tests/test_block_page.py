"""The child's block page and the small answers for blocked non-page requests."""

from __future__ import annotations

import json
import struct
import subprocess
import sys
from collections.abc import Iterator, Mapping
from html import escape
from html.parser import HTMLParser

import pytest

from guardian import i18n
from guardian.block_page import (
    BLOCK_PAGE_HEADERS,
    HOTLINE_HREF,
    TRANSPARENT_GIF,
    VNCOP_URL,
    BlockedRequest,
    ResponseKind,
    render_block_page,
    render_blocked_body,
    response_kind,
    shorten_url,
)
from guardian.categories import CATEGORIES
from guardian.decision import Reason

ALLOWED_LINKS = {HOTLINE_HREF, VNCOP_URL}


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


@pytest.mark.parametrize("field", ["url", "host", "rule", "profile_name", "category"])
@pytest.mark.parametrize("payload", XSS_PAYLOADS)
@pytest.mark.parametrize("language", i18n.LANGUAGES)
def test_reflected_values_cannot_inject_markup(field: str, payload: str, language: str) -> None:
    page = render_block_page(blocked(language=language, **{field: payload}))
    if "<" in payload or '"' in payload:
        assert payload not in page
    tags = elements(page)
    assert {tag for tag, _ in tags}.isdisjoint({"script", "img"})
    assert not [name for _, attrs in tags for name in attrs if name.startswith("on")]
    assert set(links(page)) <= ALLOWED_LINKS


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
