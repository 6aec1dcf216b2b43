"""`guardian install` and `guardian uninstall`: start at boot, trust the CA, point the child at it.

Each step prints one line: done, skipped (why) or failed (why); `--dry-run` prints
what would be done and changes nothing. The exit status is 1 if any step failed.
"""

from __future__ import annotations

import argparse
import os
from pathlib import Path

from guardian.cli.context import CliContext
from guardian.cli.proxy import DEFAULT_LISTEN, parse_listen
from guardian.errors import UsageError
from guardian.install_flow import Plan, finish, plan
from guardian.os_integration.runner import apply_steps


def register(commands: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    install = commands.add_parser(
        "install", help="start the filter at boot, trust its CA, point a child's account at it",
        description="Start the filter at boot (systemd, Task Scheduler or launchd), install "
                    "its certificate in the system store and in Firefox's and Chromium's "
                    "databases, and set the child's account to use the filter. Run it as "
                    "root or an administrator for the system-wide steps.",
    )
    install.add_argument("--dry-run", action="store_true",
                         help="print every step and its commands; change nothing")
    install.add_argument("--user", metavar="NAME",
                         help="the child's account on this computer, to point at the filter")
    install.add_argument("--port", type=int, metavar="P",
                         help="the filter port the child's account uses (default: the "
                              "--listen port; a child's own profile port also works)")
    install.add_argument("--listen", default=DEFAULT_LISTEN, metavar="HOST:PORT",
                         help=f"the filter's main address (default {DEFAULT_LISTEN})")
    install.set_defaults(handler=install_command)

    uninstall = commands.add_parser(
        "uninstall", help="undo install: the service, the proxy settings, the certificate",
    )
    uninstall.add_argument("--dry-run", action="store_true",
                           help="print every step and its commands; change nothing")
    uninstall.add_argument("--user", metavar="NAME",
                           help="the child's account (default: the one install was given)")
    uninstall.set_defaults(handler=uninstall_command)


def install_command(args: argparse.Namespace, context: CliContext) -> int:
    listen = parse_listen(args.listen)
    if args.port is not None and not 1 <= args.port <= 65535:
        raise UsageError(f"port {args.port} is not between 1 and 65535")
    if not args.dry_run:
        from proxy_addons.certificates import ensure_ca

        context.data_dir.ensure()
        ensure_ca(context.data_dir.ca_dir)
        _give_back(context.data_dir.root, context.data_dir.ca_dir)
    steps = plan("install", context.data_dir, child_user=args.user, listen=listen,
                 child_port=args.port)
    return _carry_out(steps, args.dry_run, context)


def uninstall_command(args: argparse.Namespace, context: CliContext) -> int:
    return _carry_out(plan("uninstall", context.data_dir, child_user=args.user),
                      args.dry_run, context)


def _carry_out(steps: Plan, dry_run: bool, context: CliContext) -> int:
    outcomes = apply_steps(steps.steps, dry_run=dry_run, windows=steps.host.windows,
                           report=print)
    finish(steps, context.data_dir, outcomes, dry_run=dry_run)
    return 1 if any(outcome.status == "failed" for outcome in outcomes) else 0


def _give_back(root: Path, ca_dir: Path) -> None:
    """Root made the CA in the parent's data folder: hand it to the folder's owner."""
    if not hasattr(os, "geteuid") or os.geteuid() != 0:
        return
    owner = root.stat()
    if owner.st_uid == 0:
        return
    for path in (ca_dir, *ca_dir.iterdir()):
        if path.stat().st_uid == 0:
            os.chown(path, owner.st_uid, owner.st_gid)


