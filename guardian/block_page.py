"""What a child's browser receives instead of a blocked site.

A page load gets a calm, self-contained page in the child's language that says
what happened, why, and what the child can do (ask a parent, go back, call
hotline 111 or report to VN-COP, as the Code of Conduct's Art. 4(6) and
Art. 5 ask). Everything else gets a small answer of the type it expected, so
that a blocked image does not show a broken-picture icon and a blocked API
call gets JSON it can read.

Every page names the rule of the code behind the block, with the rule's
sentence for the child, and one safety tip for the child's age (CHILD-1).
Which rule a page cites (`cited_rule`):

| Block                                  | Rule cited                               |
|----------------------------------------|------------------------------------------|
| category, a known code                 | the first of `rules_for_category(code)`  |
| category, an unknown code              | GEN-1 (the filter follows the law)       |
| the parent's rule (`block_rule`)       | PARENT-5 (parents manage what is opened) |
| time's up (`time_up`)                  | PLATFORM-3 (controls on time of use)     |
| outside the allowed hours              | PARENT-5                                 |
| unsafe search engine                   | CHILD-2 (careful when searching)         |
| the page's words (`content`)           | CHILD-7 (no harmful information)         |
| personal details about to be sent      | CHILD-8 (careful with personal details)  |
| not assigned, policy unavailable       | GEN-1 (blocked in the child's interest)  |
| invalid host, allowed, allow rule      | none: no rule of the code is involved    |

Time's-up and outside-hours pages for games also state Decree 147/2024's
limits for players under 18 (60 minutes per game, 180 a day). PLATFORM-3 is
from the 2021 draft; its child sentence is the one written for this page.

This module is pure: the proxy turns a flow into a `BlockedRequest`, calls
`response_kind()` and `render_blocked_body()`, and sends the result with
`BLOCK_PAGE_HEADERS`. Every value that came from the request or the household
(URL, host, rule, profile name, token) is HTML-escaped here, and no reflected
value is ever placed in a link. The only forms post to the filter's reserved
host (`PORTAL_HOST`); any other action is dropped. `page_shell()` and
`help_box()` are shared with the pages the reserved host serves
(`guardian.portal_pages`).
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from enum import Enum
from html import escape
from types import MappingProxyType

from guardian import i18n
from guardian.categories import is_category
from guardian.conduct import ConductRule, load_catalog
from guardian.decision import Reason, TimeLimit

HOTLINE_HREF = "tel:111"
VNCOP_URL = "https://vn-cop.vn/"
VNCOP_LABEL = "VN-COP (vn-cop.vn)"
MAX_SHOWN_URL = 80
# The filter's own host: the ask and report forms post to it, nowhere else.
PORTAL_HOST = "guardian.home.arpa"
MAX_MESSAGE_CHARS = 500
# Without an age, tips for a child of 6–10 are the ones that suit most readers.
GENERIC_TIP_AGE = 8

# The page needs nothing but its own inline style and forms to the filter's
# reserved host; anything else a reflected value might smuggle in (script,
# image, a form elsewhere, base) is refused by the browser.
BLOCK_PAGE_HEADERS: Mapping[str, str] = MappingProxyType(
    {
        "Content-Security-Policy": (
            "default-src 'none'; style-src 'unsafe-inline'; img-src data:; "
            f"base-uri 'none'; form-action https://{PORTAL_HOST} http://{PORTAL_HOST}"
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
class FormTarget:
    """Where a form on the page posts, and the signed token it carries.

    `action` must be an absolute URL on `PORTAL_HOST`; the token goes only into
    a hidden input.
    """

    action: str
    token: str


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
    # The time limit behind a time_up or outside_hours block.
    limit: TimeLimit | None = None
    # The child's age, for the safety tip; None gets a tip for 6 to 10.
    age: int | None = None
    # Shown quietly when set: the minutes left under today's limits.
    minutes_left: int | None = None
    # The "ask a parent" form (more time for time blocks, this site otherwise).
    ask: FormTarget | None = None
    # The "report this page" form beside hotline 111 and VN-COP.
    report: FormTarget | None = None
    # For personal_info: which kinds of the child's details the request carried
    # (never the details), and "send anyway" where the parent allows it.
    details_found: tuple[str, ...] = ()
    send_anyway: FormTarget | None = None


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


def render_blocked_body(
    kind: ResponseKind, blocked: BlockedRequest, now: datetime | None = None
) -> tuple[str, bytes]:
    """The content type and body that answer a blocked request of `kind`.

    `now` is the local time the page says "today" and "tomorrow" against.
    """
    match kind:
        case ResponseKind.DOCUMENT:
            page = render_block_page(blocked, now)
            return "text/html; charset=utf-8", page.encode()
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


class Markup(str):
    """HTML built by Guardian's page code, inserted into a message as it is."""


