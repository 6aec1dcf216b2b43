"""`guardian demo`: a sample household with weeks of activity, to try the app and the reports."""

from __future__ import annotations

import argparse
from datetime import UTC, datetime

from guardian.cli.context import CliContext
from guardian.demo import create_demo_household
from guardian.storage.settings import HOUSEHOLD_TIMEZONE, get_setting
from guardian.zones import household_zone


def register(commands: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    demo = commands.add_parser(
        "demo", help="create a sample household with weeks of activity (in an empty --data-dir)")
    demo.add_argument("--seed", type=int, default=2025, help=argparse.SUPPRESS)
    demo.set_defaults(handler=demo_command)


def demo_command(args: argparse.Namespace, context: CliContext) -> int:
    now = datetime.now(UTC)
    with context.db().begin() as session:
        zone = household_zone(get_setting(session, HOUSEHOLD_TIMEZONE))
        result = create_demo_household(session, now, zone, seed=args.seed)
    root = context.data_dir.root
    print(f"Created a demo household in {root}: {', '.join(result.children)}, with "
          f"{result.requests:,} requests and {result.minutes:,} active minutes "
          f"(weeks {' and '.join(result.weeks)}, and this week so far).")
    print(f"Try: guardian --data-dir {root} report weekly --profile {result.children[0]} "
          f"--format html --out summary.html")
    return 0
