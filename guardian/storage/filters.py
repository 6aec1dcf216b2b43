"""The filter registry: every `guardian proxy` sharing the database, and its health.

A school runs several filters against one database. Each registers itself
when it starts (machine name, listening address, version), says it is alive
every few seconds, and marks itself stopped when it stops, so the app can
show them all. Times come from the database server's clock, never the
filters' own, so a PC whose clock is wrong is not shown as silent.

Health, as the app and `guardian filters` show it:
- "ok": seen within `STALE_AFTER` and filtering normally;
- "problem": seen, but blocking children because it cannot read the policy
  or write the log (`problem` says why);
- "silent": not seen for longer than `STALE_AFTER` (crashed, cut off, or a
  PC switched off without stopping the filter);
- "stopped": stopped cleanly.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, cast

from sqlalchemy import CursorResult, delete, func, select, type_coerce, update
from sqlalchemy.orm import Session

from guardian.errors import NotFound
from guardian.storage.models import FilterInstance, UTCDateTime

HEARTBEAT_INTERVAL = 5.0  # seconds between a filter's "still here"
STALE_AFTER = timedelta(seconds=15)  # three heartbeats missed: silent
HEALTHS = ("ok", "problem", "silent", "stopped")
MAX_PROBLEM = 300


@dataclass(frozen=True, slots=True)
class FilterStatus:
    id: int
    name: str
    address: str
    version: str
    started_at: datetime
    last_seen: datetime
    seen_ago: timedelta  # by the database's clock
    health: str  # one of HEALTHS
    problem: str | None


def database_now(session: Session) -> datetime:
    """The database server's time (UTC, aware): one clock for every filter."""
    now = type_coerce(func.current_timestamp(), UTCDateTime())
    return session.execute(select(now)).scalar_one()


def register_filter(session: Session, name: str, address: str, version: str) -> int:
    """Record that the filter `name` at `address` has started; returns its id.

    A filter started again on the same machine and address takes its row back.
    """
    now = database_now(session)
    row = session.scalars(
        select(FilterInstance).where(FilterInstance.name == name,
                                     FilterInstance.address == address)
    ).first()
    if row is None:
        row = FilterInstance(name=name, address=address, version=version, started_at=now,
                             last_seen=now)
        session.add(row)
    else:
        row.version, row.started_at, row.last_seen = version, now, now
        row.stopped_at = row.problem = None
    session.flush()
    return row.id


def heartbeat(session: Session, filter_id: int, problem: str | None = None) -> bool:
    """The filter is alive (and why it blocks children, if it does); False if its row is gone."""
    result = cast(CursorResult[Any], session.execute(
        update(FilterInstance).where(FilterInstance.id == filter_id).values(
            last_seen=database_now(session), stopped_at=None,
            problem=problem[:MAX_PROBLEM] if problem else None)
    ))
    return bool(result.rowcount)


def mark_stopped(session: Session, filter_id: int) -> None:
    now = database_now(session)
    session.execute(update(FilterInstance).where(FilterInstance.id == filter_id)
                    .values(last_seen=now, stopped_at=now, problem=None))


def list_filters(session: Session, stale_after: timedelta = STALE_AFTER) -> list[FilterStatus]:
    """Every registered filter by machine name and address, with its health now."""
    now = database_now(session)
    rows = session.scalars(
        select(FilterInstance).order_by(FilterInstance.name, FilterInstance.address))
    return [_status(row, now, stale_after) for row in rows]


def forget_filter(session: Session, name: str) -> int:
    """Remove a retired machine's filters from the list; returns how many went."""
    removed = cast(CursorResult[Any], session.execute(
        delete(FilterInstance).where(FilterInstance.name == name))).rowcount
    if not removed:
        known = ", ".join(sorted(set(session.scalars(select(FilterInstance.name))))) or "none"
        raise NotFound(f"no filter on a machine named {name!r} (filters: {known})")
    return int(removed)


def _status(row: FilterInstance, now: datetime, stale_after: timedelta) -> FilterStatus:
    seen_ago = max(now - row.last_seen, timedelta(0))
    if row.stopped_at is not None:
        health = "stopped"
    elif seen_ago > stale_after:
        health = "silent"
    elif row.problem:
        health = "problem"
    else:
        health = "ok"
    return FilterStatus(row.id, row.name, row.address, row.version, row.started_at,
                        row.last_seen, seen_ago, health, row.problem)