def message_html(language: str, key: str, /, **params: str) -> Markup:
    """A message as HTML: the template and every plain value escaped, `Markup` kept."""
    template = escape(i18n.message(language, key), quote=True)
    values = {
        name: value if isinstance(value, Markup) else escape(_printable(value), quote=True)
        for name, value in params.items()
    }
    return Markup(i18n.format_message(template, values))


def escaped(text: str) -> Markup:
    """Reflected text made safe for HTML text and quoted attribute values."""
    return Markup(escape(_printable(text), quote=True))


def minutes_text(language: str, minutes: int) -> str:
    """The minutes as words: 1 minute, 60 minutes, 60 phút."""
    key = "time.minute" if minutes == 1 else "time.minutes"
    return i18n.translate(language, key, n=minutes)


def duration_text(language: str, minutes: int) -> str:
    """Minutes in whole hours where they divide evenly ("1 hour"), else in minutes."""
    if minutes >= 60 and minutes % 60 == 0:
        hours = minutes // 60
        return i18n.translate(language, "time.hour" if hours == 1 else "time.hours", n=hours)
    return minutes_text(language, minutes)


# --- which rule of the code a page cites --------------------------------------------------

# Reasons whose rule does not depend on the category; see the module docstring.
_RULE_FOR_REASON: Mapping[Reason, str | None] = MappingProxyType({
    Reason.BLOCK_RULE: "PARENT-5",
    Reason.TIME_UP: "PLATFORM-3",
    Reason.OUTSIDE_HOURS: "PARENT-5",
    Reason.UNSAFE_SEARCH: "CHILD-2",
    Reason.CONTENT: "CHILD-7",
    Reason.PERSONAL_INFO: "CHILD-8",
    Reason.SIGNUP: "USER-1",
    Reason.NOT_ASSIGNED: "GEN-1",
    Reason.POLICY_UNAVAILABLE: "GEN-1",
    Reason.INVALID_HOST: None,
    Reason.ALLOWED: None,
    Reason.ALLOW_RULE: None,
})
_UNKNOWN_CATEGORY_RULE = "GEN-1"


def cited_rule(blocked: BlockedRequest) -> ConductRule | None:
    """The rule of the code the page for `blocked` names, or None when none applies."""
    catalog = load_catalog()
    if blocked.reason is Reason.CATEGORY:
        if blocked.category and is_category(blocked.category):
            return catalog.rules_for_category(blocked.category)[0]
        return catalog.rule(_UNKNOWN_CATEGORY_RULE)
    rule_id = _RULE_FOR_REASON.get(blocked.reason)
    return catalog.rule(rule_id) if rule_id else None


def _citation(lang: str, rule: ConductRule | None) -> str:
    if rule is None or rule.child is None:
        return ""
    cite = message_html(lang, "code.cite", rule=Markup(f'<strong>{escaped(rule.id)}</strong>'))
    return (f'<div class="note code"><p class="cite">{cite}</p>'
            f"<p>{escaped(rule.child.get(lang))}</p></div>")


