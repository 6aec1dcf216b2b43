"""The parent password: only an Argon2 hash is stored, and it checks what it should."""

from __future__ import annotations

import pytest
from argon2 import PasswordHasher
from sqlalchemy import select

from guardian.errors import UsageError
from guardian.storage.database import Database
from guardian.storage.models import Setting
from guardian.storage.parent_account import (
    WrongPassword,
    change_parent_password,
    has_parent_password,
    set_parent_password,
    verify_parent_password,
)
from guardian.storage.settings import PARENT_PASSWORD_HASH, get_setting

pytestmark = pytest.mark.both_backends

PASSWORD = "correct horse battery"


def stored_values(db: Database) -> list[str]:
    with db.begin() as session:
        return list(session.scalars(select(Setting.value)))


def test_no_password_at_first(db: Database) -> None:
    with db.begin() as session:
        assert not has_parent_password(session)
        assert not verify_parent_password(session, "anything at all")


def test_only_an_argon2id_hash_is_stored(db: Database) -> None:
    with db.begin() as session:
        set_parent_password(session, PASSWORD)
    with db.begin() as session:
        stored = get_setting(session, PARENT_PASSWORD_HASH)
        assert has_parent_password(session)
    assert stored.startswith("$argon2id$")
    assert all(PASSWORD not in value for value in stored_values(db))


def test_right_and_wrong_passwords(db: Database) -> None:
    with db.begin() as session:
        set_parent_password(session, PASSWORD)
    with db.begin() as session:
        assert verify_parent_password(session, PASSWORD)
        assert not verify_parent_password(session, PASSWORD.upper())
        assert not verify_parent_password(session, "")
        assert not verify_parent_password(session, PASSWORD + " ")


@pytest.mark.parametrize("bad", ["", "short", "x" * 7, "y" * 2000])
def test_unusable_passwords_are_refused(db: Database, bad: str) -> None:
    with pytest.raises(UsageError), db.begin() as session:
        set_parent_password(session, bad)
    with db.begin() as session:
        assert not has_parent_password(session)


def test_change_needs_the_current_password(db: Database) -> None:
    with db.begin() as session:
        set_parent_password(session, PASSWORD)
    with pytest.raises(WrongPassword), db.begin() as session:
        change_parent_password(session, "not the password", "a brand new one")
    with db.begin() as session:
        assert verify_parent_password(session, PASSWORD)
        change_parent_password(session, PASSWORD, "a brand new one")
    with db.begin() as session:
        assert verify_parent_password(session, "a brand new one")
        assert not verify_parent_password(session, PASSWORD)


def test_a_weak_old_hash_is_upgraded_after_a_right_password(db: Database) -> None:
    weak = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)
    with db.begin() as session:
        set_parent_password(session, PASSWORD, weak)
    with db.begin() as session:
        before = get_setting(session, PARENT_PASSWORD_HASH)
        assert verify_parent_password(session, PASSWORD)
    with db.begin() as session:
        after = get_setting(session, PARENT_PASSWORD_HASH)
        assert verify_parent_password(session, PASSWORD)
    assert after != before
    assert not PasswordHasher().check_needs_rehash(after)


def test_a_garbled_hash_rejects_every_password(db: Database) -> None:
    from guardian.storage.settings import set_setting

    with db.begin() as session:
        set_setting(session, PARENT_PASSWORD_HASH, "not-a-hash")
    with db.begin() as session:
        assert not verify_parent_password(session, "not-a-hash")
