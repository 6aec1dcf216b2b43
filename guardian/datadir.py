"""Where Guardian keeps its files, and which database it uses.

One folder holds everything for one install: the SQLite database, the
filter's certificate authority, imported lists and their compiled index.
It is created readable by its owner only, since it holds the CA key and the
household's activity.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import platformdirs

from guardian.errors import StorageError

DATA_DIR_ENV = "GUARDIAN_DATA_DIR"
DATABASE_URL_ENV = "GUARDIAN_DATABASE_URL"


@dataclass(frozen=True)
class DataDir:
    root: Path
    database_url: str

    @property
    def ca_dir(self) -> Path:
        return self.root / "ca"

    @property
    def lists_dir(self) -> Path:
        return self.root / "lists"

    @property
    def index_path(self) -> Path:
        return self.lists_dir / "categories.idx"

    @property
    def database_path(self) -> Path | None:
        """The SQLite file, when the database is the embedded one."""
        prefix = "sqlite:///"
        if self.database_url.startswith(prefix) and len(self.database_url) > len(prefix):
            return Path(self.database_url[len(prefix) :])
        return None

    def ensure(self) -> DataDir:
        """Create the folders (owner-only) or raise StorageError with the reason."""
        try:
            for folder in (self.root, self.ca_dir, self.lists_dir):
                folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        except OSError as exc:
            raise StorageError(
                f"cannot create Guardian's data folder {self.root}: {exc.strerror or exc}"
            ) from exc
        return self


def resolve_data_dir(data_dir: str | os.PathLike[str] | None = None,
                     database_url: str | None = None) -> DataDir:
    """The data folder and database from options, then environment, then platform defaults."""
    root_text = data_dir or os.environ.get(DATA_DIR_ENV)
    root = Path(root_text).expanduser() if root_text else Path(
        platformdirs.user_data_dir("guardian", appauthor=False)
    )
    root = root.absolute()
    url = database_url or os.environ.get(DATABASE_URL_ENV) or f"sqlite:///{root / 'guardian.db'}"
    return DataDir(root=root, database_url=url)