def _tip(lang: str, blocked: BlockedRequest) -> str:
    age = blocked.age if blocked.age is not None and blocked.age >= 0 else GENERIC_TIP_AGE
    tip = load_catalog().tip_for(age, lang, seed=len(blocked.host))
    return (f'<div class="note tip"><p class="cite">{message_html(lang, "code.tip")}</p>'
            f"<p>{escaped(tip)}</p></div>")


# --- time limits ------------------------------------------------------------------------

_WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


def when_text(language: str, at: datetime, now: datetime) -> str:
    """When `at` is, said from `now`: "at 16:30 today", "at 07:00 tomorrow", "at 07:00 on Monday".

    Both are local times; `now` is moved into `at`'s zone first so the days
    compared are the same calendar's.
    """
    if at.tzinfo is not None and now.tzinfo is not None:
        now = now.astimezone(at.tzinfo)
    elif at.tzinfo is not None or now.tzinfo is not None:
        at, now = at.replace(tzinfo=None), now.replace(tzinfo=None)
    clock = f"{at:%H:%M}"
    days = (at.date() - now.date()).days
    if days <= 0:
        return i18n.translate(language, "time.at_today", time=clock)
    if days == 1:
        return i18n.translate(language, "time.at_tomorrow", time=clock)
    if days < 7:
        weekday = i18n.translate(language, f"time.on_{_WEEKDAYS[at.weekday()]}")
        return i18n.translate(language, "time.at_weekday", time=clock, weekday=weekday)
    return i18n.translate(language, "time.at_date", time=clock, date=f"{at:%d/%m/%Y}")


def limit_words(language: str, limit: TimeLimit, host: str = "") -> Markup | None:
    """The limit in plain words ("your 60 minutes a day for online games"), as HTML."""
    allowed = limit.allowed_minutes
    minutes = minutes_text(language, allowed) if allowed is not None else ""
    suffix = "" if allowed is not None else "_unknown"
    match limit.scope:
        case "hours":
            return message_html(language, "limit.hours")
        case "total":
            return message_html(language, f"limit.total{suffix}", minutes=minutes)
        case "category":
            name = (_lower_first(i18n.translate(language, f"category.{limit.key}"))
                    if is_category(limit.key) else limit.key)
            return message_html(language, f"limit.category{suffix}", minutes=minutes,
                                category=name)
        case "site":
            site = Markup(f'<strong class="host">{escaped(limit.key or host)}</strong>')
            return message_html(language, f"limit.site{suffix}", minutes=minutes, site=site)
        case "each_site":
            return message_html(language, f"limit.each_site{suffix}", minutes=minutes)
    return None


def _lower_first(name: str) -> str:
    """A category's name inside a sentence: "Online games" → "online games"; "VPN" stays."""
    if len(name) > 1 and name[1].isupper():
        return name
    return name[:1].lower() + name[1:]


def _is_games(blocked: BlockedRequest) -> bool:
    limit = blocked.limit
    return blocked.category == "games" or (
        limit is not None and limit.scope == "category" and limit.key == "games")


def _time_facts(lang: str, blocked: BlockedRequest, now: datetime | None) -> list[str]:
    """The sentences of a time's-up or outside-hours page about its limit."""
    limit = blocked.limit
    if limit is None or blocked.reason not in (Reason.TIME_UP, Reason.OUTSIDE_HOURS):
        return []
    facts: list[str] = []
    words = limit_words(lang, limit, blocked.host)
    outside = blocked.reason is Reason.OUTSIDE_HOURS
    if words is not None:
        facts.append(message_html(lang, "limit.outside" if outside else "limit.used_up",
                                  limit=words))
    used, allowed = limit.used_minutes, limit.allowed_minutes
    if limit.scope != "hours" and used is not None:
        if allowed is not None:
            facts.append(message_html(lang, "limit.used_of", used=str(used),
                                      allowed=minutes_text(lang, allowed)))
        else:
            facts.append(message_html(lang, "limit.used", minutes=minutes_text(lang, used)))
    if limit.returns_at is not None:
        if now is None:
            now = datetime.now(limit.returns_at.tzinfo)
        when = Markup(f"<strong>{escaped(when_text(lang, limit.returns_at, now))}</strong>")
        facts.append(message_html(lang, "limit.returns_hours" if outside else "limit.returns",
                                  when=when))
    return facts


