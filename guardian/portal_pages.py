"""The pages the filter serves on its reserved host, and the note it adds to pages.

After a block page the child may ask a parent (`render_request_status`, which
reloads itself while the parent decides) or report what they saw
(`render_report_thanks`); `render_child_page` shows the child what Guardian
does and records about them (PARENT-1: no secret supervision);
`render_notice_page` carries short messages such as an expired link. They use
the block page's shell and style (`guardian.block_page.page_shell`), so every
page the child meets from Guardian looks the same.

`render_notice_snippet` is different: it is inserted into other sites' pages
when time is nearly up, or every 30 minutes of play with the health warning
Decree 147/2024 asks games to show. It is one `<div>` styled only by inline
`!important` declarations after `all:initial`, so the host page's CSS cannot
restyle it, and it ignores the pointer so that it never covers a button.

Like the block page, this module is pure and escapes everything it is given.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from html import escape

from guardian import i18n
from guardian.block_page import (
    CLOCK,
    SHIELD_CHECK,
    SHIELD_PAUSE,
    Markup,
    duration_text,
    escaped,
    help_box,
    message_html,
    minutes_text,
    page_shell,
)
from guardian.categories import is_category
from guardian.conduct import load_catalog

NOTICE_ID = "guardian-notice"
# The rule the child's page serves: the child sees what is filtered and recorded.
TRANSPARENCY_RULE = "PARENT-1"
# A target that may become a link back: a lowercase host name, nothing else.
PLAIN_HOST = re.compile(r"(?=.{1,253}\Z)[a-z0-9-]+(?:\.[a-z0-9-]+)+", re.ASCII)
# What a time request's target is when the proxy passes the limit's scope code.
_SCOPES = frozenset({"hours", "total", "category", "site", "each_site"})
_GRANT_MINUTES = re.compile(r"([0-9]{1,4})m", re.ASCII)

# The messages `render_notice_page` is called with.
EXPIRED = ("portal.expired.title", "portal.expired.text")
USED = ("portal.used.title", "portal.used.text")
NOT_FOUND = ("portal.not_found.title", "portal.not_found.text")
ERROR = ("portal.error.title", "portal.error.text")
TOO_MANY = ("portal.too_many.title", "portal.too_many.text")


@dataclass(frozen=True, slots=True)
class RequestStatus:
    """A child's "ask a parent" request as the child sees it after sending it.

    `kind` is "site" or "time"; `target` the host asked for, or the limit in
    words for more time; `status` "pending", "approved" or "denied"; `answer`
    what was granted ("15m", "60m", "today", "always"); `message` the child's
    own message to the parent ("" if none).
    """

    kind: str
    target: str
    status: str
    answer: str | None
    message: str
    refresh_seconds: int = 3


@dataclass(frozen=True, slots=True)
class ChildPage:
    """What the child's own page shows: their day, their limits, what is recorded.

    `limits` and `recorded` are sentences already in the child's language;
    `blocked_categories` are category codes; `recent_sites` are (site, minutes).
    """

    name: str
    minutes_used_today: int
    minutes_left_today: int | None
    limits: tuple[str, ...]
    blocked_categories: tuple[str, ...]
    recorded: tuple[str, ...]
    recent_sites: tuple[tuple[str, int], ...]


def _hero(lang: str, icon: str, title: str, lead: str = "") -> str:
    lead_html = f'<p class="kind">{lead}</p>' if lead else ""
    return (f'<div class="hero"><div class="badge">{icon}</div>'
            f"<div><h1>{escaped(title)}</h1>{lead_html}</div></div>")


def _shell(lang: str, title: str, body: str, *, state: str = "",
           refresh_seconds: int | None = None) -> str:
    return page_shell(lang, title, body, body_class=f"narrow {state}".strip(),
                      refresh_seconds=refresh_seconds)


# --- ask a parent -----------------------------------------------------------------------


def render_request_status(language: str, status: RequestStatus) -> str:
    """The page after asking a parent: waiting (reloads itself), yes, or no.

    An unknown status is shown as waiting, which is the honest thing to say
    while the parent has not answered in a way this page knows.
    """
    lang = i18n.normalize_language(language)
    state = status.status if status.status in ("approved", "denied") else "pending"
    title = i18n.translate(lang, f"request.{state}_title")
    asked = _asked_for(lang, status)
    rows = f"<dt>{message_html(lang, 'request.label_asked')}</dt><dd>{asked}</dd>"
    if status.message.strip():
        rows += (f"<dt>{message_html(lang, 'request.label_message')}</dt>"
                 f'<dd class="message">{escaped(status.message.strip())}</dd>')
    parts: list[str] = []
    if state == "pending":
        icon = CLOCK
        parts.append(f"<p>{message_html(lang, 'request.pending_text')}</p>")
    elif state == "approved":
        icon = SHIELD_CHECK
        parts.append(f"<p>{_granted(lang, status)}</p>")
        host = status.target.strip()
        if PLAIN_HOST.fullmatch(host):
            label = message_html(lang, "request.open_site", host=host)
            parts.append(f'<p><a class="button" href="https://{host}/">{label}</a></p>')
    else:
        icon = SHIELD_PAUSE
        parts.append(f"<p>{message_html(lang, 'request.denied_text')}</p>")
    body = (_hero(lang, icon, title) + "".join(parts) + f"<dl>{rows}</dl>"
            + f'<p class="quiet">{message_html(lang, "page.go_back")}</p>')
    refresh = status.refresh_seconds if state == "pending" else None
    return _shell(lang, title, body, state=state, refresh_seconds=refresh)


def _asked_for(lang: str, status: RequestStatus) -> Markup:
    target = status.target.strip()
    if status.kind == "time":
        if not target or target in _SCOPES:
            return message_html(lang, "request.asked_time")
        return message_html(lang, "request.asked_time_for", target=target)
    host = Markup(f'<strong class="host">{escaped(target)}</strong>')
    return message_html(lang, "request.asked_site", target=host)


def grant_text(language: str, answer: str | None) -> str | None:
    """What a parent's answer grants, in words ("for 1 hour"); None if not known."""
    if answer in ("today", "always"):
        return i18n.translate(language, f"request.grant_{answer}")
    found = _GRANT_MINUTES.fullmatch(answer or "")
    if found and int(found[1]) > 0:
        return i18n.translate(language, "request.grant_for",
                              duration=duration_text(language, int(found[1])))
    return None


