"""TimeNotice: a small note of the time left, added to HTML pages when time is nearly up.

Shown on page loads when 10 minutes or fewer are left under any limit, and
on game sites after every 30 minutes of play with the health warning that
Decree 147/2024 asks games to show. Only complete `text/html` page loads
with a 200 status are touched; anything else passes unchanged.
"""

from __future__ import annotations

import re

from guardian.portal_pages import render_notice_snippet
from mitmproxy import http

from guardian.active_time import ActiveTimeTracker
from guardian.engine import minutes_left
from proxy_addons.enforcer import METADATA_KEY, Verdict

NOTICE_FROM_MINUTES = 10
GAME_REMINDER_MINUTES = 30
_BODY_END = re.compile(rb"</body\s*>", re.IGNORECASE)


class TimeNotice:
    def __init__(self, tracker: ActiveTimeTracker) -> None:
        self.tracker = tracker
        self._reminded: dict[tuple[int, str], int] = {}  # (profile, day) -> reminders shown

    def response(self, flow: http.HTTPFlow) -> None:
        verdict = flow.metadata.get(METADATA_KEY)
        response = flow.response
        if (not isinstance(verdict, Verdict) or verdict.decision.blocked or response is None
                or not is_page_load(flow)):
            return
        context = verdict.context(self.tracker)
        if context is None or verdict.profile is None:
            return
        left = minutes_left(context)
        games = self._games_reminder(verdict, context.category)
        if (left is None or left > NOTICE_FROM_MINUTES) and games is None:
            return
        snippet = render_notice_snippet(
            verdict.profile.language,
            left if left is not None and left <= NOTICE_FROM_MINUTES else None,
            games,
        )
        if snippet:
            # Character references keep the note readable whatever the page's charset.
            inject(response, snippet.encode("ascii", "xmlcharrefreplace"))

    def _games_reminder(self, verdict: Verdict, category: str | None) -> int | None:
        if category != "games" or verdict.profile is None or verdict.now is None:
            return None
        day = verdict.now.date()
        played = self.tracker.used(verdict.profile.id, day, "category", "games")
        key = (verdict.profile.id, day.isoformat())
        due = played // GAME_REMINDER_MINUTES
        if due <= self._reminded.get(key, 0):
            return None
        self._reminded[key] = due
        return played


def is_page_load(flow: http.HTTPFlow) -> bool:
    """A whole HTML document the browser will render as a page."""
    response = flow.response
    if response is None or response.status_code != 200 or response.raw_content is None:
        return False
    kind = response.headers.get("content-type", "").split(";", 1)[0].strip().lower()
    if kind != "text/html":
        return False
    dest = flow.request.headers.get("sec-fetch-dest")
    return dest in (None, "document")


def inject(response: http.Response, snippet: bytes) -> None:
    """Insert before the last `</body>`, or at the end; the page is otherwise untouched."""
    content = response.content
    if content is None:
        return
    matches = list(_BODY_END.finditer(content))
    at = matches[-1].start() if matches else len(content)
    response.content = content[:at] + snippet + content[at:]