def _games_law(lang: str, blocked: BlockedRequest) -> str:
    """Decree 147/2024's game limits, said kindly, for a player under 18."""
    law = load_catalog().law
    if not _is_games(blocked) or (blocked.age is not None and blocked.age >= law.games_under_age):
        return ""
    return message_html(lang, "limit.games_law", age=str(law.games_under_age),
                        per_game=str(law.per_game_minutes), total=str(law.games_total_minutes))


# --- forms ------------------------------------------------------------------------------

_PORTAL_ACTION = re.compile(
    rf"https?://{re.escape(PORTAL_HOST)}(?:/[A-Za-z0-9._~-]+)*/?", re.ASCII
)


def form_action(target: FormTarget | None) -> str | None:
    """The target's action if it is a plain URL on the reserved host; None drops the form."""
    if target is None or not _PORTAL_ACTION.fullmatch(target.action):
        return None
    return target.action


def _form(target: FormTarget | None, *, field: str, label: str, button: str,
          kind: str | None = None) -> str:
    action = form_action(target)
    if target is None or action is None:
        return ""
    hidden = f'<input type="hidden" name="token" value="{escaped(target.token)}">'
    if kind is not None:
        hidden += f'<input type="hidden" name="kind" value="{kind}">'
    return (
        f'<form method="post" action="{escaped(action)}" class="{field}-form">{hidden}'
        f'<label for="guardian-{field}">{label}</label>'
        f'<textarea id="guardian-{field}" name="{field}" maxlength="{MAX_MESSAGE_CHARS}" '
        f'rows="2"></textarea>'
        f'<button type="submit">{button}</button></form>'
    )


def _ask_form(lang: str, blocked: BlockedRequest) -> str:
    kind = "time" if blocked.reason in (Reason.TIME_UP, Reason.OUTSIDE_HOURS) else "site"
    return _form(blocked.ask, field="message", kind=kind,
                 label=message_html(lang, "ask.message_label"),
                 button=message_html(lang, f"ask.{kind}_button"))


def _send_anyway_form(lang: str, target: FormTarget | None) -> str:
    """One button: the child decides to send their details to this site after all."""
    action = form_action(target)
    if target is None or action is None:
        return ""
    return (
        f'<form method="post" action="{escaped(action)}" class="send-anyway-form">'
        f'<input type="hidden" name="token" value="{escaped(target.token)}">'
        f'<p>{message_html(lang, "details.send_anyway_note")}</p>'
        f'<button type="submit">{message_html(lang, "details.send_anyway_button")}</button>'
        f"</form>"
    )


def _report_form(lang: str, report: FormTarget | None) -> str:
    return _form(report, field="note", label=message_html(lang, "report.note_label"),
                 button=message_html(lang, "report.button"))


def help_box(
    language: str,
    report: FormTarget | None = None,
    *,
    heading_key: str = "page.help_title",
    lead_key: str = "page.hotline",
) -> str:
    """The green box with hotline 111, VN-COP and, when given, the "report this" form."""
    hotline = Markup(f'<a href="{HOTLINE_HREF}">111</a>')
    vncop = Markup(
        f'<a href="{VNCOP_URL}" rel="noopener noreferrer" class="nowrap">{VNCOP_LABEL}</a>'
    )
    return f"""<aside class="help">
<h2>{message_html(language, heading_key)}</h2>
<p>{message_html(language, lead_key, hotline=hotline)}</p>
<p><a class="call" href="{HOTLINE_HREF}">{message_html(language, "page.call_button")}</a></p>
{_report_form(language, report)}
<p>{message_html(language, "page.report", link=vncop)}</p>
</aside>"""


