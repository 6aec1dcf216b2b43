"""One-line factories for the weekly summary's tests: minutes, requests, a child's week."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime, timedelta, tzinfo

from sqlalchemy.orm import Session

from guardian.active_time import MinuteRow
from guardian.storage.activity import LoggedRequest, append_requests
from guardian.storage.rollups import update_rollups


def local(zone: tzinfo, text: str) -> datetime:
    """`2026-11-23 16:00` in `zone`, as an aware datetime."""
    return datetime.fromisoformat(text).replace(tzinfo=zone)


def minutes(profile_id: int, start: datetime, count: int, site: str,
            category: str | None = None) -> list[MinuteRow]:
    """`count` consecutive site-minutes from `start` (rounded down to its minute)."""
    first = start.astimezone(UTC).replace(second=0, microsecond=0)
    return [MinuteRow(profile_id, first + timedelta(minutes=i), site, category)
            for i in range(count)]


def request(profile_id: int | None, moment: datetime, host: str, *, decision: str = "allow",
            reason: str = "allowed", category: str | None = None, size: int = 1000,
            search: str | None = None) -> LoggedRequest:
    return LoggedRequest(
        time=moment.astimezone(UTC), profile_id=profile_id, host=host, path="/", method="GET",
        status=403 if decision == "block" else 200, decision=decision, reason=reason,
        category=category, bytes=0 if decision == "block" else size, search=search,
    )


def blocked(profile_id: int, moment: datetime, host: str, reason: str = "category",
            category: str | None = None, search: str | None = None) -> LoggedRequest:
    return request(profile_id, moment, host, decision="block", reason=reason, category=category,
                   search=search)


def write(session: Session, zone: tzinfo, requests: Sequence[LoggedRequest] = (),
          minute_rows: Sequence[MinuteRow] = ()) -> int:
    """Write a batch as the filter's writer does; returns the new minute rows."""
    append_requests(session, list(requests))
    return update_rollups(session, list(requests), list(minute_rows), zone)
