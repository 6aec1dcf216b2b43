"""Daily rollups: what the weekly summary reads, kept up to date as traffic is logged.

A weekly summary over a million raw request rows takes seconds even with
indexes; read from small daily tables it takes milliseconds (see
`shared/reference/measurements.md`). So the filter's writer calls
`update_rollups` in the same transaction that appends the request rows, and
the rollups are exactly what a recomputation from the raw rows would give.

Screen time is the subtle part. Minute rows are a set: the proxy may hand
the same site-minute over twice (after a restart, or when the idle gap is
filled in), and only a minute that was not already stored may count. So
`update_rollups` stores the minute rows itself: it reads the rows already
stored around the batch's minutes, keeps the new ones, counts those, and
inserts them; if the insert then reports fewer rows than expected (another
writer got there in between), it raises and the whole transaction, request
rows included, is rolled back to be written again.

What a new site-minute adds:
- to its site's minutes on its local day;
- to the hour's total only if no other site was active in that minute, and
  to its category's (`OTHER_SITES` for a site of no category) only if no
  other site of that category was;
- to its site's visits, a visit being a run of consecutive minutes on a site
  counted on the day it starts: +1, minus one if the minute before is
  stored (the run goes on), minus one on the next minute's day if the
  minute after is stored (that run no longer starts there).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, time, timedelta, tzinfo
from typing import Any, cast

from sqlalchemy import Table, case, delete, func, select
from sqlalchemy.orm import Session

from guardian.active_time import MinuteRow, epoch_minute, minute_start
from guardian.errors import StorageError
from guardian.sites import site_of
from guardian.storage.activity import LoggedRequest
from guardian.storage.models import (
    ActiveMinute,
    DailyBlocks,
    DailySearches,
    DailySiteUsage,
    HourlyMinutes,
    RequestLog,
)

ALL_SITES = ""  # the `category` of an hourly row counting every site
OTHER_SITES = "-"  # the `category` of an hourly row counting sites of no category
NO_CATEGORY = ""  # the `category` of a block that had none
ROLLUP_TABLES: tuple[type[Any], ...] = (DailySiteUsage, HourlyMinutes, DailyBlocks, DailySearches)
_NEIGHBOURS = 1  # minutes either side read to find runs (visits)


class RollupConflict(StorageError):
    """Another writer stored some of the same minutes meanwhile: write the batch again."""

    code = "rollup_conflict"


@dataclass(slots=True)
class _SiteDay:
    category: str | None = None
    minutes: int = 0
    visits: int = 0
    requests: int = 0
    blocked: int = 0
    bytes: int = 0


@dataclass(slots=True)
class _Span:
    count: int
    first_at: datetime
    last_at: datetime
    blocked: int = 0


class _Totals:
    """One batch's additions, keyed as the rollup tables are."""

    def __init__(self) -> None:
        self.sites: dict[tuple[int, str, str], _SiteDay] = {}
        self.hours: dict[tuple[int, str, int, str], int] = {}
        self.blocks: dict[tuple[int, str, str, str, str], _Span] = {}
        self.searches: dict[tuple[int, str, str], _Span] = {}

    def site(self, profile_id: int, day: str, site: str) -> _SiteDay:
        key = (profile_id, day, site)
        found = self.sites.get(key)
        if found is None:
            found = self.sites[key] = _SiteDay()
        return found

    def add_hour(self, profile_id: int, day: str, hour: int, category: str) -> None:
        key = (profile_id, day, hour, category)
        self.hours[key] = self.hours.get(key, 0) + 1


def update_rollups(
    session: Session,
    requests: Sequence[LoggedRequest],
    minutes: Sequence[MinuteRow],
    zone: tzinfo,
) -> int:
    """Store the minute rows not stored yet and add them and `requests` to the rollups.

    The request rows themselves are appended by the caller, in the same
    transaction (`append_requests`). Returns how many minute rows were new.
    Rows of no profile are not rolled up: there is no child to report on.
    """
    totals = _Totals()
    _add_requests(totals, requests, zone)
    batch = _distinct(minutes)
    _lock_profiles(session, {profile_id for profile_id, _minute, _site in batch})
    present = _stored_around(session, batch)
    new = [row for key, row in sorted(batch.items()) if key[2] not in present.get(key[:2], ())]
    _add_minutes(totals, new, present, zone)
    _insert_minutes(session, new)
    _write(session, totals)
    return len(new)


