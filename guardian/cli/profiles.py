"""`guardian profile ...`: the children of the household and how their traffic arrives."""

from __future__ import annotations

import argparse

from guardian.categories import CATEGORIES
from guardian.cli.context import CliContext, print_json
from guardian.storage.models import Profile
from guardian.storage.profiles import add_profile, find_profile, list_profiles


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
    add.add_argument("--default", action="store_true",
                     help="also filter traffic no other profile claims with this profile")
    add.set_defaults(handler=add_command)

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
            port=args.port, client=args.client, default=args.default,
        )
        summary = describe(profile)
    print(f"Added {summary['name']} (age {summary['age']}, {summary['language']}); "
          f"blocked: {', '.join(summary['blocked_categories'])}")
    if not (args.port or args.client or args.default):
        print("Note: no --port, --client or --default: no traffic reaches this profile yet.")
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
        reach = [f"port {p}" for p in row["ports"]] + [f"client {c}" for c in row["clients"]]
        if row["default"]:
            reach.append("default")
        print(f"{row['name']}  age {row['age']}  {row['language']}  "
              f"[{', '.join(reach) or 'not reachable'}]  rules: {row['rules']}")
    return 0


def remove_command(args: argparse.Namespace, context: CliContext) -> int:
    from guardian.storage.policy_version import bump_policy_version

    with context.db().begin() as session:
        session.delete(find_profile(session, args.name))
        bump_policy_version(session)
    print(f"Removed {args.name}")
    return 0


def describe(profile: Profile) -> dict[str, object]:
    blocked = {s.category_code for s in profile.category_settings if s.blocked}
    return {
        "name": profile.name,
        "age": profile.age,
        "language": profile.language,
        "default": profile.is_default,
        "ports": sorted(int(a.value) for a in profile.attributions if a.kind == "port"),
        "clients": sorted(a.value for a in profile.attributions if a.kind == "client"),
        "blocked_categories": [code for code in CATEGORIES if code in blocked],
        "rules": len(profile.rules),
    }
