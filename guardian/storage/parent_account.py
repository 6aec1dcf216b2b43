"""The parent's password: set once, checked at every start of the app, changeable.

Only an Argon2id hash is stored (argon2-cffi's `PasswordHasher`, its encoded
`$argon2id$...` string in the `parent_password_hash` setting); the password
itself is never logged, stored or put into an error message. Checking goes
through `PasswordHasher.verify`, whose comparison is constant-time. A hash made
with older parameters is replaced by a fresh one after a successful check.
"""

from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from sqlalchemy.orm import Session

from guardian.errors import UsageError
from guardian.storage.settings import PARENT_PASSWORD_HASH, get_setting, set_setting

MIN_PASSWORD_LENGTH = 8
MAX_PASSWORD_LENGTH = 1024  # hashing megabytes of "password" would only burn CPU


class WrongPassword(UsageError):
    code = "wrong_password"


def has_parent_password(session: Session) -> bool:
    return bool(get_setting(session, PARENT_PASSWORD_HASH))


def check_new_password(password: str) -> None:
    """Refuse a password too short (or absurdly long) to protect the settings."""
    if len(password) < MIN_PASSWORD_LENGTH:
        raise UsageError(f"the parent password needs at least {MIN_PASSWORD_LENGTH} characters")
    if len(password) > MAX_PASSWORD_LENGTH:
        raise UsageError(f"the parent password can have at most {MAX_PASSWORD_LENGTH} characters")


def set_parent_password(
    session: Session, password: str, hasher: PasswordHasher | None = None
) -> None:
    """Store the hash of a new password, replacing any earlier one."""
    check_new_password(password)
    set_setting(session, PARENT_PASSWORD_HASH, (hasher or PasswordHasher()).hash(password))


def verify_parent_password(
    session: Session, password: str, hasher: PasswordHasher | None = None
) -> bool:
    """Whether `password` is the parent's; False when no password is set yet."""
    hasher = hasher or PasswordHasher()
    stored = get_setting(session, PARENT_PASSWORD_HASH)
    if not stored or len(password) > MAX_PASSWORD_LENGTH:
        return False
    try:
        hasher.verify(stored, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False
    if hasher.check_needs_rehash(stored):
        set_setting(session, PARENT_PASSWORD_HASH, hasher.hash(password))
    return True


def change_parent_password(
    session: Session, current: str, new: str, hasher: PasswordHasher | None = None
) -> None:
    """Replace the password after checking the current one; nothing changes on error."""
    check_new_password(new)
    if not verify_parent_password(session, current, hasher):
        raise WrongPassword("the current parent password is not right")
    set_parent_password(session, new, hasher)
