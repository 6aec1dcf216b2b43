"""This machine's name: how a filter is known in a shared database.

A school runs one filter on each PC (or one per room) against one
PostgreSQL database. Each filter registers under its machine name, and a
profile attributed to a machine (`guardian profile attach NAME --machine PC`)
filters the traffic that reaches that machine's filter. The name is
`guardian proxy --machine-name`, else GUARDIAN_MACHINE_NAME, else the host
name; it is compared without regard to case, as host names are.
"""

from __future__ import annotations

import os
import re
import socket

from guardian.errors import UsageError

MACHINE_NAME_ENV = "GUARDIAN_MACHINE_NAME"
MAX_MACHINE_NAME = 64
_NAME = re.compile(r"[a-z0-9](?:[a-z0-9._-]*[a-z0-9])?")


def machine_value(name: str) -> str:
    """A machine name in its stored form (lower case), or UsageError saying what is wrong."""
    value = name.strip().lower()
    if not value or len(value) > MAX_MACHINE_NAME or not _NAME.fullmatch(value):
        raise UsageError(
            f"{name!r} is not a machine name: use 1 to {MAX_MACHINE_NAME} letters, digits, "
            "'-', '_' or '.', starting and ending with a letter or digit")
    return value


def machine_name() -> str:
    """This filter's machine name: the environment's, or the host name (first label)."""
    configured = os.environ.get(MACHINE_NAME_ENV, "").strip()
    if configured:
        return machine_value(configured)
    host = socket.gethostname().split(".")[0]
    try:
        return machine_value(host)
    except UsageError:
        return "guardian"  # a host name of only odd characters: still a usable name
