"""Household settings shared by the app and the filter, as typed accessors over one table.

Keys are declared here, with their type and default, so that a typo is an
error and not a silently missing setting. UI preferences (window sizes, the
last page open) belong in the app's QSettings, not here.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from guardian.errors import UsageError
from guardian.storage.models import Setting, utcnow


@dataclass(frozen=True)
class SettingKey:
    name: str
    default: str


PARENT_PASSWORD_HASH = SettingKey("parent_password_hash", "")
APP_LANGUAGE = SettingKey("app_language", "vi")
RAW_LOG_RETENTION_DAYS = SettingKey("raw_log_retention_days", "30")
HOUSEHOLD_TIMEZONE = SettingKey("household_timezone", "")  # "" = the computer's own
TOKEN_SECRET = SettingKey("token_secret", "")  # signs the links on children's pages

KEYS = {key.name: key for key in (
    PARENT_PASSWORD_HASH, APP_LANGUAGE, RAW_LOG_RETENTION_DAYS, HOUSEHOLD_TIMEZONE, TOKEN_SECRET,
)}


def get_setting(session: Session, key: SettingKey) -> str:
    value = session.scalars(select(Setting.value).where(Setting.key == key.name)).first()
    return key.default if value is None else value


def set_setting(session: Session, key: SettingKey, value: str) -> None:
    if key.name not in KEYS:
        raise UsageError(f"unknown setting {key.name!r}")
    row = session.get(Setting, key.name)
    if row is None:
        session.add(Setting(key=key.name, value=value, changed_at=utcnow()))
    else:
        row.value = value
        row.changed_at = utcnow()
