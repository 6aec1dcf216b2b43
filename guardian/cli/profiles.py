"""`guardian profile ...`: the children of the household and how their traffic arrives."""

from __future__ import annotations

import argparse
from typing import Any

from guardian.categories import CATEGORIES
from guardian.cli.context import CliContext, print_json
from guardian.storage.models import Profile
from guardian.storage.policy_version import bump_policy_version
from guardian.storage.profiles import (
    add_attribution,
    add_profile,
    attribution_value,
    find_profile,
    list_profiles,
    remove_attribution,
)


def register(commands: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    profile = commands.add_parser("profile", help="children's profiles")
    actions = profile.add_subparsers(dest="profile_command", metavar="COMMAND", required=True)

    add = actions.add_parser("add", help="add a child")
    add.add_argument("name")
    add.add_argument("--age", type=int, required=True, help="the child's age (picks the preset)")
    add.add_argument("--language", choices=("vi", "en"), default="vi",
                     help="language of the child's pages (default vi)")
    add.add_argument("--port", type=int, help="a listening port used only by this child")
    add.add_argument("--client", metavar="ADDR/CIDR",
                     help="the child's device address or network")
    add.add_argument("--machine", metavar="NAME",
                     help="every request through the filter of this machine (a school PC; "
                          "see guardian proxy --machine-name)")
    add.add_argument("--default", action="store_true",
                     help="also filter traffic no other profile claims with this profile")
    add.set_defaults(handler=add_command)

    for verb, text in (("attach", "send a port's, a device's or a machine's traffic to a "
                                  "child (device address, then port, then machine, then the "
                                  "default profile decide)"),
                       ("detach", "stop sending a port's, a device's or a machine's traffic "
                                  "to a child")):
        command = actions.add_parser(verb, help=text)
        command.add_argument("name")
        target = command.add_mutually_exclusive_group(required=True)
        target.add_argument("--port", type=int)
        target.add_argument("--client", metavar="ADDR/CIDR")
        target.add_argument("--machine", metavar="NAME")
        command.set_defaults(handler=attach_command if verb == "attach" else detach_command)

    listing = actions.add_parser("list", help="list the children")
    listing.add_argument("--json", action="store_true")
    listing.set_defaults(handler=list_command)

    remove = actions.add_parser("remove", help="remove a child (their activity log stays)")
    remove.add_argument("name")
    remove.set_defaults(handler=remove_command)

    from guardian.cli.policy import register_details

    register_details(actions)


def add_command(args: argparse.Namespace, context: CliContext) -> int:
    with context.db().begin() as session:
        profile = add_profile(
            session, args.name, args.age, args.language,
            port=args.port, client=args.client, machine=args.machine, default=args.default,
        )
        summary = describe(profile)
    print(f"Added {summary['name']} (age {summary['age']}, {summary['language']}); "
          f"blocked: {', '.join(summary['blocked_categories'])}")
    if not (args.port or args.client or args.machine or args.default):
        print("Note: no --port, --client, --machine or --default: "
              "no traffic reaches this profile yet.")
    return 0


def _target(args: argparse.Namespace) -> tuple[str, str]:
    if args.port is not None:
        return "port", attribution_value("port", str(args.port))
    if args.client is not None:
        return "client", attribution_value("client", args.client)
    return "machine", attribution_value("machine", args.machine)


def attach_command(args: argparse.Namespace, context: CliContext) -> int:
    kind, value = _target(args)
    with context.db().begin() as session:
        add_attribution(session, find_profile(session, args.name), kind, value)
        bump_policy_version(session)
    print(f"{kind.capitalize()} {value} now goes to {args.name}")
    return 0


def detach_command(args: argparse.Namespace, context: CliContext) -> int:
    kind, value = _target(args)
    with context.db().begin() as session:
        remove_attribution(session, find_profile(session, args.name), kind, value)
    print(f"{kind.capitalize()} {value} no longer goes to {args.name}")
    return 0


def list_command(args: argparse.Namespace, context: CliContext) -> int:
    with context.db().begin() as session:
        rows = [describe(profile) for profile in list_profiles(session)]
    if args.json:
        print_json(rows)
        return 0
    if not rows:
        print("No profiles yet. Add one: guardian profile add NAME --age N --port P")
    for row in rows:
        reach = ([f"port {p}" for p in row["ports"]] + [f"client {c}" for c in row["clients"]]
                 + [f"machine {m}" for m in row["machines"]])
        if row["default"]:
            reach.append("default")
        print(f"{row['name']}  age {row['age']}  {row['language']}  "
              f"[{', '.join(reach) or 'not reachable'}]  rules: {row['rules']}")
    return 0


def remove_command(args: argparse.Namespace, context: CliContext) -> int:
    with context.db().begin() as session:
        session.delete(find_profile(session, args.name))
        bump_policy_version(session)
    print(f"Removed {args.name}")
    return 0


def describe(profile: Profile) -> dict[str, Any]:
    blocked = {s.category_code for s in profile.category_settings if s.blocked}
    return {
        "name": profile.name,
        "age": profile.age,
        "language": profile.language,
        "default": profile.is_default,
        "ports": sorted(int(a.value) for a in profile.attributions if a.kind == "port"),
        "clients": sorted(a.value for a in profile.attributions if a.kind == "client"),
        "machines": sorted(a.value for a in profile.attributions if a.kind == "machine"),
        "blocked_categories": [code for code in CATEGORIES if code in blocked],
        "rules": len(profile.rules),
    }
