"""The Code of Conduct as data: the rules Guardian acts on, and how.

Vietnam's 2025 Code of Conduct on child online protection (Decision
88/QĐ-BTTTT) is why Guardian blocks what it blocks, so every block page, preset
and `guardian policy explain` line must be able to name the rule behind it.
The rules live in `guardian/data/code_of_conduct.toml`, not in code, so that a
reviewer who reads Vietnamese law can check them without reading Python; this
module reads that file once and refuses it whole if anything in it is wrong,
because a half-understood catalog would put the wrong reason in front of a
child.

The file holds:
- `[[rules]]`: each rule a household filter can act on, by its ID (`CHILD-7`),
  with its article, the reference's confidence tags (`source`), its mark in the
  reference (`mark`: Y, P, Y/P, N/P) and Guardian's reading of it
  (`enforcement`: Y or P), a paraphrase (`text.vi`/`text.en`), one sentence for
  the child (`child.vi`/`child.en`, required except for parents' rules), the
  features that implement it, and age-banded safety tips (`[[rules.tips]]`).
- `[[excluded]]`: the rules left out on purpose (mark N), each with a reason,
  so that leaving one out is a decision, not an oversight.
- `[categories.<code>]`: for each code of `guardian.categories`, the rules that
  make it blocked, the law's words and a short citation. A rule's
  `category:<code>` features come from here, so the two cannot disagree.
- `[law.*]`: the numbers of the laws beside the code (Decree 147/2024 game
  limits and social sign-up age, Decree 56/2017 consent age, hotline 111 and
  VN-COP).
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from functools import cache
from importlib.resources import files
from pathlib import Path
from types import MappingProxyType
from typing import Any

from guardian.categories import CATEGORIES
from guardian.errors import CatalogError
from guardian.i18n import normalize_language

RULE_ID = re.compile(r"(GEN|CHILD|PARENT|USER|MEDIA|PLATFORM)-[0-9]+")
ENFORCEMENT = ("Y", "P")
# The reference's mark for a rule → the enforcement values it allows.
MARKS: Mapping[str, tuple[str, ...]] = MappingProxyType(
    {"Y": ("Y",), "P": ("P",), "Y/P": ("Y", "P"), "N/P": ("P",)}
)
# The reference's confidence tags: [C], [S], [I], [DRAFT].
SOURCES = ("confirmed", "secondary", "inferred", "draft")
# Parents' rules speak to the parent; every other rule can reach a child's page.
GROUPS_WITHOUT_CHILD_TEXT = frozenset({"PARENT"})
# Tips serve children; an adult profile gets the oldest child's tips.
TIP_AGES = range(0, 18)

# Guardian's features, the closed vocabulary of `features`.
SAFE_SEARCH = "safe_search"  # force SafeSearch; block or flag engines that cannot be made safe
YOUTUBE_RESTRICTED = "youtube_restricted"  # YouTube Restricted Mode
CONTENT_SCAN = "content_scan"  # weighted phrase scan of pages and search terms
RATING_LABELS = "rating_labels"  # honour RTA/age meta labels and game age ratings
PII_GUARD = "pii_guard"  # warn before a child's personal information leaves the PC
LINK_WARNING = "link_warning"  # interstitial for unknown links and link shorteners
TEXT_WARNING = "text_warning"  # nudge on insulting or bullying text the child sends
REPORT = "report"  # the "Report" button: VN-COP link and saved evidence
HOTLINE = "hotline"  # hotline 111 shown to the child and the parent
TIME_BUDGET = "time_budget"  # daily minutes per profile, category or site
GAME_LIMITS = "game_limits"  # Decree 147/2024 per-game and all-games caps, reminders
ALLOWED_HOURS = "allowed_hours"  # the hours of the week the child may be online
ASK_PARENT = "ask_parent"  # the child's requests to a parent (unblock, more time, help)
ACTIVITY_LOG = "activity_log"  # the parent's log of what was visited and blocked
WEEKLY_SUMMARY = "weekly_summary"  # the weekly summary per child
PARENT_ALERTS = "parent_alerts"  # alerts on unusual activity
PARENT_GUIDE = "parent_guide"  # the in-app guide for parents
SETUP_WIZARD = "setup_wizard"  # setting a child's profile up together with the child
SAFETY_TIPS = "safety_tips"  # one age-appropriate tip on the child's pages
CHILD_PAGE = "child_page"  # the child's own page: time left, requests, help
BLOCK_PAGE = "block_page"  # the page that explains a block
SOCIAL_SIGNUP_APPROVAL = "social_signup_approval"  # a parent approves sign-ups under 16
CATEGORY_PREFIX = "category:"

PLAIN_FEATURES: tuple[str, ...] = (
    SAFE_SEARCH, YOUTUBE_RESTRICTED, CONTENT_SCAN, RATING_LABELS, PII_GUARD, LINK_WARNING,
    TEXT_WARNING, REPORT, HOTLINE, TIME_BUDGET, GAME_LIMITS, ALLOWED_HOURS, ASK_PARENT,
    ACTIVITY_LOG, WEEKLY_SUMMARY, PARENT_ALERTS, PARENT_GUIDE, SETUP_WIZARD, SAFETY_TIPS,
    CHILD_PAGE, BLOCK_PAGE, SOCIAL_SIGNUP_APPROVAL,
)
FEATURES: tuple[str, ...] = PLAIN_FEATURES + tuple(CATEGORY_PREFIX + c for c in CATEGORIES)

DEFAULT_SOURCE = "guardian/data/code_of_conduct.toml"


@dataclass(frozen=True, slots=True)
class Bilingual:
    """One text in both languages; a catalog without either is refused."""

    vi: str
    en: str

    def get(self, language: str) -> str:
        """The text in `language` (`vi-VN` → Vietnamese; anything unknown → English)."""
        return self.vi if normalize_language(language) == "vi" else self.en


@dataclass(frozen=True, slots=True)
class Tip:
    """A safety tip for the children whose age is in `ages` (inclusive band)."""

    rule_id: str
    first_age: int
    last_age: int
    text: Bilingual

    def covers(self, age: int) -> bool:
        return self.first_age <= age <= self.last_age


@dataclass(frozen=True, slots=True)
class ConductRule:
    id: str
    article: str
    source: tuple[str, ...]
    mark: str
    enforcement: str
    text: Bilingual
    child: Bilingual | None
    features: frozenset[str]
    tips: tuple[Tip, ...]

    @property
    def group(self) -> str:
        return self.id.split("-", 1)[0]

    @property
    def is_draft(self) -> bool:
        """From the 2021 consultation draft, not the final text."""
        return "draft" in self.source

    @property
    def is_inferred(self) -> bool:
        """Its article number, numbering or split was read from the sequence, not stated."""
        return "inferred" in self.source


@dataclass(frozen=True, slots=True)
class ExcludedRule:
    """A rule of the code that a filter on the family PC cannot act on, and why."""

    id: str
    article: str
    source: tuple[str, ...]
    text: Bilingual
    reason: Bilingual


@dataclass(frozen=True, slots=True)
class CategoryBasis:
    """Why a category is blocked: the rules, the law's words and where they are."""

    code: str
    rules: tuple[str, ...]
    law: Bilingual
    basis: str
    quoted: bool  # False: the sources name no such category; the words are the usual term
    note: str = ""


