"""A child's "ask a parent" requests and "report this page" reports, and the parent's answers.

An answer takes effect through the policy: a site approved becomes an allow
rule (expiring, or not for "always"); more time becomes a grant for today,
or for "always" the limit is lifted. The policy version is bumped in the same
transaction, so the filter applies the answer within a second or two.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta, tzinfo

from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from guardian.errors import NotFound, UsageError
from guardian.schedule import next_midnight
from guardian.storage.models import AccessRequest, AllowedHours, Budget, Profile, Report, Rule
from guardian.storage.policy_version import bump_policy_version
from guardian.storage.screen_time import grant_time, record_total_budget
from guardian.tokens import InvalidToken, TokenClaims

MAX_MESSAGE = 500
_MINUTES_ANSWER = re.compile(r"^(\d{1,4})m$")


@dataclass(frozen=True, slots=True)
class RequestInfo:
    id: int
    profile: str
    profile_id: int
    kind: str
    host: str
    path: str
    scope: str
    key: str
    category: str | None
    message: str
    status: str
    answer: str | None
    created_at: datetime
    answered_at: datetime | None

    @property
    def target(self) -> str:
        if self.kind == "site":
            return self.host
        return f"{self.scope}:{self.key}" if self.key else self.scope


@dataclass(frozen=True, slots=True)
class ReportInfo:
    id: int
    profile: str | None
    host: str
    path: str
    category: str | None
    note: str
    created_at: datetime


def create_request(session: Session, claims: TokenClaims, message: str) -> int:
    """Record a request from a verified token; a token used before raises InvalidToken."""
    if claims.purpose != "ask" or claims.kind not in ("site", "time"):
        raise InvalidToken("this link cannot ask for anything")
    row = AccessRequest(
        profile_id=claims.profile_id, kind=claims.kind, host=claims.host, path=claims.path,
        scope=claims.scope, key=claims.key, category=claims.category,
        message=_clean(message), nonce=claims.nonce,
    )
    return _insert_once(session, row)


def create_report(session: Session, claims: TokenClaims, note: str) -> int:
    if claims.purpose != "report":
        raise InvalidToken("this link cannot report anything")
    row = Report(profile_id=claims.profile_id, host=claims.host, path=claims.path,
                 category=claims.category, note=_clean(note), nonce=claims.nonce)
    return _insert_once(session, row)


def _insert_once(session: Session, row: AccessRequest | Report) -> int:
    try:
        with session.begin_nested():
            session.add(row)
            session.flush()
    except IntegrityError:
        raise InvalidToken("this link was already used") from None
    return row.id


def _clean(text: str) -> str:
    return "".join(c for c in text if c.isprintable() or c == "\n")[:MAX_MESSAGE].strip()


def list_requests(session: Session, status: str | None = None) -> list[RequestInfo]:
    query = (select(AccessRequest, Profile.name)
             .join(Profile, AccessRequest.profile_id == Profile.id)
             .order_by(AccessRequest.created_at.desc(), AccessRequest.id.desc()))
    if status is not None:
        query = query.where(AccessRequest.status == status)
    return [_info(row, name) for row, name in session.execute(query)]


def get_request(session: Session, request_id: int) -> RequestInfo:
    found = session.execute(
        select(AccessRequest, Profile.name)
        .join(Profile, AccessRequest.profile_id == Profile.id)
        .where(AccessRequest.id == request_id)
    ).first()
    if found is None:
        raise NotFound(f"no request number {request_id}")
    return _info(*found)


def _info(row: AccessRequest, name: str) -> RequestInfo:
    return RequestInfo(
        id=row.id, profile=name, profile_id=row.profile_id, kind=row.kind, host=row.host,
        path=row.path, scope=row.scope, key=row.key, category=row.category,
        message=row.message, status=row.status, answer=row.answer,
        created_at=row.created_at, answered_at=row.answered_at,
    )


def parse_answer(answer: str) -> str:
    """`15m`, `60m` (any 1-1440 minutes), `today` or `always`."""
    answer = answer.strip().lower()
    match = _MINUTES_ANSWER.match(answer)
    if match and 1 <= int(match.group(1)) <= 24 * 60:
        return answer
    if answer in ("today", "always"):
        return answer
    raise UsageError(f"an answer is N minutes (15m), 'today' or 'always', not {answer!r}")


def approve_request(
    session: Session, request_id: int, answer: str, now: datetime, zone: tzinfo
) -> RequestInfo:
    answer = parse_answer(answer)
    row = _pending(session, request_id)
    local_now = now.astimezone(zone)
    minutes = int(answer[:-1]) if answer.endswith("m") else None
    if row.kind == "site":
        expires = None
        if minutes is not None:
            expires = now + timedelta(minutes=minutes)
        elif answer == "today":
            expires = next_midnight(local_now)
        _allow_site(session, row, expires)
    else:
        _more_time(session, row, answer, minutes, local_now)
    row.status, row.answer, row.answered_at = "approved", answer, now
    bump_policy_version(session)
    return get_request(session, request_id)


def deny_request(session: Session, request_id: int, now: datetime) -> RequestInfo:
    row = _pending(session, request_id)
    row.status, row.answered_at = "denied", now
    return get_request(session, request_id)


def _pending(session: Session, request_id: int) -> AccessRequest:
    row = session.get(AccessRequest, request_id)
    if row is None:
        raise NotFound(f"no request number {request_id}")
    if row.status != "pending":
        raise UsageError(f"request {request_id} was already {row.status}")
    return row


def _allow_site(session: Session, row: AccessRequest, expires: datetime | None) -> None:
    rule = session.scalars(select(Rule).where(
        Rule.profile_id == row.profile_id, Rule.action == "allow",
        Rule.host == row.host, Rule.path == "")).first()
    if rule is None:
        session.add(Rule(profile_id=row.profile_id, action="allow", host=row.host, path="",
                         expires_at=expires))
    elif rule.expires_at is not None:
        rule.expires_at = None if expires is None else max(rule.expires_at, expires)


def _more_time(
    session: Session, row: AccessRequest, answer: str, minutes: int | None, local_now: datetime
) -> None:
    profile = session.get(Profile, row.profile_id)
    assert profile is not None
    today = local_now.date()
    if answer == "always":
        if row.scope == "hours":
            session.execute(delete(AllowedHours).where(AllowedHours.profile_id == profile.id))
        else:
            scope, key = ("each_site", row.category or "") if row.scope == "each_site" else (
                row.scope, row.key)
            session.execute(delete(Budget).where(
                Budget.profile_id == profile.id, Budget.scope == scope, Budget.key == key))
            if scope == "total":
                record_total_budget(session, profile, None, today)
        return
    scope = "site" if row.scope == "each_site" else row.scope
    grant_time(session, profile, today, minutes, scope=scope, key=row.key)


def list_reports(session: Session) -> list[ReportInfo]:
    query = (select(Report, Profile.name).outerjoin(Profile, Report.profile_id == Profile.id)
             .order_by(Report.created_at.desc(), Report.id.desc()))
    return [
        ReportInfo(r.id, name, r.host, r.path, r.category, r.note, r.created_at)
        for r, name in session.execute(query)
    ]
