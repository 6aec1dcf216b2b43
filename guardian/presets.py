"""What a new child profile starts with, chosen from the child's age.

A parent who adds a child gives an age and gets a policy that is already
defensible: each setting copies a rule of the Code of Conduct (Decision
88/QĐ-BTTTT) or a number of the laws beside it, and `Preset.rules` says which,
so that the app can show "this setting serves CHILD-2". Parents tighten or relax
anything afterwards; a preset is only the starting point.

The bands follow the ages the law uses: the game caps of Decree 147/2024 bind
under 18, a parent registers social accounts under 16 (Decree 147 Arts. 23, 27;
the Law on Children's "child"), and the code's GEN-2 asks for what "suits the
child's age", which is why there are more bands below 16 than the law draws.

Choices made here, and why:
- Every preset blocks the core of harmful content (CHILD-7, PLATFORM-4: adult,
  csam, violence, weapons, hate, fraud, trafficking, gambling, drugs,
  self_harm), dangerous links (CHILD-9: malware) and the tools that defeat the
  parent's supervision (PARENT-5: bypass).
- Under 16, contact with strangers and dating (CHILD-4, USER-4) and alcohol and
  tobacco (GEN-2) are blocked: the code's children's rules are written for
  "trẻ em", under 16.
- Under 14, social networks are blocked outright rather than approved per
  sign-up (CHILD-4, PARENT-5); from 14 to 15 they are open but signing up needs
  a parent (Decree 147): `social_signup_needs_parent`, which Guardian enforces on
  the networks' sign-up pages (`guardian.signups`).
- Under 6, games and video are blocked too, and the parent allows the sites
  they choose (GEN-2, PARENT-4: a child this young is accompanied, cannot read
  a block page or pace a budget, and video feeds are where the code's
  "nhảm nhí, vô bổ" content (CHILD-7) autoplays). A budget would still let a
  stranger's channel in; an allow rule lets in only what the parent picked.
- Search engines Guardian cannot make safe are blocked up to 13 and flagged
  (allowed, shown in the log) from 14 (CHILD-2).
- From 18 the profile is no longer a child's: the Decree 147 caps and the
  under-16 sign-up rule do not apply and safe search is off, but the harmful
  core stays blocked. The parent installed Guardian for the family PC, and a
  younger child may still use that profile; they can relax it in one click.

`content_scan_threshold` is the weighted phrase score above which a page is
blocked, on e2guardian's `naughtynesslimit` scale (its documentation suggests
60 for young children, 100 for older children, 160 for young adults): lower is
stricter, and younger children get the lower numbers.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

from guardian.categories import CATEGORIES

# Decree 147/2024/NĐ-CP, for players under 18; the catalog
# (`guardian.conduct.load_catalog().law`) holds the same numbers with their
# citations, and tests/test_presets.py checks that they agree.
GAMES_UNDER_AGE = 18
PER_GAME_MINUTES = 60
GAMES_TOTAL_MINUTES = 180
GAME_REMINDER_MINUTES = 30
# Decree 147 Arts. 23, 27: a parent registers social accounts under 16.
SOCIAL_PARENT_UNDER_AGE = 16

YOUTUBE_MODES = ("strict", "moderate", "off")
UNSAFE_ENGINE_MODES = ("block", "flag")

ALWAYS_BLOCKED: frozenset[str] = frozenset({
    "adult", "csam", "violence", "weapons", "hate", "fraud", "trafficking",
    "gambling", "drugs", "self_harm", "malware", "bypass",
})
UNDER_16_BLOCKED = ALWAYS_BLOCKED | {"chat_dating", "alcohol_tobacco"}
UNDER_14_BLOCKED = UNDER_16_BLOCKED | {"social"}
UNDER_6_BLOCKED = UNDER_14_BLOCKED | {"games", "video"}

# The rules of the code each setting serves (IDs of guardian/data/code_of_conduct.toml).
# Which rules block each category is the catalog's `rules_for_category(code)`.
SETTING_RULES: Mapping[str, tuple[str, ...]] = MappingProxyType({
    "blocked_categories": ("GEN-2", "CHILD-4", "CHILD-7", "CHILD-9", "PARENT-5", "PLATFORM-4"),
    "safe_search": ("CHILD-2", "PLATFORM-5"),
    "youtube": ("CHILD-2", "PLATFORM-5"),
    "unsafe_search_engines": ("CHILD-2",),
    "daily_total_minutes": ("PARENT-5", "PLATFORM-3"),
    "games_total_minutes": ("GEN-1", "PLATFORM-3"),
    "per_game_minutes": ("GEN-1", "PLATFORM-3"),
    "game_reminder_minutes": ("GEN-1", "PLATFORM-3"),
    "social_signup_needs_parent": ("GEN-1", "CHILD-4", "USER-1", "PARENT-5"),
    "content_scan_threshold": ("CHILD-7", "PLATFORM-4", "PLATFORM-5"),
})


@dataclass(frozen=True)
class Preset:
    """The starting policy for one age band (`first_age` to `last_age`, inclusive)."""

    key: str
    first_age: int
    last_age: int | None  # None: no upper end
    blocked_categories: frozenset[str]
    safe_search: bool
    youtube: str  # "strict" | "moderate" | "off"
    unsafe_search_engines: str  # "block" | "flag"
    daily_total_minutes: int | None  # None: no daily cap on all browsing
    games_total_minutes: int | None  # None: no cap (18 and over)
    per_game_minutes: int | None
    game_reminder_minutes: int | None
    social_signup_needs_parent: bool
    content_scan_threshold: int  # block a page whose phrase score reaches this
    rules: Mapping[str, tuple[str, ...]] = field(
        default=SETTING_RULES, compare=False, hash=False, repr=False
    )

    def __post_init__(self) -> None:
        unknown = self.blocked_categories - set(CATEGORIES)
        if unknown:
            raise ValueError(f"preset {self.key} blocks unknown categories {sorted(unknown)}")
        if self.youtube not in YOUTUBE_MODES:
            raise ValueError(f"preset {self.key}: youtube must be one of {YOUTUBE_MODES}")
        if self.unsafe_search_engines not in UNSAFE_ENGINE_MODES:
            raise ValueError(f"preset {self.key}: unsafe_search_engines must be one of "
                             f"{UNSAFE_ENGINE_MODES}")
        missing = set(SETTINGS) - set(self.rules)
        if missing:
            raise ValueError(f"preset {self.key} cites no rule for {sorted(missing)}")

    def covers(self, age: int) -> bool:
        return self.first_age <= age and (self.last_age is None or age <= self.last_age)


def _child(key: str, first_age: int, last_age: int, *, blocked: frozenset[str],
           youtube: str, unsafe_engines: str, daily: int | None, threshold: int) -> Preset:
    """A preset for an age band under 18, where the laws' numbers always apply."""
    return Preset(
        key=key, first_age=first_age, last_age=last_age, blocked_categories=blocked,
        safe_search=True, youtube=youtube, unsafe_search_engines=unsafe_engines,
        daily_total_minutes=daily, games_total_minutes=GAMES_TOTAL_MINUTES,
        per_game_minutes=PER_GAME_MINUTES, game_reminder_minutes=GAME_REMINDER_MINUTES,
        social_signup_needs_parent=last_age < SOCIAL_PARENT_UNDER_AGE,
        content_scan_threshold=threshold,
    )