# --- the page ---------------------------------------------------------------------------


def render_block_page(blocked: BlockedRequest, now: datetime | None = None) -> str:
    """The complete HTML page shown instead of a blocked site.

    `now` is the local time a time limit's return is said against ("tomorrow");
    without it the clock of the returns_at zone is read.
    """
    lang = i18n.normalize_language(blocked.language)
    reason = blocked.reason.value
    host = blocked.host or shorten_url(blocked.url)
    if host:
        lead = message_html(lang, "page.tried_to_open", host=_strong(host))
    else:
        lead = message_html(lang, "page.tried_to_open_unknown")
    facts = "".join(f"<p>{fact}</p>" for fact in _time_facts(lang, blocked, now))
    if blocked.details_found:
        kinds = ", ".join(i18n.translate(lang, f"details.{kind}") for kind in blocked.details_found)
        facts += f"<p>{message_html(lang, 'details.found', kinds=kinds)}</p>"

    details: list[tuple[str, str]] = []
    if _adds_to_host(blocked.url, host):
        url = f'<span class="url">{escaped(shorten_url(blocked.url))}</span>'
        details.append(("page.label_address", url))
    category_known = blocked.category is not None and is_category(blocked.category)
    if blocked.category:
        shown = message_html(lang, f"category.{blocked.category}") if category_known else None
        details.append(("page.label_category", shown or escaped(blocked.category)))
    if blocked.profile_name:
        details.append(("page.label_profile", escaped(blocked.profile_name)))
    detail_rows = "".join(
        f"<dt>{message_html(lang, label)}</dt><dd>{value}</dd>" for label, value in details
    )

    why: list[str] = [message_html(lang, f"reason.{reason}.detail")]
    # On a time page the category is limited, not blocked: its "why" would not fit.
    if category_known and not facts:
        why.append(message_html(lang, f"category.{blocked.category}.why"))
    if blocked.rule:
        rule = Markup(f'<span class="rule">{escaped(blocked.rule)}</span>')
        why.append(message_html(lang, "page.parent_rule", rule=rule))
    games_law = _games_law(lang, blocked) if facts else ""
    if games_law:
        why.append(games_law)
    why_paragraphs = "".join(f"<p>{sentence}</p>" for sentence in why)

    ask_form = _ask_form(lang, blocked) + _send_anyway_form(lang, blocked.send_anyway)
    # The forms make the right column long; the tip then balances the left one.
    forms = bool(ask_form) or form_action(blocked.report) is not None
    tip = _tip(lang, blocked)
    timed = blocked.reason in (Reason.TIME_UP, Reason.OUTSIDE_HOURS)
    body = f"""<div class="hero">
<div class="badge">{CLOCK if timed else SHIELD_PAUSE}</div>
<div>
<h1>{message_html(lang, f"reason.{reason}")}</h1>
<p class="kind">{message_html(lang, "page.kind_words")}</p>
</div>
</div>
<div class="columns">
<section>
<h2>{message_html(lang, "page.what_happened")}</h2>
<p class="lead">{lead}</p>
{facts}<dl>{detail_rows}</dl>
<h2>{message_html(lang, "page.why")}</h2>
{why_paragraphs}{_citation(lang, cited_rule(blocked))}
{tip if forms else ""}
</section>
<section>
<h2>{message_html(lang, "page.what_you_can_do")}</h2>
<ul>
<li>{message_html(lang, f"reason.{reason}.action")}</li>
<li>{message_html(lang, "page.go_back")}</li>
</ul>
{ask_form}{help_box(lang, blocked.report)}
{"" if forms else tip}
</section>
</div>"""
    return page_shell(lang, i18n.translate(lang, "page.title"), body,
                      body_class=f"reason-{reason}",
                      header_note=_minutes_left(lang, blocked.minutes_left))


