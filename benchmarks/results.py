"""Results as rows, checked against their targets, written as Markdown tables.

Every measure is one `Row`: Guardian's value beside a baseline measured in
the same run, their ratio, and the target from issue 7 when there is one. A
measure that could not run still gets its row, saying why, so the summary
table always has every row.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field
from pathlib import Path


@dataclass(frozen=True)
class Target:
    """`value <op> limit`; `describe` is how the target reads in the table."""

    op: str  # ">=" or "<="
    limit: float
    describe: str

    def met(self, value: float) -> bool:
        return value >= self.limit if self.op == ">=" else value <= self.limit

    def miss(self, value: float, unit: str) -> str:
        """By how much `value` misses: the gap, and how far off in proportion."""
        if self.met(value):
            return ""
        gap = f"{fmt(abs(value - self.limit))}{'' if unit == 'x' else ' '}{unit}".strip()
        if self.op == ">=":
            return f"missed: {gap} short ({1 - value / self.limit:.0%} below the target)"
        return f"missed: {gap} over ({value / self.limit:.1f}x the limit)"


def at_least(limit: float, describe: str) -> Target:
    return Target(">=", limit, describe)


def at_most(limit: float, describe: str) -> Target:
    return Target("<=", limit, describe)


@dataclass
class Row:
    """One measure. `value` is Guardian's; `baseline` the side-by-side one."""

    section: str  # "a".."h", or "x" for the experiments
    measure: str
    value: float | None = None
    unit: str = ""
    baseline: str = ""  # what the baseline is, with its value
    ratio: float | None = None  # value / baseline value, or as `ratio_label` says
    ratio_label: str = ""
    target: Target | None = None
    # The number the target applies to, when it is not `value` (e.g. a ratio).
    target_value: float | None = None
    target_unit: str = ""
    note: str = ""
    skipped: str = ""  # why the measure did not run

    @property
    def checked(self) -> float | None:
        return self.target_value if self.target_value is not None else self.value

    @property
    def status(self) -> str:
        if self.skipped:
            return f"not run: {self.skipped}"
        if self.target is None or self.checked is None:
            return "–"
        if self.target.met(self.checked):
            return "met"
        return self.target.miss(self.checked, self.target_unit or self.unit)


@dataclass
class Results:
    rows: list[Row] = field(default_factory=list)
    tables: list[tuple[str, str]] = field(default_factory=list)  # (heading, markdown)
    notes: list[str] = field(default_factory=list)

    def add(self, row: Row) -> Row:
        self.rows.append(row)
        return row

    def table(self, heading: str, markdown: str) -> None:
        self.tables.append((heading, markdown))

    def save(self, path: Path, preamble: list[str]) -> None:
        """The raw results, so the page can be written again without measuring again."""
        path.write_text(json.dumps({"preamble": preamble, "rows": [asdict(r) for r in self.rows],
                                    "tables": self.tables, "notes": self.notes}, indent=1))

    @classmethod
    def load(cls, path: Path) -> tuple[Results, list[str]]:
        data = json.loads(path.read_text())
        rows = []
        for raw in data["rows"]:
            target = raw.pop("target")
            rows.append(Row(**raw, target=Target(**target) if target else None))
        return cls(rows, [tuple(t) for t in data["tables"]], data["notes"]), data["preamble"]


def fmt(value: float | None, digits: int = 3) -> str:
    """A number as a person reads it: thousands separated, about `digits` significant."""
    if value is None:
        return "–"
    magnitude = abs(value)
    if magnitude >= 1000:
        return f"{value:,.0f}"
    if magnitude >= 100:
        return f"{value:.0f}"
    if magnitude >= 10:
        return f"{value:.1f}"
    if magnitude >= 1 or magnitude == 0:
        return f"{value:.2f}"
    return f"{value:.{digits}g}"


def markdown_table(headers: Iterable[str], rows: Iterable[Iterable[object]]) -> str:
    heads = list(headers)
    lines = ["| " + " | ".join(heads) + " |", "|" + "---|" * len(heads)]
    for row in rows:
        cells = [str(c).replace("|", "\\|").replace("\n", " ") for c in row]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


SUMMARY_HEADERS = ("", "measure", "Guardian", "side by side (same run)", "ratio",
                   "target", "result")


def summary_table(rows: Iterable[Row]) -> str:
    def cells(row: Row) -> list[object]:
        value = f"{fmt(row.value)} {row.unit}".strip() if row.value is not None else "–"
        ratio = f"{fmt(row.ratio)}x" if row.ratio is not None else "–"
        if row.ratio_label and row.ratio is not None:
            ratio = f"{ratio} {row.ratio_label}"
        return [row.section, row.measure, value, row.baseline or "–", ratio,
                row.target.describe if row.target else "–", row.status]

    return markdown_table(SUMMARY_HEADERS, (cells(row) for row in rows))


def write_results(results: Results, path: Path, heading: str, preamble: list[str],
                  epilogue: Callable[[], str] | None = None) -> None:
    parts = [f"# {heading}", "", *preamble, "", "## Summary", "",
             summary_table(results.rows), ""]
    for title, markdown in results.tables:
        parts += [f"## {title}", "", markdown, ""]
    if results.notes:
        parts += ["## Notes", ""] + [f"- {note}" for note in results.notes] + [""]
    if epilogue is not None:
        parts += [epilogue(), ""]
    path.write_text("\n".join(parts))
