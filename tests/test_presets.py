"""Age presets: the bands, the laws' numbers, strictness by age, and their citations."""

from __future__ import annotations

from dataclasses import fields, replace
from itertools import pairwise

import pytest

from guardian.categories import CATEGORIES
from guardian.conduct import Catalog, load_catalog
from guardian.errors import CatalogError
from guardian.presets import (
    ALWAYS_BLOCKED,
    PRESETS,
    SETTINGS,
    Preset,
    blocked_categories_for_age,
    preset_for_age,
)

UNDER_18 = [preset for preset in PRESETS if preset.last_age is not None and preset.last_age < 18]
YOUTUBE_STRICTNESS = {"strict": 2, "moderate": 1, "off": 0}
ENGINE_STRICTNESS = {"block": 1, "flag": 0}
UNLIMITED = float("inf")
# A setting → the catalog feature that implements it; a cited rule must carry it.
SETTING_FEATURES = {
    "safe_search": "safe_search",
    "youtube": "youtube_restricted",
    "unsafe_search_engines": "safe_search",
    "daily_total_minutes": "time_budget",
    "games_total_minutes": "game_limits",
    "per_game_minutes": "game_limits",
    "game_reminder_minutes": "game_limits",
    "social_signup_needs_parent": "social_signup_approval",
    "content_scan_threshold": "content_scan",
}


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return load_catalog()


@pytest.mark.parametrize(
    ("age", "key"),
    [
        (0, "under_6"), (5, "under_6"),
        (6, "6_10"), (10, "6_10"),
        (11, "11_13"), (13, "11_13"),
        (14, "14_15"), (15, "14_15"),
        (16, "16_17"), (17, "16_17"),
        (18, "18_plus"), (40, "18_plus"),
    ],
)
def test_age_boundaries(age: int, key: str) -> None:
    assert preset_for_age(age).key == key
    assert blocked_categories_for_age(age) == preset_for_age(age).blocked_categories


def test_bands_are_ordered_and_cover_every_age_once() -> None:
    assert [p.first_age for p in PRESETS] == sorted(p.first_age for p in PRESETS)
    for age in range(0, 130):
        assert sum(preset.covers(age) for preset in PRESETS) == 1, age
    with pytest.raises(ValueError, match="not a plausible age"):
        preset_for_age(-1)


@pytest.mark.parametrize("preset", UNDER_18, ids=lambda p: p.key)
def test_decree_147_game_numbers_for_every_child(preset: Preset, catalog: Catalog) -> None:
    law = catalog.law
    assert preset.per_game_minutes == law.per_game_minutes == 60
    assert preset.games_total_minutes == law.games_total_minutes == 180
    assert preset.game_reminder_minutes == law.game_reminder_minutes == 30


def test_game_caps_end_at_18(catalog: Catalog) -> None:
    adult = preset_for_age(catalog.law.games_under_age)
    assert (adult.per_game_minutes, adult.games_total_minutes,
            adult.game_reminder_minutes) == (None, None, None)
    assert preset_for_age(catalog.law.games_under_age - 1).games_total_minutes == 180


@pytest.mark.parametrize("age", range(0, 41))
def test_social_signup_needs_a_parent_exactly_under_16(age: int, catalog: Catalog) -> None:
    assert catalog.law.social_parent_under_age == 16
    assert preset_for_age(age).social_signup_needs_parent is (age < 16)


@pytest.mark.parametrize(("younger", "older"), list(pairwise(PRESETS)),
                         ids=lambda p: p.key)
def test_strictness_never_loosens_for_a_younger_child(younger: Preset, older: Preset) -> None:
    assert younger.blocked_categories >= older.blocked_categories
    assert younger.content_scan_threshold <= older.content_scan_threshold
    assert younger.safe_search >= older.safe_search
    assert YOUTUBE_STRICTNESS[younger.youtube] >= YOUTUBE_STRICTNESS[older.youtube]
    assert (ENGINE_STRICTNESS[younger.unsafe_search_engines]
            >= ENGINE_STRICTNESS[older.unsafe_search_engines])
    for setting in ("daily_total_minutes", "games_total_minutes", "per_game_minutes"):
        mine, theirs = getattr(younger, setting), getattr(older, setting)
        assert (UNLIMITED if mine is None else mine) <= (UNLIMITED if theirs is None else theirs)


