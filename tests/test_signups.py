"""Signing up to a social network asks a parent first, under 16 (Decree 147/2024, USER-1)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from guardian.decision import Reason
from guardian.domain_index import DomainIndex
from guardian.engine import NoUsage, RequestFacts, decide
from guardian.errors import CatalogError
from guardian.hosts import normalize_path
from guardian.policy import ProfilePolicy, load_policy
from guardian.reports import weekly_summary
from guardian.reports.text import ReportText
from guardian.signups import is_signup_page, parse_signup_pages
from guardian.storage.profiles import add_profile, add_rule, find_profile, get_profile
from tests.old_databases import upgraded_from
from tests.proxy_harness import GuardianProxy, fetch, wait_until
from tests.proxy_harness import guardian_cli as guardian
from tests.reliability.internet import FakeInternet
from tests.test_screen_time_e2e import form_field, post_form
from tests.weekly_fixtures import blocked, local, write

SATURDAY_10 = datetime(2026, 12, 5, 10, 0, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))


@pytest.mark.parametrize(
    ("url", "signup"),
    [
        ("www.facebook.com/r.php?locale=vi_VN", True),
        ("m.facebook.com/reg/", True),
        ("www.facebook.com/", False),
        ("www.facebook.com/regional-news", False),
        ("www.tiktok.com/signup/phone-or-email", True),
        ("www.tiktok.com/SignUp", True),  # paths compare in lower case
        ("www.instagram.com/accounts/emailsignup/", True),
        ("www.instagram.com/accounts/login/", False),
        ("x.com/i/flow/signup", True),
        ("accounts.snapchat.com/accounts/signup", True),
        ("www.snapchat.com/accounts/signup", False),  # only on the accounts host
        ("example.com/signup", False),
    ],
)
def test_sign_up_pages_are_known_by_host_and_path(url: str, signup: bool) -> None:
    host, _, path = url.partition("/")
    assert is_signup_page(host, normalize_path("/" + path)) is signup


@pytest.mark.parametrize(
    ("toml", "message"),
    [
        ('[pages]\n"a.example" = "/join"', "a.example: give a list"),
        ('[pages]\n"a.example" = ["join"]', "a.example: give a list"),
        ('[pages]\n"a.example" = ["/Join"]', "lower-case"),
        ('[pages]\n"a.example" = []', "a.example: give a list"),
        ('[pages]\n"exa mple" = ["/join"]', "not a valid host name"),
        ('"a.example" = ["/join"]', "pages"),
        ("[pages", "sign.toml is not usable"),
    ],
)
def test_a_damaged_list_of_sign_up_pages_is_refused(toml: str, message: str) -> None:
    with pytest.raises(CatalogError, match="sign.toml") as refused:
        parse_signup_pages(toml, "sign.toml")
    assert message in str(refused.value)


def policy_of(db, name: str) -> ProfilePolicy:  # type: ignore[no-untyped-def]
    with db.begin() as session:
        household = load_policy(session, DomainIndex.EMPTY)
        profile_id = find_profile(session, name).id
    return next(p for p in household.profiles if p.id == profile_id)


def reason(policy: ProfilePolicy, url: str) -> Reason:
    host, _, path = url.partition("/")
    facts = RequestFacts(host, normalize_path("/" + path))
    return decide(facts, policy, NoUsage(), SATURDAY_10).reason


def test_the_presets_ask_a_parent_under_16_and_block_social_networks_under_14(db) -> None:  # type: ignore[no-untyped-def]
    with db.begin() as session:
        for name, age in (("Twelve", 12), ("Fifteen", 15), ("Sixteen", 16)):
            add_profile(session, name, age, "vi")
    twelve, fifteen, sixteen = (policy_of(db, n) for n in ("Twelve", "Fifteen", "Sixteen"))
    assert (twelve.social_signup, fifteen.social_signup, sixteen.social_signup) == (
        True, True, False)
    assert reason(twelve, "www.tiktok.com/signup") is Reason.CATEGORY  # no social networks at all
    assert reason(fifteen, "www.tiktok.com/signup") is Reason.SIGNUP
    assert reason(fifteen, "www.tiktok.com/@school/video/1") is Reason.ALLOWED
    assert reason(sixteen, "www.tiktok.com/signup") is Reason.ALLOWED


def test_a_parents_allow_rule_lets_the_sign_up_through(db) -> None:  # type: ignore[no-untyped-def]
    with db.begin() as session:
        add_profile(session, "Fifteen", 15, "vi")
        add_rule(session, find_profile(session, "Fifteen"), "allow", "discord.com")
    policy = policy_of(db, "Fifteen")
    assert reason(policy, "discord.com/register") is Reason.ALLOW_RULE
    assert reason(policy, "www.reddit.com/register") is Reason.SIGNUP


def test_the_cli_turns_it_off_and_explain_follows(cli) -> None:  # type: ignore[no-untyped-def]
    assert cli("profile", "add", "Binh", "--age", "15").code == 0

    def approval() -> str:
        rows = json.loads(cli("policy", "explain", "--json", "--profile", "Binh").out)
        (row,) = [r for r in rows if r["id"] == "USER-1"]
        return row["features"]["social_signup_approval"]

    assert approval() == "on"
    turned = cli("safesearch", "Binh", "on", "--signup", "open")
    assert turned.code == 0 and "social network sign-ups open" in turned.out
    assert approval() == "off"
    assert cli("safesearch", "Binh", "on", "--signup", "ask-parent").code == 0
    assert approval() == "on"
    assert cli("safesearch", "Binh", "on", "--signup", "maybe").code == 2


@pytest.mark.sqlite_only
def test_an_older_database_gets_what_each_childs_preset_gives(tmp_path) -> None:  # type: ignore[no-untyped-def]
    children = [
        "INSERT INTO profiles (id, name, age, language, is_default, created_at) "
        f"VALUES ({number}, '{name}', {age}, 'vi', 0, '2026-01-01')"
        for number, (name, age) in enumerate((("An", 9), ("Binh", 15), ("Chi", 16)), 1)
    ]
    with upgraded_from(tmp_path, "0006", children) as db, db.begin() as session:
        assert [get_profile(session, n).social_signup for n in (1, 2, 3)] == [True, True, False]


def test_the_weekly_summary_counts_the_attempts_and_suggests_a_talk(db) -> None:  # type: ignore[no-untyped-def]
    zone = ZoneInfo("Asia/Ho_Chi_Minh")
    with db.begin() as session:
        binh = add_profile(session, "Binh", 15, "en").id
        write(session, zone, [
            blocked(binh, local(zone, "2026-11-24 20:00"), "www.tiktok.com", "signup", "social"),
            blocked(binh, local(zone, "2026-11-26 21:00"), "www.tiktok.com", "signup", "social"),
        ])
    with db.begin() as session:
        week = weekly_summary(session, binh, "2026-W48", zone, "en",
                              datetime(2026, 12, 2, tzinfo=ZoneInfo("UTC")))
        vietnamese = weekly_summary(session, binh, "2026-W48", zone, "vi",
                                    datetime(2026, 12, 2, tzinfo=ZoneInfo("UTC")))
    assert [(g.reason, g.count, g.examples) for g in week.blocks] == [
        ("signup", 2, ("tiktok.com",))]
    assert ReportText("en").why(week.blocks[0]) == "Signing up to a social network"
    signup = next(p for p in week.prompts if p.code == "signup")
    assert "Binh tried 2 times this week to sign up" in signup.text
    assert signup.rules[0] == "USER-1"
    assert "2 lần thử đăng ký" in next(p for p in vietnamese.prompts if p.code == "signup").text


@pytest.fixture
def internet() -> Iterator[FakeInternet]:
    with FakeInternet() as fake:
        yield fake


@pytest.mark.e2e
def test_a_fifteen_year_old_asks_and_a_parents_yes_opens_the_sign_up(tmp_path, internet) -> None:  # type: ignore[no-untyped-def]
    data = tmp_path / "data"
    guardian(data, "profile", "add", "Binh", "--age", "15", "--language", "en", "--default")
    with GuardianProxy(data, extra_args=("--upstream-proxy", internet.url)) as proxy:
        page = fetch(proxy.port, "http://www.tiktok.com/signup", headers={"Accept": "text/html"})
        assert page.status == 403 and "Signing up needs your parent" in page.text
        assert "USER-1" in page.text and "Until you are 16" in page.text
        assert fetch(proxy.port, "http://www.tiktok.com/explore").status == 200
        assert [r.target for r in internet.requests] == ["http://www.tiktok.com/explore"]

        assert form_field(page.text, "kind") == "site"
        asked = post_form(proxy.port, "/ask", {"token": form_field(page.text, "token"),
                                               "message": "for the school club"})
        assert asked.status == 303
        (request,) = json.loads(guardian(data, "requests", "list", "--json"))
        assert (request["host"], request["kind"]) == ("www.tiktok.com", "site")
        guardian(data, "requests", "approve", str(request["id"]), "--always")
        wait_until(lambda: fetch(proxy.port, "http://www.tiktok.com/signup").status == 200,
                   timeout=5)
    logged = {(r["host"], r["path"], r["decision"], r["reason"])
              for r in json.loads(guardian(data, "activity", "--json"))}
    assert ("www.tiktok.com", "/signup", "block", "signup") in logged
    assert ("www.tiktok.com", "/signup", "allow", "allow_rule") in logged
