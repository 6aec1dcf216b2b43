"""Why would Guardian allow or block this address for this child? One answer, as plain data.

The parent app's "Why" view asks this: the household policy is loaded as the
filter loads it (with the category index the filter uses), the engine decides,
and the rule of the Code of Conduct behind a block is the one the child's block
page would cite. Minutes already used today are not counted: a daily budget
that is used up shows on the Time page, not here.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy.orm import Session

from guardian.block_page import BlockedRequest, cited_rule
from guardian.conduct import ConductRule
from guardian.decision import Decision
from guardian.domain_index import DomainIndex
from guardian.engine import NoUsage, RequestFacts, decide
from guardian.errors import NotFound, UsageError
from guardian.hosts import normalize_host, normalize_path
from guardian.policy import load_policy


@dataclass(frozen=True, slots=True)
class UrlCheck:
    url: str  # as the parent typed it
    host: str  # canonical
    path: str
    decision: Decision
    rule: ConductRule | None  # the rule of the code behind a block, None if allowed


def split_url(url: str) -> tuple[str, str]:
    """(canonical host, normalized path) of an address typed with or without a scheme."""
    text = url.strip()
    if not text:
        raise UsageError("type an address, for example example.com/page")
    if "://" in text:
        text = text.split("://", 1)[1]
    text = text.split("#", 1)[0]
    cut = min((i for i in (text.find("/"), text.find("?")) if i >= 0), default=len(text))
    host, path = text[:cut], text[cut:] or "/"
    if "@" in host:
        host = host.rsplit("@", 1)[1]
    if not path.startswith("/"):
        path = "/" + path
    return normalize_host(host), normalize_path(path)


def check_url(session: Session, index_path: Path | None, profile_id: int, url: str,
              now: datetime | None = None) -> UrlCheck:
    """What the filter would do now with `url` for the child `profile_id`."""
    host, path = split_url(url)
    now = now or datetime.now(UTC)
    index = DomainIndex.EMPTY if index_path is None else DomainIndex.open(index_path)
    household = load_policy(session, index, now)
    policy = next((p for p in household.profiles if p.id == profile_id), None)
    if policy is None:
        raise NotFound(f"no profile with id {profile_id}")
    decision = decide(RequestFacts(host, path), policy, NoUsage(), now.astimezone(household.zone))
    rule = None
    if decision.blocked:
        rule = cited_rule(BlockedRequest(url=url, host=host, language=policy.language,
                                         reason=decision.reason, category=decision.category,
                                         rule=decision.rule))
    return UrlCheck(url.strip(), host, path, decision, rule)