@dataclass(frozen=True, slots=True)
class LegalNumbers:
    """The laws' numbers that Guardian's presets copy as defaults."""

    games_under_age: int  # the game caps apply below this age (18)
    per_game_minutes: int  # per game per day (60)
    games_total_minutes: int  # all games per day (180)
    game_reminder_minutes: int  # health reminder interval (30)
    games_basis: str
    social_parent_under_age: int  # a parent registers social accounts below this age (16)
    social_basis: str
    privacy_consent_age: int  # the child's own consent is needed from this age (7)
    privacy_basis: str
    hotline: str
    vn_cop_url: str
    reporting_basis: str


@dataclass(frozen=True, eq=False)
class Catalog:
    """The checked catalog. Immutable: a new file gives a new `Catalog`."""

    source: str
    rules: tuple[ConductRule, ...]
    excluded: tuple[ExcludedRule, ...]
    categories: Mapping[str, CategoryBasis]
    law: LegalNumbers
    _by_id: Mapping[str, ConductRule] = field(repr=False)

    @property
    def tips(self) -> tuple[Tip, ...]:
        return tuple(tip for rule in self.rules for tip in rule.tips)

    def rule(self, rule_id: str) -> ConductRule:
        found = self._by_id.get(rule_id)
        if found is not None:
            return found
        for left_out in self.excluded:
            if left_out.id == rule_id:
                raise CatalogError(
                    f"rule {rule_id} is left out of the catalog on purpose: {left_out.reason.en}"
                )
        raise CatalogError(f"{self.source} has no rule {rule_id!r}")

    def excluded_ids(self) -> frozenset[str]:
        return frozenset(left_out.id for left_out in self.excluded)

    def category(self, code: str) -> CategoryBasis:
        found = self.categories.get(code)
        if found is None:
            raise CatalogError(f"{self.source} has no category {code!r}")
        return found

    def rules_for_category(self, code: str) -> tuple[ConductRule, ...]:
        """The rules that make `code` blocked, in the order the catalog lists them."""
        return tuple(self._by_id[rule_id] for rule_id in self.category(code).rules)

    def rules_for_feature(self, feature: str) -> tuple[ConductRule, ...]:
        """The rules a feature serves, in catalog order; an unknown feature is an error."""
        if feature not in FEATURES:
            raise CatalogError(f"{feature!r} is not a Guardian feature")
        return tuple(rule for rule in self.rules if feature in rule.features)

    def tip_for(self, age: int, language: str, seed: int) -> str:
        """One tip for a child of `age`, the same one for the same seed.

        Ages above 17 get the oldest band's tips: an adult profile on the family
        PC may still be used by a teenager.
        """
        if age < 0:
            raise ValueError(f"age {age} is negative")
        age = min(age, TIP_AGES[-1])
        suited = [tip for tip in self.tips if tip.covers(age)]
        return suited[seed % len(suited)].text.get(language)


