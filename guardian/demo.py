"""A sample household with weeks of realistic activity, and bulk activity for benchmarks.

`create_demo_household` adds three children of different ages (their age
presets give budgets and blocked categories; hours, rules and requests are
added as a parent would) and plays their browsing through Guardian's own
engine, minute by minute: every page load is decided by `decide` against the
household policy, engagements go through the same `ActiveTimeTracker` as in
the filter, and the rows are written with `append_requests` and
`update_rollups`, as the filter's writer does. Time runs out, hours end,
harmful sites are blocked, children search, ask and report, and parents
answer. The weeks played are the one before last (to compare with), the last
complete week (the one `guardian report weekly` shows by default) and the
current week up to `now`.

Harmful sites are invented names under `.example`: the demo never names a
real gambling or adult site.

`generate_activity` is the other use: N raw rows a day for one child, fast,
with their rollups, for the benchmark suite.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass, fields
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from io import BytesIO

from sqlalchemy import func, insert, select
from sqlalchemy.orm import Session

from guardian.active_time import ActiveTimeTracker, MinuteRow, ProfileUsage
from guardian.categories import CATEGORY_BITS
from guardian.decision import Decision
from guardian.domain_index import DomainIndex, IndexBuilder
from guardian.engine import RequestFacts, decide
from guardian.errors import AlreadyExists
from guardian.policy import ProfilePolicy, load_policy
from guardian.reports.weeks import IsoWeek
from guardian.sites import site_of
from guardian.storage.access_requests import (
    approve_request,
    create_report,
    create_request,
    deny_request,
)
from guardian.storage.activity import LoggedRequest, append_requests
from guardian.storage.models import AccessRequest, Profile, Report, RequestLog
from guardian.storage.profiles import add_profile, add_rule
from guardian.storage.rollups import update_rollups
from guardian.storage.screen_time import apply_template
from guardian.tokens import TokenClaims, new_nonce


@dataclass(frozen=True, slots=True)
class DemoSite:
    host: str
    category: str | None
    assets: int  # requests for images, scripts and styles per page
    video: bool = False  # watching: media keeps the minutes counting


SITES: dict[str, DemoSite] = {site.host: site for site in (
    DemoSite("www.youtube.com", "video", 14, video=True),
    DemoSite("www.google.com", None, 6),
    DemoSite("vi.wikipedia.org", None, 9),
    DemoSite("vnexpress.net", None, 18),
    DemoSite("olm.vn", None, 8),
    DemoSite("hocmai.vn", None, 10),
    DemoSite("www.khanacademy.org", None, 12),
    DemoSite("scratch.mit.edu", None, 10),
    DemoSite("github.com", None, 9),
    DemoSite("poki.com", "games", 16),
    DemoSite("www.roblox.com", "games", 15),
    DemoSite("www.minecraft.net", "games", 11),
    DemoSite("lienquan.garena.vn", "games", 13),
    DemoSite("www.facebook.com", "social", 20),
    DemoSite("www.instagram.com", "social", 18),
    DemoSite("www.tiktok.com", "social", 16, video=True),
    DemoSite("slots-vip.example", "gambling", 0),
    DemoSite("bet88-club.example", "gambling", 0),
    DemoSite("xxx-videos.example", "adult", 0),
    DemoSite("random-video-chat.example", "chat_dating", 0),
    DemoSite("meet-strangers.example", "chat_dating", 0),
)}


@dataclass(frozen=True, slots=True)
class Outing:
    """One sitting at the computer: when, how long, and where the child tends to go."""

    start: time
    minutes: int
    sites: tuple[tuple[str, int], ...]  # (host, weight)


@dataclass(frozen=True, slots=True)
class DemoChild:
    name: str
    age: int
    language: str
    port: int
    searches: tuple[str, ...]


CHILDREN = (
    DemoChild("An", 8, "vi", 8081, ("cách vẽ con mèo", "truyện cổ tích tấm cám", "đồ chơi lego",
                                    "bài hát thiếu nhi", "cách gấp máy bay giấy")),
    DemoChild("Binh", 12, "vi", 8082, ("minecraft cách xây nhà", "roblox code miễn phí",
                                       "giải toán lớp 6 phân số", "lịch thi đấu bóng đá",
                                       "cách kiếm kim cương nhanh")),
    DemoChild("Chi", 15, "en", 8083, ("photosynthesis diagram", "python for loop example",
                                      "how to make new friends online", "essay on climate change",
                                      "best songs 2026", "why can't I sleep at night")),
)


@dataclass(frozen=True, slots=True)
class DemoResult:
    children: tuple[str, ...]
    weeks: tuple[str, ...]  # the complete weeks played
    requests: int
    minutes: int


def demo_index() -> DomainIndex:
    """The categories of the demo's sites, as an imported list would give them."""
    builder = IndexBuilder()
    for site in SITES.values():
        if site.category:
            builder.add_domain(site_of(site.host), CATEGORY_BITS[site.category])
    out = BytesIO()
    builder.write(out)
    return DomainIndex(out.getvalue(), "demo")


