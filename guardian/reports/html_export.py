"""The weekly summary as one self-contained HTML page.

Inline CSS, charts as inline SVG, no script and no external resource: the
file can be mailed, archived or opened offline and shows the same thing.
Every value from the database is escaped (host names, search terms and the
child's messages are the child's words, not ours).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from html import escape

from guardian.reports.charts import bars_chart, days_chart, hours_chart, to_svg
from guardian.reports.summary import SiteTime, WeeklySummary
from guardian.reports.text import ReportText

CSS = """
:root { color-scheme: light; }
* { box-sizing: border-box; }
body { margin: 0; background: #eef1f5; color: #1f2933;
  font: 15px/1.5 "Segoe UI", "Noto Sans", "DejaVu Sans", Roboto, Arial, sans-serif; }
main { max-width: 880px; margin: 24px auto; background: #fff; padding: 32px 40px;
  border-radius: 10px; box-shadow: 0 1px 4px rgba(0,0,0,.08); }
header h1 { margin: 0 0 4px; font-size: 26px; color: #1a3d7c; }
header p { margin: 2px 0; color: #52606d; }
.note { background: #fff8e6; border-left: 4px solid #d9730d; padding: 6px 12px; }
.cards { display: grid; grid-template-columns: repeat(3, 1fr); gap: 12px; margin: 22px 0; }
.card { background: #f5f7fa; border-radius: 8px; padding: 12px 14px; }
.card .label { font-size: 13px; color: #52606d; }
.card .value { font-size: 24px; font-weight: 700; color: #1a3d7c; }
.card .detail { font-size: 12.5px; color: #52606d; }
h2 { font-size: 19px; color: #1a3d7c; margin: 30px 0 8px; padding-bottom: 4px;
  border-bottom: 2px solid #e4e7eb; }
h3 { font-size: 15px; margin: 14px 0 6px; }
.talk { list-style: none; padding: 0; margin: 0; }
.talk li { background: #eef5ff; border-left: 4px solid #2f6fdf; border-radius: 6px;
  padding: 10px 14px; margin: 10px 0; }
.talk .rule { display: block; font-size: 12.5px; color: #52606d; margin-top: 4px; }
table { width: 100%; border-collapse: collapse; margin: 6px 0 4px; font-size: 14px; }
th { text-align: left; font-weight: 600; color: #52606d; border-bottom: 1px solid #cbd2d9;
  padding: 5px 8px; }
td { padding: 5px 8px; border-bottom: 1px solid #e4e7eb; vertical-align: top;
  overflow-wrap: anywhere; }
td.num, th.num { text-align: right; white-space: nowrap; }
.over { color: #b54708; font-weight: 600; }
.muted { color: #7b8794; font-size: 13px; }
.tag { display: inline-block; font-size: 12px; background: #fde8e8; color: #9b1c1c;
  border-radius: 4px; padding: 0 5px; margin-left: 4px; }
.columns { display: grid; grid-template-columns: 1fr 1fr; gap: 20px; }
.chart { width: 100%; height: auto; display: block; margin: 6px 0; }
.help { background: #fdf2f2; border-radius: 6px; padding: 8px 12px; }
footer { margin-top: 30px; color: #7b8794; font-size: 12.5px; }
@media (max-width: 640px) { main { padding: 18px; margin: 0; } .columns { display: block; }
  .cards { grid-template-columns: 1fr 1fr; } }
@media print { body { background: #fff; } main { box-shadow: none; margin: 0; } }
"""


def render_html(summary: WeeklySummary) -> str:
    """The whole page, in the summary's language."""
    text = ReportText(summary.language)
    body = "\n".join([
        _header(summary, text),
        _cards(summary, text),
        _talk(summary, text),
        _days(summary, text),
        _hours(summary, text),
        _categories(summary, text),
        _sites(summary, text),
        _blocks(summary, text),
        _limits(summary, text),
        _searches(summary, text),
        _requests(summary, text),
        _reports(summary, text),
        _footer(summary, text),
    ])
    title = escape(text.t("title", name=summary.profile) + f" · {summary.week}")
    return (f'<!DOCTYPE html>\n<html lang="{summary.language}">\n<head>\n<meta charset="utf-8">\n'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">\n'
            f"<title>{title}</title>\n<style>{CSS}</style>\n</head>\n<body>\n<main>\n"
            f"{body}\n</main>\n</body>\n</html>\n")


def _e(value: object) -> str:
    return escape(str(value))


def _section(key: str, title: str, content: str) -> str:
    return f'<section id="{key}">\n<h2>{_e(title)}</h2>\n{content}\n</section>'


def _table(headers: Sequence[tuple[str, bool]], rows: Iterable[Sequence[str]]) -> str:
    """`headers`: (label, numeric); `rows`: cells already escaped (HTML)."""
    head = "".join(f'<th{" class=num" if num else ""}>{_e(label)}</th>'
                   for label, num in headers)
    body = "".join(
        "<tr>" + "".join(f'<td{" class=num" if headers[i][1] else ""}>{cell}</td>'
                         for i, cell in enumerate(row)) + "</tr>"
        for row in rows
    )
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def _muted(message: str) -> str:
    return f'<p class="muted">{_e(message)}</p>'


def _header(summary: WeeklySummary, text: ReportText) -> str:
    generated = text.t("generated", date=text.full_date(summary.generated_at.date()),
                       time=text.clock(summary.generated_at), zone=summary.zone)
    lines = [
        f"<h1>{_e(text.t('title', name=summary.profile))}</h1>",
        f"<p><strong>{_e(text.t('week', week=summary.week, first=text.full_date(summary.first_day), last=text.full_date(summary.last_day)))}</strong></p>",  # noqa: E501
        f"<p>{_e(text.t('intro', name=summary.profile))}</p>",
        f'<p class="muted">{_e(generated)}</p>',
    ]
    if not summary.complete:
        lines.append(f'<p class="note">{_e(text.t("incomplete"))}</p>')
    return "<header>\n" + "\n".join(lines) + "\n</header>"


def _card(label: str, value: str, detail: str = "") -> str:
    extra = f'<div class="detail">{_e(detail)}</div>' if detail else ""
    return (f'<div class="card"><div class="label">{_e(label)}</div>'
            f'<div class="value">{_e(value)}</div>{extra}</div>')


def _cards(summary: WeeklySummary, text: ReportText) -> str:
    budget = (text.t("card.budget", time=text.duration(summary.daily_budget))
              if summary.daily_budget is not None else text.t("card.no_budget"))
    pending = sum(1 for r in summary.requests if r.status == "pending")
    cards = [
        _card(text.t("card.time"), text.duration(summary.total_minutes),
              text.change(summary)),
        _card(text.t("card.over_budget"), str(summary.days_over_budget), budget),
        _card(text.t("card.blocks"), str(summary.blocked_attempts),
              text.t("card.blocks_before", count=summary.comparison.previous_blocks)),
        _card(text.t("card.searches"), str(sum(s.count for s in summary.searches)),
              text.t("card.searches_detail", count=summary.searches_total)),
        _card(text.t("card.requests"), str(len(summary.requests)),
              text.t("card.requests_pending", count=pending) if pending else ""),
        _card(text.t("card.reports"), str(len(summary.reports))),
    ]
    return '<div class="cards">' + "".join(cards) + "</div>"


def _talk(summary: WeeklySummary, text: ReportText) -> str:
    items = "".join(
        f"<li>{_e(p.text)}<span class=rule>{_e(text.rules_label(p.rules))}: "
        f"{_e(p.rule_text)}</span></li>"
        for p in summary.prompts
    )
    return _section("talk", text.t("section.talk"),
                    f"<p>{_e(text.t('talk.intro'))}</p>\n<ul class=talk>{items}</ul>")


def _days(summary: WeeklySummary, text: ReportText) -> str:
    rows = []
    for day in summary.days:
        over = day.allowed is not None and day.minutes > day.allowed
        minutes = text.duration(day.minutes)
        if day.extra_unlimited:
            limit = text.t("days.unlimited")
        elif day.allowed is None:
            limit = "–"
        else:
            limit = text.duration(day.allowed)
            if day.extra:
                limit += " (" + text.t("days.extra", time=text.duration(day.extra)) + ")"
        rows.append([_e(text.day(day.day)),
                     f'<span class=over>{_e(minutes)}</span>' if over else _e(minutes),
                     _e(limit), _e(text.duration(day.night_minutes)) if day.night_minutes
                     else "–"])
    table = _table([(text.t("col.day"), False), (text.t("col.time"), True),
                    (text.t("col.limit"), True), (text.t("col.late"), True)], rows)
    return _section("days", text.t("section.days"), to_svg(days_chart(summary.days, text)) + table)


def _hours(summary: WeeklySummary, text: ReportText) -> str:
    return _section("hours", text.t("section.hours"),
                    f"<p>{_e(text.t('hours.intro', name=summary.profile))}</p>"
                    + to_svg(hours_chart(summary.minutes_by_hour, text)))


def _categories(summary: WeeklySummary, text: ReportText) -> str:
    if not summary.categories:
        return _section("categories", text.t("section.categories"),
                        _muted(text.t("categories.none")))
    chart = bars_chart([(text.category(c.category), c.minutes, text.duration(c.minutes))
                        for c in summary.categories])
    rows = [[_e(text.category(c.category)), _e(text.duration(c.minutes)),
             _e(text.duration(c.previous_minutes)) if c.previous_minutes else "–"]
            for c in summary.categories]
    table = _table([(text.t("col.kind"), False), (text.t("col.time"), True),
                    (text.t("col.previous"), True)], rows)
    return _section("categories", text.t("section.categories"),
                    to_svg(chart) + table + _muted(text.t("categories.note")))


def _site_table(sites: Sequence[SiteTime], text: ReportText) -> str:
    if not sites:
        return _muted(text.t("sites.none"))
    rows = [[_e(s.site), _e(text.category(s.category) if s.category else "–"),
             _e(text.duration(s.minutes)), _e(s.visits)] for s in sites]
    return _table([(text.t("col.site"), False), (text.t("col.kind"), False),
                   (text.t("col.time"), True), (text.t("col.visits"), True)], rows)


def _sites(summary: WeeklySummary, text: ReportText) -> str:
    content = (
        f"<h3>{_e(text.t('sites.by_time'))}</h3>{_site_table(summary.top_sites_by_time, text)}"
        f"<h3>{_e(text.t('sites.by_visits'))}</h3>{_site_table(summary.top_sites_by_visits, text)}"
        + _muted(text.t("sites.visits_note"))
    )
    return _section("sites", text.t("section.sites"), content)


def _blocks(summary: WeeklySummary, text: ReportText) -> str:
    if not summary.blocks:
        return _section("blocks", text.t("section.blocks"), _muted(text.t("blocks.none")))
    rows = [[_e(text.why(g)), _e(g.count), _e(g.days), _e(", ".join(g.examples))]
            for g in summary.blocks]
    return _section("blocks", text.t("section.blocks"), _table(
        [(text.t("col.why"), False), (text.t("col.attempts"), True),
         (text.t("col.days"), True), (text.t("col.examples"), False)], rows))


def _limits(summary: WeeklySummary, text: ReportText) -> str:
    if not summary.time_limits:
        return _section("limits", text.t("section.limits"), _muted(text.t("limits.none")))
    rows = [[_e(text.day(limit.day)), _e(text.t(f"limits.{limit.reason}")),
             _e(text.t("limits.detail", count=limit.count, first=text.clock(limit.first_at),
                       last=text.clock(limit.last_at)))]
            for limit in summary.time_limits]
    return _section("limits", text.t("section.limits"), _table(
        [(text.t("col.day"), False), (text.t("col.what"), False),
         (text.t("col.when"), False)], rows))


def _searches(summary: WeeklySummary, text: ReportText) -> str:
    if not summary.searches:
        return _section("searches", text.t("section.searches"), _muted(text.t("searches.none")))
    rows = [[_e(s.term) + (f'<span class=tag>{_e(text.t("searches.blocked"))}</span>'
                           if s.blocked else ""),
             _e(s.count), _e(text.moment(s.last_at))] for s in summary.searches]
    more = summary.searches_total - len(summary.searches)
    content = _table([(text.t("col.search"), False), (text.t("col.times"), True),
                      (text.t("col.last"), True)], rows)
    if more > 0:
        content += _muted(text.t("searches.more", count=more))
    return _section("searches", text.t("section.searches"), content)


def _requests(summary: WeeklySummary, text: ReportText) -> str:
    if not summary.requests:
        return _section("requests", text.t("section.requests"), _muted(text.t("requests.none")))
    rows = [[_e(text.moment(r.created_at)), _e(text.request(r)), _e(r.message) or "–",
             _e(text.answer(r))] for r in summary.requests]
    return _section("requests", text.t("section.requests"), _table(
        [(text.t("col.asked"), False), (text.t("col.request"), False),
         (text.t("col.message"), False), (text.t("col.answer"), False)], rows))


def _reports(summary: WeeklySummary, text: ReportText) -> str:
    hotline, vn_cop = text.hotline()
    help_line = (f'<p class="help">{_e(text.t("reports.help", hotline=hotline, vn_cop=vn_cop))}'
                 "</p>")
    if not summary.reports:
        return _section("reports", text.t("section.reports"),
                        _muted(text.t("reports.none")) + help_line)
    rows = [[_e(text.moment(r.created_at)), _e(r.host + r.path),
             _e(text.category(r.category) if r.category else "–"), _e(r.note) or "–"]
            for r in summary.reports]
    return _section("reports", text.t("section.reports"), _table(
        [(text.t("col.when"), False), (text.t("col.page"), False),
         (text.t("col.kind"), False), (text.t("col.note"), False)], rows) + help_line)


def _footer(summary: WeeklySummary, text: ReportText) -> str:
    return (f"<footer><p>{_e(text.t('footer', days=summary.raw_retention_days))}</p>"
            f"<p>{_e(text.t('footer.rules'))}</p></footer>")
