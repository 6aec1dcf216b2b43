"""`guardian policy explain`, `guardian safesearch`, `guardian profile details`."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import select

from guardian.conduct import load_catalog
from guardian.storage.models import ProfileDetails

pytestmark = pytest.mark.both_backends


@pytest.fixture
def kid(cli):  # type: ignore[no-untyped-def]
    assert cli("profile", "add", "Kid", "--age", "8", "--default").code == 0
    return cli


def explained(cli, *args: str) -> dict[str, dict]:  # type: ignore[no-untyped-def]
    result = cli("policy", "explain", "--json", *args)
    assert result.code == 0, result.err
    return {row["id"]: row for row in json.loads(result.out)}


def test_every_rule_of_the_catalog_is_explained(kid) -> None:  # type: ignore[no-untyped-def]
    rows = explained(kid)
    assert set(rows) == {rule.id for rule in load_catalog().rules}
    assert rows["CHILD-2"]["features"]["safe_search"] == "on"
    assert "GEN-5" not in rows  # not something a filter on the PC can act on


def test_explain_follows_the_childs_settings(kid) -> None:  # type: ignore[no-untyped-def]
    rows = explained(kid, "--profile", "Kid")
    assert rows["CHILD-8"]["features"]["pii_guard"] == "off"  # no details recorded yet
    assert rows["CHILD-2"]["state"] == "on"
    assert rows["CHILD-2"]["text"] != explained(kid, "--profile", "Kid", "--language", "en")[
        "CHILD-2"]["text"]  # the child's language (vi) by default
    assert kid("safesearch", "Kid", "off", "--youtube", "off").code == 0
    assert kid("profile", "details", "Kid", "--phone", "0912 345 678").code == 0
    assert kid("category", "allow", "Kid", "gambling").code == 0
    rows = explained(kid, "--profile", "Kid")
    assert rows["CHILD-2"]["features"]["safe_search"] == "off"
    assert rows["CHILD-2"]["features"]["youtube_restricted"] == "off"
    assert rows["CHILD-8"]["features"]["pii_guard"] == "on"
    assert rows["CHILD-7"]["features"]["category:gambling"] == "off"
    assert rows["CHILD-7"]["state"] == "partly"


def test_details_are_recorded_but_never_echoed(kid, db) -> None:  # type: ignore[no-untyped-def]
    result = kid("profile", "details", "Kid", "--full-name", "Nguyễn Văn An",
                 "--phone", "+84 912 345 678", "--school", "THCS Lê Quý Đôn",
                 "--send-anyway", "allowed")
    assert result.code == 0
    assert "Nguyễn" not in result.out and "912" not in result.out
    assert "full_name" in result.out and "phone" in result.out
    with db.begin() as session:
        details = session.scalars(select(ProfileDetails)).one()
        assert details.full_name == "Nguyễn Văn An" and details.phone == "+84 912 345 678"
    assert kid("profile", "details", "Kid", "--clear").code == 0
    with db.begin() as session:
        assert session.scalars(select(ProfileDetails)).one().phone == ""


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("profile", "details", "Kid"), "at least one detail"),
        (("profile", "details", "Kid", "--phone", "123"), "at least 8 digits"),
        (("profile", "details", "Nobody", "--phone", "0912345678"), "no profile named"),
        (("safesearch", "Nobody", "on"), "no profile named"),
    ],
)
def test_bad_input_is_one_clear_line(kid, args, message) -> None:  # type: ignore[no-untyped-def]
    result = kid(*args)
    assert result.code == 1 and message in result.err