def create_demo_household(
    session: Session, now: datetime, zone: tzinfo, seed: int = 2025
) -> DemoResult:
    """Add the demo children and play their activity up to `now` (see the module docstring).

    Refuses, changing nothing, when the household already has a profile.
    """
    existing = session.scalar(select(func.count()).select_from(Profile))
    if existing:
        raise AlreadyExists(
            "this household already has children; the demo needs an empty data folder "
            "(guardian --data-dir NEW_FOLDER demo)")
    rng = random.Random(seed)
    profiles = {}
    for child in CHILDREN:
        profile = add_profile(session, child.name, child.age, child.language, port=child.port)
        profiles[child.name] = profile
    for name in ("An", "Binh"):
        apply_template(session, profiles[name], "school-nights")
        apply_template(session, profiles[name], "weekend")
    add_rule(session, profiles["An"], "allow", "olm.vn")
    add_rule(session, profiles["Chi"], "block", "lienquan.garena.vn")
    session.flush()

    last = IsoWeek.last_complete(now, zone)
    first_day = last.previous().monday
    index = demo_index()
    player = _Player(session, index, zone, rng)
    requests = minutes = 0
    for child in CHILDREN:
        profile = profiles[child.name]
        day = first_day
        while datetime.combine(day, time(0), tzinfo=zone) < now:
            week = "last" if IsoWeek.of(day) == last else (
                "before" if IsoWeek.of(day) < last else "current")
            played = player.play_day(profile, child, day, _plan(child, day, week, rng), now)
            requests += played[0]
            minutes += played[1]
            day += timedelta(days=1)
    _add_conversations(session, profiles, last, zone)
    return DemoResult(tuple(c.name for c in CHILDREN), (str(last.previous()), str(last)),
                      requests, minutes)


