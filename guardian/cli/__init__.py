"""The `guardian` command line: the contract the README and the tests use.

This package is the composition root: it may import `proxy_addons` and `ui`,
but only lazily inside the commands that need them, so `guardian --help` and
the data commands start without loading mitmproxy or Qt.

Errors print one line (`guardian: error: ...`) and exit 1; usage errors exit 2.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from guardian import __version__
from guardian.cli import (
    activity,
    app,
    demo,
    devices,
    filters,
    install,
    lists,
    policy,
    profiles,
    proxy,
    report,
    requests,
    rules,
    time,
)
from guardian.cli.context import CliContext
from guardian.datadir import DATA_DIR_ENV, DATABASE_URL_ENV, resolve_data_dir
from guardian.errors import GuardianError

COMMAND_GROUPS = (
    app, proxy, profiles, rules, lists, time, requests, policy, activity, report, demo,
    devices, install, filters,
)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="guardian",
        description="Guardian: a household screen-time and content filter.",
    )
    parser.add_argument("--version", action="version", version=f"guardian {__version__}")
    parser.add_argument(
        "--data-dir",
        help=f"folder for Guardian's database, certificate and lists (env {DATA_DIR_ENV})",
    )
    parser.add_argument(
        "--database-url",
        help=f"SQLAlchemy database URL instead of the embedded SQLite (env {DATABASE_URL_ENV})",
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for group in COMMAND_GROUPS:
        group.register(commands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    context = CliContext(resolve_data_dir(args.data_dir, args.database_url))
    try:
        return int(args.handler(args, context) or 0)
    except GuardianError as exc:
        print(f"guardian: error: {exc.message}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # the reader went away (`guardian ... | head`)
        return 0
    finally:
        context.close()