def _granted(lang: str, status: RequestStatus) -> Markup:
    grant = grant_text(lang, status.answer)
    if grant is None:
        return message_html(lang, "request.approved_text")
    if status.kind == "time":
        return message_html(lang, "request.granted_time", grant=grant)
    host = Markup(f'<strong class="host">{escaped(status.target.strip())}</strong>')
    return message_html(lang, "request.granted_site", target=host, grant=grant)


# --- report -----------------------------------------------------------------------------


def render_report_thanks(language: str) -> str:
    """Thanks after "Report this page": the parent will see it; 111 and VN-COP."""
    lang = i18n.normalize_language(language)
    title = i18n.translate(lang, "report.thanks_title")
    body = (
        _hero(lang, SHIELD_CHECK, title, message_html(lang, "report.thanks_lead"))
        + f"<p>{message_html(lang, 'report.thanks_text')}</p>"
        + help_box(lang, heading_key="report.danger_title", lead_key="report.danger")
        + f'<p class="quiet">{message_html(lang, "page.go_back")}</p>'
    )
    return _shell(lang, title, body, state="approved")


# --- simple messages --------------------------------------------------------------------


def render_notice_page(language: str, title_key: str, text_key: str) -> str:
    """A short message page, such as `EXPIRED`: a heading, a sentence, and help."""
    lang = i18n.normalize_language(language)
    title = i18n.translate(lang, title_key)
    body = (_hero(lang, SHIELD_PAUSE, title) + f"<p>{message_html(lang, text_key)}</p>"
            + help_box(lang))
    return _shell(lang, title, body)


# --- the child's own page ---------------------------------------------------------------


def render_child_page(language: str, data: ChildPage) -> str:
    """What Guardian does on this device, for the child (PARENT-1, CHILD-5).

    Only what `data` holds is shown: the child's day and limits, never the
    parent's settings or another child's.
    """
    lang = i18n.normalize_language(language)
    title = i18n.translate(lang, "child_page.title")
    lead = message_html(lang, "child_page.hello", name=data.name.strip() or "…")

    today = [message_html(lang, "child_page.used_today",
                          minutes=_strong(minutes_text(lang, data.minutes_used_today)))]
    if data.minutes_left_today is not None:
        today.append(message_html(lang, "child_page.left_today",
                                  minutes=_strong(minutes_text(lang, data.minutes_left_today))))
    else:
        today.append(message_html(lang, "child_page.no_daily_limit"))
    limits = _list(lang, data.limits, "child_page.no_limits")
    blocked = [message_html(lang, f"category.{code}") if is_category(code) else escaped(code)
               for code in data.blocked_categories]
    blocked_html = (f'<ul class="chips">{"".join(f"<li>{name}</li>" for name in blocked)}</ul>'
                    if blocked else
                    f'<p class="quiet">{message_html(lang, "child_page.nothing_blocked")}</p>')
    if data.recent_sites:
        rows = "".join(
            f'<tr><td class="host">{escaped(site)}</td>'
            f"<td>{escaped(minutes_text(lang, minutes))}</td></tr>"
            for site, minutes in data.recent_sites
        )
        sites = f"<table>{rows}</table>"
    else:
        sites = f'<p class="quiet">{message_html(lang, "child_page.no_sites")}</p>'
    # PARENT-1's own sentence speaks of the block page; this page says it for itself.
    cite = message_html(lang, "code.cite", rule=Markup(f"<strong>{TRANSPARENCY_RULE}</strong>"))

    body = f"""{_hero(lang, SHIELD_CHECK, title, lead)}
<div class="columns">
<section>
<h2>{message_html(lang, "child_page.today")}</h2>
{"".join(f"<p>{line}</p>" for line in today)}
<h2>{message_html(lang, "child_page.limits")}</h2>
{limits}
<h2>{message_html(lang, "child_page.blocked")}</h2>
{blocked_html}
</section>
<section>
<h2>{message_html(lang, "child_page.sites")}</h2>
{sites}
<h2>{message_html(lang, "child_page.recorded")}</h2>
{_list(lang, data.recorded, "child_page.nothing_recorded")}
<div class="note code"><p class="cite">{cite}</p>
<p>{message_html(lang, "child_page.transparency")}</p></div>
</section>
</div>
{help_box(lang)}"""
    return page_shell(lang, title, body, body_class="child-page")


