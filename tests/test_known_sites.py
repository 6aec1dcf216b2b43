"""The sites Guardian knows without any imported list, and what they do for a new household."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from guardian.categories import CATEGORY_BITS, categories_of_mask
from guardian.decision import Reason
from guardian.domain_index import DomainIndex
from guardian.engine import RequestFacts, decide
from guardian.errors import CatalogError
from guardian.known_sites import known_mask, known_sites, parse_known_sites
from guardian.policy import load_policy
from guardian.storage.profiles import add_profile, add_rule, get_profile
from guardian.url_check import check_url

HCM = ZoneInfo("Asia/Ho_Chi_Minh")
SATURDAY_10 = datetime(2026, 12, 5, 10, 0, tzinfo=HCM)


@pytest.mark.parametrize(
    ("host", "categories"),
    [
        ("www.roblox.com", ("games",)),
        ("lienquan.garena.vn", ("games",)),
        ("www.tiktok.com", ("social", "video")),
        ("m.youtube.com", ("video",)),
        ("chat.zalo.me", ("social",)),
        ("tinder.com", ("chat_dating",)),
        ("www.pornhub.com", ("adult",)),
        ("dns.google", ("bypass",)),  # the ways around the filter are part of it
        ("roblox.com.example", ()),  # only a name and what lies below it
        ("notyoutube.com", ()),
        ("school.edu.vn", ()),
    ],
)
def test_known_sites_and_their_subdomains_have_categories(host: str, categories: tuple) -> None:
    assert categories_of_mask(known_mask(host)) == categories


def test_every_name_is_canonical_and_in_a_category() -> None:
    sites = known_sites()
    assert len(sites) > 150
    assert all(mask and mask < 1 << len(CATEGORY_BITS) for mask in sites.values())
    # Each category the presets block or limit by age has sites on the first day.
    for code in ("adult", "gambling", "games", "social", "chat_dating", "video", "bypass"):
        assert sum(1 for mask in sites.values() if mask & CATEGORY_BITS[code]) >= 10, code


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('gamez = ["a.example"]', "'gamez' is not a category"),
        ('bypass = ["a.example"]', "'bypass' is not a category it may name"),
        ('games = "a.example"', "games is not a list of names"),
        ("games = [1, 2]", "games is not a list of names"),
        ('games = ["exa mple.com"]', "not a valid host name"),
        ("games = [", "known.toml is not usable"),
    ],
)
def test_a_damaged_catalogue_is_refused_naming_the_file(text: str, message: str) -> None:
    with pytest.raises(CatalogError, match="known.toml") as refused:
        parse_known_sites(text, "known.toml")
    assert message in str(refused.value)


def test_names_are_folded_and_a_site_may_be_in_two_categories() -> None:
    parsed = parse_known_sites('games = ["Play.Example."]\nvideo = ["play.example"]', "t")
    assert parsed == {"play.example": CATEGORY_BITS["games"] | CATEGORY_BITS["video"]}


class Played:
    """Minutes a child has used today, by (scope, key)."""

    def __init__(self, **minutes: int) -> None:
        self.minutes = minutes

    def used(self, day: date, scope: str, key: str = "") -> int:
        return self.minutes.get(f"{scope}:{key}", 0)


def test_a_new_household_gets_the_presets_on_known_sites_with_no_list(db) -> None:  # type: ignore[no-untyped-def]
    """An eight-year-old, no list imported: the age preset and Decree 147 act on real sites."""
    with db.begin() as session:
        child = add_profile(session, "An", 8, "vi", port=8081).id
        household = load_policy(session, DomainIndex.EMPTY)
    policy = next(p for p in household.profiles if p.id == child)

    def reason(host: str, usage: Played) -> Reason:
        return decide(RequestFacts(host), policy, usage, SATURDAY_10).reason

    fresh = Played()
    assert reason("www.tiktok.com", fresh) is Reason.CATEGORY  # social networks: under 11
    assert reason("www.pornhub.com", fresh) is Reason.CATEGORY
    assert reason("www.roblox.com", fresh) is Reason.ALLOWED
    # An hour of one game is that game's day; three hours of games is all games' day.
    assert reason("www.roblox.com", Played(**{"site:roblox.com": 60})) is Reason.TIME_UP
    assert reason("minecraft.net", Played(**{"site:roblox.com": 60})) is Reason.ALLOWED
    assert reason("minecraft.net", Played(**{"category:games": 180})) is Reason.TIME_UP
    assert reason("vnexpress.net", Played(**{"category:games": 180})) is Reason.ALLOWED


def test_a_parents_rule_beats_a_known_site_and_the_why_view_says_so(db) -> None:  # type: ignore[no-untyped-def]
    with db.begin() as session:
        child = add_profile(session, "An", 12, "vi", port=8081).id
        before = check_url(session, None, child, "https://chat.zalo.me/")
        add_rule(session, get_profile(session, child), "allow", "zalo.me")
        after = check_url(session, None, child, "https://chat.zalo.me/")
    assert before.decision.reason is Reason.CATEGORY and before.decision.category == "social"
    assert before.rule is not None
    assert after.decision.reason is Reason.ALLOW_RULE and not after.decision.blocked


def test_the_lists_command_says_what_is_built_in(cli) -> None:  # type: ignore[no-untyped-def]
    listing = cli("lists", "list")
    assert listing.code == 0
    assert listing.out.splitlines() == [
        f"Built in: {len(known_sites())} well-known sites (games, social networks, video, chat "
        "and dating, adult, gambling, ways around the filter); imported lists add to them.",
        "No lists imported yet.",
    ]
