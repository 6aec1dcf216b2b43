"""`guardian activity`: what the children's browsers did, newest first."""

from __future__ import annotations

import argparse
from datetime import datetime

from guardian.cli.context import CliContext, print_json
from guardian.errors import UsageError
from guardian.storage.activity import recent_activity
from guardian.storage.profiles import find_profile


def register(commands: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    activity = commands.add_parser("activity", help="the request log, newest first")
    activity.add_argument("--profile", metavar="NAME", help="only this child")
    activity.add_argument("--since", metavar="DATE",
                          help="from this local date or time on (2026-11-29 or 2026-11-29T18:00)")
    activity.add_argument("--limit", type=int, default=200, help="at most this many rows")
    activity.add_argument("--json", action="store_true")
    activity.set_defaults(handler=activity_command)


def parse_since(text: str) -> datetime:
    """A local date or date-time; naive values are in the household's local time."""
    try:
        moment = datetime.fromisoformat(text.strip())
    except ValueError:
        raise UsageError(f"--since needs a date such as 2026-11-29, not {text!r}") from None
    return moment if moment.tzinfo else moment.astimezone()


def activity_command(args: argparse.Namespace, context: CliContext) -> int:
    since = parse_since(args.since) if args.since else None
    if args.limit < 1:
        raise UsageError("--limit must be at least 1")
    with context.db().begin() as session:
        profile_id = find_profile(session, args.profile).id if args.profile else None
        entries = recent_activity(session, profile_id=profile_id, since=since, limit=args.limit)
    if args.json:
        print_json([
            {
                "time": entry.time.isoformat(), "profile": entry.profile, "host": entry.host,
                "path": entry.path, "method": entry.method, "status": entry.status,
                "decision": entry.decision, "reason": entry.reason,
                "category": entry.category, "bytes": entry.bytes, "search": entry.search,
            }
            for entry in entries
        ])
        return 0
    if not entries:
        print("No activity recorded.")
    for entry in entries:
        local = entry.time.astimezone().strftime("%Y-%m-%d %H:%M:%S")
        why = entry.reason + (f":{entry.category}" if entry.category else "")
        searched = f'  searched "{entry.search}"' if entry.search else ""
        print(f"{local}  {entry.profile or '-':12} {entry.decision.upper():5}  "
              f"{entry.status or '-':>3}  {entry.method} {entry.host}{entry.path}  ({why})"
              f"{searched}")
    return 0