def _minutes_left(lang: str, minutes: int | None) -> str:
    if minutes is None or minutes < 0:
        return ""
    return message_html(lang, "time.left_today", minutes=minutes_text(lang, minutes))


def _adds_to_host(url: str, host: str) -> bool:
    """Whether the URL says more than the host already shown (`http://host/` does not)."""
    bare = url.split("://", 1)[-1].rstrip("/")
    return bool(url) and host not in (url, bare)


def _strong(text: str) -> Markup:
    return Markup(f'<strong class="host">{escaped(text)}</strong>')


def page_shell(language: str, title: str, body_html: str, *, body_class: str = "",
               header_note: str = "", refresh_seconds: int | None = None) -> str:
    """A whole Guardian page: head, style, the brand line, then `body_html` in the card.

    `title` is plain text (escaped here); `body_html` and `header_note` are
    HTML the caller built safely. `body_class` picks the accent ("reason-…")
    and the width ("narrow"); `refresh_seconds` reloads the page by itself.
    """
    lang = i18n.normalize_language(language)
    refresh = ""
    if refresh_seconds is not None:
        refresh = f'<meta http-equiv="refresh" content="{max(1, int(refresh_seconds))}">\n'
    note = f'<span class="header-note">{header_note}</span>' if header_note else ""
    css_class = f' class="{escaped(body_class)}"' if body_class else ""
    tagline = message_html(lang, "page.tagline")
    return f"""<!DOCTYPE html>
<html lang="{lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<meta name="robots" content="noindex">
{refresh}<title>{escaped(title)} · Guardian</title>
<style>{_STYLE}</style>
</head>
<body{css_class}>
<main>
<header class="brand">{_SHIELD_SMALL}
<span class="brand-name"><strong>Guardian</strong> · {tagline}</span>{note}
</header>
{body_html}
</main>
</body>
</html>
"""


_SHIELD_PATH = "M12 2 4 5.2v6.3c0 5 3.4 9.2 8 10.5 4.6-1.3 8-5.5 8-10.5V5.2z"
_SHIELD_SMALL = (
    f'<svg viewBox="0 0 24 24" width="22" height="22" aria-hidden="true">'
    f'<path d="{_SHIELD_PATH}" fill="currentColor"/></svg>'
)
# A shield with a pause sign: "stop for a moment", not "danger".
SHIELD_PAUSE = (
    f'<svg viewBox="0 0 24 24" width="44" height="44" aria-hidden="true">'
    f'<path d="{_SHIELD_PATH}" fill="currentColor"/>'
    f'<rect x="9" y="8" width="2" height="8" rx="1" fill="#fff"/>'
    f'<rect x="13" y="8" width="2" height="8" rx="1" fill="#fff"/></svg>'
)
CLOCK = (
    '<svg viewBox="0 0 24 24" width="44" height="44" aria-hidden="true">'
    '<circle cx="12" cy="12" r="10" fill="currentColor"/>'
    '<path d="M12 6.5V12l3.6 2.4" fill="none" stroke="#fff" stroke-width="2" '
    'stroke-linecap="round" stroke-linejoin="round"/></svg>'
)
# A shield with a tick, for "done" and "yes" on the reserved host's pages.
SHIELD_CHECK = (
    f'<svg viewBox="0 0 24 24" width="44" height="44" aria-hidden="true">'
    f'<path d="{_SHIELD_PATH}" fill="currentColor"/>'
    f'<path d="m8.3 12.2 2.6 2.6 4.9-5.3" fill="none" stroke="#fff" stroke-width="2" '
    f'stroke-linecap="round" stroke-linejoin="round"/></svg>'
)