def _plan(child: DemoChild, day: date, week: str, rng: random.Random) -> list[Outing]:
    """The day's outings for `child`: school days and weekends differ, and so do the weeks."""
    weekend = day.weekday() >= 5
    jitter = rng.randint(-10, 10)

    def at(hour: int, minute: int) -> time:
        total = max(0, min(23 * 60 + 50, hour * 60 + minute + jitter))
        return time(total // 60, total % 60)

    if child.name == "An":
        kids = (("www.youtube.com", 5), ("poki.com", 3), ("olm.vn", 2), ("www.google.com", 1),
                ("scratch.mit.edu", 1), ("www.tiktok.com", 1))
        if weekend:
            return [Outing(at(9, 0), rng.randint(60, 90), kids),
                    Outing(at(15, 30), rng.randint(50, 80), kids)]
        return [Outing(at(16, 45), rng.randint(35, 60), kids),
                Outing(at(19, 30), rng.randint(20, 45), kids)]
    if child.name == "Binh":
        games = 4 if week != "before" else 0  # games are new this week
        mix: tuple[tuple[str, int], ...] = (
               ("www.minecraft.net", games), ("www.roblox.com", games), ("www.youtube.com", 4),
               ("hocmai.vn", 3), ("www.google.com", 2), ("vnexpress.net", 1),
               ("slots-vip.example", 1 if week == "last" else 0),
               ("bet88-club.example", 1 if week == "last" else 0),
               ("www.facebook.com", 1))
        outings = [Outing(at(17, 0), rng.randint(50, 80), mix),
                   Outing(at(20, 0), rng.randint(40, 70), mix)]
        if weekend:
            outings.insert(0, Outing(at(9, 30), rng.randint(60, 100), mix))
        return outings
    late = week == "last" or (week == "current" and day.weekday() % 2 == 0)
    mix = (("www.instagram.com", 4), ("www.tiktok.com", 4), ("www.youtube.com", 4),
           ("vi.wikipedia.org", 2), ("www.khanacademy.org", 2), ("github.com", 2),
           ("www.google.com", 3), ("www.facebook.com", 2),
           ("random-video-chat.example", 1 if week == "last" else 0),
           ("meet-strangers.example", 1 if week == "last" else 0),
           ("lienquan.garena.vn", 1))
    outings = [Outing(at(15, 30), rng.randint(40, 70), mix),
               Outing(at(19, 45), rng.randint(60, 100), mix)]
    if late and day.weekday() in (0, 2, 3, 4, 5):
        outings.append(Outing(at(22, 40), rng.randint(40, 70), mix))
    return outings


class _Player:
    """Plays outings through the engine and writes the rows as the filter would."""

    def __init__(self, session: Session, index: DomainIndex, zone: tzinfo,
                 rng: random.Random) -> None:
        self.session = session
        self.index = index
        self.zone = zone
        self.rng = rng
        self.tracker = ActiveTimeTracker(zone)

    def policy(self, profile: Profile, moment: datetime) -> ProfilePolicy:
        household = load_policy(self.session, self.index, moment)
        return next(p for p in household.profiles if p.id == profile.id)

    def play_day(self, profile: Profile, child: DemoChild, day: date, outings: list[Outing],
                 now: datetime) -> tuple[int, int]:
        start = datetime.combine(day, time(0), tzinfo=self.zone)
        policy = self.policy(profile, start)
        usage = ProfileUsage(self.tracker, profile.id)
        requests: list[LoggedRequest] = []
        minutes: list[MinuteRow] = []
        for outing in outings:
            moment = datetime.combine(day, outing.start, tzinfo=self.zone)
            end = moment + timedelta(minutes=outing.minutes)
            while moment < min(end, now):
                host = self.rng.choices([h for h, _ in outing.sites],
                                        [w for _, w in outing.sites])[0]
                stay = self.rng.randint(3, 14)
                moment, stopped = self.visit(profile, child, policy, usage, SITES[host],
                                             moment, min(moment + timedelta(minutes=stay), now),
                                             requests, minutes)
                if stopped:
                    policy = self.after_time_limit(profile, child, stopped, moment)
                    break
                moment += timedelta(seconds=self.rng.randint(10, 90))
        append_requests(self.session, requests)
        new = update_rollups(self.session, requests, minutes, self.zone)
        self.tracker.forget_before(day)
        return len(requests), new

    def visit(self, profile: Profile, child: DemoChild, policy: ProfilePolicy,
              usage: ProfileUsage, site: DemoSite, moment: datetime, until: datetime,
              requests: list[LoggedRequest], minutes: list[MinuteRow]
              ) -> tuple[datetime, Decision | None]:
        """Page loads on one site until `until`; returns the time and a time limit met."""
        while moment < until:
            search = None
            path = self.rng.choice(("/", "/watch", "/explore", "/play", "/lesson", "/news"))
            if site.host == "www.google.com":
                search, path = self.rng.choice(child.searches), "/search"
            decision = decide(RequestFacts(site.host, path), policy, usage, moment)
            size = 0 if decision.blocked else self.rng.randint(8_000, 90_000)
            requests.append(_row(moment, profile.id, site.host, path, decision, size, search))
            if decision.blocked:
                if decision.reason.value in ("time_up", "outside_hours"):
                    return moment, decision
                return moment, None  # the child goes somewhere else
            for i in range(site.assets):
                asset = moment + timedelta(milliseconds=40 * (i + 1))
                requests.append(_row(asset, profile.id, f"static.{site_of(site.host)}",
                                     f"/assets/{i}.js", decision, self.rng.randint(500, 40_000)))
            step = self.rng.randint(1, 3)
            for offset in range(step if site.video else 1):
                engaged = moment + timedelta(minutes=offset)
                minutes += self.tracker.record(profile.id, engaged, site_of(site.host),
                                               decision.category)
            moment += timedelta(minutes=step, seconds=self.rng.randint(0, 50))
        return moment, None

    def after_time_limit(self, profile: Profile, child: DemoChild, decision: Decision,
                         moment: datetime) -> ProfilePolicy:
        """Sometimes the child asks for more time, and the parent answers a few minutes later."""
        if self.rng.random() < 0.5:
            scope = "hours" if decision.reason.value == "outside_hours" else "total"
            request_id = self.ask(profile, "time", "", scope, moment,
                                  "Cho con thêm một chút nhé" if child.language == "vi"
                                  else "Can I finish my video?")
            answered = moment + timedelta(minutes=self.rng.randint(3, 20))
            if self.rng.random() < 0.5:
                approve_request(self.session, request_id, "15m", answered.astimezone(UTC),
                                self.zone)
            else:
                deny_request(self.session, request_id, answered.astimezone(UTC))
        return self.policy(profile, moment)

    def ask(self, profile: Profile, kind: str, host: str, scope: str, moment: datetime,
            message: str, category: str | None = None) -> int:
        claims = TokenClaims(profile.id, "ask", kind, host, "/", scope, "", category,
                             int(moment.timestamp()) + 3600, new_nonce())
        request_id = create_request(self.session, claims, message)
        row = self.session.get(AccessRequest, request_id)
        assert row is not None
        row.created_at = moment.astimezone(UTC)
        return request_id


def _row(moment: datetime, profile_id: int, host: str, path: str, decision: Decision,
         size: int, search: str | None = None) -> LoggedRequest:
    return LoggedRequest(
        time=moment.astimezone(UTC), profile_id=profile_id, host=host, path=path, method="GET",
        status=403 if decision.blocked else 200, decision=decision.action.value,
        reason=decision.reason.value, category=decision.category, bytes=size, search=search,
    )


def _add_conversations(
    session: Session, profiles: dict[str, Profile], week: IsoWeek, zone: tzinfo
) -> None:
    """The requests for sites and the report a parent finds in the last complete week."""
    monday = datetime.combine(week.monday, time(0), tzinfo=zone)
    player = _Player(session, demo_index(), zone, random.Random(0))
    an, binh, chi = profiles["An"], profiles["Binh"], profiles["Chi"]
    asked = monday + timedelta(days=1, hours=17, minutes=12)
    tiktok = player.ask(an, "site", "www.tiktok.com", "", asked, "Bạn con đều xem TikTok",
                        "social")
    deny_request(session, tiktok, (asked + timedelta(minutes=25)).astimezone(UTC))
    asked = monday + timedelta(days=3, hours=20, minutes=5)
    scratch = player.ask(binh, "site", "scratch.mit.edu", "", asked, "Con cần cho bài tập tin học")
    approve_request(session, scratch, "always", (asked + timedelta(minutes=8)).astimezone(UTC),
                    zone)
    asked = monday + timedelta(days=5, hours=21, minutes=40)
    player.ask(chi, "site", "random-video-chat.example", "", asked,
               "Everyone at school uses it", "chat_dating")
    reported = monday + timedelta(days=2, hours=17, minutes=3)
    claims = TokenClaims(an.id, "report", "page", "www.youtube.com", "/watch", "", "", "video",
                         int(reported.timestamp()) + 3600, new_nonce())
    report_id = create_report(session, claims, "Video có người hóa trang rất đáng sợ")
    report = session.get(Report, report_id)
    assert report is not None
    report.created_at = reported.astimezone(UTC)


# Bulk activity for benchmarks: plausible rows, quickly, with their rollups.

BULK_SITES: tuple[tuple[str, str | None], ...] = tuple(
    (f"site{i}.example", (None, None, "video", "games", "social")[i % 5]) for i in range(200)
)


def generate_activity(
    session: Session,
    profile: Profile | int,
    start: date,
    days: int,
    requests_per_day: int,
    zone: tzinfo = UTC,
    *,
    seed: int = 1,
    batch: int = 50_000,
) -> int:
    """Write `requests_per_day` request rows a day for `days` local days from `start`.

    Rows are spread over 07:00-22:00 local time across 200 sites, about 3% of
    them blocked; each site-minute with traffic is an active minute. Rows are
    written as `append_requests` writes them, with `update_rollups`, in
    batches of `batch`, in the caller's transaction. Returns the number of
    request rows written.
    """
    profile_id = profile if isinstance(profile, int) else profile.id
    rng = random.Random(seed)
    written = 0
    span = 15 * 3600  # seconds from 07:00 to 22:00
    for offset in range(days):
        day = start + timedelta(days=offset)
        opening = datetime.combine(day, time(7), tzinfo=zone).astimezone(UTC)
        step = span / max(requests_per_day, 1)
        requests: list[LoggedRequest] = []
        minutes: dict[tuple[int, str], MinuteRow] = {}
        for i in range(requests_per_day):
            moment = opening + timedelta(seconds=i * step)
            host, category = BULK_SITES[(i // 40 + offset) % len(BULK_SITES)]
            blocked = rng.random() < 0.03
            requests.append(LoggedRequest(
                time=moment, profile_id=profile_id, host=host, path="/", method="GET",
                status=403 if blocked else 200, decision="block" if blocked else "allow",
                reason="category" if blocked else "allowed",
                category="gambling" if blocked else category, bytes=2_000,
                search="guardian benchmark" if i % 500 == 0 else None,
            ))
            if not blocked:
                minute = moment.replace(second=0, microsecond=0)
                minutes.setdefault((int(minute.timestamp()), host),
                                   MinuteRow(profile_id, minute, host, category))
            if len(requests) >= batch:
                written += _write_bulk(session, requests, list(minutes.values()), zone)
                requests, minutes = [], {}
        written += _write_bulk(session, requests, list(minutes.values()), zone)
    return written


def _write_bulk(session: Session, requests: Sequence[LoggedRequest],
                minutes: Sequence[MinuteRow], zone: tzinfo) -> int:
    """The rows `append_requests` would write, through Core: `asdict` and the ORM's bulk
    insert cost most of the time at millions of rows."""
    if requests:
        session.connection().execute(
            insert(RequestLog.__table__),  # type: ignore[arg-type]
            [{name: getattr(row, name) for name in _LOGGED_FIELDS} for row in requests])
    update_rollups(session, requests, minutes, zone)
    return len(requests)


_LOGGED_FIELDS = tuple(f.name for f in fields(LoggedRequest))
