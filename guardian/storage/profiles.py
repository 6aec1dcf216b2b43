"""Data functions for child profiles, their attribution, categories and rules."""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from guardian.categories import CATEGORIES, is_category
from guardian.errors import AlreadyExists, NotFound, UsageError
from guardian.hosts import split_target
from guardian.i18n import LANGUAGES
from guardian.machine import machine_value
from guardian.presets import preset_for_age
from guardian.storage.models import Attribution, Profile, ProfileCategory, Rule
from guardian.storage.policy_version import bump_policy_version
from guardian.storage.screen_time import apply_preset_budgets

MAX_NAME_LENGTH = 64


def add_profile(
    session: Session,
    name: str,
    age: int,
    language: str = "vi",
    *,
    port: int | None = None,
    client: str | None = None,
    machine: str | None = None,
    default: bool = False,
) -> Profile:
    """Add a child with the categories their age starts with, and how their traffic arrives."""
    name = name.strip()
    if not name or len(name) > MAX_NAME_LENGTH:
        raise UsageError(f"a profile name must be 1 to {MAX_NAME_LENGTH} characters")
    if not 0 <= age < 130:
        raise UsageError(f"age {age} is not a plausible age")
    if language not in LANGUAGES:
        raise UsageError(f"language must be one of {', '.join(LANGUAGES)}, not {language!r}")
    if session.scalars(select(Profile).where(Profile.name == name)).first():
        raise AlreadyExists(f"a profile named {name!r} already exists")
    profile = Profile(name=name, age=age, language=language, is_default=default)
    if default:
        for other in session.scalars(select(Profile).where(Profile.is_default)):
            other.is_default = False
    preset = preset_for_age(age)
    profile.safe_search = preset.safe_search
    profile.youtube = preset.youtube
    profile.unsafe_search = preset.unsafe_search_engines
    profile.scan_threshold = preset.content_scan_threshold
    profile.social_signup = preset.social_signup_needs_parent
    profile.category_settings = [
        ProfileCategory(category_code=code, blocked=code in preset.blocked_categories)
        for code in CATEGORIES
    ]
    session.add(profile)
    session.flush()
    apply_preset_budgets(session, profile, preset)
    if port is not None:
        add_attribution(session, profile, "port", port_value(port))
    if client is not None:
        add_attribution(session, profile, "client", client_value(client))
    if machine is not None:
        add_attribution(session, profile, "machine", machine_value(machine))
    session.flush()
    bump_policy_version(session)
    return profile


def port_value(port: int) -> str:
    if not 1 <= port <= 65535:
        raise UsageError(f"port {port} is not between 1 and 65535")
    return str(port)


def client_value(client: str) -> str:
    """A client address or CIDR in canonical network form (`192.168.1.20/32`)."""
    try:
        return str(ipaddress.ip_network(client.strip(), strict=False))
    except ValueError as exc:
        raise UsageError(f"{client!r} is not an IP address or network (CIDR)") from exc


ATTRIBUTION_KINDS = ("port", "client", "machine")


def attribution_value(kind: str, value: str) -> str:
    """`value` checked and in stored form for an attribution of `kind`."""
    if kind == "port":
        try:
            return port_value(int(value))
        except ValueError:
            raise UsageError(f"{value!r} is not a port number") from None
    if kind == "client":
        return client_value(value)
    if kind == "machine":
        return machine_value(value)
    raise UsageError(f"an attribution is one of {', '.join(ATTRIBUTION_KINDS)}, not {kind!r}")


def add_attribution(session: Session, profile: Profile, kind: str, value: str) -> None:
    taken = session.scalars(
        select(Attribution).where(Attribution.kind == kind, Attribution.value == value)
    ).first()
    if taken is not None:
        raise AlreadyExists(f"{kind} {value} already belongs to profile {taken.profile.name!r}")
    profile.attributions.append(Attribution(kind=kind, value=value))


def find_profile(session: Session, name: str) -> Profile:
    profile = session.scalars(select(Profile).where(Profile.name == name.strip())).first()
    if profile is None:
        known = ", ".join(session.scalars(select(Profile.name).order_by(Profile.name))) or "none"
        raise NotFound(f"no profile named {name!r} (profiles: {known})")
    return profile


def list_profiles(session: Session) -> list[Profile]:
    return list(session.scalars(select(Profile).order_by(Profile.name)))


def set_category(session: Session, profile: Profile, code: str, blocked: bool) -> None:
    if not is_category(code):
        raise UsageError(f"unknown category {code!r}; categories: {', '.join(CATEGORIES)}")
    for setting in profile.category_settings:
        if setting.category_code == code:
            setting.blocked = blocked
            break
    else:
        profile.category_settings.append(ProfileCategory(category_code=code, blocked=blocked))
    bump_policy_version(session)


def add_rule(session: Session, profile: Profile, action: str, target: str) -> Rule:
    """Allow or block a domain (with its subdomains) or a URL prefix for one child."""
    if action not in ("allow", "block"):
        raise UsageError(f"a rule is 'allow' or 'block', not {action!r}")
    host, path = split_target(target)
    existing = session.scalars(
        select(Rule).where(
            Rule.profile_id == profile.id,
            Rule.action == action,
            Rule.host == host,
            Rule.path == (path or ""),
        )
    ).first()
    if existing is not None:
        return existing
    rule = Rule(action=action, host=host, path=path or "")
    profile.rules.append(rule)
    session.flush()
    bump_policy_version(session)
    return rule


