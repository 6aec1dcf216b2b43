"""Importing a category list into the household: the one flow the CLI and the app share.

An import fetches (for a URL) and parses the list, keeps its normalized entries
in a file beside the database, records the source, recompiles the one index the
filter maps at start and bumps the policy version, all in one transaction. A
list that yields nothing is refused and changes nothing; importing the same
location into the same category again replaces it (that is how a list is
updated).
"""

from __future__ import annotations

import tempfile
import uuid
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from guardian.categories import CATEGORIES, is_category
from guardian.datadir import DataDir
from guardian.domain_index import DomainIndex
from guardian.errors import StaleIndex, UsageError
from guardian.lists import (
    FILE_FORMATS,
    FOLDER_FORMATS,
    BadLine,
    IndexStats,
    compile_index,
    fetch_list,
    parse_list,
    write_source_file,
)
from guardian.storage.database import Database
from guardian.storage.models import ListSource
from guardian.storage.policy_version import bump_policy_version

FORMATS: tuple[str, ...] = ("auto", *FILE_FORMATS, *FOLDER_FORMATS)


@dataclass(frozen=True, slots=True)
class ImportResult:
    location: str  # as stored: a URL, or an absolute path
    category: str
    format: str  # the format detected or given
    domains: int
    urls: int
    unsupported_lines: int
    bad_lines: int
    bad_examples: tuple[BadLine, ...]
    index: IndexStats
    replaced: bool  # the same location and category had been imported before


@dataclass(frozen=True, slots=True)
class ImportedList:
    id: int
    location: str
    category: str
    format: str
    domains: int
    urls: int
    bad_lines: int
    imported_at: datetime


def is_url(location: str) -> bool:
    return location.startswith(("http://", "https://"))


def import_list(
    data_dir: DataDir, db: Database, location: str, category: str, fmt: str = "auto"
) -> ImportResult:
    """Import the list at `location` (path or http(s) URL) into `category`."""
    if not is_category(category):
        raise UsageError(f"unknown category {category!r}; categories: {', '.join(CATEGORIES)}")
    if fmt not in FORMATS:
        raise UsageError(f"unknown list format {fmt!r}; formats: {', '.join(FORMATS)}")
    data_dir.ensure()
    with tempfile.TemporaryDirectory(dir=data_dir.lists_dir) as scratch:
        if is_url(location):
            path = fetch_list(location, Path(scratch) / "download")
        else:
            path = Path(location).expanduser()
            location = str(path.absolute())
        parsed = parse_list(path, fmt)
    file_name = f"source-{uuid.uuid4().hex}.txt"
    source_path = data_dir.lists_dir / file_name
    write_source_file(parsed, source_path)
    replaced: str | None = None
    try:
        with db.begin() as session:
            source = session.scalars(select(ListSource).where(
                ListSource.location == location, ListSource.category_code == category
            )).first()
            if source is None:
                source = ListSource(location=location, category_code=category)
                session.add(source)
            else:
                replaced = source.file_name
            source.format = parsed.format
            source.file_name = file_name
            source.domain_count = len(parsed.domains)
            source.url_count = len(parsed.urls)
            source.bad_lines = parsed.bad_lines
            session.flush()
            stats = compile_index(saved_lists(session, data_dir), data_dir.index_path)
            bump_policy_version(session)
    except BaseException:
        source_path.unlink(missing_ok=True)
        raise
    if replaced:
        (data_dir.lists_dir / replaced).unlink(missing_ok=True)
    return ImportResult(
        location=location, category=category, format=parsed.format,
        domains=len(parsed.domains), urls=len(parsed.urls),
        unsupported_lines=parsed.unsupported_lines, bad_lines=parsed.bad_lines,
        bad_examples=tuple(parsed.bad_examples), index=stats, replaced=replaced is not None,
    )


def saved_lists(session: Session, data_dir: DataDir) -> list[tuple[Path, str]]:
    """Each imported list's saved copy in the data folder, with its category."""
    return [(data_dir.lists_dir / s.file_name, s.category_code)
            for s in session.scalars(select(ListSource).order_by(ListSource.id))]


def rebuild_stale_index(db: Database, data_dir: DataDir) -> IndexStats | None:
    """Compile the index again from the saved lists if another version of Guardian wrote it.

    Returns what was compiled, or None when the index was current (or absent).
    """
    try:
        DomainIndex.open(data_dir.index_path).close()
        return None
    except StaleIndex:
        pass
    with db.begin() as session:
        sources = saved_lists(session, data_dir)
    return compile_index(sources, data_dir.index_path)


def imported_lists(session: Session) -> list[ImportedList]:
    return [
        ImportedList(
            id=s.id, location=s.location, category=s.category_code, format=s.format,
            domains=s.domain_count, urls=s.url_count, bad_lines=s.bad_lines,
            imported_at=s.imported_at,
        )
        for s in session.scalars(select(ListSource).order_by(ListSource.id))
    ]
