"""The household policy as immutable in-memory data, and loading it.

The filter loads a `HouseholdPolicy` off the event loop and swaps it in whole;
hooks only read it, so a request never waits for the database and never sees
half a change. Everything here is plain frozen data that may cross threads.
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import TYPE_CHECKING

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from guardian.categories import CATEGORY_BITS
from guardian.decision import Action
from guardian.storage.models import Profile
from guardian.storage.policy_version import policy_version

if TYPE_CHECKING:
    from guardian.domain_index import DomainIndex

IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network


@dataclass(frozen=True, slots=True)
class RuleEntry:
    action: Action
    path: str  # "" for the whole domain, else a normalized path prefix
    text: str  # the rule as the parent typed it, for block pages and logs


@dataclass(frozen=True)
class ProfilePolicy:
    """One child's policy: the parent's rules by host, and the categories blocked."""

    id: int
    name: str
    age: int
    language: str
    blocked_mask: int
    # host -> rules on that host, most specific first (longest path, allow before block)
    rules: MappingProxyType[str, tuple[RuleEntry, ...]]
    index: DomainIndex = field(repr=False)


@dataclass(frozen=True)
class HouseholdPolicy:
    version: int
    profiles: tuple[ProfilePolicy, ...]
    by_port: MappingProxyType[int, ProfilePolicy]
    by_network: tuple[tuple[IPNetwork, ProfilePolicy], ...]  # most specific network first
    default: ProfilePolicy | None

    def profile_for(self, listen_port: int | None, client_ip: str | None) -> ProfilePolicy | None:
        """Which child a request belongs to: device address, then port, then the default."""
        if client_ip is not None and self.by_network:
            try:
                address = ipaddress.ip_address(client_ip)
            except ValueError:
                address = None
            if address is not None:
                mapped = getattr(address, "ipv4_mapped", None)
                address = mapped or address
                for network, profile in self.by_network:
                    if address.version == network.version and address in network:
                        return profile
        if listen_port is not None:
            profile = self.by_port.get(listen_port)
            if profile is not None:
                return profile
        return self.default

    @property
    def ports(self) -> tuple[int, ...]:
        return tuple(sorted(self.by_port))


def load_policy(session: Session, index: DomainIndex) -> HouseholdPolicy:
    """Read the whole household policy in one transaction."""
    version = policy_version(session)
    rows = session.scalars(
        select(Profile)
        .options(
            selectinload(Profile.attributions),
            selectinload(Profile.category_settings),
            selectinload(Profile.rules),
        )
        .order_by(Profile.id)
    ).all()
    profiles = []
    by_port: dict[int, ProfilePolicy] = {}
    networks: list[tuple[IPNetwork, ProfilePolicy]] = []
    default = None
    for row in rows:
        profile = _profile_policy(row, index)
        profiles.append(profile)
        if row.is_default:
            default = profile
        for attribution in row.attributions:
            if attribution.kind == "port":
                by_port[int(attribution.value)] = profile
            else:
                networks.append((ipaddress.ip_network(attribution.value), profile))
    networks.sort(key=lambda pair: pair[0].prefixlen, reverse=True)
    return HouseholdPolicy(
        version=version,
        profiles=tuple(profiles),
        by_port=MappingProxyType(by_port),
        by_network=tuple(networks),
        default=default,
    )


def _profile_policy(row: Profile, index: DomainIndex) -> ProfilePolicy:
    blocked = 0
    for setting in row.category_settings:
        if setting.blocked:
            blocked |= CATEGORY_BITS.get(setting.category_code, 0)
    rules: dict[str, list[RuleEntry]] = {}
    for rule in row.rules:
        rules.setdefault(rule.host, []).append(
            RuleEntry(Action(rule.action), rule.path, rule.host + rule.path)
        )
    ordered = {
        host: tuple(sorted(entries, key=lambda e: (-len(e.path), e.action is not Action.ALLOW)))
        for host, entries in rules.items()
    }
    return ProfilePolicy(
        id=row.id,
        name=row.name,
        age=row.age,
        language=row.language,
        blocked_mask=blocked,
        rules=MappingProxyType(ordered),
        index=index,
    )