def remove_rule(session: Session, profile: Profile, action: str, target: str) -> None:
    host, path = split_target(target)
    for rule in profile.rules:
        if rule.action == action and rule.host == host and rule.path == (path or ""):
            profile.rules.remove(rule)  # delete-orphan removes the row
            bump_policy_version(session)
            return
    raise NotFound(f"{profile.name!r} has no {action} rule for {target!r}")


def rule_text(rule: Rule) -> str:
    """A rule as a parent would type it: `example.com` or `example.com/games`."""
    return rule.host + rule.path


# What the parent app reads and changes. Rows stay here; frozen summaries cross threads.


@dataclass(frozen=True, slots=True)
class ProfileSummary:
    id: int
    name: str
    age: int
    language: str
    is_default: bool
    ports: tuple[int, ...]
    clients: tuple[str, ...]
    blocked_categories: tuple[str, ...]  # in catalogue order
    rule_count: int
    machines: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class RuleEntry:
    action: str  # "allow" | "block"
    target: str  # as a parent types it: `example.com` or `example.com/games`
    created_at: datetime


def summarize_profile(profile: Profile) -> ProfileSummary:
    blocked = {s.category_code for s in profile.category_settings if s.blocked}
    return ProfileSummary(
        id=profile.id,
        name=profile.name,
        age=profile.age,
        language=profile.language,
        is_default=profile.is_default,
        ports=tuple(sorted(int(a.value) for a in profile.attributions if a.kind == "port")),
        clients=tuple(sorted(a.value for a in profile.attributions if a.kind == "client")),
        blocked_categories=tuple(code for code in CATEGORIES if code in blocked),
        rule_count=len(profile.rules),
        machines=tuple(sorted(a.value for a in profile.attributions if a.kind == "machine")),
    )


def profile_summaries(session: Session) -> list[ProfileSummary]:
    return [summarize_profile(profile) for profile in list_profiles(session)]


def get_profile(session: Session, profile_id: int) -> Profile:
    profile = session.get(Profile, profile_id)
    if profile is None:
        raise NotFound(f"no profile with id {profile_id} (it may have been removed)")
    return profile


def category_states(profile: Profile) -> dict[str, bool]:
    """Every category, in catalogue order, and whether it is blocked for `profile`."""
    blocked = {s.category_code: s.blocked for s in profile.category_settings}
    return {code: blocked.get(code, False) for code in CATEGORIES}


def rule_entries(profile: Profile) -> list[RuleEntry]:
    rules = sorted(profile.rules, key=lambda r: (r.host, r.path, r.action))
    return [RuleEntry(r.action, rule_text(r), r.created_at) for r in rules]


def update_profile(
    session: Session,
    profile: Profile,
    *,
    name: str | None = None,
    age: int | None = None,
    language: str | None = None,
    default: bool | None = None,
    reset_categories: bool = False,
) -> None:
    """Change a child's details; `reset_categories` applies the preset of their (new) age."""
    if name is not None:
        name = name.strip()
        if not name or len(name) > MAX_NAME_LENGTH:
            raise UsageError(f"a profile name must be 1 to {MAX_NAME_LENGTH} characters")
        if name != profile.name and session.scalars(
            select(Profile).where(Profile.name == name, Profile.id != profile.id)
        ).first():
            raise AlreadyExists(f"a profile named {name!r} already exists")
        profile.name = name
    if age is not None:
        if not 0 <= age < 130:
            raise UsageError(f"age {age} is not a plausible age")
        profile.age = age
    if language is not None:
        if language not in LANGUAGES:
            raise UsageError(f"language must be one of {', '.join(LANGUAGES)}, not {language!r}")
        profile.language = language
    if default is not None:
        if default:
            for other in session.scalars(select(Profile).where(Profile.is_default)):
                if other.id != profile.id:
                    other.is_default = False
        profile.is_default = default
    if reset_categories:
        preset = preset_for_age(profile.age)
        for code in CATEGORIES:
            set_category(session, profile, code, code in preset.blocked_categories)
        profile.social_signup = preset.social_signup_needs_parent
    session.flush()
    bump_policy_version(session)


def remove_attribution(session: Session, profile: Profile, kind: str, value: str) -> None:
    """Stop sending traffic from a port or client network to `profile`."""
    for attribution in profile.attributions:
        if attribution.kind == kind and attribution.value == value:
            profile.attributions.remove(attribution)  # delete-orphan removes the row
            session.flush()  # free the (kind, value) before anyone claims it again
            bump_policy_version(session)
            return
    raise NotFound(f"{profile.name!r} has no {kind} {value}")


def replace_attributions(
    session: Session, profile: Profile, *, ports: Iterable[int], clients: Iterable[str],
    machines: Iterable[str] | None = None,
) -> None:
    """Make `profile`'s ports and client networks (and machines, if given) exactly these,
    checking each; machine attributions are left as they are when `machines` is None."""
    wanted = {("port", port_value(p)) for p in ports} | {("client", client_value(c))
                                                        for c in clients}
    current = {(a.kind, a.value) for a in profile.attributions}
    if machines is None:
        wanted |= {pair for pair in current if pair[0] == "machine"}
    else:
        wanted |= {("machine", machine_value(m)) for m in machines}
    for kind, value in sorted(current - wanted):
        remove_attribution(session, profile, kind, value)
    for kind, value in sorted(wanted - current):
        add_attribution(session, profile, kind, value)
    session.flush()
    bump_policy_version(session)
