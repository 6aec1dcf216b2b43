"""`guardian app`: the parent app, which also starts and watches the filter.

Qt is imported only here, inside the command, so the other commands start
without it.
"""

from __future__ import annotations

import argparse

from guardian.cli.context import CliContext
from guardian.cli.proxy import parse_listen


def register(commands: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    app = commands.add_parser("app", help="the parent app (starts the filter too)")
    app.add_argument(
        "--listen", metavar="HOST:PORT",
        help="the filter's address (default: the one chosen in the app, else 127.0.0.1:8080)",
    )
    app.set_defaults(handler=run_app)


def run_app(args: argparse.Namespace, context: CliContext) -> int:
    if args.listen:
        parse_listen(args.listen)  # a bad address is a usage error before any window opens
    from ui.app import run

    return run(context.data_dir, args.listen)