def rebuild_rollups(session: Session, zone: tzinfo, chunk: int = 20_000) -> None:
    """Recompute the rollups from the raw rows still kept (after an upgrade, or a zone change).

    Only whole days are recomputed: from the day after the oldest raw row on,
    since retention may have deleted part of that day's rows already. Older
    days keep the rollups they have.
    """
    oldest = [moment for moment in (session.scalar(select(func.min(RequestLog.time))),
                                    session.scalar(select(func.min(ActiveMinute.minute))))
              if moment is not None]
    if not oldest:
        return
    first = min(oldest).astimezone(zone).date() + timedelta(days=1)
    since = datetime.combine(first, time(0), tzinfo=zone)
    for table in ROLLUP_TABLES:
        session.execute(delete(table).where(table.day >= first.isoformat()))
    after = 0
    while True:
        rows = session.scalars(
            select(RequestLog).where(RequestLog.id > after, RequestLog.time >= since)
            .order_by(RequestLog.id).limit(chunk)
        ).all()
        if not rows:
            break
        after = rows[-1].id
        totals = _Totals()
        _add_requests(totals, [_logged(row) for row in rows], zone)
        _write(session, totals)
    boundary = epoch_minute(since)
    profiles = session.scalars(select(ActiveMinute.profile_id).distinct()).all()
    for profile_id in profiles:
        stored = [
            MinuteRow(profile_id, minute, site, category)
            for minute, site, category in session.execute(
                select(ActiveMinute.minute, ActiveMinute.site, ActiveMinute.category)
                .where(ActiveMinute.profile_id == profile_id,
                       ActiveMinute.minute >= minute_start(boundary - _NEIGHBOURS))
                .order_by(ActiveMinute.minute, ActiveMinute.site))
        ]
        # The minute before the boundary only tells whether a visit goes on across it.
        present: dict[tuple[int, int], dict[str, str | None]] = {}
        for row in stored:
            if epoch_minute(row.minute) < boundary:
                present.setdefault((profile_id, epoch_minute(row.minute)), {})[row.site] = \
                    row.category
        totals = _Totals()
        # In order, so each row is new to the ones before it.
        _add_minutes(totals, [r for r in stored if epoch_minute(r.minute) >= boundary], present,
                     zone)
        _write(session, totals)


def _logged(row: RequestLog) -> LoggedRequest:
    return LoggedRequest(
        time=row.time, profile_id=row.profile_id, host=row.host, path=row.path,
        method=row.method, status=row.status, decision=row.decision, reason=row.reason,
        category=row.category, bytes=row.bytes, search=row.search,
    )


def _local(moment: datetime, zone: tzinfo) -> tuple[str, int]:
    local = moment.astimezone(zone)
    return local.date().isoformat(), local.hour


def _site(host: str) -> str:
    try:
        return site_of(host) if host else host
    except Exception:  # a host the suffix list chokes on must not stop the log
        return host


