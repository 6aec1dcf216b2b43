"""The database: migrations at start-up, SQLite settings, data functions, the policy snapshot."""

from __future__ import annotations

import os
import stat
import threading
from datetime import UTC, datetime, timedelta, timezone

import pytest
from sqlalchemy import text

from guardian.datadir import resolve_data_dir
from guardian.decision import Action
from guardian.domain_index import DomainIndex
from guardian.errors import AlreadyExists, NotFound, StorageError, UsageError
from guardian.policy import load_policy
from guardian.storage.activity import LoggedRequest, append_requests, recent_activity
from guardian.storage.database import open_database
from guardian.storage.policy_version import policy_version
from guardian.storage.profiles import (
    add_profile,
    add_rule,
    find_profile,
    remove_rule,
    set_category,
)
from tests.old_databases import upgraded_from

pytestmark = pytest.mark.both_backends


def logged(host: str, minutes_ago: int = 0, profile_id: int | None = 1) -> LoggedRequest:
    return LoggedRequest(
        time=datetime.now(UTC) - timedelta(minutes=minutes_ago), profile_id=profile_id,
        host=host, path="/", method="GET", status=200, decision="allow", reason="allowed",
        category=None, bytes=2048,
    )


@pytest.mark.sqlite_only
def test_sqlite_is_configured_for_concurrent_use(db) -> None:  # type: ignore[no-untyped-def]
    with db.begin() as session:
        assert session.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert session.execute(text("PRAGMA foreign_keys")).scalar() == 1
        assert session.execute(text("PRAGMA busy_timeout")).scalar() >= 5000
        assert session.execute(text("PRAGMA synchronous")).scalar() == 1  # NORMAL


def test_migrations_run_at_start_and_are_idempotent(data_dir) -> None:  # type: ignore[no-untyped-def]
    first = open_database(data_dir.database_url)
    with first.begin() as session:
        add_profile(session, "An", 9)
        assert session.execute(text("SELECT version_num FROM alembic_version")).scalar() >= "0002"
    first.close()
    second = open_database(data_dir.database_url)  # upgrading again keeps the data
    with second.begin() as session:
        assert find_profile(session, "An").age == 9
        assert session.execute(text("SELECT count(*) FROM categories")).scalar() >= 17
    second.close()


OLD_HOUSEHOLD = (
    "INSERT INTO categories (code) VALUES ('gambling')",
    "INSERT INTO profiles (id, name, age, language, is_default, created_at) "
    "VALUES (1, 'An', 9, 'vi', 0, '2026-01-01')",
    "INSERT INTO attributions (profile_id, kind, value) VALUES (1, 'port', '8081')",
    "INSERT INTO rules (profile_id, action, host, path, created_at) "
    "VALUES (1, 'block', 'blocked.example', '', '2026-01-01')",
    "INSERT INTO profile_categories (profile_id, category_code, blocked) VALUES (1, 'gambling', 1)",
    "INSERT INTO request_log (time, profile_id, host, path, method, decision, reason, bytes) "
    "VALUES ('2026-01-02', 1, 'school.example', '/', 'GET', 'allow', 'allowed', 10)",
)
KEPT = {"attributions": "SELECT kind, value FROM attributions",
        "rules": "SELECT host FROM rules",
        "categories": "SELECT category_code, blocked FROM profile_categories",
        "log": "SELECT host, profile_id FROM request_log"}


@pytest.mark.sqlite_only
@pytest.mark.parametrize("start", ["0001", "0003", "0006"])
def test_upgrading_an_older_database_keeps_every_row(tmp_path, start: str) -> None:  # type: ignore[no-untyped-def]
    """A migration that rebuilds a table (SQLite's batch mode) must not cascade deletes."""
    with upgraded_from(tmp_path, start, OLD_HOUSEHOLD) as db, db.begin() as session:
        kept = {name: session.execute(text(query)).all() for name, query in KEPT.items()}
        assert session.execute(text("PRAGMA foreign_keys")).scalar() == 1  # on again
    assert kept == {"attributions": [("port", "8081")], "rules": [("blocked.example",)],
                    "categories": [("gambling", 1)], "log": [("school.example", 1)]}


def test_postgresql_sessions_speak_utc_and_plain_urls_use_psycopg(postgres_url) -> None:  # type: ignore[no-untyped-def]
    plain = postgres_url.replace("postgresql+psycopg://", "postgresql://")
    database = open_database(plain)
    try:
        assert database.engine.dialect.driver == "psycopg"
        with database.begin() as session:
            assert session.execute(text("SHOW timezone")).scalar() == "UTC"
            add_profile(session, "An", 9)
        with database.begin() as session:
            created = find_profile(session, "An").created_at
            assert created.tzinfo is not None
            assert abs(created - datetime.now(UTC)) < timedelta(minutes=1)
    finally:
        database.close()


