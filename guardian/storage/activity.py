"""The request log: one row per request, written in batches, read by the parent.

A row holds what a parent needs to see and no more: no query string (search
terms and tokens live there), no headers, no cookies, no client address.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass
from datetime import datetime

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from guardian.storage.models import Profile, RequestLog


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


def append_requests(session: Session, rows: Sequence[LoggedRequest]) -> None:
    """Insert a batch with one executemany (about 100x one commit per row)."""
    if rows:
        session.execute(insert(RequestLog), [asdict(row) for row in rows])


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
            category=row.category, bytes=row.bytes,
        )
        for row, name in session.execute(query)
    ]
