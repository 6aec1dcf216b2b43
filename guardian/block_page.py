"""What a child's browser receives instead of a blocked site.

A page load gets a calm, self-contained page in the child's language that says
what happened, why, and what the child can do (ask a parent, go back, call
hotline 111 or report to VN-COP, as the Code of Conduct's Art. 4(6) and
Art. 5 ask). Everything else gets a small answer of the type it expected, so
that a blocked image does not show a broken-picture icon and a blocked API
call gets JSON it can read.

This module is pure: the proxy turns a flow into a `BlockedRequest`, calls
`response_kind()` and `render_blocked_body()`, and sends the result with
`BLOCK_PAGE_HEADERS`. Every value that came from the request or the household
(URL, host, rule, profile name) is HTML-escaped here, and no reflected value is
ever placed in a link.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from enum import Enum
from html import escape
from types import MappingProxyType

from guardian import i18n
from guardian.categories import is_category
from guardian.decision import Reason

HOTLINE_HREF = "tel:111"
VNCOP_URL = "https://vn-cop.vn/"
VNCOP_LABEL = "VN-COP (vn-cop.vn)"
MAX_SHOWN_URL = 80

# The page needs nothing but its own inline style; anything else a reflected
# value might smuggle in (script, image, form, base) is refused by the browser.
BLOCK_PAGE_HEADERS: Mapping[str, str] = MappingProxyType(
    {
        "Content-Security-Policy": (
            "default-src 'none'; style-src 'unsafe-inline'; img-src data:; "
            "base-uri 'none'; form-action 'none'"
        ),
        # A site the parent allows later must not stay blocked from the cache.
        "Cache-Control": "no-store",
        "X-Content-Type-Options": "nosniff",
        # Following the VN-COP link must not tell it which page was blocked.
        "Referrer-Policy": "no-referrer",
    }
)

# A transparent 1×1 GIF: a blocked image leaves a gap, not a broken-image icon.
TRANSPARENT_GIF = (
    b"GIF89a\x01\x00\x01\x00\x80\x00\x00\x00\x00\x00\xff\xff\xff"
    b"!\xf9\x04\x01\x00\x00\x00\x00"
    b",\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02\x02D\x01\x00;"
)


@dataclass(frozen=True, slots=True)
class BlockedRequest:
    """What the child is told about one blocked request."""

    url: str
    host: str
    language: str
    reason: Reason
    category: str | None = None
    # The parent's rule that decided, as the parent typed it.
    rule: str | None = None
    profile_name: str | None = None


class ResponseKind(Enum):
    DOCUMENT = "document"
    IMAGE = "image"
    SCRIPT = "script"
    STYLE = "style"
    JSON = "json"
    OTHER = "other"


_DEST_KINDS: Mapping[str, ResponseKind] = {
    "document": ResponseKind.DOCUMENT,
    "iframe": ResponseKind.DOCUMENT,
    "frame": ResponseKind.DOCUMENT,
    "image": ResponseKind.IMAGE,
    "script": ResponseKind.SCRIPT,
    "worker": ResponseKind.SCRIPT,
    "sharedworker": ResponseKind.SCRIPT,
    "serviceworker": ResponseKind.SCRIPT,
    "style": ResponseKind.STYLE,
}

_ACCEPT_KINDS: Mapping[str, ResponseKind] = {
    "text/html": ResponseKind.DOCUMENT,
    "application/xhtml+xml": ResponseKind.DOCUMENT,
    "application/json": ResponseKind.JSON,
    "text/css": ResponseKind.STYLE,
    "application/javascript": ResponseKind.SCRIPT,
    "text/javascript": ResponseKind.SCRIPT,
}


def response_kind(method: str, headers: Mapping[str, str]) -> ResponseKind:
    """Which kind of answer the client expects for a blocked request.

    `Sec-Fetch-Dest` says what the browser will do with the answer, so it
    decides when it names something we can answer in kind. Otherwise the
    client's own preference in `Accept` decides. A GET with neither hint
    (curl, an old browser, a typed URL; `Accept: */*` is no hint) gets the
    page: a person is likely reading it. Header names are matched case-insensitively.
    """
    fields = _lower_case_keys(headers)
    dest = fields.get("sec-fetch-dest", "").strip().lower()
    if dest in _DEST_KINDS:
        return _DEST_KINDS[dest]
    accepted = _accepted_types(fields.get("accept", ""))
    for media_type in accepted:
        if media_type in _ACCEPT_KINDS:
            return _ACCEPT_KINDS[media_type]
        if media_type.endswith("+json"):
            return ResponseKind.JSON
        if media_type.startswith("image/"):
            return ResponseKind.IMAGE
    no_preference = all(media_type == "*/*" for media_type in accepted)
    if not dest and no_preference and method.strip().upper() in ("GET", "HEAD"):
        return ResponseKind.DOCUMENT
    return ResponseKind.OTHER


def _lower_case_keys(headers: Mapping[str, str]) -> dict[str, str]:
    fields: dict[str, str] = {}
    for name, value in headers.items():
        fields.setdefault(name.lower(), value)
    return fields


def _accepted_types(accept: str) -> list[str]:
    """Media types of an Accept header, most preferred first, refused ones left out."""
    ranked: list[tuple[float, str]] = []
    for part in accept.split(","):
        media_type, *params = (piece.strip() for piece in part.split(";"))
        quality = 1.0
        for param in params:
            name, _, value = param.partition("=")
            if name.strip().lower() == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        if media_type and quality > 0:
            ranked.append((quality, media_type.lower()))
    ranked.sort(key=lambda item: -item[0])  # stable: equal preference keeps header order
    return [media_type for _, media_type in ranked]


def render_blocked_body(kind: ResponseKind, blocked: BlockedRequest) -> tuple[str, bytes]:
    """The content type and body that answer a blocked request of `kind`."""
    match kind:
        case ResponseKind.DOCUMENT:
            return "text/html; charset=utf-8", render_block_page(blocked).encode()
        case ResponseKind.IMAGE:
            return "image/gif", TRANSPARENT_GIF
        case ResponseKind.SCRIPT:
            return "application/javascript; charset=utf-8", f"/* {_summary(blocked)} */\n".encode()
        case ResponseKind.STYLE:
            return "text/css; charset=utf-8", f"/* {_summary(blocked)} */\n".encode()
        case ResponseKind.JSON:
            document = {
                "blocked": True,
                "reason": blocked.reason.value,
                "category": blocked.category,
                "host": blocked.host,
                "message": _plain_message(blocked),
            }
            return "application/json; charset=utf-8", json.dumps(document).encode()
        case _:
            return "text/plain; charset=utf-8", f"{_plain_message(blocked)}\n".encode()


def _summary(blocked: BlockedRequest) -> str:
    """One line safe inside a JS or CSS comment: only codes and host characters."""
    parts = [f"reason={blocked.reason.value}"]
    if blocked.category:
        parts.append(f"category={blocked.category}")
    if blocked.host:
        parts.append(f"host={blocked.host}")
    return "Blocked by Guardian: " + " ".join(_COMMENT_UNSAFE.sub("", part) for part in parts)


_COMMENT_UNSAFE = re.compile(r"[^A-Za-z0-9._:=\[\]-]")


def _plain_message(blocked: BlockedRequest) -> str:
    host = _printable(blocked.host or shorten_url(blocked.url))
    return i18n.translate(blocked.language, "body.text", host=host)


# Control characters and bidirectional overrides could make a reflected URL
# display as something else; they are never shown.
_INVISIBLE = re.compile("[\x00-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def _printable(text: str) -> str:
    return _INVISIBLE.sub("", text)


def shorten_url(url: str, limit: int = MAX_SHOWN_URL) -> str:
    """`url` cut in the middle to at most `limit` characters: its start and end say most."""
    if len(url) <= limit:
        return url
    head = limit * 2 // 3
    tail = limit - head - 1
    return f"{url[:head]}…{url[-tail:]}"


class _Markup(str):
    """HTML built in this module, inserted into a message as it is."""


def _html(language: str, key: str, /, **params: str) -> str:
    """A message as HTML: the template and every plain value escaped, `_Markup` kept."""
    template = escape(i18n.message(language, key), quote=True)
    values = {
        name: value if isinstance(value, _Markup) else escape(_printable(value), quote=True)
        for name, value in params.items()
    }
    return i18n.format_message(template, values)


def render_block_page(blocked: BlockedRequest) -> str:
    """The complete HTML page shown instead of a blocked site."""
    lang = i18n.normalize_language(blocked.language)
    reason = blocked.reason.value
    host = blocked.host or shorten_url(blocked.url)
    if host:
        lead = _html(lang, "page.tried_to_open", host=_strong(host))
    else:
        lead = _html(lang, "page.tried_to_open_unknown")

    details: list[tuple[str, str]] = []
    if _adds_to_host(blocked.url, host):
        url = f'<span class="url">{_escaped(shorten_url(blocked.url))}</span>'
        details.append(("page.label_address", url))
    category_known = blocked.category is not None and is_category(blocked.category)
    if blocked.category:
        shown = _html(lang, f"category.{blocked.category}") if category_known else None
        details.append(("page.label_category", shown or _escaped(blocked.category)))
    if blocked.profile_name:
        details.append(("page.label_profile", _escaped(blocked.profile_name)))
    detail_rows = "".join(
        f"<dt>{_html(lang, label)}</dt><dd>{value}</dd>" for label, value in details
    )

    why = [_html(lang, f"reason.{reason}.detail")]
    if category_known:
        why.append(_html(lang, f"category.{blocked.category}.why"))
    if blocked.rule:
        rule = _Markup(f'<span class="rule">{_escaped(blocked.rule)}</span>')
        why.append(_html(lang, "page.parent_rule", rule=rule))
    why_paragraphs = "".join(f"<p>{sentence}</p>" for sentence in why)

    hotline = _Markup(f'<a href="{HOTLINE_HREF}">111</a>')
    vncop = _Markup(
        f'<a href="{VNCOP_URL}" rel="noopener noreferrer" class="nowrap">{VNCOP_LABEL}</a>'
    )
    return f"""<!DOCTYPE html>
