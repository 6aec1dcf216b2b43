"""The summary's charts as geometry, drawn as inline SVG (HTML) or with PDF primitives.

A chart is computed once as plain shapes (`Chart`: bars, lines, labels in a
box of the given size) and then drawn by each exporter, so the HTML and the
PDF show the same picture. The SVG is self-contained: no script, no external
resource, and a text alternative for screen readers.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from html import escape

from guardian.reports.summary import DayTime
from guardian.reports.text import ReportText

BLUE = "#2f6fdf"
ORANGE = "#d9730d"
PURPLE = "#6a55c8"
GREY = "#9aa5b1"
RED = "#c81e1e"
LIGHT = "#e4e7eb"
NIGHT = "#eef0fb"
INK = "#3e4c59"


@dataclass(frozen=True, slots=True)
class Rect:
    x: float
    y: float
    w: float
    h: float
    fill: str


@dataclass(frozen=True, slots=True)
class Line:
    x1: float
    y1: float
    x2: float
    y2: float
    stroke: str
    dashed: bool = False
    width: float = 1.0


@dataclass(frozen=True, slots=True)
class Label:
    x: float
    y: float  # baseline
    text: str
    anchor: str = "middle"  # "start" | "middle" | "end"
    size: float = 11.0
    fill: str = INK
    bold: bool = False


@dataclass(frozen=True, slots=True)
class Chart:
    width: float
    height: float
    description: str  # the text alternative
    grid: tuple[Line, ...] = ()  # drawn first, under the bars
    rects: tuple[Rect, ...] = ()
    lines: tuple[Line, ...] = ()
    labels: tuple[Label, ...] = field(default=())


def nice_step(top: int) -> int:
    """A grid step in minutes that gives three to six lines up to `top`."""
    for step in (15, 30, 60, 120, 180, 240, 360, 480, 720):
        if top / step <= 6:
            return step
    return 1440


def days_chart(days: Sequence[DayTime], text: ReportText, width: float = 640,
               height: float = 230) -> Chart:
    """Minutes per day as bars, the daily limit as a dashed line; days over it in orange.

    A limit changed during the week is drawn day by day, and the legend says
    what it was and what it became.
    """
    left, right, top, bottom = 58.0, 10.0, 18.0, 58.0
    plot_w, plot_h = width - left - right, height - top - bottom
    budgets = [d.budget for d in days]
    changed = len(set(budgets)) > 1
    highest = max([d.minutes for d in days] + [b or 0 for b in budgets] + [60])
    step = nice_step(highest)
    ceiling = -(-highest // step) * step
    grid, rects, lines, labels = [], [], [], []

    def y(minutes: float) -> float:
        return top + plot_h - plot_h * minutes / ceiling

    for value in range(0, ceiling + 1, step):
        grid.append(Line(left, y(value), width - right, y(value), LIGHT))
        labels.append(Label(left - 6, y(value) + 4, text.short_duration(value), "end", 9.5,
                            GREY))
    slot = plot_w / max(len(days), 1)
    for i, day in enumerate(days):
        x = left + i * slot + slot * 0.2
        bar_w = slot * 0.6
        over = day.allowed is not None and day.minutes > day.allowed
        if day.minutes:
            rects.append(Rect(x, y(day.minutes), bar_w, y(0) - y(day.minutes),
                              ORANGE if over else BLUE))
            labels.append(Label(x + bar_w / 2, y(day.minutes) - 5,
                                text.short_duration(day.minutes), size=10, bold=over,
                                fill=ORANGE if over else INK))
        labels.append(Label(x + bar_w / 2, height - bottom + 16, text.weekday(day.day), size=11,
                            bold=True))
        labels.append(Label(x + bar_w / 2, height - bottom + 30,
                            f"{day.day.day:02d}/{day.day.month:02d}", size=9.5, fill=GREY))
    for i, budget in enumerate(budgets):
        if budget is None or (i and not changed):
            continue
        start, end = (left + i * slot, left + (i + 1) * slot) if changed else (left, width - right)
        lines.append(Line(start, y(budget), end, y(budget), RED, True, 1.5))
    shown = [text.duration(b) for i, b in enumerate(budgets)
             if b is not None and (not i or b != budgets[i - 1])]
    if shown:
        # The legend, below the day names, so that it never covers a bar's label.
        legend_y = height - 8
        lines.append(Line(left, legend_y - 4, left + 28, legend_y - 4, RED, True, 1.5))
        labels.append(Label(left + 34, legend_y,
                            f"{text.t('days.limit_line')}: {' → '.join(shown)}", "start",
                            10, RED, True))
    lines.append(Line(left, y(0), width - right, y(0), GREY))
    description = "; ".join(f"{text.day(d.day)}: {text.duration(d.minutes)}" for d in days)
    return Chart(width, height, description, tuple(grid), tuple(rects), tuple(lines),
                 tuple(labels))


def hours_chart(minutes_by_hour: Sequence[int], text: ReportText, width: float = 640,
                height: float = 150) -> Chart:
    """Minutes in each hour of the day over the week; the late hours shaded."""
    left, right, top, bottom = 58.0, 10.0, 12.0, 26.0
    plot_w, plot_h = width - left - right, height - top - bottom
    highest = max(max(minutes_by_hour, default=0), 30)
    step = nice_step(highest)
    ceiling = -(-highest // step) * step
    slot = plot_w / 24
    rects = [Rect(left + 21 * slot, top, 3 * slot, plot_h, NIGHT),
             Rect(left, top, 5 * slot, plot_h, NIGHT)]
    grid, lines, labels = [], [], []
    for value in range(0, ceiling + 1, step):
        yy = top + plot_h - plot_h * value / ceiling
        grid.append(Line(left, yy, width - right, yy, LIGHT))
        labels.append(Label(left - 6, yy + 4, text.short_duration(value), "end", 9.5, GREY))
    for hour, minutes in enumerate(minutes_by_hour):
        x = left + hour * slot + slot * 0.15
        if minutes:
            bar_h = plot_h * minutes / ceiling
            late = hour >= 21 or hour < 5
            rects.append(Rect(x, top + plot_h - bar_h, slot * 0.7, bar_h,
                              PURPLE if late else BLUE))
        if hour % 3 == 0:
            labels.append(Label(left + hour * slot + slot / 2, height - 8, f"{hour:02d}",
                                size=9.5, fill=GREY))
    lines.append(Line(left, top + plot_h, width - right, top + plot_h, GREY))
    description = "; ".join(f"{h:02d}:00 {text.duration(m)}"
                            for h, m in enumerate(minutes_by_hour) if m)
    return Chart(width, height, description, tuple(grid), tuple(rects), tuple(lines),
                 tuple(labels))


def bars_chart(items: Sequence[tuple[str, int, str]], width: float = 640,
               row: float = 26) -> Chart:
    """Horizontal bars: (label, value, value text), largest first."""
    label_w, value_w = 210.0, 90.0
    plot_w = width - label_w - value_w
    highest = max((value for _l, value, _t in items), default=1) or 1
    rects, labels = [], []
    for i, (label, value, shown) in enumerate(items):
        y = i * row
        rects.append(Rect(label_w, y + 6, max(plot_w * value / highest, 2), row - 12, BLUE))
        labels.append(Label(label_w - 8, y + row / 2 + 4, label, "end", 11))
        labels.append(Label(label_w + plot_w * value / highest + 6, y + row / 2 + 4, shown,
                            "start", 10, INK, True))
    description = "; ".join(f"{label}: {shown}" for label, _v, shown in items)
    return Chart(width, max(len(items), 1) * row, description, (), tuple(rects), (),
                 tuple(labels))


def to_svg(chart: Chart) -> str:
    """The chart as an inline <svg> element (scales with the page, no external resources)."""
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {chart.width:.0f} '
        f'{chart.height:.0f}" role="img" aria-label="{escape(chart.description)}" '
        f'class="chart"><title>{escape(chart.description)}</title>'
    ]
    for line in chart.grid:
        parts.append(_svg_line(line))
    for r in chart.rects:
        parts.append(f'<rect x="{r.x:.1f}" y="{r.y:.1f}" width="{r.w:.1f}" height="{r.h:.1f}" '
                     f'rx="2" fill="{r.fill}"/>')
    for line in chart.lines:
        parts.append(_svg_line(line))
    for label in chart.labels:
        weight = ' font-weight="bold"' if label.bold else ""
        parts.append(f'<text x="{label.x:.1f}" y="{label.y:.1f}" text-anchor="{label.anchor}" '
                     f'font-size="{label.size}" fill="{label.fill}"{weight}>'
                     f'{escape(label.text)}</text>')
    parts.append("</svg>")
    return "".join(parts)


def _svg_line(line: Line) -> str:
    dash = ' stroke-dasharray="5 4"' if line.dashed else ""
    return (f'<line x1="{line.x1:.1f}" y1="{line.y1:.1f}" x2="{line.x2:.1f}" y2="{line.y2:.1f}" '
            f'stroke="{line.stroke}" stroke-width="{line.width}"{dash}/>')