@pytest.mark.parametrize(
    ("key", "also_blocked", "allowed"),
    [
        ("under_6", {"games", "video", "social", "chat_dating", "alcohol_tobacco"}, set()),
        ("6_10", {"social", "chat_dating", "alcohol_tobacco"}, {"games", "video"}),
        ("11_13", {"social", "chat_dating", "alcohol_tobacco"}, {"games", "video"}),
        ("14_15", {"chat_dating", "alcohol_tobacco"}, {"games", "video", "social"}),
        ("16_17", set(), {"games", "video", "social", "chat_dating", "alcohol_tobacco"}),
        ("18_plus", set(), {"games", "video", "social", "chat_dating", "alcohol_tobacco"}),
    ],
)
def test_what_each_band_blocks_beyond_the_core(key: str, also_blocked: set[str],
                                               allowed: set[str]) -> None:
    preset = next(p for p in PRESETS if p.key == key)
    assert preset.blocked_categories == ALWAYS_BLOCKED | also_blocked
    assert not preset.blocked_categories & allowed


@pytest.mark.parametrize(
    ("key", "safe_search", "youtube", "engines"),
    [
        ("under_6", True, "strict", "block"),
        ("11_13", True, "strict", "block"),
        ("14_15", True, "moderate", "flag"),
        ("16_17", True, "moderate", "flag"),
        ("18_plus", False, "off", "flag"),
    ],
)
def test_search_settings(key: str, safe_search: bool, youtube: str, engines: str) -> None:
    preset = next(p for p in PRESETS if p.key == key)
    assert (preset.safe_search, preset.youtube, preset.unsafe_search_engines) == (
        safe_search, youtube, engines)


def test_every_setting_is_a_field_with_rules() -> None:
    names = {f.name for f in fields(Preset)}
    assert set(SETTINGS) <= names
    assert names - set(SETTINGS) == {"key", "first_age", "last_age", "rules"}


@pytest.mark.parametrize("preset", PRESETS, ids=lambda p: p.key)
def test_every_setting_cites_rules_that_exist(preset: Preset, catalog: Catalog) -> None:
    for setting in SETTINGS:
        cited = preset.rules[setting]
        assert cited, setting
        for rule_id in cited:
            catalog.rule(rule_id)  # raises CatalogError for an unknown or excluded rule


@pytest.mark.parametrize(("setting", "feature"), sorted(SETTING_FEATURES.items()))
def test_a_cited_rule_carries_the_feature_behind_the_setting(
    setting: str, feature: str, catalog: Catalog
) -> None:
    cited = [catalog.rule(rule_id) for rule_id in PRESETS[0].rules[setting]]
    assert any(feature in rule.features for rule in cited), setting


@pytest.mark.parametrize("preset", PRESETS, ids=lambda p: p.key)
def test_every_blocked_category_has_rules_in_the_catalog(preset: Preset,
                                                         catalog: Catalog) -> None:
    assert preset.blocked_categories <= set(CATEGORIES)
    for code in preset.blocked_categories:
        assert catalog.rules_for_category(code), code


def test_a_rule_the_catalog_left_out_is_not_a_citation(catalog: Catalog) -> None:
    with pytest.raises(CatalogError):
        catalog.rule("GEN-5")
    cited = {rule_id for preset in PRESETS for ids in preset.rules.values() for rule_id in ids}
    assert not cited & catalog.excluded_ids()


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"blocked_categories": frozenset({"tiktok"})}, "unknown categories"),
        ({"youtube": "kids"}, "youtube must be one of"),
        ({"unsafe_search_engines": "warn"}, "unsafe_search_engines must be one of"),
        ({"rules": {}}, "cites no rule"),
    ],
)
def test_a_malformed_preset_is_refused(changes: dict[str, object], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        replace(PRESETS[1], **changes)  # type: ignore[arg-type]


def test_content_scan_is_strictest_for_the_youngest() -> None:
    thresholds = [preset.content_scan_threshold for preset in PRESETS]
    assert thresholds == sorted(thresholds) and len(set(thresholds)) == len(thresholds)
    assert preset_for_age(8).content_scan_threshold == 60  # e2guardian's young-children limit
