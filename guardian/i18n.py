"""Vietnamese and English text for everything a person reads.

The proxy's pages and the parent app share these catalogues, so the mechanism
cannot be Qt's: each language is a plain TOML file in `guardian/locales/`,
shipped as package data and read once with `tomllib`. Keys are dotted
(`category.adult`, `reason.block_rule.detail`); in the files a table plus a
quoted key spells the same thing (`[category]` then `"adult.why" = ...`), which
lets `category.adult` and `category.adult.why` both be messages.

Messages are `str.format_map` templates with `{name}` placeholders. Nothing
here escapes: a caller that writes HTML escapes the template and the values
itself (see `guardian.block_page`).

A missing message must never break a child's block page, so by default the
lookup falls back to English and then to the key itself. Tests set
`GUARDIAN_I18N_STRICT=1`, which turns every such fallback into a
`MissingTranslation` error so that gaps are found before they ship.
"""

from __future__ import annotations

import os
import string
import tomllib
from collections.abc import Mapping
from functools import cache
from importlib.resources import files
from types import MappingProxyType
from typing import Any

LANGUAGES: tuple[str, ...] = ("vi", "en")
FALLBACK_LANGUAGE = "en"
STRICT_ENV = "GUARDIAN_I18N_STRICT"


class MissingTranslation(KeyError):
    """A message or one of its placeholder values is missing (strict mode only)."""

    def __str__(self) -> str:
        # KeyError would repr() the message; this is a sentence for a developer.
        return str(self.args[0])


def is_strict() -> bool:
    """Whether gaps raise instead of falling back; read per call so tests can toggle it."""
    return os.environ.get(STRICT_ENV, "") not in ("", "0")


def normalize_language(language: str | None) -> str:
    """The supported language closest to `language` (`vi-VN` → `vi`), else English."""
    if language:
        primary = language.strip().replace("_", "-").split("-", 1)[0].lower()
        if primary in LANGUAGES:
            return primary
    return FALLBACK_LANGUAGE


def catalogue(language: str) -> Mapping[str, str]:
    """Every message of `language` by dotted key (English for an unknown language)."""
    return _load(normalize_language(language))


@cache
def _load(language: str) -> Mapping[str, str]:
    resource = files("guardian").joinpath("locales", f"{language}.toml")
    with resource.open("rb") as stream:
        data = tomllib.load(stream)
    messages: dict[str, str] = {}
    _flatten(data, "", messages, f"{language}.toml")
    return MappingProxyType(messages)


def _flatten(table: Mapping[str, Any], prefix: str, out: dict[str, str], source: str) -> None:
    for name, value in table.items():
        key = f"{prefix}{name}"
        if isinstance(value, Mapping):
            _flatten(value, f"{key}.", out, source)
        elif not isinstance(value, str):
            raise ValueError(f"{source}: {key} must be a string, not {type(value).__name__}")
        elif key in out:
            raise ValueError(f"{source}: {key} is defined twice")
        else:
            out[key] = value


def message(language: str, key: str) -> str:
    """The unformatted template for `key`: the language's, else English's, else the key."""
    language = normalize_language(language)
    found = catalogue(language).get(key)
    if found is not None:
        return found
    if is_strict():
        raise MissingTranslation(f"no message {key!r} in the {language} catalogue")
    return catalogue(FALLBACK_LANGUAGE).get(key, key)


def placeholders(template: str) -> frozenset[str]:
    """The placeholder names in `template` (`{host}` → `host`)."""
    return frozenset(
        field.split(".", 1)[0].split("[", 1)[0]
        for _, field, _, _ in string.Formatter().parse(template)
        if field
    )


def format_message(template: str, params: Mapping[str, object]) -> str:
    """Fill `template`; a missing value stays visible as `{name}` rather than failing."""
    return template.format_map(_Params(params))


def translate(language: str, key: str, /, **params: object) -> str:
    """The message `key` in `language`, with `params` filled in and nothing escaped."""
    return format_message(message(language, key), params)


class _Params(dict[str, object]):
    def __missing__(self, name: str) -> object:
        if is_strict():
            raise MissingTranslation(f"no value for placeholder {{{name}}}")
        return f"{{{name}}}"
