"""The weekly summary as a PDF: the same sections and charts as the HTML page.

Made with fpdf2, pure Python, so it works on a computer without any system
library. The text is set in DejaVu Sans, shipped in `guardian/data/fonts/`
(licence beside it) and embedded as a subset, so Vietnamese diacritics show
on any reader. Text is put in NFC first: precomposed letters need no shaping
engine. The charts are the geometry of `guardian.reports.charts`, drawn with
PDF rectangles, lines and text.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from importlib.resources import as_file, files
from typing import cast

from fpdf import FPDF
from fpdf.enums import XPos, YPos
from fpdf.fonts import FontFace

from guardian.reports.charts import Chart, Line, bars_chart, days_chart, hours_chart
from guardian.reports.summary import SiteTime, WeeklySummary
from guardian.reports.text import ReportText

FONT = "DejaVu"
PAGE_WIDTH = 210.0
MARGIN = 15.0
CONTENT = PAGE_WIDTH - 2 * MARGIN
NAVY = (26, 61, 124)
MUTED = (82, 96, 109)
INK = (31, 41, 51)
CARD = (245, 247, 250)
PROMPT = (238, 245, 255)
BLUE = (47, 111, 223)
PT_PER_MM = 72 / 25.4


def _nfc(value: object) -> str:
    return unicodedata.normalize("NFC", str(value))


def _rgb(colour: str) -> tuple[int, int, int]:
    colour = colour.lstrip("#")
    return int(colour[0:2], 16), int(colour[2:4], 16), int(colour[4:6], 16)


class _Document(FPDF):
    def __init__(self, footer_text: str) -> None:
        super().__init__(orientation="P", unit="mm", format="A4")
        self.footer_text = footer_text
        fonts = files("guardian").joinpath("data", "fonts")
        with as_file(fonts / "DejaVuSans.ttf") as regular, \
                as_file(fonts / "DejaVuSans-Bold.ttf") as bold:
            self.add_font(FONT, "", str(regular))
            self.add_font(FONT, "B", str(bold))
        self.set_margins(MARGIN, MARGIN, MARGIN)
        self.set_auto_page_break(True, margin=16)

    def footer(self) -> None:
        self.set_y(-12)
        self.set_font(FONT, "", 7.5)
        self.set_text_color(*MUTED)
        self.cell(CONTENT - 15, 5, _nfc(self.footer_text))
        self.cell(15, 5, f"{self.page_no()}/{{nb}}", align="R")


def render_pdf(summary: WeeklySummary) -> bytes:
    """The whole report as PDF bytes, in the summary's language."""
    text = ReportText(summary.language)
    pdf = _Document(f"Guardian · {text.t('title', name=summary.profile)} · {summary.week}")
    pdf.set_title(_nfc(text.t("title", name=summary.profile) + f" · {summary.week}"))
    pdf.set_author("Guardian")
    pdf.set_lang(summary.language)
    pdf.set_creation_date(summary.generated_at)
    pdf.add_page()
    writer = _Writer(pdf, text)
    writer.header(summary)
    writer.cards(summary)
    writer.talk(summary)
    writer.days(summary)
    writer.hours(summary)
    writer.categories(summary)
    writer.sites(summary)
    writer.blocks(summary)
    writer.limits(summary)
    writer.searches(summary)
    writer.requests(summary)
    writer.reports(summary)
    writer.footer(summary)
    return bytes(pdf.output())


