"""What every command gets: the data folder and, on first use, the database."""

from __future__ import annotations

import json
import sys
from dataclasses import dataclass, field
from typing import Any

from guardian.datadir import DataDir
from guardian.storage.database import Database, open_database


@dataclass
class CliContext:
    data_dir: DataDir
    _db: Database | None = field(default=None, repr=False)

    def db(self) -> Database:
        if self._db is None:
            self.data_dir.ensure()
            self._db = open_database(self.data_dir.database_url)
        return self._db

    def close(self) -> None:
        if self._db is not None:
            self._db.close()


def print_json(value: Any) -> None:
    json.dump(value, sys.stdout, ensure_ascii=False, indent=2, default=str)
    sys.stdout.write("\n")
