"""The words and numbers of a weekly summary in the parent's language, for every view.

The HTML and PDF exports (and the app's page) say the same things the same
way: durations as "2 h 05 min" / "2 giờ 05 phút", days as "Mon 23/11" /
"T2 23/11", a block's reason in plain words. Nothing here escapes; a view
that writes HTML escapes what it gets.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime

from guardian.conduct import load_catalog
from guardian.i18n import normalize_language, translate
from guardian.reports.summary import BlockGroup, RequestMade, WeeklySummary

DAY_KEYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


class ReportText:
    """Translations for one summary's language; `t("card.time")` is `report.weekly.card.time`."""

    def __init__(self, language: str) -> None:
        self.language = normalize_language(language)

    def t(self, key: str, **params: object) -> str:
        return translate(self.language, f"report.weekly.{key}", **params)

    def duration(self, minutes: int) -> str:
        hours, rest = divmod(max(minutes, 0), 60)
        if not hours:
            return self.t("duration.m", minutes=rest)
        if not rest:
            return self.t("duration.h", hours=hours)
        return self.t("duration.hm", hours=hours, minutes=f"{rest:02d}")

    def short_duration(self, minutes: int) -> str:
        """For chart labels: "1h05" / "1g05", "2 h" / "2 giờ", "45 min" / "45 phút"."""
        hours, rest = divmod(max(minutes, 0), 60)
        if not hours:
            return self.t("duration.m", minutes=rest)
        if not rest:
            return self.t("duration.short_h", hours=hours)
        return self.t("duration.short_hm", hours=hours, minutes=f"{rest:02d}")

    def weekday(self, day: date) -> str:
        return self.t(f"day.{DAY_KEYS[day.weekday()]}")

    def full_date(self, day: date) -> str:
        return f"{day.day:02d}/{day.month:02d}/{day.year}"

    def day(self, day: date) -> str:
        """Weekday and date without the year: "Mon 23/11"."""
        return f"{self.weekday(day)} {day.day:02d}/{day.month:02d}"

    def clock(self, moment: datetime) -> str:
        return moment.strftime("%H:%M")

    def moment(self, moment: datetime) -> str:
        return f"{self.day(moment.date())} {self.clock(moment)}"

    def category(self, code: str | None) -> str:
        if code is None:
            return self.t("categories.other")
        return translate(self.language, f"category.{code}")

    def why(self, group: BlockGroup) -> str:
        """A block's reason in the parent's words."""
        if group.reason == "category":
            return self.category(group.category) if group.category else self.t("why.other")
        if group.reason == "content":
            return (self.t("why.content", category=self.category(group.category))
                    if group.category else self.t("why.content_plain"))
        if group.reason in ("block_rule", "unsafe_search", "personal_info", "signup"):
            return self.t(f"why.{group.reason}")
        return self.t("why.other")

    def request(self, request: RequestMade) -> str:
        if request.kind == "site":
            return self.t("request.site", site=request.target)
        scope, _, key = request.target.partition(":")
        if scope in ("total", "hours"):
            limit = self.t(f"target.{scope}")
        elif scope in ("category", "each_site"):
            limit = self.category(key)
        else:
            limit = key or scope
        return self.t("request.time", limit=limit)

    def answer(self, request: RequestMade) -> str:
        if request.status == "approved":
            answer = request.answer or ""
            if answer.endswith("m") and answer[:-1].isdigit():
                how = self.t("answer.minutes", minutes=answer[:-1])
            elif answer in ("today", "always"):
                how = self.t(f"answer.{answer}")
            else:
                how = answer
            return self.t("status.approved", answer=how)
        return self.t(f"status.{request.status}")

    def rules_label(self, rule_ids: Sequence[str]) -> str:
        """"Code of Conduct, PARENT-6, GEN-6"."""
        return self.t("talk.rule", rules=", ".join(rule_ids))

    def rule_text(self, rule_id: str) -> str:
        return load_catalog().rule(rule_id).text.get(self.language)

    def change(self, summary: WeeklySummary) -> str:
        """The card line comparing the week's time with the week before."""
        comparison = summary.comparison
        before = self.duration(comparison.previous_minutes)
        percent = comparison.minutes_change_percent
        if percent is None:
            return self.t("card.change_none")
        if abs(percent) < 5:
            return self.t("card.change_same", time=before)
        key = "card.change_up" if percent > 0 else "card.change_down"
        return self.t(key, percent=abs(percent), time=before)

    def hotline(self) -> tuple[str, str]:
        law = load_catalog().law
        return law.hotline, law.vn_cop_url
