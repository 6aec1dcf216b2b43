""""Talk about it": two or three conversation prompts chosen from what happened in the week.

The Code of Conduct asks parents to talk often with their child and listen
(PARENT-2), to guide them in staying safe (PARENT-4) and to notice unusual
changes (PARENT-6); it asks children to tell their parents about troubles
(CHILD-5) and everyone to report harm (GEN-6). A summary is only useful if
it leads to such a conversation, so each prompt is tied to what the child
did this week and to the rule behind it.

Each check below is one small function returning a prompt or None, in order
of importance (structlog's processor chain): a report or a self-harm block
first, ordinary habits last. The first three that fire are shown; when
fewer than two do, the general ones at the end fill in.
"""

from __future__ import annotations

from collections.abc import Callable

from guardian.conduct import load_catalog
from guardian.i18n import translate
from guardian.reports.summary import TalkPrompt, WeeklySummary
from guardian.reports.text import ReportText

MAX_PROMPTS = 3
MIN_PROMPTS = 2
MANY_BLOCKS = 3  # blocked attempts in a category worth talking about
MANY_OTHER_BLOCKS = 5
LATE_DAYS = 2  # days with activity after 21:00
LATE_MINUTES = 60
RISE_PERCENT = 50  # more time than the week before ...
RISE_MINUTES = 120  # ... by at least this much
NEW_CATEGORY_MINUTES = 30
LIMIT_DAYS = 3  # days on which time ran out or hours were over
DENIED_REQUESTS = 2
OTHER_HARMFUL = ("violence", "weapons", "hate", "drugs", "alcohol_tobacco", "fraud",
                 "trafficking", "bypass")

Check = Callable[[WeeklySummary], TalkPrompt | None]


def choose_prompts(summary: WeeklySummary) -> tuple[TalkPrompt, ...]:
    chosen: list[TalkPrompt] = []
    for check in CHECKS:
        prompt = check(summary)
        if prompt is not None:
            chosen.append(prompt)
        if len(chosen) == MAX_PROMPTS:
            return tuple(chosen)
    for check in FALLBACKS:
        if len(chosen) >= MIN_PROMPTS:
            break
        prompt = check(summary)
        if prompt is not None:
            chosen.append(prompt)
    return tuple(chosen)


def prompt(
    summary: WeeklySummary, code: str, rules: tuple[str, ...], **params: object
) -> TalkPrompt:
    """A prompt whose text is `report.weekly.prompt.<code>` in the summary's language."""
    language = summary.language
    text = translate(language, f"report.weekly.prompt.{code}", name=summary.profile, **params)
    rule_text = load_catalog().rule(rules[0]).text.get(language)
    return TalkPrompt(code=code, rules=rules, text=text, rule_text=rule_text)


def _blocked(summary: WeeklySummary, category: str) -> int:
    return sum(group.count for group in summary.blocks if group.category == category)


def _category_name(summary: WeeklySummary, code: str) -> str:
    return translate(summary.language, f"category.{code}")


def reported(summary: WeeklySummary) -> TalkPrompt | None:
    if not summary.reports:
        return None
    return prompt(summary, "report", ("CHILD-5", "GEN-6"), count=len(summary.reports),
                  site=summary.reports[0].host)


def self_harm(summary: WeeklySummary) -> TalkPrompt | None:
    count = _blocked(summary, "self_harm")
    return prompt(summary, "self_harm", ("PARENT-6", "GEN-6"), count=count) if count else None


def _category_check(category: str, code: str, rules: tuple[str, ...]) -> Check:
    def check(summary: WeeklySummary) -> TalkPrompt | None:
        count = _blocked(summary, category)
        return prompt(summary, code, rules, count=count) if count >= MANY_BLOCKS else None

    check.__name__ = code
    return check


def other_harmful(summary: WeeklySummary) -> TalkPrompt | None:
    counts = {code: _blocked(summary, code) for code in OTHER_HARMFUL}
    code, count = max(counts.items(), key=lambda pair: (pair[1], pair[0]))
    if count < MANY_OTHER_BLOCKS:
        return None
    return prompt(summary, "harmful", ("PARENT-4", "CHILD-7"), count=count,
                  category=_category_name(summary, code))


