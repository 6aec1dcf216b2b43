"""The request log: one row per request, written in batches, read by the parent.

A row holds what a parent needs to see and no more: no query string (search
terms and tokens live there), no headers, no cookies, no client address.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, fields
from datetime import datetime
from functools import lru_cache
from operator import attrgetter
from typing import Any, cast

from sqlalchemy import Dialect, Table, case, func, insert, or_, select
from sqlalchemy.orm import Session
from sqlalchemy.types import TypeEngine

from guardian.storage.models import Profile, RequestLog

_REQUEST_LOG = cast(Table, RequestLog.__table__)  # Core inserts: no ORM work per row


@dataclass(frozen=True, slots=True)
class LoggedRequest:
    time: datetime
    profile_id: int | None
    host: str
    path: str  # without the query string
    method: str
    status: int | None
    decision: str
    reason: str
    category: str | None
    bytes: int
    search: str | None = None


@dataclass(frozen=True, slots=True)
class ActivityEntry:
    time: datetime
    profile: str | None
    host: str
    path: str
    method: str
    status: int | None
    decision: str
    reason: str
    category: str | None
    bytes: int
    search: str | None = None


_LOGGED_FIELDS = tuple(f.name for f in fields(LoggedRequest))


def append_requests(session: Session, rows: Sequence[LoggedRequest]) -> None:
    """Insert a batch with one executemany (about 100x one commit per row).

    Core, not the ORM's bulk insert, and plain getattr, not `asdict`: those two
    took most of the writer's time at a million rows. On SQLite the rows go to
    the driver as plain tuples, each value through the column type's own bind
    processing: SQLAlchemy's per-row parameter handling was most of what is
    left of a flush's time, and the flush runs beside the event loop.
    """
    if not rows:
        return
    connection = session.connection()
    if connection.dialect.positional:
        sql, values = _positional_insert(connection.dialect)
        connection.exec_driver_sql(sql, [values(row) for row in rows])
    else:
        session.execute(
            insert(_REQUEST_LOG),
            [{name: getattr(row, name) for name in _LOGGED_FIELDS} for row in rows],
        )


@lru_cache(maxsize=8)
def _positional_insert(dialect: Dialect) -> tuple[str, Callable[[LoggedRequest], tuple[Any, ...]]]:
    """The INSERT as the driver takes it, and what turns a row into its parameters."""
    table = _REQUEST_LOG
    compiled = insert(table).compile(dialect=dialect, column_keys=list(_LOGGED_FIELDS))
    names = tuple(compiled.positiontup or ())
    if sorted(names) != sorted(_LOGGED_FIELDS):
        raise RuntimeError(f"unexpected INSERT parameters for the request log: {names}")
    read = attrgetter(*names)
    processors = tuple((i, processor) for i, name in enumerate(names)
                       if (processor := _bind_processor(table.c[name].type, dialect)) is not None)

    def values(row: LoggedRequest) -> tuple[Any, ...]:
        raw = read(row)
        if not processors:
            return raw  # type: ignore[no-any-return]
        converted = list(raw)
        for i, processor in processors:
            converted[i] = processor(converted[i])
        return tuple(converted)

    return compiled.string, values


def _bind_processor(column_type: TypeEngine[Any], dialect: Dialect) -> Callable[[Any], Any] | None:
    """What SQLAlchemy does to a value of `column_type` before the driver gets it."""
    return column_type.dialect_impl(dialect).bind_processor(dialect)


def recent_activity(
    session: Session,
    *,
    profile_id: int | None = None,
    since: datetime | None = None,
    limit: int = 1000,
) -> list[ActivityEntry]:
    """The newest requests first, optionally for one profile and from a time on."""
    query = (
        select(RequestLog, Profile.name)
        .outerjoin(Profile, RequestLog.profile_id == Profile.id)
        .order_by(RequestLog.time.desc(), RequestLog.id.desc())
        .limit(limit)
    )
    if profile_id is not None:
        query = query.where(RequestLog.profile_id == profile_id)
    if since is not None:
        query = query.where(RequestLog.time >= since)
    return [
        ActivityEntry(
            time=row.time, profile=name, host=row.host, path=row.path, method=row.method,
            status=row.status, decision=row.decision, reason=row.reason,
            category=row.category, bytes=row.bytes, search=row.search,
        )
        for row, name in session.execute(query)
    ]


# The parent app's log view: pages in (time, id) order, so that the millionth
# row costs what the first does (keyset pagination, no OFFSET), and counts for
# the overview.


@dataclass(frozen=True, slots=True)
class ActivityQuery:
    """Which rows the parent wants to see, and in which order."""

    profile_id: int | None = None
    decision: str | None = None  # "allow" | "block"
    text: str = ""  # a piece of the host or the path, any case
    since: datetime | None = None  # inclusive
    until: datetime | None = None  # exclusive
    newest_first: bool = True


@dataclass(frozen=True, slots=True)
class ActivityCursor:
    """The last row of a page; the next page starts just after it."""

    time: datetime
    id: int


@dataclass(frozen=True, slots=True)
class ActivityRecord:
    id: int
    time: datetime
    profile: str | None
    host: str
    path: str
    method: str
    status: int | None
    decision: str
    reason: str
    category: str | None
    bytes: int


@dataclass(frozen=True, slots=True)
class ActivityPage:
    records: tuple[ActivityRecord, ...]
    next_cursor: ActivityCursor | None  # None: this was the last page


@dataclass(frozen=True, slots=True)
class ProfileDayCounts:
    profile_id: int | None
    requests: int
    blocked: int


def activity_page(
    session: Session,
    query: ActivityQuery,
    after: ActivityCursor | None = None,
    limit: int = 200,
) -> ActivityPage:
    """One page of the log matching `query`, starting after `after` (keyset on time, id)."""
    statement = select(RequestLog, Profile.name).outerjoin(
        Profile, RequestLog.profile_id == Profile.id
    )
    if query.profile_id is not None:
        statement = statement.where(RequestLog.profile_id == query.profile_id)
    if query.decision is not None:
        statement = statement.where(RequestLog.decision == query.decision)
    if query.text.strip():
        text = query.text.strip()
        statement = statement.where(or_(
            RequestLog.host.icontains(text, autoescape=True),
            RequestLog.path.icontains(text, autoescape=True),
        ))
    if query.since is not None:
        statement = statement.where(RequestLog.time >= query.since)
    if query.until is not None:
        statement = statement.where(RequestLog.time < query.until)
    if query.newest_first:
        if after is not None:
            statement = statement.where(RequestLog.time <= after.time, or_(
                RequestLog.time < after.time, RequestLog.id < after.id))
        statement = statement.order_by(RequestLog.time.desc(), RequestLog.id.desc())
    else:
        if after is not None:
            statement = statement.where(RequestLog.time >= after.time, or_(
                RequestLog.time > after.time, RequestLog.id > after.id))
        statement = statement.order_by(RequestLog.time.asc(), RequestLog.id.asc())
    rows = session.execute(statement.limit(limit + 1)).all()
    records = tuple(
        ActivityRecord(
            id=row.id, time=row.time, profile=name, host=row.host, path=row.path,
            method=row.method, status=row.status, decision=row.decision, reason=row.reason,
            category=row.category, bytes=row.bytes,
        )
        for row, name in rows[:limit]
    )
    more = len(rows) > limit and records
    return ActivityPage(
        records, ActivityCursor(records[-1].time, records[-1].id) if more else None
    )


def counts_since(session: Session, since: datetime) -> list[ProfileDayCounts]:
    """Requests and blocks per profile from `since` on (None: traffic of no profile)."""
    blocked = func.sum(case((RequestLog.decision == "block", 1), else_=0))
    statement = (
        select(RequestLog.profile_id, func.count(), blocked)
        .where(RequestLog.time >= since)
        .group_by(RequestLog.profile_id)
    )
    return [
        ProfileDayCounts(profile_id, int(requests), int(blocks or 0))
        for profile_id, requests, blocks in session.execute(statement)
    ]
