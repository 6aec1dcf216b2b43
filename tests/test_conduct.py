"""The Code of Conduct catalog: the shipped file against the reference, and the loader's checks.

The expected rows are copied by hand from the tables of sections 1.1–1.6 of
`reference/code_of_conduct.md`, so that a rule dropped from or mislabelled in
the data file fails here rather than on a child's block page.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from guardian.categories import CATEGORIES
from guardian.conduct import (
    FEATURES,
    PLAIN_FEATURES,
    Catalog,
    ConductRule,
    load_catalog,
)
from guardian.errors import CatalogError

# ID → the reference's "Filter?" mark, for every row of sections 1.1–1.6.
REFERENCE_MARKS: dict[str, str] = {
    "GEN-1": "P", "GEN-2": "Y", "GEN-3": "P", "GEN-4": "P", "GEN-5": "N", "GEN-6": "Y",
    "CHILD-1": "P", "CHILD-2": "Y", "CHILD-3": "P", "CHILD-4": "Y/P", "CHILD-5": "P",
    "CHILD-6": "Y", "CHILD-7": "Y", "CHILD-8": "Y", "CHILD-9": "Y", "CHILD-10": "P",
    "PARENT-1": "P", "PARENT-2": "P", "PARENT-3": "P", "PARENT-4": "P", "PARENT-5": "Y",
    "PARENT-6": "P", "PARENT-7": "N", "PARENT-8": "Y", "PARENT-9": "N/P",
    "USER-1": "P", "USER-2": "P", "USER-3": "N", "USER-4": "Y/P", "USER-5": "Y", "USER-6": "N",
    "MEDIA-1": "N", "MEDIA-2": "N", "MEDIA-3": "N", "MEDIA-4": "Y", "MEDIA-5": "N",
    "MEDIA-6": "N", "MEDIA-7": "N",
    "PLATFORM-1": "N", "PLATFORM-2": "N", "PLATFORM-3": "Y", "PLATFORM-4": "Y", "PLATFORM-5": "Y",
}
INCLUDED = [rule_id for rule_id, mark in REFERENCE_MARKS.items() if mark != "N"]
EXCLUDED = [rule_id for rule_id, mark in REFERENCE_MARKS.items() if mark == "N"]
ARTICLES = {"GEN": "Art. 4", "CHILD": "Art. 5", "PARENT": "Art. 6", "USER": "Art. 7",
            "MEDIA": "Art. 8", "PLATFORM": "Art. 9"}
# Rules a child meets on a page, which must have a sentence for the child.
CHILD_FACING = [f"CHILD-{n}" for n in range(1, 11)] + [
    "GEN-2", "GEN-3", "GEN-6", "USER-4", "MEDIA-4", "PLATFORM-5",
]
VIETNAMESE_LETTERS = re.compile(r"[àáảãạăắằẳẵặâấầẩẫậèéẻẽẹêếềểễệìíỉĩịòóỏõọôốồổỗộơớờởỡợ"
                                r"ùúủũụưứừửữựỳýỷỹỵđ]", re.IGNORECASE)


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return load_catalog()


def rule_ids(rules: tuple[ConductRule, ...]) -> list[str]:
    return [rule.id for rule in rules]


# -- the shipped catalog against the reference -------------------------------------------------

def test_the_shipped_catalog_loads_once(catalog: Catalog) -> None:
    assert load_catalog() is catalog
    assert catalog.rules and catalog.source.endswith("code_of_conduct.toml")


def test_every_actionable_row_is_a_rule_in_reference_order(catalog: Catalog) -> None:
    assert rule_ids(catalog.rules) == INCLUDED


def test_every_n_row_is_excluded_with_a_reason(catalog: Catalog) -> None:
    assert [left_out.id for left_out in catalog.excluded] == EXCLUDED
    assert catalog.excluded_ids() == frozenset(EXCLUDED)
    for left_out in catalog.excluded:
        assert left_out.reason.vi and left_out.reason.en and left_out.text.en


@pytest.mark.parametrize("rule_id", INCLUDED)
def test_mark_enforcement_and_article_follow_the_reference(catalog: Catalog, rule_id: str) -> None:
    rule = catalog.rule(rule_id)
    mark = REFERENCE_MARKS[rule_id]
    assert rule.mark == mark
    assert rule.enforcement == {"Y": "Y", "P": "P", "Y/P": "Y", "N/P": "P"}[mark]
    assert rule.article == ARTICLES[rule.group]


@pytest.mark.parametrize(
    ("rule_id", "draft", "inferred"),
    [
        ("GEN-6", False, False),
        ("CHILD-7", False, False),
        ("CHILD-9", False, True),     # English press summary only; order inferred
        ("CHILD-10", False, True),
        ("PARENT-5", False, True),    # article number read from the sequence
        ("USER-5", False, False),
        ("PLATFORM-3", True, True),   # 2021 draft, article number inferred
        ("PLATFORM-5", True, True),
    ],
)
def test_weak_sources_are_flagged(catalog: Catalog, rule_id: str, draft: bool,
                                  inferred: bool) -> None:
    rule = catalog.rule(rule_id)
    assert (rule.is_draft, rule.is_inferred) == (draft, inferred)


@pytest.mark.parametrize("rule_id", INCLUDED)
def test_both_languages_are_present_and_vietnamese_has_its_diacritics(
    catalog: Catalog, rule_id: str
) -> None:
    rule = catalog.rule(rule_id)
    assert rule.text.vi.strip() and rule.text.en.strip()
    assert rule.text.vi != rule.text.en
    assert VIETNAMESE_LETTERS.search(rule.text.vi), rule.text.vi
    if rule.child is not None:
        assert VIETNAMESE_LETTERS.search(rule.child.vi), rule.child.vi


@pytest.mark.parametrize("rule_id", CHILD_FACING)
def test_child_facing_rules_have_one_sentence_for_the_child(catalog: Catalog,
                                                            rule_id: str) -> None:
    child = catalog.rule(rule_id).child
    assert child is not None
    for sentence in (child.vi, child.en):
        assert sentence.endswith((".", "!")), sentence
        assert not re.search(r"[.!?] +\S", sentence), f"more than one sentence: {sentence}"
    assert "bạn" in child.vi.lower()
    assert "you" in child.en.lower()


def test_features_come_from_the_vocabulary(catalog: Catalog) -> None:
    for rule in catalog.rules:
        assert rule.features, rule.id
        assert rule.features <= set(FEATURES), rule.id
    used = set().union(*(rule.features for rule in catalog.rules))
    assert set(PLAIN_FEATURES) <= used, "a feature no rule needs should not be in the vocabulary"


@pytest.mark.parametrize(
    ("feature", "expected"),
    [
        ("safe_search", ["CHILD-2", "PLATFORM-5"]),
        ("report", ["GEN-6", "CHILD-6", "CHILD-9", "PARENT-8", "USER-5"]),
        ("hotline", ["GEN-1", "GEN-6", "CHILD-6", "PARENT-8"]),
        ("pii_guard", ["GEN-3", "GEN-4", "CHILD-8", "PARENT-5", "USER-2"]),
        ("category:chat_dating", ["CHILD-4", "USER-4"]),
        ("category:bypass", ["PARENT-5"]),
    ],
)
def test_rules_for_feature(catalog: Catalog, feature: str, expected: list[str]) -> None:
    assert rule_ids(catalog.rules_for_feature(feature)) == expected


def test_unknown_lookups_raise_catalog_errors(catalog: Catalog) -> None:
    with pytest.raises(CatalogError, match="no rule 'CHILD-99'"):
        catalog.rule("CHILD-99")
    with pytest.raises(CatalogError, match="GEN-5 is left out of the catalog on purpose"):
        catalog.rule("GEN-5")
    with pytest.raises(CatalogError, match="not a Guardian feature"):
        catalog.rules_for_feature("mind_reading")
    with pytest.raises(CatalogError, match="no category 'tiktok'"):
        catalog.category("tiktok")


@pytest.mark.parametrize(
    ("code", "law_words", "basis"),
    [
        ("adult", "khiêu dâm, đồi trụy", "Decree 147/2024 Art. 38"),
        ("csam", "bóc lột tình dục, xâm hại tình dục trẻ em", "Decision 88/QĐ-BTTTT Art. 3(4)"),
        ("violence", "kích động bạo lực", "Decision 88/QĐ-BTTTT Art. 3(4)"),
        ("fraud", "lừa đảo", "Decision 88/QĐ-BTTTT Art. 3(4)"),
        ("trafficking", "mua bán", "Decision 88/QĐ-BTTTT Art. 3(4)"),
        ("games", "trò chơi điện tử", "Decree 147/2024"),
        ("social", "mạng xã hội", "Decree 147/2024 Arts. 23, 27"),
        ("chat_dating", "người lạ", "Decision 88/QĐ-BTTTT"),
    ],
)
def test_categories_carry_the_laws_words(catalog: Catalog, code: str, law_words: str,
                                         basis: str) -> None:
    category = catalog.category(code)
    assert law_words in category.law.vi
    assert basis in category.basis
    assert category.quoted


@pytest.mark.parametrize("code", CATEGORIES)
def test_every_category_has_rules_and_law_words(catalog: Catalog, code: str) -> None:
    category = catalog.category(code)
    assert category.law.vi and category.law.en and category.basis
    rules = catalog.rules_for_category(code)
    assert rules
    for rule in rules:
        assert f"category:{code}" in rule.features


def test_categories_match_guardian_categories(catalog: Catalog) -> None:
    assert list(catalog.categories) == list(CATEGORIES)


@pytest.mark.parametrize("age", range(0, 18))
@pytest.mark.parametrize("language", ["vi", "en"])
def test_every_age_has_at_least_three_tips(catalog: Catalog, age: int, language: str) -> None:
    tips = {catalog.tip_for(age, language, seed) for seed in range(50)}
    assert len(tips) >= 3
    assert all(tip.strip() for tip in tips)


def test_tips_come_from_childrens_rules_in_bands_within_childhood(catalog: Catalog) -> None:
    for tip in catalog.tips:
        assert tip.rule_id.startswith("CHILD-")
        assert 0 <= tip.first_age <= tip.last_age <= 17
        assert tip.text.vi != tip.text.en


def test_tip_choice_is_deterministic_and_language_aware(catalog: Catalog) -> None:
    assert catalog.tip_for(8, "vi", 7) == catalog.tip_for(8, "vi", 7)
    assert catalog.tip_for(8, "vi-VN", 7) == catalog.tip_for(8, "vi", 7)
    assert catalog.tip_for(8, "fr", 7) == catalog.tip_for(8, "en", 7)
    assert catalog.tip_for(40, "en", 3) == catalog.tip_for(17, "en", 3)
    assert VIETNAMESE_LETTERS.search(catalog.tip_for(8, "vi", 7))
    with pytest.raises(ValueError):
        catalog.tip_for(-1, "en", 0)


def test_legal_numbers_are_the_references(catalog: Catalog) -> None:
    law = catalog.law
    assert (law.games_under_age, law.per_game_minutes, law.games_total_minutes,
            law.game_reminder_minutes) == (18, 60, 180, 30)
    assert "Decree 147/2024" in law.games_basis
    assert law.social_parent_under_age == 16
    assert "23" in law.social_basis and "27" in law.social_basis
    assert law.privacy_consent_age == 7
    assert (law.hotline, law.vn_cop_url) == ("111", "https://vn-cop.vn")


# -- the loader's checks ------------------------------------------------------------------------

SHIPPED = Path(__file__).resolve().parent.parent / "guardian" / "data" / "code_of_conduct.toml"


def replaced(old: str, new: str):  # type: ignore[no-untyped-def]
    """A mutation of the shipped text that changes exactly the first `old`."""
    def mutate(text: str) -> str:
        assert old in text, f"the shipped catalog no longer contains {old!r}"
        return text.replace(old, new, 1)
    return mutate


def cut_from(marker: str):  # type: ignore[no-untyped-def]
    def mutate(text: str) -> str:
        assert marker in text
        return text[: text.index(marker)]
    return mutate


BROKEN = [
    ("syntax error", lambda text: text + "\n[[rules]\n", r"is not valid TOML"),
    ("duplicate id", replaced('id = "CHILD-3"', 'id = "CHILD-2"'),
     r"rule CHILD-2 is defined twice"),
    ("malformed id", replaced('id = "CHILD-3"', 'id = "KID-3"'), r"malformed id 'KID-3'"),
    ("id with a trailing newline", replaced('id = "CHILD-3"', 'id = "CHILD-3\\n"'),
     r"malformed id"),
    ("unknown feature", replaced('["link_warning", "report"]', '["link_warning", "teleport"]'),
     r"rule CHILD-9 lists unknown feature 'teleport'"),
    ("category feature on a rule", replaced('["link_warning", "report"]',
                                            '["link_warning", "category:malware"]'),
     r"rule CHILD-9 lists 'category:malware'; category features come from"),
    ("missing English text", replaced('text.en = "Learn the risks', 'text.fr = "Learn the risks'),
     r"rule CHILD-1 has no English text \(text\.en\)"),
    ("missing Vietnamese child sentence",
     replaced('child.vi = "Trang này có nội dung có thể làm hại bạn', '# child.vi = "'),
     r"rule CHILD-7 has no Vietnamese text \(child\.vi\)"),
    ("empty English text", replaced('text.en = "Obey the law', 'text.en = " "\n# "'),
     r"rule GEN-1 has no English text \(text\.en\)"),
    ("mistyped key", replaced("child.vi =", "chlid.vi ="), r"rule GEN-1 has unknown key 'chlid'"),
    ("enforcement the mark forbids",
     replaced('mark = "P"\nenforcement = "P"', 'mark = "P"\nenforcement = "Y"'),
     r"rule GEN-1 has enforcement 'Y', which its mark P does not allow"),
    ("unknown category", replaced("[categories.video]", "[categories.tiktok]"),
     r"\[categories\.tiktok\] is not a category of guardian/categories\.py"),
    ("missing category", cut_from("[categories.video]"), r"\[categories\.video\] is missing"),
    ("dangling rule reference", replaced('["CHILD-4", "USER-4"]', '["CHILD-4", "USER-44"]'),
     r"\[categories\.chat_dating\] lists rule USER-44, which the catalog does not define"),
    ("excluded rule also defined", replaced('id = "GEN-5"', 'id = "GEN-6"'),
     r"rule GEN-6 is both defined and excluded"),
    ("tip band beyond childhood", replaced('ages = "14-17"', 'ages = "14-19"'),
     r"rule CHILD-1 tip 2 has ages '14-19'"),
    ("no tip for an age", lambda text: re.sub(r'ages = "0-5"', 'ages = "1-5"', text),
     r"leave age 0 without a tip"),
    ("zero minutes", replaced("per_game_minutes = 60", "per_game_minutes = 0"),
     r"\[law\.games\] needs a positive whole number for 'per_game_minutes'"),
    ("unknown source tag", replaced('source = ["draft", "inferred"]', 'source = ["rumour"]'),
     r"rule PLATFORM-3 has source tag 'rumour'"),
]


@pytest.mark.parametrize(("mutate", "message"), [(m, msg) for _, m, msg in BROKEN],
                         ids=[name for name, _, _ in BROKEN])
def test_broken_catalogs_are_refused_with_a_sentence_naming_the_problem(
    tmp_path: Path, mutate, message: str  # type: ignore[no-untyped-def]
) -> None:
    shipped = load_catalog()
    path = tmp_path / "broken.toml"
    path.write_text(mutate(SHIPPED.read_text(encoding="utf-8")), encoding="utf-8")
    with pytest.raises(CatalogError, match=message) as raised:
        load_catalog(path)
    assert str(path) in str(raised.value)
    assert raised.value.code == "catalog_error"
    assert load_catalog() is shipped
    assert rule_ids(load_catalog().rules) == INCLUDED


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (None, r"cannot be read"),
        (b"\xff\xfe not text", r"is not UTF-8 text"),
    ],
)
def test_unreadable_files_are_refused(tmp_path: Path, content: bytes | None,
                                      message: str) -> None:
    path = tmp_path / "catalog.toml"
    if content is not None:
        path.write_bytes(content)
    with pytest.raises(CatalogError, match=message):
        load_catalog(path)


def test_a_good_catalog_by_path_is_a_new_object(tmp_path: Path) -> None:
    path = tmp_path / "copy.toml"
    path.write_bytes(SHIPPED.read_bytes())
    copy = load_catalog(path)
    assert copy is not load_catalog()
    assert copy.source == str(path)
    assert rule_ids(copy.rules) == rule_ids(load_catalog().rules)