@pytest.mark.parametrize(("url", "message"), [
    ("postgresql+psycopg://guardian:s3cret@127.0.0.1:1/guardian", "Connection refused"),
    ("mysql://guardian:s3cret@db/guardian", "SQLite or PostgreSQL, not mysql"),
    ("not a url", "is not a database URL"),
])
def test_a_bad_database_url_is_one_clear_error_without_the_password(url, message) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(StorageError, match=message) as caught:
        open_database(url)
    assert "s3cret" not in caught.value.message
    assert "\n" not in caught.value.message


@pytest.mark.sqlite_only
def test_database_and_folder_are_owner_only(data_dir, db) -> None:  # type: ignore[no-untyped-def]
    assert stat.S_IMODE(os.stat(data_dir.root).st_mode) == 0o700
    assert stat.S_IMODE(os.stat(data_dir.database_path).st_mode) == 0o600


def test_missing_folder_is_one_clear_error(tmp_path) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(StorageError, match="does not exist"):
        open_database(f"sqlite:///{tmp_path}/nowhere/guardian.db")


def test_garbage_database_is_one_clear_error_and_stays(tmp_path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "guardian.db"
    path.write_bytes(b"this is not a database" * 100)
    with pytest.raises(StorageError, match="cannot open the database"):
        open_database(f"sqlite:///{path}")
    assert path.read_bytes() == b"this is not a database" * 100


def test_data_dir_from_option_env_and_default(tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("GUARDIAN_DATA_DIR", str(tmp_path / "env"))
    monkeypatch.delenv("GUARDIAN_DATABASE_URL", raising=False)
    assert resolve_data_dir().root == tmp_path / "env"
    assert resolve_data_dir(tmp_path / "opt").root == tmp_path / "opt"
    assert resolve_data_dir(tmp_path / "opt").database_url.endswith("opt/guardian.db")
    monkeypatch.setenv("GUARDIAN_DATABASE_URL", "postgresql+psycopg://u:p@h/db")
    assert resolve_data_dir().database_url == "postgresql+psycopg://u:p@h/db"
    monkeypatch.delenv("GUARDIAN_DATA_DIR")
    assert "guardian" in str(resolve_data_dir().root)


def test_profiles_attribution_and_rules_bump_the_version(db) -> None:  # type: ignore[no-untyped-def]
    with db.begin() as session:
        start = policy_version(session)
        an = add_profile(session, "An", 9, "vi", port=8081)
        add_profile(session, "Bình", 15, "en", client="192.168.1.20")
        add_rule(session, an, "block", "https://Games.example/")
        add_rule(session, an, "allow", "games.example/maths")
        set_category(session, an, "games", True)
        assert policy_version(session) == start + 5
    with db.begin() as session:
        policy = load_policy(session, DomainIndex.EMPTY)
    an_policy = policy.by_port[8081]
    assert an_policy.name == "An" and an_policy.language == "vi"
    assert [(e.action, e.path) for e in an_policy.rules["games.example"]] == [
        (Action.ALLOW, "/maths"), (Action.BLOCK, ""),
    ]
    assert policy.profile_for(8080, "192.168.1.20").name == "Bình"
    assert policy.profile_for(8080, "::ffff:192.168.1.20").name == "Bình"
    assert policy.profile_for(8081, "10.0.0.9").name == "An"
    assert policy.profile_for(8080, "10.0.0.9") is None  # no default profile


def test_age_picks_the_starting_categories(db) -> None:  # type: ignore[no-untyped-def]
    with db.begin() as session:
        young = add_profile(session, "Young", 8)
        older = add_profile(session, "Older", 17)
        young_blocked = {s.category_code for s in young.category_settings if s.blocked}
        older_blocked = {s.category_code for s in older.category_settings if s.blocked}
    assert {"adult", "gambling", "social", "chat_dating"} <= young_blocked
    assert "adult" in older_blocked and "social" not in older_blocked


def test_default_profile_is_unique(db) -> None:  # type: ignore[no-untyped-def]
    with db.begin() as session:
        add_profile(session, "A", 9, default=True)
        add_profile(session, "B", 9, default=True)
    with db.begin() as session:
        assert load_policy(session, DomainIndex.EMPTY).profile_for(1, "10.0.0.1").name == "B"


@pytest.mark.parametrize(
    ("kwargs", "error"),
    [
        ({"name": "", "age": 9}, UsageError),
        ({"name": "X", "age": -1}, UsageError),
        ({"name": "X", "age": 9, "language": "fr"}, UsageError),
        ({"name": "X", "age": 9, "port": 70000}, UsageError),
        ({"name": "X", "age": 9, "client": "not-an-ip"}, UsageError),
        ({"name": "Taken", "age": 9}, AlreadyExists),
        ({"name": "X", "age": 9, "port": 9001}, AlreadyExists),
    ],
)
def test_bad_profiles_are_refused_and_nothing_changes(db, kwargs, error) -> None:  # type: ignore[no-untyped-def]
    with db.begin() as session:
        add_profile(session, "Taken", 9, port=9001)
    with pytest.raises(error), db.begin() as session:
        add_profile(session, **kwargs)
    with db.begin() as session:
        assert [p.name for p in load_policy(session, DomainIndex.EMPTY).profiles] == ["Taken"]


def test_rules_are_validated_and_removable(db) -> None:  # type: ignore[no-untyped-def]
    with db.begin() as session:
        an = add_profile(session, "An", 9)
        with pytest.raises(UsageError):
            add_rule(session, an, "permit", "example.com")
        with pytest.raises(UsageError):
            add_rule(session, an, "block", "exa mple.com")
        with pytest.raises(UsageError):
            set_category(session, an, "knitting", True)
        first = add_rule(session, an, "block", "example.com")
        assert add_rule(session, an, "block", "EXAMPLE.com.") is first  # same rule, not two
        remove_rule(session, an, "block", "example.com")
        with pytest.raises(NotFound):
            remove_rule(session, an, "block", "example.com")
        with pytest.raises(NotFound, match="An"):
            find_profile(session, "Nobody")


def test_request_log_rows_are_stored_as_the_core_insert_stores_them(db) -> None:  # type: ignore[no-untyped-def]
    """The batch insert hands SQLite plain tuples: the stored values must not differ."""
    from dataclasses import fields

    from sqlalchemy import insert, select

    from guardian.storage.models import RequestLog

    hanoi = timezone(timedelta(hours=7))
    rows = [
        LoggedRequest(time=datetime(2025, 3, 1, 12, 0, 5, 123456, tzinfo=hanoi), profile_id=None,
                      host="a.example", path="/p", method="GET", status=None, decision="allow",
                      reason="allowed", category=None, bytes=5, search="bai tap"),
        LoggedRequest(time=datetime(2025, 3, 1, 12, 0, 5, tzinfo=UTC), profile_id=None,
                      host="b.example", path="/", method="POST", status=403, decision="block",
                      reason="category", category="games", bytes=0),
    ]
    names = [f.name for f in fields(LoggedRequest)]
    with db.begin() as session:
        append_requests(session, rows)
        session.execute(insert(RequestLog.__table__),
                        [{name: getattr(row, name) for name in names} for row in rows])
    table = RequestLog.__table__
    with db.begin() as session:
        stored = session.execute(
            select(*[table.c[name] for name in names]).order_by(table.c.id)).all()
        raw = session.execute(text("SELECT CAST(time AS TEXT) FROM request_log ORDER BY id")
                              ).scalars().all()
    assert stored[:2] == stored[2:]
    assert raw[:2] == raw[2:]


def test_request_log_batches_and_queries(db) -> None:  # type: ignore[no-untyped-def]
    with db.begin() as session:
        add_profile(session, "An", 9)
        add_profile(session, "Bình", 12)
        append_requests(session, [logged("old.example", 120), logged("new.example", 1),
                                  logged("other.example", 5, profile_id=2)])
    with db.begin() as session:
        everything = recent_activity(session)
        assert [e.host for e in everything] == ["new.example", "other.example", "old.example"]
        assert everything[0].time.tzinfo is not None
        assert [e.host for e in recent_activity(session, profile_id=1)] == [
            "new.example", "old.example"]
        since = datetime.now(UTC) - timedelta(minutes=30)
        assert [e.host for e in recent_activity(session, since=since)] == [
            "new.example", "other.example"]
        assert {e.profile for e in everything} == {"An", "Bình"}


def test_two_writers_at_once_never_see_database_is_locked(data_dir) -> None:  # type: ignore[no-untyped-def]
    first, second = open_database(data_dir.database_url), open_database(data_dir.database_url)
    with first.begin() as session:
        add_profile(session, "An", 9)
    errors: list[BaseException] = []

    def write(db, tag) -> None:  # type: ignore[no-untyped-def]
        try:
            for _ in range(40):
                with db.begin() as session:
                    append_requests(session, [logged(f"{tag}.example")] * 50)
        except BaseException as exc:  # noqa: BLE001
            errors.append(exc)

    pairs = ((first, "a"), (second, "b"))
    threads = [threading.Thread(target=write, args=pair) for pair in pairs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    with first.begin() as session:
        assert session.execute(text("SELECT count(*) FROM request_log")).scalar() == 4000
    first.close()
    second.close()


def test_settings_have_defaults_and_persist(db) -> None:  # type: ignore[no-untyped-def]
    from guardian.storage.settings import (
        RAW_LOG_RETENTION_DAYS,
        SettingKey,
        get_setting,
        set_setting,
    )

    with db.begin() as session:
        assert get_setting(session, RAW_LOG_RETENTION_DAYS) == "30"
        set_setting(session, RAW_LOG_RETENTION_DAYS, "14")
    with db.begin() as session:
        assert get_setting(session, RAW_LOG_RETENTION_DAYS) == "14"
        with pytest.raises(UsageError):
            set_setting(session, SettingKey("no_such_setting", ""), "x")
