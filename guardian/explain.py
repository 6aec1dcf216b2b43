"""Which rule of the Code of Conduct Guardian serves, how, and whether it is on for a child.

`guardian policy explain` and the app's Rules page read this: every rule the
catalog holds, the features that implement it, and for a given child the
state of each feature. Features Guardian does not have yet are said to be
so, rather than claimed.
"""

from __future__ import annotations

from dataclasses import dataclass

from guardian import conduct
from guardian.conduct import Catalog

# Always on for every child: part of every page and of the filter itself.
ALWAYS_ON = frozenset({
    conduct.REPORT, conduct.HOTLINE, conduct.ASK_PARENT, conduct.ACTIVITY_LOG,
    conduct.SAFETY_TIPS, conduct.CHILD_PAGE, conduct.BLOCK_PAGE, conduct.CONTENT_SCAN,
    conduct.RATING_LABELS, conduct.WEEKLY_SUMMARY,
})
# Named by the catalog but not built yet.
NOT_YET = frozenset({
    conduct.LINK_WARNING, conduct.TEXT_WARNING, conduct.PARENT_ALERTS, conduct.PARENT_GUIDE,
    conduct.SETUP_WIZARD,
})


@dataclass(frozen=True)
class ProfileFacts:
    """What explain needs to know about one child's settings."""

    name: str
    blocked: frozenset[str]
    safe_search: bool
    youtube: str
    has_details: bool
    budgets: frozenset[tuple[str, str]]  # (scope, key)
    has_hours: bool
    social_signup: bool = False  # a social network's sign-up page needs a parent


@dataclass(frozen=True)
class RuleExplanation:
    id: str
    article: str
    enforcement: str
    text: str
    features: tuple[tuple[str, str], ...]  # (feature, "on" | "off" | "not_yet")

    @property
    def state(self) -> str:
        """"on" when every built feature is on, "partly", "off", or "not_yet"."""
        states = {state for _, state in self.features if state != "not_yet"}
        if not states:
            return "not_yet"
        if states == {"on"}:
            return "on"
        return "off" if states == {"off"} else "partly"


def feature_state(feature: str, facts: ProfileFacts | None) -> str:
    if feature in NOT_YET:
        return "not_yet"
    if feature in ALWAYS_ON or facts is None:
        return "on"
    if feature.startswith(conduct.CATEGORY_PREFIX):
        return _on(feature.removeprefix(conduct.CATEGORY_PREFIX) in facts.blocked)
    checks = {
        conduct.SAFE_SEARCH: facts.safe_search,
        conduct.YOUTUBE_RESTRICTED: facts.youtube != "off",
        conduct.PII_GUARD: facts.has_details,
        conduct.TIME_BUDGET: bool(facts.budgets),
        conduct.GAME_LIMITS: any(key == "games" for _, key in facts.budgets),
        conduct.ALLOWED_HOURS: facts.has_hours,
        conduct.SOCIAL_SIGNUP_APPROVAL: facts.social_signup,
    }
    return _on(checks.get(feature, True))


def _on(value: bool) -> str:
    return "on" if value else "off"


def explain(catalog: Catalog, language: str, facts: ProfileFacts | None = None
            ) -> list[RuleExplanation]:
    """Every rule Guardian acts on; with `facts`, whether each of its features is on."""
    return [
        RuleExplanation(
            id=rule.id,
            article=rule.article,
            enforcement=rule.enforcement,
            text=rule.text.get(language),
            features=tuple((f, feature_state(f, facts)) for f in sorted(rule.features)),
        )
        for rule in catalog.rules
    ]
