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
from guardian.os_integration.host import default_install, probe_host
from guardian.os_integration.plan import (
    forget_record,
    install_plan,
    read_record,
    uninstall_plan,
    write_record,
)
from guardian.os_integration.runner import apply_steps

CA_FILE = "mitmproxy-ca-cert.pem"


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
    ca_cert = context.data_dir.ca_dir / CA_FILE
    if not args.dry_run:
        from proxy_addons.certificates import ensure_ca

        context.data_dir.ensure()
        ca_cert = ensure_ca(context.data_dir.ca_dir)
        _give_back(context.data_dir.root, context.data_dir.ca_dir)
    host = probe_host(args.user)
    install = default_install(context.data_dir, ca_cert, listen=listen,
                              child_port=args.port, child_user=args.user)
    outcomes = apply_steps(install_plan(host, install), dry_run=args.dry_run,
                           windows=host.windows, report=print)
    if not args.dry_run:
        write_record(context.data_dir.root, install)
    return 1 if any(outcome.status == "failed" for outcome in outcomes) else 0


def uninstall_command(args: argparse.Namespace, context: CliContext) -> int:
    record = read_record(context.data_dir.root)
    user = args.user or _text(record.get("child_user"))
    listen = parse_listen(_text(record.get("listen")) or DEFAULT_LISTEN)
    port = record.get("child_port")
    host = probe_host(user)
    install = default_install(context.data_dir, context.data_dir.ca_dir / CA_FILE, listen=listen,
                              child_port=port if isinstance(port, int) else None,
                              child_user=user)
    outcomes = apply_steps(uninstall_plan(host, install), dry_run=args.dry_run,
                           windows=host.windows, report=print)
    failed = any(outcome.status == "failed" for outcome in outcomes)
    if not args.dry_run and not failed:
        forget_record(Path(context.data_dir.root))
    return 1 if failed else 0


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


def _text(value: object) -> str | None:
    return value if isinstance(value, str) and value else None
