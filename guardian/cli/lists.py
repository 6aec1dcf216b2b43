"""`guardian lists ...`: category lists, imported from files or URLs and compiled.

An import parses the list, keeps its normalized entries in a file beside the
database, records the source, and recompiles the one index the filter maps
at start. A list that yields nothing is refused and changes nothing.
"""

from __future__ import annotations

import argparse
import tempfile
import uuid
from pathlib import Path

from sqlalchemy import select

from guardian.categories import CATEGORIES, is_category
from guardian.cli.context import CliContext, print_json
from guardian.errors import UsageError
from guardian.lists import (
    FILE_FORMATS,
    FOLDER_FORMATS,
    compile_index,
    fetch_list,
    parse_list,
    write_source_file,
)
from guardian.storage.models import ListSource
from guardian.storage.policy_version import bump_policy_version


def register(commands: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    lists = commands.add_parser("lists", help="category lists (domains, hosts, Adblock, UT1)")
    actions = lists.add_subparsers(dest="lists_command", metavar="COMMAND", required=True)
    imp = actions.add_parser("import", help="import a list file, folder or URL into a category")
    imp.add_argument("location", metavar="PATH_OR_URL")
    imp.add_argument("--category", required=True, help=f"one of: {', '.join(CATEGORIES)}")
    imp.add_argument("--format", default="auto", choices=("auto", *FILE_FORMATS, *FOLDER_FORMATS))
    imp.set_defaults(handler=import_command)
    listing = actions.add_parser("list", help="the imported lists")
    listing.add_argument("--json", action="store_true")
    listing.set_defaults(handler=list_command)


def import_command(args: argparse.Namespace, context: CliContext) -> int:
    if not is_category(args.category):
        raise UsageError(f"unknown category {args.category!r}; categories: {', '.join(CATEGORIES)}")
    data_dir = context.data_dir
    db = context.db()
    location = args.location
    with tempfile.TemporaryDirectory(dir=data_dir.lists_dir) as scratch:
        if location.startswith(("http://", "https://")):
            path = fetch_list(location, Path(scratch) / "download")
        else:
            path = Path(location).expanduser()
            location = str(path.absolute())
        parsed = parse_list(path, args.format)
    file_name = f"source-{uuid.uuid4().hex}.txt"
    source_path = data_dir.lists_dir / file_name
    write_source_file(parsed, source_path)
    replaced: str | None = None
    try:
        with db.begin() as session:
            source = session.scalars(select(ListSource).where(
                ListSource.location == location, ListSource.category_code == args.category
            )).first()
            if source is None:
                source = ListSource(location=location, category_code=args.category)
                session.add(source)
            else:
                replaced = source.file_name
            source.format = parsed.format
            source.file_name = file_name
            source.domain_count = len(parsed.domains)
            source.url_count = len(parsed.urls)
            source.bad_lines = parsed.bad_lines
            session.flush()
            sources = [
                (data_dir.lists_dir / s.file_name, s.category_code)
                for s in session.scalars(select(ListSource).order_by(ListSource.id))
            ]
            stats = compile_index(sources, data_dir.index_path)
            bump_policy_version(session)
    except BaseException:
        source_path.unlink(missing_ok=True)
        raise
    if replaced:
        (data_dir.lists_dir / replaced).unlink(missing_ok=True)
    print(f"Imported {len(parsed.domains)} domains and {len(parsed.urls)} URLs into "
          f"{args.category} from {location} (format {parsed.format}).")
    if parsed.unsupported_lines:
        print(f"Left out {parsed.unsupported_lines} rules of kinds Guardian does not apply "
              "(cosmetic, exception or path rules).")
    if parsed.bad_lines:
        print(f"Skipped {parsed.bad_lines} bad lines, for example:")
        for bad in parsed.bad_examples:
            print(f"  {bad.file} line {bad.line}: {bad.text}")
    print(f"Index: {stats.domains} domains, {stats.urls} URLs in {stats.seconds:.2f} s.")
    return 0


def list_command(args: argparse.Namespace, context: CliContext) -> int:
    with context.db().begin() as session:
        rows = [
            {
                "id": s.id, "location": s.location, "category": s.category_code,
                "format": s.format, "domains": s.domain_count, "urls": s.url_count,
                "bad_lines": s.bad_lines, "imported_at": s.imported_at.isoformat(),
            }
            for s in session.scalars(select(ListSource).order_by(ListSource.id))
        ]
    if args.json:
        print_json(rows)
        return 0
    if not rows:
        print("No lists imported yet.")
    for row in rows:
        print(f"{row['id']:3}  {row['category']:16} {row['domains']:>9} domains  {row['location']}")
    return 0
