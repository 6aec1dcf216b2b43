"""Active screen time: which minutes a child was really using the web, per site.

The rule, and its limits (also in the README):

- Only *engagement* counts: a page the child opened (a navigation), a click
  that made a request (`Sec-Fetch-User: ?1`), or media playing (audio or
  video arriving). Background chatter does not: a tab that polls, a sync, an
  update check, an advert that refreshes itself.
- A minute with an engagement on a site counts for that site. Between two
  engagements on the same site at most `IDLE_GAP_MINUTES` apart, the child
  is taken to have stayed (reading, watching), so those minutes count too;
  after a longer silence the child was idle and the gap does not count.
- Total time and time per category are the union of the per-site minutes:
  a minute counts once however many sites or requests it held.

Minutes are whole UTC minutes; a day is the household's local day. So a
daylight-saving change neither creates nor erases time, and a clock set
backwards cannot count a minute twice (minutes are sets, not counters).

Limits: reading one page for a long time without a click counts one minute;
media playing in a background tab counts; two devices of one child on one
site in the same minute count once.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, tzinfo

IDLE_GAP_MINUTES = 3
_MEDIA_TYPES = ("video/", "audio/")
_STREAM_TYPES = (
    "application/vnd.apple.mpegurl", "application/x-mpegurl", "application/dash+xml",
    "application/vnd.yt-ump",
)
_ENGAGING_DESTINATIONS = frozenset({"document", "video", "audio", "track"})


def is_engagement(
    method: str, headers: Mapping[str, str], response_type: str | None = None
) -> bool:
    """Whether a request shows the child using the web (see the module docstring).

    `headers` is looked up in lower case; `response_type` is the response's
    Content-Type, when there is one.
    """
    if response_type:
        kind = response_type.split(";", 1)[0].strip().lower()
        if kind.startswith(_MEDIA_TYPES) or kind in _STREAM_TYPES:
            return True
    mode = headers.get("sec-fetch-mode")
    dest = headers.get("sec-fetch-dest")
    if mode is None and dest is None:
        # A client without Fetch Metadata: count what asks for a page.
        return method == "GET" and "text/html" in headers.get("accept", "")
    return (
        mode == "navigate" and dest in (None, "document")
        or headers.get("sec-fetch-user") == "?1"
        or dest in _ENGAGING_DESTINATIONS
    )


def epoch_minute(moment: datetime) -> int:
    return int(moment.timestamp()) // 60


def minute_start(minute: int) -> datetime:
    return datetime.fromtimestamp(minute * 60, UTC)


@dataclass(frozen=True, slots=True)
class MinuteRow:
    """One new site-minute, to be stored."""

    profile_id: int
    minute: datetime  # UTC, whole minute
    site: str
    category: str | None


@dataclass
class _DayUsage:
    by_site: dict[str, set[int]] = field(default_factory=dict)
    by_category: dict[str, set[int]] = field(default_factory=dict)
    total: set[int] = field(default_factory=set)


class ActiveTimeTracker:
    """Per child and local day, the minutes used: in total, per category, per site.

    Pure and in memory: the proxy feeds it engagements and stores the rows it
    returns; at start it is loaded with what was stored today.
    """

    def __init__(self, zone: tzinfo) -> None:
        self.zone = zone
        self._days: dict[tuple[int, date], _DayUsage] = {}
        self._last: dict[tuple[int, str], int] = {}  # (profile, site) -> last engaged minute

    def local_day(self, minute: int) -> date:
        return minute_start(minute).astimezone(self.zone).date()

    def record(
        self, profile_id: int, moment: datetime, site: str, category: str | None
    ) -> list[MinuteRow]:
        """An engagement at `moment`: returns the site-minutes it newly adds."""
        minute = epoch_minute(moment)
        last = self._last.get((profile_id, site))
        if last is not None and 0 < minute - last <= IDLE_GAP_MINUTES:
            minutes = range(last + 1, minute + 1)
        else:
            minutes = range(minute, minute + 1)
        if last is None or minute > last:
            self._last[(profile_id, site)] = minute
        added = []
        for m in minutes:
            usage = self._day(profile_id, self.local_day(m))
            if m in usage.by_site.get(site, ()):
                continue
            self._add(usage, m, site, category)
            added.append(MinuteRow(profile_id, minute_start(m), site, category))
        return added

    def load(self, rows: Iterable[MinuteRow]) -> None:
        """What was stored before this process started (minutes already counted stay counted)."""
        for row in rows:
            minute = epoch_minute(row.minute)
            usage = self._day(row.profile_id, self.local_day(minute))
            self._add(usage, minute, row.site, row.category)
            key = (row.profile_id, row.site)
            if minute > self._last.get(key, -1):
                self._last[key] = minute

    def used(self, profile_id: int, day: date, scope: str, key: str = "") -> int:
        """Minutes used on `day`: scope "total", "category" (key: code) or "site" (key: site)."""
        usage = self._days.get((profile_id, day))
        if usage is None:
            return 0
        if scope == "total":
            return len(usage.total)
        if scope == "category":
            return len(usage.by_category.get(key, ()))
        return len(usage.by_site.get(key, ()))

    def sites_used(self, profile_id: int, day: date) -> list[tuple[str, int]]:
        """(site, minutes) used on `day`, most used first."""
        usage = self._days.get((profile_id, day))
        if usage is None:
            return []
        return sorted(((site, len(m)) for site, m in usage.by_site.items()),
                      key=lambda pair: (-pair[1], pair[0]))

    def forget_before(self, day: date) -> None:
        """Drop days before `day` (called when a new day starts)."""
        for key in [k for k in self._days if k[1] < day]:
            del self._days[key]

    def _day(self, profile_id: int, day: date) -> _DayUsage:
        return self._days.setdefault((profile_id, day), _DayUsage())

    @staticmethod
    def _add(usage: _DayUsage, minute: int, site: str, category: str | None) -> None:
        usage.by_site.setdefault(site, set()).add(minute)
        usage.total.add(minute)
        if category:
            usage.by_category.setdefault(category, set()).add(minute)


class ProfileUsage:
    """One child's usage, as the engine asks for it (guardian.engine.Usage)."""

    __slots__ = ("tracker", "profile_id")

    def __init__(self, tracker: ActiveTimeTracker, profile_id: int) -> None:
        self.tracker = tracker
        self.profile_id = profile_id

    def used(self, day: date, scope: str, key: str = "") -> int:
        return self.tracker.used(self.profile_id, day, scope, key)
