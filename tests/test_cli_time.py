"""`guardian time ...`, `guardian requests ...` and `guardian reports list` in-process."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from guardian.storage.access_requests import create_report, create_request
from guardian.storage.models import Rule, TimeGrant
from guardian.storage.profiles import find_profile
from guardian.tokens import TokenClaims, new_nonce

pytestmark = pytest.mark.both_backends


@pytest.fixture
def kid(cli):  # type: ignore[no-untyped-def]
    assert cli("profile", "add", "Kid", "--age", "10", "--default").code == 0
    return cli


def claims(profile_id: int, kind: str = "site", purpose: str = "ask", **extra) -> TokenClaims:  # type: ignore[no-untyped-def]
    values = dict(profile_id=profile_id, purpose=purpose, kind=kind, host="games.example",
                  path="/play", scope="", key="", category="games",
                  expires=2_000_000_000, nonce=new_nonce())
    values.update(extra)
    return TokenClaims(**values)


def test_a_new_child_gets_the_presets_time_limits(kid) -> None:  # type: ignore[no-untyped-def]
    status = json.loads(kid("time", "status", "Kid", "--json").out)[0]
    budgets = {(b["scope"], b["key"]): b["minutes"] for b in status["budgets"]}
    assert budgets[("category", "games")] == 180  # Decree 147/2024
    assert budgets[("each_site", "games")] == 60
    assert status["used_minutes"] == 0


def test_budgets_are_set_changed_and_removed(kid) -> None:  # type: ignore[no-untyped-def]
    assert kid("time", "budget", "Kid", "60").code == 0
    assert kid("time", "budget", "Kid", "30", "--site", "WWW.YouTube.com.").code == 0
    assert kid("time", "budget", "Kid", "45", "--category", "social").code == 0
    budgets = {(b["scope"], b["key"]): b["minutes"]
               for b in json.loads(kid("time", "status", "--json").out)[0]["budgets"]}
    assert budgets[("total", "")] == 60 and budgets[("site", "youtube.com")] == 30
    assert budgets[("category", "social")] == 45
    assert kid("time", "budget", "Kid", "off", "--site", "youtube.com").code == 0
    assert kid("time", "budget", "Kid", "0").code == 0  # no time at all is a budget too
    budgets = {(b["scope"], b["key"]): b["minutes"]
               for b in json.loads(kid("time", "status", "--json").out)[0]["budgets"]}
    assert ("site", "youtube.com") not in budgets and budgets[("total", "")] == 0


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("time", "budget", "Kid", "sixty"), "number of minutes"),
        (("time", "budget", "Kid", "2000"), "0 to 1440"),
        (("time", "budget", "Kid", "10", "--category", "knitting"), "unknown category"),
        (("time", "budget", "Kid", "off", "--site", "never.example"), "no site budget"),
        (("time", "hours", "Kid", "weekdays", "07:00-20:00"), "not a list of days"),
        (("time", "hours", "Kid", "mon-fri", "7-20"), "not a time range"),
        (("time", "hours", "Kid", "mon-fri"), "give the allowed hours"),
        (("time", "grant", "Kid", "0"), "1 to 1440"),
        (("time", "budget", "Nobody", "10"), "no profile named"),
        (("requests", "approve", "99", "--today"), "no request number 99"),
        (("requests", "approve", "1"), "--minutes N, --today or --always"),
    ],
)
def test_bad_commands_say_why_and_change_nothing(kid, args, message) -> None:  # type: ignore[no-untyped-def]
    before = kid("time", "status", "--json").out
    result = kid(*args)
    assert result.code == 1 and message in result.err
    assert result.err.count("\n") == 1  # one line
    assert kid("time", "status", "--json").out == before


def test_hours_and_templates(kid) -> None:  # type: ignore[no-untyped-def]
    assert kid("time", "hours", "Kid", "mon-fri", "07:00-20:30").code == 0
    assert kid("time", "hours", "Kid", "sat,sun", "08:00-00:30").code == 0  # crosses midnight
    hours = json.loads(kid("time", "status", "--json").out)[0]["hours"]
    assert hours["mon"] == ["07:00-20:30"] and hours["sat"] == ["08:00-00:30"]
    assert kid("time", "hours", "Kid", "school-nights").code == 0
    hours = json.loads(kid("time", "status", "--json").out)[0]["hours"]
    assert hours["sun"] == ["06:00-21:00"] and hours["sat"] == ["08:00-00:30"]
    assert kid("time", "hours", "Kid", "all", "off").code == 0
    assert json.loads(kid("time", "status", "--json").out)[0]["hours"] == {}


def test_grants_are_for_today(kid, db) -> None:  # type: ignore[no-untyped-def]
    assert kid("time", "grant", "Kid", "20", "--category", "games").code == 0
    with db.begin() as session:
        grant = session.scalars(select(TimeGrant)).one()
    assert (grant.minutes, grant.scope, grant.key) == (20, "category", "games")


def test_requests_are_listed_approved_and_denied(kid, db) -> None:  # type: ignore[no-untyped-def]
    with db.begin() as session:
        kid_id = find_profile(session, "Kid").id
        site = create_request(session, claims(kid_id), "for my homework <b>please</b>")
        time = create_request(session, claims(kid_id, kind="time", scope="total", host=""), "")
        other = create_request(session, claims(kid_id), "")
    listed = json.loads(kid("requests", "list", "--json").out)
    assert [r["id"] for r in listed] == [other, time, site]
    assert listed[-1]["message"] == "for my homework <b>please</b>"  # stored, escaped on display

    assert kid("requests", "approve", str(site), "--minutes", "15").code == 0
    assert kid("requests", "approve", str(time), "--today").code == 0
    assert kid("requests", "deny", str(other)).code == 0
    again = kid("requests", "approve", str(site), "--always")
    assert again.code == 1 and "already approved" in again.err
    assert kid("requests", "list").out.strip() == "No pending requests."
    with db.begin() as session:
        rule = session.scalars(select(Rule).where(Rule.host == "games.example")).one()
        grant = session.scalars(select(TimeGrant)).one()
    assert rule.action == "allow" and rule.expires_at is not None
    assert timedelta(minutes=14) < rule.expires_at - datetime.now(UTC) <= timedelta(minutes=15)
    assert (grant.scope, grant.minutes) == ("total", None)  # no limit for the rest of today
    answered = {r["id"]: r for r in json.loads(kid("requests", "list", "--all", "--json").out)}
    assert answered[site]["answer"] == "15m" and answered[other]["status"] == "denied"


def test_always_lifts_the_limit_or_allows_for_good(kid, db) -> None:  # type: ignore[no-untyped-def]
    with db.begin() as session:
        kid_id = find_profile(session, "Kid").id
        site = create_request(session, claims(kid_id), "")
        game = create_request(session, claims(kid_id, kind="time", scope="each_site",
                                               key="games.example"), "")
    assert kid("requests", "approve", str(site), "--always").code == 0
    assert kid("requests", "approve", str(game), "--always").code == 0
    with db.begin() as session:
        assert session.scalars(select(Rule)).one().expires_at is None
    budgets = {(b["scope"], b["key"])
               for b in json.loads(kid("time", "status", "--json").out)[0]["budgets"]}
    assert ("each_site", "games") not in budgets and ("category", "games") in budgets


def test_reports_are_listed(kid, db) -> None:  # type: ignore[no-untyped-def]
    with db.begin() as session:
        kid_id = find_profile(session, "Kid").id
        create_report(session, claims(kid_id, purpose="report", kind="page"), "scary video")
    reports = json.loads(kid("reports", "list", "--json").out)
    assert [(r["host"], r["note"], r["profile"]) for r in reports] == [
        ("games.example", "scary video", "Kid")]


def test_a_token_creates_one_request_only(kid, db) -> None:  # type: ignore[no-untyped-def]
    from guardian.tokens import InvalidToken

    with db.begin() as session:
        once = claims(find_profile(session, "Kid").id)
        create_request(session, once, "first")
    with pytest.raises(InvalidToken, match="already used"), db.begin() as session:
        create_request(session, once, "again")
    assert len(json.loads(kid("requests", "list", "--json").out)) == 1
