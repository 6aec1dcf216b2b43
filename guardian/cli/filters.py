"""`guardian filters`: every filter sharing the database, and whether each is healthy."""

from __future__ import annotations

import argparse

from guardian.cli.context import CliContext, print_json
from guardian.storage.filters import FilterStatus, forget_filter, list_filters


def register(commands: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    filters = commands.add_parser(
        "filters", help="the filters sharing this database (a school's PCs) and their health")
    filters.add_argument("--json", action="store_true")
    filters.set_defaults(handler=list_command)
    actions = filters.add_subparsers(dest="filters_command", metavar="COMMAND")
    forget = actions.add_parser("forget", help="remove a retired machine's filter from the list")
    forget.add_argument("machine")
    forget.set_defaults(handler=forget_command)


def list_command(args: argparse.Namespace, context: CliContext) -> int:
    with context.db().begin() as session:
        statuses = list_filters(session)
    if args.json:
        print_json([describe(status) for status in statuses])
        return 0
    if not statuses:
        print("No filter has used this database yet. Start one: guardian proxy")
    for status in statuses:
        line = (f"{status.name}  {status.address}  {status.health}  "
                f"version {status.version}  last seen {_ago(status)}")
        print(line + (f"  ({status.problem})" if status.problem else ""))
    return 0


def forget_command(args: argparse.Namespace, context: CliContext) -> int:
    with context.db().begin() as session:
        count = forget_filter(session, args.machine)
    print(f"Forgot {count} filter(s) on {args.machine}; a filter started there again "
          "registers itself again.")
    return 0


def describe(status: FilterStatus) -> dict[str, object]:
    return {
        "name": status.name,
        "address": status.address,
        "version": status.version,
        "health": status.health,
        "problem": status.problem,
        "started_at": status.started_at.isoformat(),
        "last_seen": status.last_seen.isoformat(),
        "seen_seconds_ago": round(status.seen_ago.total_seconds(), 1),
    }


def _ago(status: FilterStatus) -> str:
    seconds = int(status.seen_ago.total_seconds())
    if seconds < 120:
        return f"{seconds} s ago"
    if seconds < 7200:
        return f"{seconds // 60} min ago"
    return status.last_seen.strftime("%Y-%m-%d %H:%M UTC")
