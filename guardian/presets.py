"""Which categories a new child profile starts with blocked, by age.

The baseline every child gets: what the Code of Conduct calls harmful for all
children (CHILD-7, CHILD-9) and the tools to get around the filter. Younger
children also start without social networks and chat with strangers
(CHILD-4; Decree 147/2024 asks a parent's consent for accounts under 16).
"""

from __future__ import annotations

ALWAYS_BLOCKED: frozenset[str] = frozenset({
    "adult", "csam", "violence", "weapons", "hate", "fraud", "trafficking",
    "gambling", "drugs", "self_harm", "malware", "bypass",
})


def blocked_categories_for_age(age: int) -> frozenset[str]:
    blocked = set(ALWAYS_BLOCKED)
    if age < 16:
        blocked |= {"chat_dating", "alcohol_tobacco"}
    if age < 13:
        blocked |= {"social"}
    return frozenset(blocked)