_STYLE = """
:root{color-scheme:light;--ink:#1f2d3d;--muted:#556270;--accent:#2b6cb0;--accent-soft:#e3eefa;
--bg:#f2f5f9;--help:#eaf6ee;--help-ink:#1d5a38;--call:#2f855a;--tip:#fdf6e3;--tip-ink:#6b4f00}
.reason-policy_unavailable{--accent:#8a5a00;--accent-soft:#fbf0d9}
.reason-not_assigned,.reason-invalid_host{--accent:#5b4bb7;--accent-soft:#ece9fa}
.reason-time_up,.reason-outside_hours,.pending{--accent:#2c7a7b;--accent-soft:#e0f2f1}
.approved{--accent:#2f855a;--accent-soft:#e6f4ea}
*{box-sizing:border-box}
html{-webkit-text-size-adjust:100%;text-size-adjust:100%}
body{margin:0;min-height:100vh;display:flex;align-items:center;justify-content:center;
padding:24px 16px;background:var(--bg);color:var(--ink);
font:17px/1.5 system-ui,"Segoe UI",Roboto,"Noto Sans","DejaVu Sans","Liberation Sans",
Arial,sans-serif}
main{width:100%;max-width:1080px;background:#fff;border-radius:20px;padding:24px 36px 28px;
box-shadow:0 4px 24px rgba(31,45,61,.08)}
.narrow main{max-width:680px}
.brand{display:flex;flex-wrap:wrap;align-items:center;gap:4px 8px;color:var(--muted);
font-size:15px}
.brand-name{flex:1 1 200px;min-width:0}
.brand svg{color:var(--accent)}
.header-note{padding:2px 12px;border-radius:999px;background:var(--accent-soft);
color:var(--accent);font-size:14px;white-space:nowrap}
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
dl{display:grid;grid-template-columns:max-content 1fr;gap:4px 14px;margin:0 0 10px}
section>h2~h2{margin-top:18px}
dl:empty{display:none}
dt{color:var(--muted)}
dd{margin:0;min-width:0}
ul{margin:0 0 18px;padding-left:22px}
li{margin-bottom:6px}
p,li{text-wrap:pretty}
.note{margin:14px 0 0;padding:10px 16px 2px;border-radius:12px;background:var(--accent-soft)}
.note .cite{margin:0 0 2px;font-size:14px;color:var(--muted)}
.note strong{color:var(--accent)}
.tip{background:var(--tip);color:var(--tip-ink)}
.tip .cite{color:var(--tip-ink);font-weight:600}
.help{background:var(--help);color:var(--help-ink);border-radius:14px;padding:16px 20px 8px}
.help h2{color:var(--help-ink)}
.columns+.help{margin-top:18px}
.help+.quiet{margin-top:14px}
a{color:inherit;font-weight:600}
.nowrap{white-space:nowrap}
.call,.button{display:inline-block;padding:8px 22px;border-radius:999px;background:var(--call);
color:#fff;text-decoration:none}
.button{background:var(--accent)}
form{margin:0 0 16px}
label{display:block;margin-bottom:4px;font-size:15px;color:var(--muted)}
.help label{color:var(--help-ink)}
textarea{display:block;width:100%;min-height:52px;padding:8px 10px;border:1px solid #c3ccd6;
border-radius:10px;background:#fff;color:var(--ink);font:inherit;font-size:16px;resize:vertical}
button{margin-top:8px;padding:8px 22px;border:0;border-radius:999px;background:var(--accent);
color:#fff;font:inherit;font-weight:600;cursor:pointer}
.help button{background:#fff;color:var(--help-ink);border:2px solid var(--help-ink);
padding:6px 20px}
.quiet{color:var(--muted)}
.message{white-space:pre-wrap;overflow-wrap:anywhere}
table{width:100%;border-collapse:collapse;margin:0 0 12px}
td{padding:4px 0;border-bottom:1px solid #e6ebf1}
td+td{text-align:right;white-space:nowrap;padding-left:12px;color:var(--muted)}
.chips{display:flex;flex-wrap:wrap;gap:6px;margin:0 0 12px;padding:0;list-style:none}
.chips li{margin:0;padding:2px 12px;border-radius:999px;background:var(--accent-soft);
font-size:15px}
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
