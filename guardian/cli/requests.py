"""`guardian requests ...` and `guardian reports list`: what the children asked and reported."""

from __future__ import annotations

import argparse
from datetime import UTC, datetime

from guardian.cli.context import CliContext, print_json
from guardian.errors import UsageError
from guardian.storage.access_requests import (
    approve_request,
    deny_request,
    list_reports,
    list_requests,
)
from guardian.storage.settings import HOUSEHOLD_TIMEZONE, get_setting
from guardian.zones import household_zone


def register(commands: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    requests = commands.add_parser("requests", help="children's requests to a parent")
    actions = requests.add_subparsers(dest="requests_command", metavar="COMMAND", required=True)
    listing = actions.add_parser("list", help="the requests, newest first")
    listing.add_argument("--all", action="store_true", help="also those already answered")
    listing.add_argument("--json", action="store_true")
    listing.set_defaults(handler=list_command)
    approve = actions.add_parser("approve", help="say yes")
    approve.add_argument("id", type=int)
    how_long = approve.add_mutually_exclusive_group()
    how_long.add_argument("--minutes", type=int, help="for this many minutes (e.g. 15, 60)")
    how_long.add_argument("--today", action="store_true", help="for the rest of today")
    how_long.add_argument("--always", action="store_true",
                          help="for good: allow the site, or lift the limit")
    approve.set_defaults(handler=approve_command)
    deny = actions.add_parser("deny", help="say no")
    deny.add_argument("id", type=int)
    deny.set_defaults(handler=deny_command)

    reports = commands.add_parser("reports", help="pages children reported as harmful")
    report_actions = reports.add_subparsers(dest="reports_command", metavar="COMMAND",
                                            required=True)
    report_list = report_actions.add_parser("list", help="the reports, newest first")
    report_list.add_argument("--json", action="store_true")
    report_list.set_defaults(handler=reports_command)


def list_command(args: argparse.Namespace, context: CliContext) -> int:
    with context.db().begin() as session:
        rows = list_requests(session, None if args.all else "pending")
    if args.json:
        print_json([{
            "id": r.id, "profile": r.profile, "kind": r.kind, "host": r.host, "path": r.path,
            "limit": r.scope or None, "key": r.key or None, "category": r.category,
            "message": r.message, "status": r.status, "answer": r.answer,
            "created_at": r.created_at.isoformat(),
        } for r in rows])
        return 0
    if not rows:
        print("No pending requests." if not args.all else "No requests.")
    for r in rows:
        when = r.created_at.astimezone().strftime("%Y-%m-%d %H:%M")
        what = f"open {r.host}" if r.kind == "site" else f"more time ({r.target})"
        note = f'  "{r.message}"' if r.message else ""
        print(f"#{r.id}  {when}  {r.profile}: {what}  [{r.status}]{note}")
    return 0


def approve_command(args: argparse.Namespace, context: CliContext) -> int:
    if args.minutes is not None:
        answer = f"{args.minutes}m"
    elif args.today:
        answer = "today"
    elif args.always:
        answer = "always"
    else:
        raise UsageError("say for how long: --minutes N, --today or --always")
    now = datetime.now(UTC)
    with context.db().begin() as session:
        zone = household_zone(get_setting(session, HOUSEHOLD_TIMEZONE))
        info = approve_request(session, args.id, answer, now, zone)
    print(f"Approved #{info.id} for {info.profile} ({answer}).")
    return 0


def deny_command(args: argparse.Namespace, context: CliContext) -> int:
    with context.db().begin() as session:
        info = deny_request(session, args.id, datetime.now(UTC))
    print(f"Denied #{info.id} for {info.profile}.")
    return 0


def reports_command(args: argparse.Namespace, context: CliContext) -> int:
    with context.db().begin() as session:
        rows = list_reports(session)
    if args.json:
        print_json([{"id": r.id, "profile": r.profile, "host": r.host, "path": r.path,
                     "category": r.category, "note": r.note,
                     "created_at": r.created_at.isoformat()} for r in rows])
        return 0
    if not rows:
        print("No reports.")
    for r in rows:
        when = r.created_at.astimezone().strftime("%Y-%m-%d %H:%M")
        print(f"#{r.id}  {when}  {r.profile or '-'}: {r.host}{r.path}  {r.note}")
    return 0
