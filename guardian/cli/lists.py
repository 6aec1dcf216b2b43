"""`guardian lists ...`: category lists, imported from files or URLs and compiled.

An import parses the list, keeps its normalized entries in a file beside the
database, records the source, and recompiles the one index the filter maps
at start (`guardian.list_import`, shared with the parent app). A list that
yields nothing is refused and changes nothing.
"""

from __future__ import annotations

import argparse

from guardian.categories import CATEGORIES
from guardian.cli.context import CliContext, print_json
from guardian.known_sites import known_count
from guardian.list_import import FORMATS, import_list, imported_lists


def register(commands: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    lists = commands.add_parser("lists", help="category lists (domains, hosts, Adblock, UT1)")
    actions = lists.add_subparsers(dest="lists_command", metavar="COMMAND", required=True)
    imp = actions.add_parser("import", help="import a list file, folder or URL into a category")
    imp.add_argument("location", metavar="PATH_OR_URL")
    imp.add_argument("--category", required=True, help=f"one of: {', '.join(CATEGORIES)}")
    imp.add_argument("--format", default="auto", choices=FORMATS)
    imp.set_defaults(handler=import_command)
    listing = actions.add_parser("list", help="the imported lists")
    listing.add_argument("--json", action="store_true")
    listing.set_defaults(handler=list_command)


def import_command(args: argparse.Namespace, context: CliContext) -> int:
    result = import_list(context.data_dir, context.db(), args.location, args.category,
                         args.format)
    print(f"Imported {result.domains} domains and {result.urls} URLs into "
          f"{result.category} from {result.location} (format {result.format}).")
    if result.unsupported_lines:
        print(f"Left out {result.unsupported_lines} rules of kinds Guardian does not apply "
              "(cosmetic, exception or path rules).")
    if result.bad_lines:
        print(f"Skipped {result.bad_lines} bad lines, for example:")
        for bad in result.bad_examples:
            print(f"  {bad.file} line {bad.line}: {bad.text}")
    print(f"Index: {result.index.domains} domains, {result.index.urls} URLs "
          f"in {result.index.seconds:.2f} s.")
    return 0


def list_command(args: argparse.Namespace, context: CliContext) -> int:
    with context.db().begin() as session:
        rows = [
            {
                "id": s.id, "location": s.location, "category": s.category,
                "format": s.format, "domains": s.domains, "urls": s.urls,
                "bad_lines": s.bad_lines, "imported_at": s.imported_at.isoformat(),
            }
            for s in imported_lists(session)
        ]
    if args.json:
        print_json(rows)
        return 0
    print(f"Built in: {known_count()} well-known sites (games, social networks, video, chat and "
          "dating, adult, gambling, ways around the filter); imported lists add to them.")
    if not rows:
        print("No lists imported yet.")
    for row in rows:
        print(f"{row['id']:3}  {row['category']:16} {row['domains']:>9} domains  {row['location']}")
    return 0