def _list(lang: str, lines: tuple[str, ...], empty_key: str) -> str:
    if not lines:
        return f'<p class="quiet">{message_html(lang, empty_key)}</p>'
    return "<ul>" + "".join(f"<li>{escaped(line)}</li>" for line in lines) + "</ul>"


def _strong(text: str) -> Markup:
    return Markup(f"<strong>{escaped(text)}</strong>")


# --- the note inserted into other pages -------------------------------------------------

_FONT = ("system-ui,'Segoe UI',Roboto,'Noto Sans','DejaVu Sans','Liberation Sans',"
         "Arial,sans-serif")
_BOX = (
    "display:block", "position:fixed", "right:16px", "bottom:16px", "z-index:2147483647",
    "box-sizing:border-box", "max-width:min(340px,calc(100vw - 32px))", "margin:0",
    "padding:10px 14px", "border-radius:12px", "background:#1f2d3d", "color:#ffffff",
    "box-shadow:0 4px 18px rgba(0,0,0,.25)", "pointer-events:none", "opacity:0.95",
    f"font:14px/1.45 {_FONT}", "text-align:left", "direction:ltr", "white-space:normal",
    "visibility:visible",
)
_LINE = ("display:block", "margin:0", "padding:0", "color:inherit", "font:inherit",
         "text-align:left", "white-space:normal")
_TITLE = (*_LINE, "font-weight:700", "margin:0 0 2px")
_WARNING = (*_LINE, "margin:4px 0 0", "padding:4px 0 0",
            "border-top:1px solid rgba(255,255,255,.3)", "color:#ffe08a", "font-weight:600")


def _style(*declarations: str) -> str:
    """An inline style that page CSS cannot override, reset first with `all:initial`."""
    style = ";".join(f"{item} !important" for item in ("all:initial", *declarations))
    return escape(style, quote=True)


def render_notice_snippet(language: str, minutes_left: int | None,
                          games_minutes: int | None) -> str:
    """A small note for the corner of another site's page; "" when there is nothing to say.

    `minutes_left`: the minutes left today, when nearly up. `games_minutes`:
    the minutes of play today, for the reminder every 30 minutes, which adds
    the health warning of Decree 147/2024.
    """
    lang = i18n.normalize_language(language)
    lines: list[tuple[tuple[str, ...], str]] = []
    if minutes_left is not None:
        if minutes_left >= 1:
            text = i18n.translate(lang, "notice.minutes_left",
                                  minutes=minutes_text(lang, minutes_left))
        else:
            text = i18n.translate(lang, "notice.almost_over")
        lines.append((_LINE, text))
    if games_minutes is not None and games_minutes > 0:
        total = load_catalog().law.games_total_minutes
        lines.append((_LINE, i18n.translate(lang, "notice.played",
                                             minutes=duration_text(lang, games_minutes))))
        lines.append((_WARNING, i18n.translate(lang, "notice.health", total=total)))
    if not lines:
        return ""
    inner = "".join(
        f'<span style="{_style(*style)}">{escape(text, quote=True)}</span>'
        for style, text in lines
    )
    title = escape(i18n.translate(lang, "notice.title"), quote=True)
    return (
        f'<div id="{NOTICE_ID}" lang="{lang}" role="status" aria-live="polite" '
        f'style="{_style(*_BOX)}"><span style="{_style(*_TITLE)}">{title}</span>{inner}</div>'
    )
