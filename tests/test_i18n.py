"""The message catalogues: complete, parallel, and forgiving only outside tests."""

from __future__ import annotations

import unicodedata

import pytest

from guardian import i18n
from guardian.categories import CATEGORIES
from guardian.decision import Reason

PAGE_KEYS = (
    "page.title",
    "page.tagline",
    "page.kind_words",
    "page.what_happened",
    "page.tried_to_open",
    "page.tried_to_open_unknown",
    "page.label_address",
    "page.label_category",
    "page.label_profile",
    "page.why",
    "page.parent_rule",
    "page.what_you_can_do",
    "page.go_back",
    "page.help_title",
    "page.hotline",
    "page.call_button",
    "page.report",
    "body.text",
)


@pytest.fixture(autouse=True)
def strict_messages(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(i18n.STRICT_ENV, "1")


def test_languages_are_vietnamese_and_english() -> None:
    assert i18n.LANGUAGES == ("vi", "en")
    assert i18n.FALLBACK_LANGUAGE == "en"


def test_catalogues_have_exactly_the_same_keys() -> None:
    vi, en = set(i18n.catalogue("vi")), set(i18n.catalogue("en"))
    assert vi - en == set(), "keys only in vi.toml"
    assert en - vi == set(), "keys only in en.toml"


@pytest.mark.parametrize("key", sorted(i18n.catalogue("en")))
def test_each_key_has_the_same_placeholders_in_both_languages(key: str) -> None:
    assert i18n.placeholders(i18n.catalogue("vi")[key]) == i18n.placeholders(
        i18n.catalogue("en")[key]
    )


@pytest.mark.parametrize("language", i18n.LANGUAGES)
def test_no_message_is_empty(language: str) -> None:
    empty = [key for key, text in i18n.catalogue(language).items() if not text.strip()]
    assert empty == []


@pytest.mark.parametrize("language", i18n.LANGUAGES)
@pytest.mark.parametrize("code", CATEGORIES)
def test_every_category_has_a_name_and_a_reason_why(language: str, code: str) -> None:
    messages = i18n.catalogue(language)
    assert messages[f"category.{code}"].strip()
    assert messages[f"category.{code}.why"].rstrip().endswith((".", "!"))


@pytest.mark.parametrize("language", i18n.LANGUAGES)
@pytest.mark.parametrize("reason", list(Reason))
def test_every_reason_has_a_heading_a_detail_and_an_action(language: str, reason: Reason) -> None:
    messages = i18n.catalogue(language)
    for suffix in ("", ".detail", ".action"):
        assert messages[f"reason.{reason.value}{suffix}"].strip()


@pytest.mark.parametrize("language", i18n.LANGUAGES)
@pytest.mark.parametrize("key", PAGE_KEYS)
def test_block_page_strings_exist(language: str, key: str) -> None:
    assert i18n.catalogue(language)[key].strip()


def test_vietnamese_is_translated_not_copied() -> None:
    vi, en = i18n.catalogue("vi"), i18n.catalogue("en")
    assert [key for key in en if vi[key] == en[key]] == []


@pytest.mark.parametrize("key", sorted(i18n.catalogue("vi")))
def test_vietnamese_is_composed_unicode(key: str) -> None:
    # Decomposed diacritics render badly in some fonts and break text search.
    assert unicodedata.is_normalized("NFC", i18n.catalogue("vi")[key])


@pytest.mark.parametrize(
    ("code", "words"),
    [
        ("adult", "Khiêu dâm"),
        ("csam", "Xâm hại tình dục trẻ em"),
        ("violence", "Bạo lực"),
        ("fraud", "Lừa đảo"),
        ("trafficking", "Mua bán người"),
        ("gambling", "Cờ bạc"),
        ("drugs", "Ma túy"),
        ("alcohol_tobacco", "Rượu, bia, thuốc lá"),
        ("games", "Trò chơi điện tử"),
        ("social", "Mạng xã hội"),
    ],
)
def test_vietnamese_category_names_use_the_laws_words(code: str, words: str) -> None:
    assert words in i18n.translate("vi", f"category.{code}")


@pytest.mark.parametrize(
    "key", ["page.kind_words", "page.go_back", "page.hotline", "page.what_you_can_do"]
)
def test_vietnamese_speaks_to_the_child_as_ban(key: str) -> None:
    assert "bạn" in i18n.message("vi", key).lower()


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("vi", "vi"),
        ("en", "en"),
        ("vi-VN", "vi"),
        ("VI", "vi"),
        ("en_GB", "en"),
        (" vi ", "vi"),
        ("fr", "en"),
        ("", "en"),
        (None, "en"),
    ],
)
def test_normalize_language(given: str | None, expected: str) -> None:
    assert i18n.normalize_language(given) == expected


def test_unknown_language_falls_back_to_english() -> None:
    assert i18n.translate("fr", "page.title") == i18n.translate("en", "page.title")
    assert i18n.translate("vi-VN", "page.title") == i18n.translate("vi", "page.title")


def test_placeholders_are_filled_and_not_escaped() -> None:
    text = i18n.translate("en", "page.tried_to_open", host="<b>a.example</b>")
    assert text == "You tried to open <b>a.example</b>."


def test_unknown_key_is_an_error_in_tests() -> None:
    with pytest.raises(i18n.MissingTranslation, match="page.no_such_key"):
        i18n.translate("vi", "page.no_such_key")


def test_missing_value_is_an_error_in_tests() -> None:
    with pytest.raises(i18n.MissingTranslation, match="host"):
        i18n.translate("en", "page.tried_to_open")


def test_outside_tests_a_gap_falls_back_to_english_then_to_the_key(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv(i18n.STRICT_ENV)
    fake = {"vi": {"a.both": "cả hai"}, "en": {"a.both": "both", "a.english": "English only"}}
    monkeypatch.setattr(i18n, "catalogue", lambda language: fake[i18n.normalize_language(language)])
    assert i18n.translate("vi", "a.both") == "cả hai"
    assert i18n.translate("vi", "a.english") == "English only"
    assert i18n.translate("vi", "a.nowhere") == "a.nowhere"


def test_outside_tests_a_missing_value_stays_visible(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(i18n.STRICT_ENV)
    assert i18n.translate("en", "page.tried_to_open") == "You tried to open {host}."


def test_catalogues_are_loaded_once() -> None:
    assert i18n.catalogue("vi") is i18n.catalogue("vi-VN")
    with pytest.raises(TypeError):
        i18n.catalogue("vi")["page.title"] = "changed"  # type: ignore[index]


@pytest.mark.parametrize(
    ("template", "names"),
    [
        ("no placeholders", frozenset()),
        ("{host} and {rule}", frozenset({"host", "rule"})),
        ("{{literal}} {host}", frozenset({"host"})),
    ],
)
def test_placeholders(template: str, names: frozenset[str]) -> None:
    assert i18n.placeholders(template) == names
