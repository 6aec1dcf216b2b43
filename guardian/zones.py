"""The household's time zone: what "today" and "21:00" mean for budgets and hours."""

from __future__ import annotations

import os
from datetime import tzinfo
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from guardian.errors import UsageError


def household_zone(name: str = "") -> tzinfo:
    """The named zone, else the computer's own (TZ, /etc/timezone, /etc/localtime)."""
    if name:
        return zone_named(name)
    for candidate in (os.environ.get("TZ", "").lstrip(":"), _etc_timezone(), _localtime_link()):
        if candidate:
            try:
                return ZoneInfo(candidate)
            except (ZoneInfoNotFoundError, ValueError):
                continue
    return ZoneInfo("UTC")


def zone_named(name: str) -> tzinfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise UsageError(f"{name!r} is not a known time zone (e.g. Asia/Ho_Chi_Minh)") from None


def _etc_timezone() -> str:
    try:
        return Path("/etc/timezone").read_text().strip()
    except OSError:
        return ""


def _localtime_link() -> str:
    try:
        target = os.readlink("/etc/localtime")
    except OSError:
        return ""
    marker = "zoneinfo/"
    return target.split(marker, 1)[1] if marker in target else ""
