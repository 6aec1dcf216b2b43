"""Retention: raw rows for as long as the parent chose, the daily rollups for longer.

- Request rows (`request_log`) and screen-time minutes (`active_minutes`)
  older than the household's RAW_LOG_RETENTION_DAYS setting (30 by default)
  are deleted: they say which page a child opened and when, and a parent
  rarely needs that detail after a month (PARENT-1: monitor, do not hoard).
- The daily rollups the weekly summary reads are kept for
  `ROLLUP_RETENTION_DAYS` (400: a year, and the weeks before it to compare
  with). Days past that are deleted too.

Deletion goes in small batches, each in its own short transaction, so that
the filter's writer never waits long for the database: `apply_retention`
deletes at most `batch` rows of each kind and says whether more are left;
the caller commits and calls it again (`proxy_addons.retention` does, in a
worker thread, at start and every hour).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from guardian.storage.models import ActiveMinute, RequestLog
from guardian.storage.rollups import ROLLUP_TABLES
from guardian.storage.settings import RAW_LOG_RETENTION_DAYS, get_setting

ROLLUP_RETENTION_DAYS = 400
BATCH_ROWS = 5_000
# Minutes are deleted a slice of time at a time (their key has no single id).
MINUTE_SLICE = timedelta(hours=6)
MIN_RAW_DAYS = 1


@dataclass(frozen=True, slots=True)
class RetentionResult:
    requests: int  # request rows deleted
    minutes: int  # minute rows deleted
    rollups: int  # rollup rows deleted
    more: bool  # rows past their time are left: commit and call again


def raw_retention_days(session: Session) -> int:
    """The parent's setting; a value that is not a whole number of days falls back to 30."""
    text = get_setting(session, RAW_LOG_RETENTION_DAYS)
    try:
        days = int(text)
    except ValueError:
        days = int(RAW_LOG_RETENTION_DAYS.default)
    return max(days, MIN_RAW_DAYS)


def apply_retention(session: Session, now: datetime, *, batch: int = BATCH_ROWS) -> RetentionResult:
    """Delete one batch of rows past their time (see the module docstring)."""
    raw_cutoff = now - timedelta(days=raw_retention_days(session))
    oldest_ids = (select(RequestLog.id).where(RequestLog.time < raw_cutoff)
                  .order_by(RequestLog.time).limit(batch))
    requests = _deleted(session, delete(RequestLog).where(RequestLog.id.in_(oldest_ids)))

    minutes, more_minutes = 0, False
    oldest = session.scalar(select(func.min(ActiveMinute.minute))
                            .where(ActiveMinute.minute < raw_cutoff))
    if oldest is not None:
        until = min(raw_cutoff, oldest + MINUTE_SLICE)
        minutes = _deleted(session, delete(ActiveMinute).where(ActiveMinute.minute < until))
        more_minutes = until < raw_cutoff and session.scalar(
            select(ActiveMinute.minute).where(ActiveMinute.minute < raw_cutoff).limit(1)
        ) is not None

    rollup_cutoff = (now - timedelta(days=ROLLUP_RETENTION_DAYS)).date().isoformat()
    rollups = sum(_deleted(session, delete(table).where(table.day < rollup_cutoff))
                  for table in ROLLUP_TABLES)
    return RetentionResult(requests, minutes, rollups, requests >= batch or more_minutes)


def _deleted(session: Session, statement) -> int:  # type: ignore[no-untyped-def]
    result = session.execute(statement.execution_options(synchronize_session=False))
    return int(getattr(result, "rowcount", 0) or 0)