def personal_details(summary: WeeklySummary) -> TalkPrompt | None:
    count = sum(g.count for g in summary.blocks if g.reason == "personal_info")
    return prompt(summary, "personal_info", ("CHILD-8", "PARENT-4"), count=count) if count else None


def social_signup(summary: WeeklySummary) -> TalkPrompt | None:
    count = sum(g.count for g in summary.blocks if g.reason == "signup")
    return prompt(summary, "signup", ("USER-1", "CHILD-4"), count=count) if count else None


def late_night(summary: WeeklySummary) -> TalkPrompt | None:
    days = sum(1 for day in summary.days if day.night_minutes)
    if days < LATE_DAYS and summary.night_minutes < LATE_MINUTES:
        return None
    # The latest hour with activity, 04:00 being later than 23:00.
    night_hours = [h for h in (21, 22, 23, 0, 1, 2, 3, 4) if summary.minutes_by_hour[h]]
    latest = night_hours[-1] if night_hours else 21
    return prompt(summary, "late_night", ("PARENT-6",), days=days,
                  time=ReportText(summary.language).duration(summary.night_minutes),
                  hour=f"{latest:02d}:00",
                  until=f"{(latest + 1) % 24:02d}:00")


def more_time(summary: WeeklySummary) -> TalkPrompt | None:
    change = summary.comparison
    percent = change.minutes_change_percent
    if (percent is None or percent < RISE_PERCENT
            or change.minutes - change.previous_minutes < RISE_MINUTES):
        return None
    text = ReportText(summary.language)
    return prompt(summary, "more_time", ("PARENT-6", "PARENT-2"), percent=percent,
                  time=text.duration(change.minutes),
                  previous=text.duration(change.previous_minutes))


def new_category(summary: WeeklySummary) -> TalkPrompt | None:
    if not summary.comparison.previous_minutes:
        return None  # no week before to compare with
    fresh = [c for c in summary.categories if c.category in summary.comparison.new_categories
             and c.minutes >= NEW_CATEGORY_MINUTES]
    if not fresh:
        return None
    top = fresh[0]
    assert top.category is not None
    return prompt(summary, "new_category", ("PARENT-2",),
                  time=ReportText(summary.language).duration(top.minutes),
                  category=_category_name(summary, top.category))


def limits_reached(summary: WeeklySummary) -> TalkPrompt | None:
    days = len({limit.day for limit in summary.time_limits})
    return prompt(summary, "time_limits", ("PARENT-2", "PARENT-5"), days=days) \
        if days >= LIMIT_DAYS else None


def requests_denied(summary: WeeklySummary) -> TalkPrompt | None:
    denied = sum(1 for r in summary.requests if r.status == "denied")
    return prompt(summary, "denied", ("PARENT-2",), count=denied) \
        if denied >= DENIED_REQUESTS else None


def favourite_site(summary: WeeklySummary) -> TalkPrompt | None:
    if not summary.top_sites_by_time:
        return None
    return prompt(summary, "favourite", ("PARENT-2",), site=summary.top_sites_by_time[0].site)


def plan_together(summary: WeeklySummary) -> TalkPrompt | None:
    return prompt(summary, "plan", ("PARENT-4",))


CHECKS: tuple[Check, ...] = (
    reported,
    self_harm,
    _category_check("adult", "adult", ("PARENT-4", "CHILD-7")),
    _category_check("gambling", "gambling", ("PARENT-4", "CHILD-7")),
    _category_check("chat_dating", "strangers", ("CHILD-4", "PARENT-5")),
    personal_details,
    social_signup,
    other_harmful,
    late_night,
    more_time,
    new_category,
    limits_reached,
    requests_denied,
)
FALLBACKS: tuple[Check, ...] = (favourite_site, plan_together)
PROMPT_CODES = ("report", "self_harm", "adult", "gambling", "strangers", "personal_info",
                "signup", "harmful", "late_night", "more_time", "new_category", "time_limits",
                "denied", "favourite", "plan")