# The settings a preset carries, each of which must cite rules in `SETTING_RULES`.
SETTINGS: tuple[str, ...] = tuple(SETTING_RULES)

PRESETS: tuple[Preset, ...] = (
    _child("under_6", 0, 5, blocked=UNDER_6_BLOCKED, youtube="strict",
           unsafe_engines="block", daily=60, threshold=40),
    _child("6_10", 6, 10, blocked=UNDER_14_BLOCKED, youtube="strict",
           unsafe_engines="block", daily=120, threshold=60),
    _child("11_13", 11, 13, blocked=UNDER_14_BLOCKED, youtube="strict",
           unsafe_engines="block", daily=180, threshold=80),
    _child("14_15", 14, 15, blocked=UNDER_16_BLOCKED, youtube="moderate",
           unsafe_engines="flag", daily=None, threshold=100),
    _child("16_17", 16, 17, blocked=ALWAYS_BLOCKED, youtube="moderate",
           unsafe_engines="flag", daily=None, threshold=130),
    Preset(
        key="18_plus", first_age=GAMES_UNDER_AGE, last_age=None,
        blocked_categories=ALWAYS_BLOCKED, safe_search=False, youtube="off",
        unsafe_search_engines="flag", daily_total_minutes=None, games_total_minutes=None,
        per_game_minutes=None, game_reminder_minutes=None, social_signup_needs_parent=False,
        content_scan_threshold=160,
    ),
)

def preset_for_age(age: int) -> Preset:
    """The preset whose band holds `age`."""
    for preset in PRESETS:
        if preset.covers(age):
            return preset
    raise ValueError(f"age {age} is not a plausible age")


def blocked_categories_for_age(age: int) -> frozenset[str]:
    """The categories a new profile of this age starts with blocked."""
    return preset_for_age(age).blocked_categories
