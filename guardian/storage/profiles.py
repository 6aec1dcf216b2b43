"""Data functions for child profiles, their attribution, categories and rules."""

from __future__ import annotations

import ipaddress

from sqlalchemy import select
from sqlalchemy.orm import Session

from guardian.categories import CATEGORIES, is_category
from guardian.errors import AlreadyExists, NotFound, UsageError
from guardian.hosts import split_target
from guardian.i18n import LANGUAGES
from guardian.presets import blocked_categories_for_age
from guardian.storage.models import Attribution, Profile, ProfileCategory, Rule
from guardian.storage.policy_version import bump_policy_version

MAX_NAME_LENGTH = 64


def add_profile(
    session: Session,
    name: str,
    age: int,
    language: str = "vi",
    *,
    port: int | None = None,
    client: str | None = None,
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
    blocked = blocked_categories_for_age(age)
    profile.category_settings = [
        ProfileCategory(category_code=code, blocked=code in blocked) for code in CATEGORIES
    ]
    session.add(profile)
    if port is not None:
        add_attribution(session, profile, "port", port_value(port))
    if client is not None:
        add_attribution(session, profile, "client", client_value(client))
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
