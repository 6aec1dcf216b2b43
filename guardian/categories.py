"""The content categories Guardian knows.

Category codes are stable identifiers shared by lists, rules, the database,
block pages and the app; their names in each language live in the locale
files (`category.<code>`), never here. The set follows the harmful-content
categories named in Vietnam's 2025 Code of Conduct on child online protection
and the laws beside it.
"""

from __future__ import annotations

CATEGORIES: tuple[str, ...] = (
    "adult",
    "csam",
    "violence",
    "weapons",
    "hate",
    "fraud",
    "trafficking",
    "gambling",
    "drugs",
    "alcohol_tobacco",
    "self_harm",
    "malware",
    "bypass",
    "games",
    "social",
    "chat_dating",
    "video",
)

# A category's position is its bit in a compiled index's category mask, so
# new categories are only ever appended.
CATEGORY_BITS: dict[str, int] = {code: 1 << i for i, code in enumerate(CATEGORIES)}


def is_category(code: str) -> bool:
    return code in CATEGORY_BITS


def categories_of_mask(mask: int) -> tuple[str, ...]:
    """The category codes set in `mask`, in catalogue order."""
    return tuple(code for code, bit in CATEGORY_BITS.items() if mask & bit)