def _add_requests(totals: _Totals, requests: Iterable[LoggedRequest], zone: tzinfo) -> None:
    # A batch spans a few minutes and a few hundred hosts: the local day and the
    # site are worked out once per minute and per host, not per row (the zones in
    # use are whole minutes off UTC, so a local day never starts within a minute).
    days: dict[int, str] = {}
    sites: dict[str, str] = {}
    for request in requests:
        if request.profile_id is None:
            continue
        profile_id = request.profile_id
        minute = int(request.time.timestamp() // 60)
        day = days.get(minute)
        if day is None:
            day = days[minute] = _local(request.time, zone)[0]
        site = sites.get(request.host)
        if site is None:
            site = sites[request.host] = _site(request.host)
        blocked = request.decision == "block"
        usage = totals.site(profile_id, day, site)
        usage.requests += 1
        usage.bytes += request.bytes or 0
        if request.category:
            usage.category = request.category
        if blocked:
            usage.blocked += 1
            key = (profile_id, day, request.reason, request.category or NO_CATEGORY, site)
            _count(totals.blocks, key, request.time)
        if request.search:
            span = _count(totals.searches, (profile_id, day, request.search), request.time)
            span.blocked += blocked


def _count(spans: dict[Any, _Span], key: Any, moment: datetime) -> _Span:
    span = spans.get(key)
    if span is None:
        span = spans[key] = _Span(1, moment, moment)
    else:
        span.count += 1
        span.first_at = min(span.first_at, moment)
        span.last_at = max(span.last_at, moment)
    return span


def _distinct(rows: Sequence[MinuteRow]) -> dict[tuple[int, int, str], MinuteRow]:
    """Each site-minute once; one given twice keeps its first category, as an insert that
    ignores conflicts would."""
    batch: dict[tuple[int, int, str], MinuteRow] = {}
    for row in rows:
        batch.setdefault((row.profile_id, epoch_minute(row.minute), row.site), row)
    return batch


def _stored_around(
    session: Session, keys: Iterable[tuple[int, int, str]]
) -> dict[tuple[int, int], dict[str, str | None]]:
    """(profile, minute) → {site: category} of the stored rows at or next to `keys`."""
    present: dict[tuple[int, int], dict[str, str | None]] = {}
    for profile_id, minute, site, category in _stored_rows(session, keys):
        present.setdefault((profile_id, minute), {})[site] = category
    return present


def _stored_rows(
    session: Session, keys: Iterable[tuple[int, int, str]]
) -> Iterable[tuple[int, int, str, str | None]]:
    """Stored minute rows within one minute of `keys`, read one cluster of minutes at a time."""
    for profile_id, first, last in _clusters(keys):
        statement = select(ActiveMinute.minute, ActiveMinute.site, ActiveMinute.category).where(
            ActiveMinute.profile_id == profile_id,
            ActiveMinute.minute >= minute_start(first - _NEIGHBOURS),
            ActiveMinute.minute <= minute_start(last + _NEIGHBOURS),
        )
        for minute, site, category in session.execute(statement):
            yield profile_id, epoch_minute(minute), site, category


def _clusters(keys: Iterable[tuple[int, int, str]]) -> list[tuple[int, int, int]]:
    """(profile, first minute, last minute) ranges covering the keys without long gaps."""
    ranges: list[tuple[int, int, int]] = []
    for profile_id, minute in sorted({(p, m) for p, m, _site in keys}):
        if ranges and ranges[-1][0] == profile_id and minute - ranges[-1][2] <= 2 * _NEIGHBOURS + 1:
            ranges[-1] = (profile_id, ranges[-1][1], minute)
        else:
            ranges.append((profile_id, minute, minute))
    return ranges


def _add_minutes(
    totals: _Totals,
    rows: Sequence[MinuteRow],
    present: dict[tuple[int, int], dict[str, str | None]],
    zone: tzinfo,
) -> None:
    """Count new site-minutes (see the module docstring); `present` grows as they are added."""
    for row in rows:
        profile_id, minute, site = row.profile_id, epoch_minute(row.minute), row.site
        day, hour = _local(row.minute, zone)
        here = present.setdefault((profile_id, minute), {})
        if site in here:
            continue
        if not here:
            totals.add_hour(profile_id, day, hour, ALL_SITES)
        category = row.category or OTHER_SITES
        if all((other or OTHER_SITES) != category for other in here.values()):
            totals.add_hour(profile_id, day, hour, category)
        usage = totals.site(profile_id, day, site)
        usage.minutes += 1
        usage.visits += 1
        if row.category:
            usage.category = row.category
        if site in present.get((profile_id, minute - 1), ()):
            usage.visits -= 1
        if site in present.get((profile_id, minute + 1), ()):
            next_day, _ = _local(minute_start(minute + 1), zone)
            totals.site(profile_id, next_day, site).visits -= 1
        here[site] = row.category


def _insert_minutes(session: Session, rows: Sequence[MinuteRow]) -> None:
    if not rows:
        return
    table = _table(ActiveMinute)
    values = [{"profile_id": r.profile_id, "minute": r.minute, "site": r.site,
               "category": r.category} for r in rows]
    connection = session.connection()
    statement = _insert(session, table).on_conflict_do_nothing()
    if connection.dialect.insert_executemany_returning:
        # PostgreSQL sends the rows in a few multi-row INSERTs, whose rowcount is the
        # last one's: count the rows actually inserted instead.
        stored = len(connection.execute(statement.returning(table.c.site), values).all())
    elif connection.dialect.supports_sane_multi_rowcount:
        stored = connection.execute(statement, values).rowcount
    else:  # pragma: no cover - neither of the two back ends Guardian supports
        raise StorageError(f"cannot count stored minutes on {connection.dialect.name}")
    if stored != len(values):
        raise RollupConflict(
            f"{len(values) - stored} screen-time minutes were stored by another "
            "writer meanwhile; the batch will be written again"
        )


# pg_advisory_xact_lock(class, key): the class keeps Guardian's locks apart from others'.
_ROLLUP_LOCK_CLASS = 0x47524F4C  # "GROL"


def _lock_profiles(session: Session, profile_ids: Iterable[int]) -> None:
    """On PostgreSQL, one writer at a time per child until the transaction ends.

    Two filters may log the same child (a shared default profile, a child who
    moves between PCs). Reading the neighbouring minutes and inserting the new
    ones must not interleave, or both filters would count the same visit; a
    duplicate minute is caught anyway (`RollupConflict`). SQLite has a single
    writer already. Locks are taken in id order, so two writers cannot deadlock.
    """
    if session.get_bind().dialect.name != "postgresql":
        return
    for profile_id in sorted(profile_ids):
        session.execute(select(func.pg_advisory_xact_lock(_ROLLUP_LOCK_CLASS, profile_id)))


def _write(session: Session, totals: _Totals) -> None:
    _upsert(session, _table(DailySiteUsage), [
        {"profile_id": p, "day": d, "site": s, "category": u.category, "minutes": u.minutes,
         "visits": u.visits, "requests": u.requests, "blocked": u.blocked, "bytes": u.bytes}
        for (p, d, s), u in totals.sites.items()
    ], add=("minutes", "visits", "requests", "blocked", "bytes"), keep=("category",))
    _upsert(session, _table(HourlyMinutes), [
        {"profile_id": p, "day": d, "hour": h, "category": c, "minutes": n}
        for (p, d, h, c), n in totals.hours.items()
    ], add=("minutes",))
    _upsert(session, _table(DailyBlocks), [
        {"profile_id": p, "day": d, "reason": r, "category": c, "site": s, "count": span.count,
         "first_at": span.first_at, "last_at": span.last_at}
        for (p, d, r, c, s), span in totals.blocks.items()
    ], add=("count",), earliest=("first_at",), latest=("last_at",))
    _upsert(session, _table(DailySearches), [
        {"profile_id": p, "day": d, "term": t, "count": span.count, "blocked": span.blocked,
         "last_at": span.last_at}
        for (p, d, t), span in totals.searches.items()
    ], add=("count", "blocked"), latest=("last_at",))


def _upsert(
    session: Session,
    table: Table,
    rows: list[dict[str, Any]],
    *,
    add: tuple[str, ...] = (),
    keep: tuple[str, ...] = (),
    earliest: tuple[str, ...] = (),
    latest: tuple[str, ...] = (),
) -> None:
    """Insert rows, or on a key already there: add up `add`, keep the newest non-null `keep`,
    the earliest of `earliest` and the latest of `latest`."""
    if not rows:
        return
    statement = _insert(session, table)
    new, old = statement.excluded, table.c
    changes: dict[str, Any] = {name: old[name] + new[name] for name in add}
    changes.update({name: func.coalesce(new[name], old[name]) for name in keep})
    changes.update({name: case((new[name] < old[name], new[name]), else_=old[name])
                    for name in earliest})
    changes.update({name: case((new[name] > old[name], new[name]), else_=old[name])
                    for name in latest})
    keys = [column.name for column in table.primary_key.columns]
    session.connection().execute(
        statement.on_conflict_do_update(index_elements=keys, set_=changes), rows
    )


def _table(model: type[Any]) -> Table:
    return cast(Table, model.__table__)


def _insert(session: Session, table: Table) -> Any:
    """The dialect's INSERT, which knows ON CONFLICT (SQLite and PostgreSQL spell it alike)."""
    name = session.get_bind().dialect.name
    if name == "sqlite":
        from sqlalchemy.dialects.sqlite import insert
    elif name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert  # type: ignore[assignment]
    else:
        raise StorageError(f"the activity summary needs SQLite or PostgreSQL, not {name}")
    return insert(table)