def load_catalog(path: Path | None = None) -> Catalog:
    """The catalog shipped with Guardian (read once), or the one at `path` (read each call).

    A file given by path never affects the shipped catalog: it is checked into a
    new object or refused with a `CatalogError`.
    """
    if path is None:
        return _shipped_catalog()
    try:
        raw = Path(path).read_bytes()
    except OSError as exc:
        raise CatalogError(f"{path} cannot be read: {exc.strerror or exc}") from exc
    return parse_catalog(raw, str(path))


@cache
def _shipped_catalog() -> Catalog:
    raw = files("guardian").joinpath("data", "code_of_conduct.toml").read_bytes()
    return parse_catalog(raw, DEFAULT_SOURCE)


def parse_catalog(raw: bytes, source: str) -> Catalog:
    """Check the TOML text of a catalog and build it; `source` names it in errors."""
    try:
        data = tomllib.loads(raw.decode("utf-8"))
    except UnicodeDecodeError as exc:
        raise CatalogError(f"{source} is not UTF-8 text: {exc.reason}") from exc
    except tomllib.TOMLDecodeError as exc:
        raise CatalogError(f"{source} is not valid TOML: {exc}") from exc
    return _Checker(source).catalog(data)


class _Checker:
    """Turns the parsed TOML into a `Catalog`, failing on the first problem."""

    def __init__(self, source: str) -> None:
        self.source = source

    def fail(self, where: str, problem: str) -> CatalogError:
        return CatalogError(f"{self.source}: {where} {problem}")

    def catalog(self, data: dict[str, Any]) -> Catalog:
        self.keys(data, "the top level", required=("law", "rules", "excluded", "categories"))
        rules = [self.rule(entry, i) for i, entry in enumerate(self.tables(data, "rules"))]
        excluded = [self.excluded(e, i) for i, e in enumerate(self.tables(data, "excluded"))]
        by_id: dict[str, ConductRule] = {}
        for rule in rules:
            if rule.id in by_id:
                raise self.fail(f"rule {rule.id}", "is defined twice")
            by_id[rule.id] = rule
        excluded_ids: set[str] = set()
        for left_out in excluded:
            if left_out.id in by_id:
                raise self.fail(f"rule {left_out.id}", "is both defined and excluded")
            if left_out.id in excluded_ids:
                raise self.fail(f"excluded rule {left_out.id}", "is listed twice")
            excluded_ids.add(left_out.id)
        categories = self.categories(data["categories"], by_id)
        by_id = self.with_category_features(by_id, categories)
        self.check_tip_ages(by_id.values())
        return Catalog(
            source=self.source,
            rules=tuple(by_id.values()),
            excluded=tuple(excluded),
            categories=MappingProxyType(categories),
            law=self.law(data["law"]),
            _by_id=MappingProxyType(by_id),
        )

    def rule(self, entry: dict[str, Any], index: int) -> ConductRule:
        rule_id = self.rule_id(entry, f"rules entry {index + 1}")
        where = f"rule {rule_id}"
        self.keys(entry, where, required=("id", "article", "source", "mark", "enforcement",
                                          "text", "features"), optional=("child", "tips"))
        mark = self.string(entry, "mark", where)
        if mark not in MARKS:
            raise self.fail(where, f"has mark {mark!r}; the reference uses {', '.join(MARKS)}")
        enforcement = self.string(entry, "enforcement", where)
        if enforcement not in MARKS[mark]:
            raise self.fail(where, f"has enforcement {enforcement!r}, which its mark {mark} "
                                   f"does not allow (use {' or '.join(MARKS[mark])})")
        features = self.strings(entry, "features", where)
        for feature in features:
            if feature.startswith(CATEGORY_PREFIX):
                raise self.fail(where, f"lists {feature!r}; category features come from the "
                                       f"rules of [categories.<code>]")
            if feature not in PLAIN_FEATURES:
                raise self.fail(where, f"lists unknown feature {feature!r}")
        if len(set(features)) != len(features):
            raise self.fail(where, "lists a feature twice")
        group = rule_id.split("-", 1)[0]
        child = (self.bilingual(entry, "child", where)
                 if "child" in entry or group not in GROUPS_WITHOUT_CHILD_TEXT else None)
        tips = tuple(self.tip(tip, rule_id, i)
                     for i, tip in enumerate(self.tables(entry, "tips", where)))
        return ConductRule(
            id=rule_id, article=self.string(entry, "article", where),
            source=self.source_tags(entry, where), mark=mark, enforcement=enforcement,
            text=self.bilingual(entry, "text", where), child=child,
            features=frozenset(features), tips=tips,
        )

    def excluded(self, entry: dict[str, Any], index: int) -> ExcludedRule:
        rule_id = self.rule_id(entry, f"excluded entry {index + 1}")
        where = f"excluded rule {rule_id}"
        self.keys(entry, where, required=("id", "article", "source", "text", "reason"))
        return ExcludedRule(
            id=rule_id, article=self.string(entry, "article", where),
            source=self.source_tags(entry, where), text=self.bilingual(entry, "text", where),
            reason=self.bilingual(entry, "reason", where),
        )

    def tip(self, entry: dict[str, Any], rule_id: str, index: int) -> Tip:
        where = f"rule {rule_id} tip {index + 1}"
        self.keys(entry, where, required=("ages", "vi", "en"))
        band = self.string(entry, "ages", where)
        match = re.fullmatch(r"([0-9]{1,2})-([0-9]{1,2})", band)
        if not match or not int(match[1]) <= int(match[2]) <= TIP_AGES[-1]:
            raise self.fail(where, f"has ages {band!r}; write a band such as \"6-10\" within 0-17")
        text = self.bilingual({"tip": {"vi": entry["vi"], "en": entry["en"]}}, "tip", where)
        return Tip(rule_id, int(match[1]), int(match[2]), text)

    def categories(self, table: Any, rules: Mapping[str, ConductRule]) -> dict[str, CategoryBasis]:
        if not isinstance(table, dict):
            raise self.fail("[categories]", "must be a table of category codes")
        for code in table:
            if code not in CATEGORIES:
                raise self.fail(f"[categories.{code}]",
                                "is not a category of guardian/categories.py")
        found: dict[str, CategoryBasis] = {}
        for code in CATEGORIES:
            where = f"[categories.{code}]"
            entry = table.get(code)
            if not isinstance(entry, dict):
                raise self.fail(where, "is missing; every category needs its rules and law words")
            self.keys(entry, where, required=("rules", "law", "basis", "quoted"),
                      optional=("note",))
            rule_ids = self.strings(entry, "rules", where)
            if not rule_ids:
                raise self.fail(where, "lists no rules")
            for rule_id in rule_ids:
                if rule_id not in rules:
                    raise self.fail(where,
                                    f"lists rule {rule_id}, which the catalog does not define")
            quoted = entry["quoted"]
            if not isinstance(quoted, bool):
                raise self.fail(where, "must say quoted = true or false")
            note = entry.get("note", "")
            if not isinstance(note, str):
                raise self.fail(where, "has a note that is not text")
            found[code] = CategoryBasis(
                code=code, rules=tuple(rule_ids), law=self.bilingual(entry, "law", where),
                basis=self.string(entry, "basis", where), quoted=quoted, note=note.strip(),
            )
        return found

    def with_category_features(
        self, rules: dict[str, ConductRule], categories: Mapping[str, CategoryBasis]
    ) -> dict[str, ConductRule]:
        extra: dict[str, set[str]] = {rule_id: set() for rule_id in rules}
        for code, basis in categories.items():
            for rule_id in basis.rules:
                extra[rule_id].add(CATEGORY_PREFIX + code)
        return {
            rule_id: replace(rule, features=rule.features | extra[rule_id])
            for rule_id, rule in rules.items()
        }

    def check_tip_ages(self, rules: Iterable[ConductRule]) -> None:
        tips = [tip for rule in rules for tip in rule.tips]
        for age in TIP_AGES:
            if not any(tip.covers(age) for tip in tips):
                raise self.fail("[[rules.tips]]", f"leave age {age} without a tip")

    def law(self, table: Any) -> LegalNumbers:
        if not isinstance(table, dict):
            raise self.fail("[law]", "must be a table")
        self.keys(table, "[law]", required=("games", "social", "privacy", "reporting"))
        games, social = self.table(table, "games", "[law]"), self.table(table, "social", "[law]")
        privacy = self.table(table, "privacy", "[law]")
        reporting = self.table(table, "reporting", "[law]")
        self.keys(games, "[law.games]", required=("under_age", "per_game_minutes",
                                                  "all_games_minutes", "reminder_minutes", "basis"))
        self.keys(social, "[law.social]", required=("parent_signup_under_age", "basis"))
        self.keys(privacy, "[law.privacy]", required=("child_consent_age", "basis"))
        self.keys(reporting, "[law.reporting]", required=("hotline", "vn_cop_url", "basis"))
        numbers = LegalNumbers(
            games_under_age=self.count(games, "under_age", "[law.games]"),
            per_game_minutes=self.count(games, "per_game_minutes", "[law.games]"),
            games_total_minutes=self.count(games, "all_games_minutes", "[law.games]"),
            game_reminder_minutes=self.count(games, "reminder_minutes", "[law.games]"),
            games_basis=self.string(games, "basis", "[law.games]"),
            social_parent_under_age=self.count(social, "parent_signup_under_age", "[law.social]"),
            social_basis=self.string(social, "basis", "[law.social]"),
            privacy_consent_age=self.count(privacy, "child_consent_age", "[law.privacy]"),
            privacy_basis=self.string(privacy, "basis", "[law.privacy]"),
            hotline=self.string(reporting, "hotline", "[law.reporting]"),
            vn_cop_url=self.string(reporting, "vn_cop_url", "[law.reporting]"),
            reporting_basis=self.string(reporting, "basis", "[law.reporting]"),
        )
        if numbers.per_game_minutes > numbers.games_total_minutes:
            raise self.fail("[law.games]", "allows more minutes per game than for all games")
        if not numbers.vn_cop_url.startswith("https://"):
            raise self.fail("[law.reporting]", "vn_cop_url must be an https:// address")
        return numbers

    # Typed access to the parsed TOML; each failure names where it happened.

    def keys(self, entry: Mapping[str, Any], where: str, *, required: tuple[str, ...],
             optional: tuple[str, ...] = ()) -> None:
        for key in required:
            if key not in entry:
                raise self.fail(where, f"has no {key!r}")
        for key in entry:
            if key not in required and key not in optional:
                raise self.fail(where, f"has unknown key {key!r}")

    def rule_id(self, entry: dict[str, Any], where: str) -> str:
        rule_id = entry.get("id")
        if not isinstance(rule_id, str):
            raise self.fail(where, "has no id")
        if not RULE_ID.fullmatch(rule_id):
            raise self.fail(where, f"has malformed id {rule_id!r} (expected e.g. CHILD-7)")
        return rule_id

    def string(self, entry: Mapping[str, Any], key: str, where: str) -> str:
        value = entry.get(key)
        if not isinstance(value, str) or not value.strip():
            raise self.fail(where, f"needs a non-empty text for {key!r}")
        return value.strip()

    def strings(self, entry: Mapping[str, Any], key: str, where: str) -> list[str]:
        value = entry.get(key)
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise self.fail(where, f"needs a list of texts for {key!r}")
        return list(value)

    def count(self, entry: Mapping[str, Any], key: str, where: str) -> int:
        value = entry.get(key)
        if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
            raise self.fail(where, f"needs a positive whole number for {key!r}")
        return value

    def table(self, entry: Mapping[str, Any], key: str, where: str) -> dict[str, Any]:
        value = entry.get(key)
        if not isinstance(value, dict):
            raise self.fail(where, f"needs a table {key!r}")
        return value

    def tables(self, entry: Mapping[str, Any], key: str, where: str = "the file") -> list[Any]:
        value = entry.get(key, [])
        if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
            raise self.fail(where, f"needs [[{key}]] tables for {key!r}")
        return value

    def bilingual(self, entry: Mapping[str, Any], key: str, where: str) -> Bilingual:
        value = entry.get(key)
        if not isinstance(value, dict):
            raise self.fail(where, f"has no {key}.vi and {key}.en")
        for language, name in (("vi", "Vietnamese"), ("en", "English")):
            text = value.get(language)
            if not isinstance(text, str) or not text.strip():
                raise self.fail(where, f"has no {name} text ({key}.{language})")
        extra = set(value) - {"vi", "en"}
        if extra:
            raise self.fail(where, f"has {key} in unknown languages: {', '.join(sorted(extra))}")
        return Bilingual(vi=value["vi"].strip(), en=value["en"].strip())

    def source_tags(self, entry: Mapping[str, Any], where: str) -> tuple[str, ...]:
        tags = self.strings(entry, "source", where)
        if not tags:
            raise self.fail(where, "needs at least one source tag")
        for tag in tags:
            if tag not in SOURCES:
                raise self.fail(where, f"has source tag {tag!r}; use {', '.join(SOURCES)}")
        return tuple(tags)
