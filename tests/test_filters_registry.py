"""Several filters on one database: the registry and health, profiles attributed to a machine."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import text

from guardian.domain_index import DomainIndex
from guardian.errors import AlreadyExists, NotFound, UsageError
from guardian.machine import MACHINE_NAME_ENV, machine_name, machine_value
from guardian.policy import load_policy
from guardian.storage.filters import (
    forget_filter,
    heartbeat,
    list_filters,
    mark_stopped,
    register_filter,
)
from guardian.storage.models import FilterInstance
from guardian.storage.profiles import (
    add_profile,
    find_profile,
    profile_summaries,
    remove_attribution,
    replace_attributions,
)
from tests.old_databases import upgraded_from

pytestmark = pytest.mark.both_backends


def health(db) -> dict[tuple[str, str], str]:  # type: ignore[no-untyped-def]
    with db.begin() as session:
        return {(f.name, f.address): f.health for f in list_filters(session)}


def test_filters_register_beat_and_stop(db) -> None:  # type: ignore[no-untyped-def]
    with db.begin() as session:
        first = register_filter(session, "room-a-pc1", "0.0.0.0:8080", "1.0")
        second = register_filter(session, "room-a-pc2", "0.0.0.0:8080", "1.0")
    assert health(db) == {("room-a-pc1", "0.0.0.0:8080"): "ok",
                          ("room-a-pc2", "0.0.0.0:8080"): "ok"}
    with db.begin() as session:
        assert heartbeat(session, first, problem="the policy cannot be loaded: x")
        mark_stopped(session, second)
    with db.begin() as session:
        statuses = {f.name: f for f in list_filters(session)}
    assert statuses["room-a-pc1"].health == "problem"
    assert statuses["room-a-pc1"].problem == "the policy cannot be loaded: x"
    assert statuses["room-a-pc2"].health == "stopped"
    assert statuses["room-a-pc1"].last_seen.tzinfo is not None
    with db.begin() as session:  # started again: the same row, healthy again
        assert register_filter(session, "room-a-pc2", "0.0.0.0:8080", "1.1") == second
    assert health(db)[("room-a-pc2", "0.0.0.0:8080")] == "ok"


def test_a_filter_not_seen_for_a_while_is_silent(db) -> None:  # type: ignore[no-untyped-def]
    with db.begin() as session:
        filter_id = register_filter(session, "library", "10.0.0.5:8080", "1.0")
    with db.begin() as session:
        row = session.get(FilterInstance, filter_id)
        row.last_seen -= timedelta(seconds=20)
    with db.begin() as session:
        (status,) = list_filters(session)
        assert status.health == "silent" and status.seen_ago >= timedelta(seconds=19)
        assert heartbeat(session, filter_id)
    assert health(db) == {("library", "10.0.0.5:8080"): "ok"}


def test_forgetting_a_filter_and_a_beat_for_a_forgotten_one(db) -> None:  # type: ignore[no-untyped-def]
    with db.begin() as session:
        filter_id = register_filter(session, "old-pc", "127.0.0.1:8080", "1.0")
        assert forget_filter(session, "old-pc") == 1
        assert not heartbeat(session, filter_id)  # the filter registers again
        with pytest.raises(NotFound, match="old-pc"):
            forget_filter(session, "old-pc")


def test_machine_names_are_checked_and_stored_in_lower_case(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    assert machine_value(" Room-A-PC1 ") == "room-a-pc1"
    for bad in ("", "-pc", "pc 1", "x" * 65, "pc/1"):
        with pytest.raises(UsageError, match="not a machine name"):
            machine_value(bad)
    monkeypatch.setenv(MACHINE_NAME_ENV, "Library-PC")
    assert machine_name() == "library-pc"
    monkeypatch.delenv(MACHINE_NAME_ENV)
    assert machine_name()  # the host name


def test_profile_for_prefers_device_then_port_then_machine_then_default(db) -> None:  # type: ignore[no-untyped-def]
    with db.begin() as session:
        add_profile(session, "Room A", 10, machine="Room-A-PC1")
        add_profile(session, "An", 9, port=8081)
        add_profile(session, "Binh", 12, client="10.0.0.7")
        add_profile(session, "Everyone", 15, default=True)
        with pytest.raises(AlreadyExists, match="room-a-pc1"):
            add_profile(session, "Other", 10, machine="room-a-pc1")
    with db.begin() as session:
        in_room = load_policy(session, DomainIndex.EMPTY, machine="room-a-pc1")
        elsewhere = load_policy(session, DomainIndex.EMPTY, machine="office")
    assert in_room.profile_for(8080, "10.0.0.9").name == "Room A"
    assert in_room.profile_for(8081, "10.0.0.9").name == "An"
    assert in_room.profile_for(8080, "10.0.0.7").name == "Binh"
    assert elsewhere.profile_for(8080, "10.0.0.9").name == "Everyone"
    assert set(in_room.by_machine) == {"room-a-pc1"}


def test_machine_attributions_are_listed_kept_and_removed(db) -> None:  # type: ignore[no-untyped-def]
    with db.begin() as session:
        room = add_profile(session, "Room A", 10, machine="pc1", port=8090)
        replace_attributions(session, room, ports=[8091], clients=[])  # machines untouched
    with db.begin() as session:
        (summary,) = profile_summaries(session)
        assert summary.machines == ("pc1",) and summary.ports == (8091,)
        remove_attribution(session, find_profile(session, "Room A"), "machine", "pc1")
    with db.begin() as session:
        assert profile_summaries(session)[0].machines == ()


@pytest.mark.sqlite_only
def test_an_older_database_is_upgraded_with_its_attributions(tmp_path) -> None:  # type: ignore[no-untyped-def]
    with upgraded_from(tmp_path, "0005", (
        "INSERT INTO profiles (id, name, age, language, is_default, created_at) "
        "VALUES (1, 'An', 9, 'vi', 0, '2026-01-01')",
        "INSERT INTO attributions (profile_id, kind, value) VALUES (1, 'port', '8081')",
    )) as db:
        with db.begin() as session:
            an = find_profile(session, "An")
            assert [(a.kind, a.value) for a in an.attributions] == [("port", "8081")]
            replace_attributions(session, an, ports=[8081], clients=[], machines=["pc1"])
        with db.begin() as session:
            assert profile_summaries(session)[0].machines == ("pc1",)
            with pytest.raises(Exception, match="ck_attributions_kind|CHECK"):
                session.execute(text("INSERT INTO attributions (profile_id, kind, value) "
                                     "VALUES (1, 'planet', 'mars')"))
