"""`guardian filters`, `guardian profile attach|detach` and `guardian proxy --machine-name`."""

from __future__ import annotations

import json

import pytest

from guardian.storage.filters import register_filter

pytestmark = pytest.mark.both_backends


def test_profiles_attach_and_detach_machines_ports_and_devices(cli) -> None:  # type: ignore[no-untyped-def]
    assert cli("profile", "add", "Room A", "--age", "10", "--machine", "Room-A-PC1").code == 0
    assert cli("profile", "attach", "Room A", "--machine", "room-a-pc2").code == 0
    assert cli("profile", "attach", "Room A", "--port", "8091").code == 0
    (room,) = json.loads(cli("profile", "list", "--json").out)
    assert room["machines"] == ["room-a-pc1", "room-a-pc2"] and room["ports"] == [8091]
    assert "machine room-a-pc1" in cli("profile", "list").out
    assert cli("profile", "detach", "Room A", "--machine", "ROOM-A-PC2").code == 0
    assert json.loads(cli("profile", "list", "--json").out)[0]["machines"] == ["room-a-pc1"]


@pytest.mark.parametrize(("args", "message"), [
    (("attach", "Room A", "--machine", "pc 1"), "not a machine name"),
    (("attach", "Room A", "--machine", "room-a-pc1"), "already belongs to profile 'Room A'"),
    (("attach", "Nobody", "--machine", "pc9"), "no profile named 'Nobody'"),
    (("detach", "Room A", "--machine", "pc9"), "has no machine pc9"),
    (("attach", "Room A", "--port", "70000"), "not between 1 and 65535"),
])
def test_bad_attributions_are_one_clear_error(cli, args, message) -> None:  # type: ignore[no-untyped-def]
    cli("profile", "add", "Room A", "--age", "10", "--machine", "room-a-pc1")
    result = cli("profile", *args)
    assert result.code == 1 and message in result.err and result.err.count("\n") == 1


def test_filters_lists_each_filter_with_its_health(cli, db) -> None:  # type: ignore[no-untyped-def]
    assert "No filter has used this database yet" in cli("filters").out
    with db.begin() as session:
        register_filter(session, "room-a-pc1", "0.0.0.0:8080", "1.2.3")
    listing = cli("filters")
    assert listing.code == 0 and "room-a-pc1  0.0.0.0:8080  ok  version 1.2.3" in listing.out
    (entry,) = json.loads(cli("filters", "--json").out)
    assert entry["health"] == "ok" and entry["seen_seconds_ago"] < 60
    assert cli("filters", "forget", "room-a-pc1").code == 0
    assert json.loads(cli("filters", "--json").out) == []
    assert "no filter on a machine named" in cli("filters", "forget", "room-a-pc1").err


def test_a_bad_machine_name_stops_the_filter_before_it_starts(cli, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    result = cli("proxy", "--machine-name", "no spaces please")
    assert result.code == 1 and "not a machine name" in result.err
    monkeypatch.setenv("GUARDIAN_MACHINE_NAME", "bad/name")
    result = cli("proxy")
    assert result.code == 1 and "'bad/name' is not a machine name" in result.err
