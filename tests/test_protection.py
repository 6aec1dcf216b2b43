"""The safe-search and personal-details settings the app writes, and the "why" of one address."""

from __future__ import annotations

from io import BytesIO
from pathlib import Path

import pytest

from guardian.categories import CATEGORY_BITS
from guardian.decision import Reason
from guardian.domain_index import DomainIndex, IndexBuilder
from guardian.errors import InvalidHost
from guardian.policy import load_policy
from guardian.protection import (
    DetailProblem,
    Details,
    SafeSearch,
    load_protection,
    masked,
    save_details,
    save_safe_search,
)
from guardian.storage.profiles import add_profile, add_rule, get_profile
from guardian.url_check import check_url, split_url


@pytest.fixture
def child(db) -> int:
    with db.begin() as session:
        return add_profile(session, "An", 9, "vi", port=8081).id


def profile_policy(db, profile_id: int):
    with db.begin() as session:
        household = load_policy(session, DomainIndex.EMPTY)
    return next(p for p in household.profiles if p.id == profile_id)


def test_safe_search_settings_reach_the_policy_the_filter_loads(db, child) -> None:
    with db.begin() as session:
        save_safe_search(session, child, SafeSearch(False, "moderate", "flag", False))
    policy = profile_policy(db, child)
    assert (policy.safe_search, policy.youtube, policy.unsafe_search) == (False, "moderate", "flag")
    assert not policy.social_signup
    with db.begin() as session:
        stored = load_protection(session, child).safe_search
    assert stored == SafeSearch(False, "moderate", "flag", False)


def test_details_are_stored_checked_and_compiled_for_the_guard(db, child) -> None:
    with db.begin() as session:
        stored = save_details(session, child, Details(phone=" 0912 345 678 ", school="THCS Ba Đình",
                                                      send_anyway=True))
    assert stored.phone == "0912 345 678" and stored.recorded == ("phone", "school")
    policy = profile_policy(db, child)
    assert policy.details is not None and policy.details_send_anyway
    with db.begin() as session:
        assert load_protection(session, child).details == stored
        with pytest.raises(DetailProblem) as problem:
            save_details(session, child, Details(phone="12345"))
    assert (problem.value.field, problem.value.problem) == ("phone", "digits")
    with db.begin() as session:  # emptying every field forgets them
        save_details(session, child, Details())
    assert profile_policy(db, child).details is None


def test_masked_shows_only_the_end() -> None:
    assert masked("0912345678") == "••••••••78"
    assert masked("ab") == "••"
    assert masked("") == ""


def test_split_url_accepts_what_a_parent_types() -> None:
    assert split_url("https://User@Example.com:443/Games?x=1#top") == ("example.com", "/games?x=1")
    assert split_url("example.com") == ("example.com", "/")
    with pytest.raises(InvalidHost):
        split_url("exa mple.com")


def write_index(path: Path, domain: str, category: str) -> None:
    builder = IndexBuilder()
    builder.add_domain(domain, CATEGORY_BITS[category])
    out = BytesIO()
    builder.write(out)
    path.write_bytes(out.getvalue())


def test_check_url_gives_the_decision_and_the_rule_of_the_code(db, child, tmp_path) -> None:
    index = tmp_path / "index.bin"
    write_index(index, "casino.example", "gambling")
    with db.begin() as session:
        add_rule(session, get_profile(session, child), "block", "blocked.example/games")
        gambling = check_url(session, index, child, "https://www.casino.example/")
        parent = check_url(session, index, child, "blocked.example/games/1")
        fine = check_url(session, index, child, "blocked.example/news")
    assert gambling.decision.reason is Reason.CATEGORY and gambling.decision.category == "gambling"
    assert gambling.rule is not None and gambling.rule.id.startswith(("CHILD", "GEN", "PLATFORM"))
    assert parent.decision.reason is Reason.BLOCK_RULE and parent.rule.id == "PARENT-5"
    assert parent.decision.rule == "blocked.example/games"
    assert not fine.decision.blocked and fine.rule is None
