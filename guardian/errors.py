"""Errors Guardian reports to people.

Every error a user can meet carries a stable `code` (for scripts and the app)
and one clear sentence (`str(error)`). The command line prints that sentence
and exits non-zero; nothing already stored is changed by a failed command.

    GuardianError
    ├── UsageError          the request itself is wrong: fix the command
    │   ├── NotFound        no profile, rule or request by that name
    │   ├── AlreadyExists   a second profile, port or rule of the same name
    │   └── InvalidHost     not a host name, IP address or URL
    ├── ListError           a list file is unreadable or yields no domains
    │   └── StaleIndex      the category index was written by another version
    ├── CatalogError        the Code of Conduct catalog is unreadable or inconsistent
    ├── StorageError        the database cannot be opened, migrated or written
    └── PolicyUnavailable   the proxy could not load the household policy
"""

from __future__ import annotations


class GuardianError(Exception):
    code = "guardian_error"

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class UsageError(GuardianError):
    code = "usage"


class NotFound(UsageError):
    code = "not_found"


class AlreadyExists(UsageError):
    code = "already_exists"


class InvalidHost(UsageError):
    code = "invalid_host"

    def __init__(self, raw: str, why: str) -> None:
        shown = raw if len(raw) <= 80 else raw[:77] + "..."
        super().__init__(f"{shown!r} is not usable as a host: {why}")
        self.raw = raw


class ListError(GuardianError):
    code = "list_error"


class StaleIndex(ListError):
    """Compiling the saved lists again makes a current one (`rebuild_stale_index`)."""

    code = "stale_index"


class CatalogError(GuardianError):
    code = "catalog_error"


class StorageError(GuardianError):
    code = "storage"


class PolicyUnavailable(GuardianError):
    code = "policy_unavailable"