class _Writer:
    def __init__(self, pdf: _Document, text: ReportText) -> None:
        self.pdf = pdf
        self.text = text

    # Building blocks.

    def para(self, value: str, size: float = 10, colour: tuple[int, int, int] = INK,
             bold: bool = False, height: float = 5) -> None:
        self.pdf.set_font(FONT, "B" if bold else "", size)
        self.pdf.set_text_color(*colour)
        self.pdf.multi_cell(CONTENT, height, _nfc(value), align="L",
                            new_x=XPos.LMARGIN, new_y=YPos.NEXT)

    def room(self, height: float) -> None:
        """Start a new page unless `height` mm still fit on this one."""
        if self.pdf.get_y() + height > self.pdf.page_break_trigger:
            self.pdf.add_page()

    def section(self, title: str, needs: float = 30) -> None:
        self.room(needs + 12)
        self.pdf.ln(4)
        self.pdf.set_font(FONT, "B", 13)
        self.pdf.set_text_color(*NAVY)
        self.pdf.cell(CONTENT, 8, _nfc(title), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.pdf.set_draw_color(228, 231, 235)
        self.pdf.set_line_width(0.5)
        y = self.pdf.get_y()
        self.pdf.line(MARGIN, y, MARGIN + CONTENT, y)
        self.pdf.ln(2)

    def muted(self, value: str) -> None:
        self.para(value, 8.5, MUTED, height=4.5)

    def table(self, headers: Sequence[tuple[str, bool]], rows: Sequence[Sequence[str]],
              widths: Sequence[float]) -> None:
        pdf = self.pdf
        self.room(min(len(rows), 6) * 5.6 + 8)  # a short table is not split from its heading
        pdf.set_font(FONT, "", 9)
        pdf.set_fill_color(255, 255, 255)
        pdf.set_text_color(*INK)
        pdf.set_draw_color(203, 210, 217)
        pdf.set_line_width(0.2)
        align = ["RIGHT" if numeric else "LEFT" for _h, numeric in headers]
        with pdf.table(col_widths=tuple(widths), width=CONTENT, text_align=tuple(align),
                       borders_layout="HORIZONTAL_LINES", line_height=5.2,
                       headings_style=FontFace(emphasis="BOLD", color=MUTED,
                                               fill_color=(255, 255, 255)),
                       cell_fill_mode="NONE",
                       padding=(1, 1.5)) as table:
            heading = table.row()
            for label, _numeric in headers:
                heading.cell(_nfc(label))
            for values in rows:
                row = table.row()
                for value in values:
                    row.cell(_nfc(value))
        pdf.ln(1)

    def lines(self, value: str, height: float) -> int:
        """How many lines `value` takes in a prompt box, in the current font."""
        found = self.pdf.multi_cell(CONTENT - 8, height, value, dry_run=True, output="LINES")
        return len(cast(list[str], found))

    def chart(self, chart: Chart) -> None:
        scale = CONTENT / chart.width
        self.room(chart.height * scale + 2)
        pdf, x0, y0 = self.pdf, MARGIN, self.pdf.get_y()
        for line in chart.grid:
            self.line(line, x0, y0, scale)
        for rect in chart.rects:
            pdf.set_fill_color(*_rgb(rect.fill))
            pdf.rect(x0 + rect.x * scale, y0 + rect.y * scale, rect.w * scale, rect.h * scale,
                     style="F")
        for line in chart.lines:
            self.line(line, x0, y0, scale)
        for label in chart.labels:
            pdf.set_font(FONT, "B" if label.bold else "", label.size * scale * PT_PER_MM)
            pdf.set_text_color(*_rgb(label.fill))
            value = _nfc(label.text)
            width = pdf.get_string_width(value)
            x = x0 + label.x * scale
            if label.anchor == "middle":
                x -= width / 2
            elif label.anchor == "end":
                x -= width
            pdf.text(x, y0 + label.y * scale, value)
        pdf.set_y(y0 + chart.height * scale + 2)

    def line(self, line: Line, x0: float, y0: float, scale: float) -> None:
        pdf = self.pdf
        pdf.set_draw_color(*_rgb(line.stroke))
        pdf.set_line_width(0.25 * line.width)
        if line.dashed:
            pdf.set_dash_pattern(dash=1.4, gap=1.1)
        pdf.line(x0 + line.x1 * scale, y0 + line.y1 * scale, x0 + line.x2 * scale,
                 y0 + line.y2 * scale)
        pdf.set_dash_pattern()

    # The sections, in the order of the HTML page.

    def header(self, summary: WeeklySummary) -> None:
        t = self.text
        self.para(t.t("title", name=summary.profile), 20, NAVY, bold=True, height=9)
        self.para(t.t("week", week=summary.week, first=t.full_date(summary.first_day),
                      last=t.full_date(summary.last_day)), 11, INK, bold=True)
        self.para(t.t("intro", name=summary.profile), 10)
        self.muted(t.t("generated", date=t.full_date(summary.generated_at.date()),
                       time=t.clock(summary.generated_at), zone=summary.zone))
        if not summary.complete:
            self.para(t.t("incomplete"), 9.5, (181, 71, 8), bold=True)

    def cards(self, summary: WeeklySummary) -> None:
        t = self.text
        budget = (t.t("card.budget", time=t.duration(summary.daily_budget))
                  if summary.daily_budget is not None else t.t("card.no_budget"))
        pending = sum(1 for r in summary.requests if r.status == "pending")
        cards = [
            (t.t("card.time"), t.duration(summary.total_minutes), t.change(summary)),
            (t.t("card.over_budget"), str(summary.days_over_budget), budget),
            (t.t("card.blocks"), str(summary.blocked_attempts),
             t.t("card.blocks_before", count=summary.comparison.previous_blocks)),
            (t.t("card.searches"), str(sum(s.count for s in summary.searches)),
             t.t("card.searches_detail", count=summary.searches_total)),
            (t.t("card.requests"), str(len(summary.requests)),
             t.t("card.requests_pending", count=pending) if pending else ""),
            (t.t("card.reports"), str(len(summary.reports)), ""),
        ]
        pdf = self.pdf
        pdf.ln(3)
        gap, per_row, height = 3.0, 3, 22.0
        width = (CONTENT - gap * (per_row - 1)) / per_row
        top = pdf.get_y()
        for i, (label, value, detail) in enumerate(cards):
            x = MARGIN + (i % per_row) * (width + gap)
            y = top + (i // per_row) * (height + gap)
            pdf.set_fill_color(*CARD)
            pdf.rect(x, y, width, height, style="F", round_corners=True, corner_radius=2)
            pdf.set_xy(x + 3, y + 2)
            pdf.set_font(FONT, "", 8)
            pdf.set_text_color(*MUTED)
            pdf.cell(width - 6, 4, _nfc(label))
            pdf.set_xy(x + 3, y + 6.5)
            pdf.set_font(FONT, "B", 15)
            pdf.set_text_color(*NAVY)
            pdf.cell(width - 6, 7, _nfc(value))
            if detail:
                pdf.set_xy(x + 3, y + 14)
                pdf.set_font(FONT, "", 7)
                pdf.set_text_color(*MUTED)
                pdf.multi_cell(width - 6, 3.3, _nfc(detail), align="L", max_line_height=3.3)
        rows = -(-len(cards) // per_row)
        pdf.set_xy(MARGIN, top + rows * (height + gap))

    def talk(self, summary: WeeklySummary) -> None:
        t, pdf = self.text, self.pdf
        self.section(t.t("section.talk"))
        self.para(t.t("talk.intro"), 9.5, MUTED)
        pdf.ln(1)
        for prompt in summary.prompts:
            rules = t.rules_label(prompt.rules)
            body = _nfc(prompt.text)
            note = _nfc(f"{rules}: {prompt.rule_text}")
            pdf.set_font(FONT, "", 10)
            lines = self.lines(body, 5)
            pdf.set_font(FONT, "", 8)
            notes = self.lines(note, 4)
            height = lines * 5 + notes * 4 + 5
            self.room(height + 2)
            y = pdf.get_y()
            pdf.set_fill_color(*PROMPT)
            pdf.rect(MARGIN, y, CONTENT, height, style="F")
            pdf.set_fill_color(*BLUE)
            pdf.rect(MARGIN, y, 1.2, height, style="F")
            pdf.set_xy(MARGIN + 4, y + 2)
            pdf.set_font(FONT, "", 10)
            pdf.set_text_color(*INK)
            pdf.multi_cell(CONTENT - 8, 5, body, align="L", new_x=XPos.LEFT, new_y=YPos.NEXT)
            pdf.set_font(FONT, "", 8)
            pdf.set_text_color(*MUTED)
            pdf.multi_cell(CONTENT - 8, 4, note, align="L", new_x=XPos.LMARGIN,
                           new_y=YPos.NEXT)
            pdf.set_y(y + height + 2.5)

    def days(self, summary: WeeklySummary) -> None:
        t = self.text
        self.section(t.t("section.days"), needs=70)
        self.chart(days_chart(summary.days, t))
        rows = []
        for day in summary.days:
            if day.extra_unlimited:
                limit = t.t("days.unlimited")
            elif day.allowed is None:
                limit = "–"
            else:
                limit = t.duration(day.allowed)
                if day.extra:
                    limit += " (" + t.t("days.extra", time=t.duration(day.extra)) + ")"
            rows.append([t.day(day.day), t.duration(day.minutes), limit,
                         t.duration(day.night_minutes) if day.night_minutes else "–"])
        self.table([(t.t("col.day"), False), (t.t("col.time"), True), (t.t("col.limit"), True),
                    (t.t("col.late"), True)], rows, (30, 25, 30, 15))

    def hours(self, summary: WeeklySummary) -> None:
        t = self.text
        self.section(t.t("section.hours"), needs=45)
        self.para(t.t("hours.intro", name=summary.profile), 9.5, MUTED)
        self.chart(hours_chart(summary.minutes_by_hour, t))

    def categories(self, summary: WeeklySummary) -> None:
        t = self.text
        self.section(t.t("section.categories"))
        if not summary.categories:
            self.muted(t.t("categories.none"))
            return
        self.chart(bars_chart([(t.category(c.category), c.minutes, t.duration(c.minutes))
                               for c in summary.categories]))
        self.table([(t.t("col.kind"), False), (t.t("col.time"), True),
                    (t.t("col.previous"), True)],
                   [[t.category(c.category), t.duration(c.minutes),
                     t.duration(c.previous_minutes) if c.previous_minutes else "–"]
                    for c in summary.categories], (50, 25, 25))
        self.muted(t.t("categories.note"))

    def site_table(self, sites: Sequence[SiteTime]) -> None:
        t = self.text
        if not sites:
            self.muted(t.t("sites.none"))
            return
        self.table([(t.t("col.site"), False), (t.t("col.kind"), False), (t.t("col.time"), True),
                    (t.t("col.visits"), True)],
                   [[s.site, t.category(s.category) if s.category else "–",
                     t.duration(s.minutes), str(s.visits)] for s in sites], (40, 30, 20, 12))

    def sites(self, summary: WeeklySummary) -> None:
        t = self.text
        self.section(t.t("section.sites"), needs=50)
        self.para(t.t("sites.by_time"), 10.5, bold=True)
        self.site_table(summary.top_sites_by_time)
        self.room(40)
        self.para(t.t("sites.by_visits"), 10.5, bold=True)
        self.site_table(summary.top_sites_by_visits)
        self.muted(t.t("sites.visits_note"))

    def blocks(self, summary: WeeklySummary) -> None:
        t = self.text
        self.section(t.t("section.blocks"))
        if not summary.blocks:
            self.muted(t.t("blocks.none"))
            return
        self.table([(t.t("col.why"), False), (t.t("col.attempts"), True),
                    (t.t("col.days"), True), (t.t("col.examples"), False)],
                   [[t.why(g), str(g.count), str(g.days), ", ".join(g.examples)]
                    for g in summary.blocks], (45, 18, 14, 55))

    def limits(self, summary: WeeklySummary) -> None:
        t = self.text
        self.section(t.t("section.limits"))
        if not summary.time_limits:
            self.muted(t.t("limits.none"))
            return
        self.table([(t.t("col.day"), False), (t.t("col.what"), False), (t.t("col.when"), False)],
                   [[t.day(limit.day), t.t(f"limits.{limit.reason}"),
                     t.t("limits.detail", count=limit.count, first=t.clock(limit.first_at),
                         last=t.clock(limit.last_at))] for limit in summary.time_limits],
                   (22, 40, 70))

    def searches(self, summary: WeeklySummary) -> None:
        t = self.text
        self.section(t.t("section.searches"))
        if not summary.searches:
            self.muted(t.t("searches.none"))
            return
        blocked = t.t("searches.blocked")
        self.table([(t.t("col.search"), False), (t.t("col.times"), True),
                    (t.t("col.last"), True)],
                   [[s.term + (f" ({blocked})" if s.blocked else ""), str(s.count),
                     t.moment(s.last_at)] for s in summary.searches], (70, 15, 30))
        more = summary.searches_total - len(summary.searches)
        if more > 0:
            self.muted(t.t("searches.more", count=more))

    def requests(self, summary: WeeklySummary) -> None:
        t = self.text
        self.section(t.t("section.requests"))
        if not summary.requests:
            self.muted(t.t("requests.none"))
            return
        self.table([(t.t("col.asked"), False), (t.t("col.request"), False),
                    (t.t("col.message"), False), (t.t("col.answer"), False)],
                   [[t.moment(r.created_at), t.request(r), r.message or "–", t.answer(r)]
                    for r in summary.requests], (24, 40, 40, 30))

    def reports(self, summary: WeeklySummary) -> None:
        t = self.text
        self.section(t.t("section.reports"))
        if summary.reports:
            self.table([(t.t("col.when"), False), (t.t("col.page"), False),
                        (t.t("col.kind"), False), (t.t("col.note"), False)],
                       [[t.moment(r.created_at), r.host + r.path,
                         t.category(r.category) if r.category else "–", r.note or "–"]
                        for r in summary.reports], (24, 45, 25, 40))
        else:
            self.muted(t.t("reports.none"))
        hotline, vn_cop = t.hotline()
        self.pdf.ln(1)
        self.para(t.t("reports.help", hotline=hotline, vn_cop=vn_cop), 9.5, (155, 28, 28))

    def footer(self, summary: WeeklySummary) -> None:
        t = self.text
        self.pdf.ln(6)
        self.muted(t.t("footer", days=summary.raw_retention_days))
        self.muted(t.t("footer.rules"))
