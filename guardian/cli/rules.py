"""`guardian category ...` and `guardian rule ...`: what each child may reach."""

from __future__ import annotations

import argparse

from guardian.categories import CATEGORIES
from guardian.cli.context import CliContext, print_json
from guardian.errors import UsageError
from guardian.storage.profiles import (
    add_rule,
    find_profile,
    remove_rule,
    rule_text,
    set_category,
)


def register(commands: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    category = commands.add_parser("category", help="block or allow a category for a child")
    category.add_argument("action", choices=("block", "allow", "list"))
    category.add_argument("profile")
    category.add_argument("category", nargs="?", metavar="CATEGORY",
                          help=f"one of: {', '.join(CATEGORIES)}")
    category.set_defaults(handler=category_command)

    rule = commands.add_parser("rule", help="a child's allow and block rules")
    actions = rule.add_subparsers(dest="rule_command", metavar="COMMAND", required=True)
    for name, handler, help_text in (
        ("add", add_command, "allow or block a domain (and its subdomains) or a URL prefix"),
        ("remove", remove_command, "remove a rule"),
    ):
        sub = actions.add_parser(name, help=help_text)
        sub.add_argument("profile")
        sub.add_argument("action", choices=("allow", "block"))
        sub.add_argument("target", metavar="DOMAIN_OR_URL")
        sub.set_defaults(handler=handler)
    listing = actions.add_parser("list", help="list a child's rules")
    listing.add_argument("profile")
    listing.add_argument("--json", action="store_true")
    listing.set_defaults(handler=list_command)


def category_command(args: argparse.Namespace, context: CliContext) -> int:
    with context.db().begin() as session:
        profile = find_profile(session, args.profile)
        if args.action == "list":
            for setting in sorted(profile.category_settings,
                                  key=lambda s: CATEGORIES.index(s.category_code)
                                  if s.category_code in CATEGORIES else len(CATEGORIES)):
                print(f"{setting.category_code:16} {'blocked' if setting.blocked else 'allowed'}")
            return 0
        if args.category is None:
            raise UsageError(f"name a CATEGORY to {args.action}: {', '.join(CATEGORIES)}")
        set_category(session, profile, args.category, args.action == "block")
    verb = "Blocked" if args.action == "block" else "Allowed"
    print(f"{verb} {args.category} for {args.profile}")
    return 0


def add_command(args: argparse.Namespace, context: CliContext) -> int:
    with context.db().begin() as session:
        rule = add_rule(session, find_profile(session, args.profile), args.action, args.target)
        text = rule_text(rule)
    print(f"{args.profile}: {args.action} {text}")
    return 0


def remove_command(args: argparse.Namespace, context: CliContext) -> int:
    with context.db().begin() as session:
        remove_rule(session, find_profile(session, args.profile), args.action, args.target)
    print(f"{args.profile}: removed the {args.action} rule for {args.target}")
    return 0


def list_command(args: argparse.Namespace, context: CliContext) -> int:
    with context.db().begin() as session:
        profile = find_profile(session, args.profile)
        rows = [{"action": r.action, "target": rule_text(r)} for r in profile.rules]
    if args.json:
        print_json(rows)
    else:
        for row in rows:
            print(f"{row['action']:6} {row['target']}")
    return 0
