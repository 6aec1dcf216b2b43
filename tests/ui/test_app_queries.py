"""The storage functions the app reads and changes through: pages of the log, profile edits."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from guardian.errors import AlreadyExists, NotFound, UsageError
from guardian.presets import blocked_categories_for_age
from guardian.storage.activity import (
    ActivityQuery,
    LoggedRequest,
    activity_page,
    append_requests,
    counts_since,
)
from guardian.storage.database import Database
from guardian.storage.policy_version import policy_version
from guardian.storage.profiles import (
    category_states,
    get_profile,
    profile_summaries,
    remove_attribution,
    replace_attributions,
    update_profile,
)
from tests.ui.conftest import add_child

pytestmark = pytest.mark.both_backends

START = datetime(2026, 3, 1, 8, 0, tzinfo=UTC)


def log(db: Database, rows: list[LoggedRequest]) -> None:
    with db.begin() as session:
        append_requests(session, rows)


def request(n: int, profile_id: int | None, *, decision: str = "allow", host: str = "",
            seconds: float = 1.0) -> LoggedRequest:
    return LoggedRequest(
        time=START + timedelta(seconds=n * seconds), profile_id=profile_id,
        host=host or f"site{n % 10}.example", path=f"/page/{n}", method="GET",
        status=200, decision=decision, reason="allowed" if decision == "allow" else "category",
        category=None if decision == "allow" else "games", bytes=100,
    )


def all_pages(db: Database, query: ActivityQuery, limit: int = 7) -> list[int]:
    ids: list[int] = []
    cursor = None
    while True:
        with db.begin() as session:
            page = activity_page(session, query, cursor, limit)
        ids += [r.id for r in page.records]
        if page.next_cursor is None:
            return ids
        cursor = page.next_cursor


def test_pages_walk_the_whole_log_once_in_time_order_both_ways(db: Database) -> None:
    an = add_child(db)
    # Equal times on purpose: the id breaks the tie, so no row is lost or repeated.
    log(db, [request(n, an, seconds=0 if n % 3 else 1) for n in range(50)])
    newest = all_pages(db, ActivityQuery())
    oldest = all_pages(db, ActivityQuery(newest_first=False))
    assert sorted(newest) == list(range(1, 51)) and len(set(newest)) == 50
    assert oldest == list(reversed(newest))


def test_filters_combine(db: Database) -> None:
    an, binh = add_child(db, "An"), add_child(db, "Binh", 15)
    log(db, [request(n, an if n % 2 else binh, decision="block" if n % 5 == 0 else "allow",
                     host="casino.example" if n == 10 else "") for n in range(100)])
    with db.begin() as session:
        only_an = activity_page(session, ActivityQuery(profile_id=an), limit=1000).records
        blocked = activity_page(session, ActivityQuery(decision="block"), limit=1000).records
        casino = activity_page(session, ActivityQuery(text="CASINO"), limit=1000).records
        path = activity_page(session, ActivityQuery(text="/page/4"), limit=1000).records
        window = activity_page(session, ActivityQuery(
            since=START + timedelta(seconds=10), until=START + timedelta(seconds=20)),
            limit=1000).records
        percent = activity_page(session, ActivityQuery(text="%"), limit=1000).records
    assert {r.profile for r in only_an} == {"An"} and len(only_an) == 50
    assert len(blocked) == 20 and {r.decision for r in blocked} == {"block"}
    assert [r.host for r in casino] == ["casino.example"]
    assert {r.path for r in path} == {"/page/4"} | {f"/page/{n}" for n in range(40, 50)}
    assert len(window) == 10
    assert percent == (), "the search text is not a LIKE pattern"


def test_counts_since_midnight_per_child(db: Database) -> None:
    an = add_child(db)
    log(db, [request(n, an, decision="block" if n < 3 else "allow") for n in range(10)]
        + [request(20, None)])
    with db.begin() as session:
        counts = {c.profile_id: (c.requests, c.blocked) for c in counts_since(session, START)}
        later = counts_since(session, START + timedelta(days=1))
    assert counts == {an: (10, 3), None: (1, 0)}
    assert later == []


def test_update_profile_changes_details_and_bumps_the_policy(db: Database) -> None:
    an = add_child(db, "An", 9, port=8081)
    add_child(db, "Binh", 15, default=True)
    with db.begin() as session:
        before = policy_version(session)
        profile = get_profile(session, an)
        update_profile(session, profile, name="An Nguyen", age=16, language="en", default=True,
                       reset_categories=True)
    with db.begin() as session:
        summaries = {s.name: s for s in profile_summaries(session)}
        assert policy_version(session) > before
        states = category_states(get_profile(session, an))
    assert summaries["An Nguyen"].age == 16 and summaries["An Nguyen"].language == "en"
    assert summaries["An Nguyen"].is_default and not summaries["Binh"].is_default
    assert {c for c, blocked in states.items() if blocked} == blocked_categories_for_age(16)


def test_update_profile_refuses_bad_values(db: Database) -> None:
    an = add_child(db, "An")
    add_child(db, "Binh")
    for change in ({"name": "Binh"}, {"name": " "}, {"age": 200}, {"language": "fr"}):
        with pytest.raises(UsageError), db.begin() as session:
            update_profile(session, get_profile(session, an), **change)  # type: ignore[arg-type]
    with db.begin() as session:
        assert get_profile(session, an).name == "An"


def test_attributions_are_replaced_and_can_move_between_children(db: Database) -> None:
    an = add_child(db, "An", port=8081, client="192.168.1.20")
    binh = add_child(db, "Binh", port=8082)
    with db.begin() as session:
        replace_attributions(session, get_profile(session, an), ports=[8083], clients=[])
        replace_attributions(session, get_profile(session, binh), ports=[8081, 8082],
                             clients=["192.168.1.20"])
    with db.begin() as session:
        summaries = {s.name: s for s in profile_summaries(session)}
    assert summaries["An"].ports == (8083,) and summaries["An"].clients == ()
    assert summaries["Binh"].ports == (8081, 8082)
    assert summaries["Binh"].clients == ("192.168.1.20/32",)
    with pytest.raises(AlreadyExists), db.begin() as session:
        replace_attributions(session, get_profile(session, an), ports=[8082], clients=[])
    with pytest.raises(NotFound), db.begin() as session:
        remove_attribution(session, get_profile(session, an), "port", "9999")
