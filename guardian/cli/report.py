"""`guardian report weekly` and `guardian report rebuild`: the weekly summary, exported.

The default week is the last complete one (Monday to Sunday in the
household's time zone): a summary is read once the week is over, and on a
Monday morning "this week" would be nearly empty. `--week current` gives the
week so far, `--week 2026-W48` any week still in the rollups (about a year).
"""

from __future__ import annotations

import argparse
import sys
from datetime import UTC, datetime
from pathlib import Path

from guardian.cli.context import CliContext
from guardian.errors import UsageError
from guardian.i18n import LANGUAGES
from guardian.reports.weekly import weekly_summary
from guardian.reports.weeks import IsoWeek
from guardian.storage.profiles import find_profile
from guardian.storage.rollups import rebuild_rollups
from guardian.storage.settings import APP_LANGUAGE, HOUSEHOLD_TIMEZONE, get_setting
from guardian.zones import household_zone

FORMATS = ("html", "pdf", "json")


def register(commands: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    report = commands.add_parser("report", help="weekly activity summaries for parents")
    actions = report.add_subparsers(dest="report_command", metavar="COMMAND", required=True)
    weekly = actions.add_parser("weekly", help="one child's week, as HTML, PDF or JSON")
    weekly.add_argument("--profile", metavar="NAME", required=True, help="the child")
    weekly.add_argument("--week", default="last", metavar="YYYY-Www",
                        help="an ISO week such as 2026-W48, 'last' (the last complete week, "
                             "the default) or 'current' (this week so far)")
    weekly.add_argument("--format", choices=FORMATS, required=True)
    weekly.add_argument("--out", metavar="FILE", required=True,
                        help="where to write it ('-': standard output, for html and json)")
    weekly.add_argument("--language", choices=LANGUAGES,
                        help="the parent's language (default: the app's language setting)")
    weekly.set_defaults(handler=weekly_command)
    rebuild = actions.add_parser(
        "rebuild", help="recompute the weekly figures from the detailed log still kept")
    rebuild.set_defaults(handler=rebuild_command)


def choose_week(text: str, now: datetime, zone) -> IsoWeek:  # type: ignore[no-untyped-def]
    if text == "last":
        return IsoWeek.last_complete(now, zone)
    if text == "current":
        return IsoWeek.containing(now, zone)
    return IsoWeek.parse(text)


def weekly_command(args: argparse.Namespace, context: CliContext) -> int:
    if args.out == "-" and args.format == "pdf":
        raise UsageError("a PDF cannot go to the terminal; give --out FILE.pdf")
    now = datetime.now(UTC)
    with context.db().begin() as session:
        zone = household_zone(get_setting(session, HOUSEHOLD_TIMEZONE))
        language = args.language or get_setting(session, APP_LANGUAGE)
        profile = find_profile(session, args.profile)
        week = choose_week(args.week, now, zone)
        summary = weekly_summary(session, profile, week, zone, language, now)
    if args.format == "html":
        from guardian.reports.html_export import render_html

        data = render_html(summary).encode("utf-8")
    elif args.format == "json":
        from guardian.reports.json_export import summary_to_json

        data = summary_to_json(summary).encode("utf-8")
    else:
        from guardian.reports.pdf_export import render_pdf

        data = render_pdf(summary)
    if args.out == "-":
        sys.stdout.write(data.decode("utf-8"))
        return 0
    out = Path(args.out)
    try:
        out.write_bytes(data)
    except OSError as exc:
        raise UsageError(f"cannot write {out}: {exc.strerror or exc}") from exc
    print(f"Wrote {out}: {summary.profile}, week {summary.week} "
          f"({summary.first_day.isoformat()} to {summary.last_day.isoformat()}).")
    return 0


def rebuild_command(args: argparse.Namespace, context: CliContext) -> int:
    with context.db().begin() as session:
        zone = household_zone(get_setting(session, HOUSEHOLD_TIMEZONE))
        rebuild_rollups(session, zone)
    print("The weekly figures were recomputed from the detailed log.")
    return 0