<html lang="{lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<meta name="robots" content="noindex">
<title>{_html(lang, "page.title")} · Guardian</title>
<style>{_STYLE}</style>
</head>
<body class="reason-{reason}">
<main>
<header class="brand">{_SHIELD_SMALL}
<span><strong>Guardian</strong> · {_html(lang, "page.tagline")}</span></header>
<div class="hero">
<div class="badge">{_SHIELD_LARGE}</div>
<div>
<h1>{_html(lang, f"reason.{reason}")}</h1>
<p class="kind">{_html(lang, "page.kind_words")}</p>
</div>
</div>
<div class="columns">
<section>
<h2>{_html(lang, "page.what_happened")}</h2>
<p class="lead">{lead}</p>
<dl>{detail_rows}</dl>
<h2>{_html(lang, "page.why")}</h2>
{why_paragraphs}
</section>
<section>
<h2>{_html(lang, "page.what_you_can_do")}</h2>
<ul>
<li>{_html(lang, f"reason.{reason}.action")}</li>
<li>{_html(lang, "page.go_back")}</li>
</ul>
<aside class="help">
<h2>{_html(lang, "page.help_title")}</h2>
<p>{_html(lang, "page.hotline", hotline=hotline)}</p>
<p><a class="call" href="{HOTLINE_HREF}">{_html(lang, "page.call_button")}</a></p>
<p>{_html(lang, "page.report", link=vncop)}</p>
</aside>
</section>
</div>
</main>
</body>
</html>
"""


def _adds_to_host(url: str, host: str) -> bool:
    """Whether the URL says more than the host already shown (`http://host/` does not)."""
    bare = url.split("://", 1)[-1].rstrip("/")
    return bool(url) and host not in (url, bare)


def _escaped(text: str) -> str:
    return escape(_printable(text), quote=True)


def _strong(text: str) -> _Markup:
    return _Markup(f'<strong class="host">{_escaped(text)}</strong>')


_SHIELD_PATH = "M12 2 4 5.2v6.3c0 5 3.4 9.2 8 10.5 4.6-1.3 8-5.5 8-10.5V5.2z"
_SHIELD_SMALL = (
    f'<svg viewBox="0 0 24 24" width="22" height="22" aria-hidden="true">'
    f'<path d="{_SHIELD_PATH}" fill="currentColor"/></svg>'
)
# A shield with a pause sign: "stop for a moment", not "danger".
_SHIELD_LARGE = (
    f'<svg viewBox="0 0 24 24" width="44" height="44" aria-hidden="true">'
    f'<path d="{_SHIELD_PATH}" fill="currentColor"/>'
    f'<rect x="9" y="8" width="2" height="8" rx="1" fill="#fff"/>'
    f'<rect x="13" y="8" width="2" height="8" rx="1" fill="#fff"/></svg>'
)

_STYLE = """
:root{color-scheme:light;--ink:#1f2d3d;--muted:#556270;--accent:#2b6cb0;--accent-soft:#e3eefa;
--bg:#f2f5f9;--help:#eaf6ee;--help-ink:#1d5a38;--call:#2f855a}
.reason-policy_unavailable{--accent:#8a5a00;--accent-soft:#fbf0d9}
.reason-not_assigned,.reason-invalid_host{--accent:#5b4bb7;--accent-soft:#ece9fa}
*{box-sizing:border-box}
html{-webkit-text-size-adjust:100%;text-size-adjust:100%}
body{margin:0;min-height:100vh;display:flex;align-items:center;justify-content:center;
padding:24px 16px;background:var(--bg);color:var(--ink);
font:17px/1.5 system-ui,"Segoe UI",Roboto,"Noto Sans","DejaVu Sans","Liberation Sans",
Arial,sans-serif}
main{width:100%;max-width:1080px;background:#fff;border-radius:20px;padding:24px 36px 28px;
box-shadow:0 4px 24px rgba(31,45,61,.08)}
.brand{display:flex;align-items:center;gap:8px;color:var(--muted);font-size:15px}
.brand svg{color:var(--accent)}
.hero{display:flex;gap:20px;align-items:center;margin:18px 0 22px}
.badge{flex:none;width:76px;height:76px;border-radius:50%;display:flex;align-items:center;
justify-content:center;background:var(--accent-soft);color:var(--accent)}
h1{margin:0 0 4px;font-size:28px;line-height:1.25}
.lead{margin:0 0 8px;font-size:18px}
.kind{margin:2px 0 0;color:var(--muted)}
.host,.url,.rule{overflow-wrap:anywhere}
.url,.rule{font-family:ui-monospace,"DejaVu Sans Mono","Liberation Mono",monospace;font-size:15px}
.columns{display:grid;grid-template-columns:1fr 1fr;gap:32px}
h2{margin:0 0 6px;font-size:18px;color:var(--accent)}
p{margin:0 0 10px}
dl{display:grid;grid-template-columns:max-content 1fr;gap:4px 14px;margin:0}
section>h2~h2{margin-top:18px}
dl:empty{display:none}
dt{color:var(--muted)}
dd{margin:0;min-width:0}
ul{margin:0 0 18px;padding-left:22px}
li{margin-bottom:6px}
p,li{text-wrap:pretty}
.help{background:var(--help);color:var(--help-ink);border-radius:14px;padding:16px 20px 8px}
.help h2{color:var(--help-ink)}
a{color:inherit;font-weight:600}
.nowrap{white-space:nowrap}
.call{display:inline-block;padding:8px 22px;border-radius:999px;background:var(--call);
color:#fff;text-decoration:none}
@media (max-width:760px){
body{display:block;padding:12px}
main{padding:18px 18px 20px;border-radius:16px}
.hero{align-items:flex-start;gap:14px;margin:14px 0 18px}
.badge{width:56px;height:56px}
.badge svg{width:34px;height:34px}
h1{font-size:23px}
.columns{grid-template-columns:1fr;gap:4px}
}
"""
