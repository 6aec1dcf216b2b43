"""Weekly activity summaries for parents: computed from the daily rollups, exported.

The public API, for the app's summary page and the `guardian report` command:

- `weekly_summary(session, profile, iso_week, zone, language, now=None)` →
  `WeeklySummary` (frozen dataclasses, `guardian.reports.summary`);
- `IsoWeek` (`parse("2026-W48")`, `last_complete(now, zone)`,
  `containing(now, zone)`, `previous()`);
- `ReportText(language)`: the summary's words, durations and dates for a view;
- `render_html(summary)` → str, `render_pdf(summary)` → bytes,
  `summary_to_json(summary)` / `summary_from_json(text)`;
- `charts`: the charts as geometry (`days_chart`, `hours_chart`, `bars_chart`),
  drawable by any view.
"""

from __future__ import annotations

from guardian.reports.summary import (
    BlockGroup,
    CategoryTime,
    DayTime,
    ReportMade,
    RequestMade,
    SearchMade,
    SiteTime,
    TalkPrompt,
    TimeLimitDay,
    WeekComparison,
    WeeklySummary,
)
from guardian.reports.text import ReportText
from guardian.reports.weekly import weekly_summary
from guardian.reports.weeks import IsoWeek

__all__ = [
    "BlockGroup", "CategoryTime", "DayTime", "IsoWeek", "ReportMade", "ReportText",
    "RequestMade", "SearchMade", "SiteTime", "TalkPrompt", "TimeLimitDay", "WeekComparison",
    "WeeklySummary", "weekly_summary",
]
