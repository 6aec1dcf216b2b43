"""What the engine decides about one request, as plain data.

The engine returns reason codes, never sentences: block pages, the activity
log and the app translate them (see `guardian/i18n.py`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum


class Action(StrEnum):
    ALLOW = "allow"
    BLOCK = "block"


class Reason(StrEnum):
    ALLOWED = "allowed"  # nothing in the policy applies
    ALLOW_RULE = "allow_rule"  # the parent allowed this domain or URL
    BLOCK_RULE = "block_rule"  # the parent blocked this domain or URL
    CATEGORY = "category"  # the site is in a category blocked for this child
    NOT_ASSIGNED = "not_assigned"  # this device belongs to no child profile
    INVALID_HOST = "invalid_host"  # the request names no usable host
    POLICY_UNAVAILABLE = "policy_unavailable"  # the filter could not load its policy
    OUTSIDE_HOURS = "outside_hours"  # not within the child's allowed hours
    TIME_UP = "time_up"  # a daily time budget is used up
    UNSAFE_SEARCH = "unsafe_search"  # a search engine Guardian cannot make safe
    CONTENT = "content"  # the page's words scored over the child's threshold
    PERSONAL_INFO = "personal_info"  # the child was about to send their own details
    SIGNUP = "signup"  # making a social network account needs a parent (under 16)


@dataclass(frozen=True, slots=True)
class TimeLimit:
    """Which time limit blocked a request, for the time's-up page.

    `scope` is "hours", "total", "category", "site" or "each_site"; `key` the
    category code or site it applies to ("" for hours and total).
    """

    scope: str
    key: str
    used_minutes: int | None
    allowed_minutes: int | None
    returns_at: datetime | None  # local time access returns; None if not today or tomorrow


@dataclass(frozen=True, slots=True)
class Decision:
    action: Action
    reason: Reason
    category: str | None = None
    # The parent's rule that decided, as typed (`example.com`, `example.com/games`).
    rule: str | None = None
    limit: TimeLimit | None = None

    @property
    def blocked(self) -> bool:
        return self.action is Action.BLOCK


ALLOWED = Decision(Action.ALLOW, Reason.ALLOWED)


def block(
    reason: Reason,
    category: str | None = None,
    rule: str | None = None,
    limit: TimeLimit | None = None,
) -> Decision:
    return Decision(Action.BLOCK, reason, category, rule, limit)
