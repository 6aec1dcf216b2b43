"""The household policy as immutable in-memory data, and loading it.

The filter loads a `HouseholdPolicy` off the event loop and swaps it in whole;
hooks only read it, so a request never waits for the database and never sees
half a change. Everything here is plain frozen data that may cross threads.
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta, tzinfo
from types import MappingProxyType
from typing import TYPE_CHECKING

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from guardian.categories import CATEGORY_BITS
from guardian.decision import Action
from guardian.personal_info import ChildDetails, DetailMatcher, compile_details
from guardian.schedule import AllowedHours, build_hours, next_midnight
from guardian.storage.models import AllowedHours as HoursRow
from guardian.storage.models import Budget, Profile, ProfileDetails, TimeGrant
from guardian.storage.policy_version import policy_version
from guardian.storage.settings import HOUSEHOLD_TIMEZONE, TOKEN_SECRET, get_setting
from guardian.zones import household_zone

if TYPE_CHECKING:
    from guardian.domain_index import DomainIndex

IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network


@dataclass(frozen=True, slots=True)
class RuleEntry:
    action: Action
    path: str  # "" for the whole domain, else a normalized path prefix
    text: str  # the rule as the parent typed it, for block pages and logs
    expires_at: datetime | None = None  # a temporary "yes" from the parent ends here


@dataclass(frozen=True, slots=True)
class BudgetRule:
    """A daily budget; see guardian.storage.models.Budget for the scopes."""

    scope: str
    key: str
    minutes: int


# (local day ISO, scope, key) -> extra minutes, None meaning no limit that day
Grants = MappingProxyType[tuple[str, str, str], int | None]


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
    budgets: tuple[BudgetRule, ...] = ()
    hours: AllowedHours | None = None
    grants: Grants = field(default_factory=lambda: MappingProxyType({}))
    # A parent's "yes" to more time past the allowed hours lasts until then.
    hours_extended_until: datetime | None = None
    safe_search: bool = True
    youtube: str = "strict"  # "strict" | "moderate" | "off"
    unsafe_search: str = "block"  # "block" | "flag"
    scan_threshold: int = 100
    # The child's own details, compiled for the personal-information guard.
    details: DetailMatcher | None = field(default=None, repr=False)
    details_send_anyway: bool = False
    social_signup: bool = False  # a social network's sign-up page needs a parent

    def grant(self, day: str, scope: str, key: str = "") -> int | None:
        """Extra minutes granted for `day` (0 if none; None: no limit for the rest of it)."""
        return self.grants.get((day, scope, key), 0)


@dataclass(frozen=True)
class HouseholdPolicy:
    version: int
    profiles: tuple[ProfilePolicy, ...]
    by_port: MappingProxyType[int, ProfilePolicy]
    by_network: tuple[tuple[IPNetwork, ProfilePolicy], ...]  # most specific network first
    default: ProfilePolicy | None
    zone: tzinfo = UTC
    token_secret: str = field(default="", repr=False)
    # Profiles attributed to a machine, by machine name; `machine` is the filter's own
    # and `machine_profile` the profile attributed to it, if any.
    by_machine: MappingProxyType[str, ProfilePolicy] = field(
        default_factory=lambda: MappingProxyType({}))
    machine: str = ""
    machine_profile: ProfilePolicy | None = None

    def profile_for(self, listen_port: int | None, client_ip: str | None) -> ProfilePolicy | None:
        """Which child a request belongs to: device address, then port, then the machine
        the filter runs for, then the default.

        The most specific attribution wins: a child's own device or port on a
        school PC is theirs even when the PC's room has a profile of its own.
        """
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
            on_port = self.by_port.get(listen_port)
            if on_port is not None:
                return on_port
        if self.machine_profile is not None:
            return self.machine_profile
        return self.default

    @property
    def ports(self) -> tuple[int, ...]:
        return tuple(sorted(self.by_port))


def load_policy(
    session: Session, index: DomainIndex, now: datetime | None = None, machine: str = ""
) -> HouseholdPolicy:
    """Read the whole household policy in one transaction.

    Rules that expired before `now` and grants for days before yesterday are
    left out; the engine still checks expiry itself, between reloads.
    `machine` is the name of the machine the filter runs for (see
    `guardian.machine`): a profile attributed to it filters its traffic.
    """
    version = policy_version(session)
    zone = household_zone(get_setting(session, HOUSEHOLD_TIMEZONE))
    now = now or datetime.now(UTC)
    rows = session.scalars(
        select(Profile)
        .options(
            selectinload(Profile.attributions),
            selectinload(Profile.category_settings),
            selectinload(Profile.rules),
        )
        .order_by(Profile.id)
    ).all()
    extras = _time_settings(session, zone, now)
    details = {
        row.profile_id: compile_details(ChildDetails(
            row.full_name, row.phone, row.address, row.school, row.id_number))
        for row in session.scalars(select(ProfileDetails))
    }
    profiles = []
    by_port: dict[int, ProfilePolicy] = {}
    networks: list[tuple[IPNetwork, ProfilePolicy]] = []
    by_machine: dict[str, ProfilePolicy] = {}
    default = None
    for row in rows:
        profile = _profile_policy(row, index, now, *extras.get(row.id, ((), None, {}, None)))
        if details.get(row.id) is not None:
            profile = replace(profile, details=details[row.id])
        profiles.append(profile)
        if row.is_default:
            default = profile
        for attribution in row.attributions:
            if attribution.kind == "port":
                by_port[int(attribution.value)] = profile
            elif attribution.kind == "machine":
                by_machine[attribution.value] = profile
            else:
                networks.append((ipaddress.ip_network(attribution.value), profile))
    networks.sort(key=lambda pair: pair[0].prefixlen, reverse=True)
    return HouseholdPolicy(
        version=version,
        profiles=tuple(profiles),
        by_port=MappingProxyType(by_port),
        by_network=tuple(networks),
        default=default,
        zone=zone,
        token_secret=get_setting(session, TOKEN_SECRET),
        by_machine=MappingProxyType(by_machine),
        machine=machine,
        machine_profile=by_machine.get(machine) if machine else None,
    )


GrantTable = dict[tuple[str, str, str], int | None]
TimeExtras = tuple[tuple[BudgetRule, ...], AllowedHours | None, GrantTable, datetime | None]


def _time_settings(session: Session, zone: tzinfo, now: datetime) -> dict[int, TimeExtras]:
    budgets: dict[int, list[BudgetRule]] = {}
    for budget in session.scalars(select(Budget)):
        budgets.setdefault(budget.profile_id, []).append(
            BudgetRule(budget.scope, budget.key, budget.minutes))
    hours: dict[int, list[tuple[int, int, int]]] = {}
    for row in session.scalars(select(HoursRow)):
        hours.setdefault(row.profile_id, []).append((row.weekday, row.start_minute, row.end_minute))
    grants: dict[int, GrantTable] = {}
    extended: dict[int, datetime] = {}
    since = (now.astimezone(zone).date() - timedelta(days=1)).isoformat()
    for grant in session.scalars(select(TimeGrant).where(TimeGrant.day >= since)):
        if grant.scope == "hours":
            until = _hours_grant_end(grant, zone)
            extended[grant.profile_id] = max(until, extended.get(grant.profile_id, until))
            continue
        mine = grants.setdefault(grant.profile_id, {})
        key = (grant.day, grant.scope, grant.key)
        if grant.minutes is None or mine.get(key, 0) is None:
            mine[key] = None
        else:
            mine[key] = (mine.get(key) or 0) + grant.minutes
    return {
        profile_id: (tuple(budgets.get(profile_id, ())), build_hours(hours.get(profile_id, ())),
                     grants.get(profile_id, {}), extended.get(profile_id))
        for profile_id in set(budgets) | set(hours) | set(grants) | set(extended)
    }


def _hours_grant_end(grant: TimeGrant, zone: tzinfo) -> datetime:
    """More time past the allowed hours: N minutes from the grant, or to the end of its day."""
    if grant.minutes is not None:
        return grant.created_at + timedelta(minutes=grant.minutes)
    return next_midnight(datetime.fromisoformat(grant.day).replace(tzinfo=zone))


def _profile_policy(
    row: Profile,
    index: DomainIndex,
    now: datetime,
    budgets: tuple[BudgetRule, ...],
    hours: AllowedHours | None,
    grants: GrantTable,
    hours_extended_until: datetime | None,
) -> ProfilePolicy:
    blocked = 0
    for setting in row.category_settings:
        if setting.blocked:
            blocked |= CATEGORY_BITS.get(setting.category_code, 0)
    rules: dict[str, list[RuleEntry]] = {}
    for rule in row.rules:
        if rule.expires_at is not None and rule.expires_at <= now:
            continue
        rules.setdefault(rule.host, []).append(
            RuleEntry(Action(rule.action), rule.path, rule.host + rule.path, rule.expires_at)
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
        budgets=budgets,
        hours=hours,
        grants=MappingProxyType(grants),
        hours_extended_until=hours_extended_until,
        safe_search=row.safe_search,
        youtube=row.youtube,
        unsafe_search=row.unsafe_search,
        scan_threshold=row.scan_threshold,
        social_signup=row.social_signup,
        details_send_anyway=row.details_send_anyway,
    )
