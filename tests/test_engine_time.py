"""Time rules in the engine: allowed hours, daily budgets, grants; with an injected time."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, timedelta
from types import MappingProxyType
from zoneinfo import ZoneInfo

import pytest

from guardian.decision import Action, Reason
from guardian.engine import NoUsage, RequestFacts, context_for, decide, minutes_left
from guardian.policy import BudgetRule
from guardian.schedule import build_hours, parse_ranges
from tests.test_engine import INDEX, DictIndex, make_policy

HCM = ZoneInfo("Asia/Ho_Chi_Minh")
MONDAY_10 = datetime(2026, 11, 30, 10, 0, tzinfo=HCM)
TODAY = MONDAY_10.date().isoformat()
GAMES = DictIndex({"game-a.example": "games", "game-b.example": "games",
                   **INDEX.domains})


class Used:
    """Minutes used today, as a table: {(scope, key): minutes}."""

    def __init__(self, **table: int) -> None:
        self.table = {tuple(k.split("__")): v for k, v in table.items()}

    def used(self, day: date, scope: str, key: str = "") -> int:
        return self.table.get((scope, key), self.table.get((scope,), 0))


def policy_with(*budgets: tuple[str, str, int], hours: str | None = None,
                grants: dict | None = None, extended: datetime | None = None):  # type: ignore[no-untyped-def]
    policy = make_policy(index=GAMES)
    weekly = None
    if hours is not None:
        weekly = build_hours([(d, r.start, r.end) for d in range(5) for r in parse_ranges(hours)])
    return replace(policy, budgets=tuple(BudgetRule(*b) for b in budgets), hours=weekly,
                   grants=MappingProxyType(grants or {}), hours_extended_until=extended)


def decision_for(host: str, policy, usage, now=MONDAY_10):  # type: ignore[no-untyped-def]
    return decide(RequestFacts(host), policy, usage, now)


@pytest.mark.parametrize(
    ("budgets", "usage", "host", "reason", "scope", "key"),
    [
        ((("total", "", 60),), Used(total=59), "school.example", Reason.ALLOWED, None, None),
        ((("total", "", 60),), Used(total=60), "school.example", Reason.TIME_UP, "total", ""),
        ((("total", "", 0),), Used(total=0), "school.example", Reason.TIME_UP, "total", ""),
        ((("category", "games", 180),), Used(category__games=180), "game-a.example",
         Reason.TIME_UP, "category", "games"),
        ((("category", "games", 180),), Used(category__games=180), "school.example",
         Reason.ALLOWED, None, None),
        ((("each_site", "games", 60),), Used(site__game_a=0, **{"site__game-a.example": 60}),
         "www.game-a.example", Reason.TIME_UP, "each_site", "game-a.example"),
        ((("each_site", "games", 60),), Used(**{"site__game-a.example": 60}),
         "game-b.example", Reason.ALLOWED, None, None),  # each game has its own hour
        ((("site", "video.example", 30),), Used(**{"site__video.example": 30}),
         "m.video.example", Reason.TIME_UP, "site", "video.example"),
    ],
)
def test_budgets(budgets, usage, host, reason, scope, key) -> None:  # type: ignore[no-untyped-def]
    decision = decision_for(host, policy_with(*budgets), usage)
    assert decision.reason is reason
    if scope is None:
        assert decision.limit is None
    else:
        assert (decision.limit.scope, decision.limit.key) == (scope, key)
        assert decision.limit.used_minutes >= decision.limit.allowed_minutes
        # Budgets start again at local midnight.
        assert decision.limit.returns_at == datetime(2026, 12, 1, 0, 0, tzinfo=HCM)


def test_grants_add_minutes_for_today_only() -> None:
    grants = {(TODAY, "total", ""): 15}
    policy = policy_with(("total", "", 60), grants=grants)
    assert decision_for("a.example", policy, Used(total=74)).reason is Reason.ALLOWED
    assert decision_for("a.example", policy, Used(total=75)).reason is Reason.TIME_UP
    tomorrow = MONDAY_10 + timedelta(days=1)
    assert decision_for("a.example", policy, Used(total=60), tomorrow).reason is Reason.TIME_UP


def test_a_rest_of_today_grant_lifts_the_limit() -> None:
    policy = policy_with(("category", "games", 180), grants={(TODAY, "category", "games"): None})
    assert decision_for("game-a.example", policy, Used(category__games=500)).action is Action.ALLOW


def test_a_category_grant_also_extends_each_game() -> None:
    policy = policy_with(("each_site", "games", 60), grants={(TODAY, "category", "games"): 30})
    usage = Used(**{"site__game-a.example": 80})
    assert decision_for("game-a.example", policy, usage).action is Action.ALLOW


def test_outside_hours_says_when_access_returns() -> None:
    policy = policy_with(hours="07:00-20:30")
    late = MONDAY_10.replace(hour=21)
    decision = decision_for("school.example", policy, NoUsage(), late)
    assert decision.reason is Reason.OUTSIDE_HOURS
    assert decision.limit.returns_at == datetime(2026, 12, 1, 7, 0, tzinfo=HCM)
    assert decision_for("school.example", policy, NoUsage()).action is Action.ALLOW


def test_more_time_past_bedtime_lasts_until_it_ends() -> None:
    late = MONDAY_10.replace(hour=21)
    policy = policy_with(hours="07:00-20:30", extended=late + timedelta(minutes=15))
    assert decision_for("a.example", policy, NoUsage(), late).action is Action.ALLOW
    after = late + timedelta(minutes=16)
    assert decision_for("a.example", policy, NoUsage(), after).reason is Reason.OUTSIDE_HOURS


def test_time_up_returns_at_the_next_allowed_hour_after_midnight() -> None:
    policy = policy_with(("total", "", 60), hours="07:00-20:30")
    decision = decision_for("a.example", policy, Used(total=60))
    assert decision.limit.returns_at == datetime(2026, 12, 1, 7, 0, tzinfo=HCM)


def test_content_blocks_come_before_time() -> None:
    policy = policy_with(("total", "", 60))
    decision = decision_for("casino.example", policy, Used(total=60))
    assert decision.reason is Reason.CATEGORY


def test_an_allow_rule_does_not_lift_time_limits() -> None:
    policy = replace(make_policy(("allow", "casino.example"), index=GAMES),
                     budgets=(BudgetRule("total", "", 60),))
    assert decision_for("casino.example", policy, Used(total=60)).reason is Reason.TIME_UP


def test_minutes_left_is_the_tightest_limit() -> None:
    policy = policy_with(("total", "", 120), ("each_site", "games", 60), hours="07:00-20:30")
    usage = Used(total=100, **{"site__game-a.example": 55})
    context = context_for(RequestFacts("game-a.example"), policy, usage, MONDAY_10)
    assert minutes_left(context) == 5
    evening = context_for(RequestFacts("school.example"), policy, Used(total=0),
                          MONDAY_10.replace(hour=20, minute=25))
    assert minutes_left(evening) == 5
    free = context_for(RequestFacts("a.example"), make_policy(), NoUsage(), MONDAY_10)
    assert minutes_left(free) is None
