"""The household's data as SQLAlchemy 2 typed models.

Rows stay inside `guardian.storage`; what crosses a thread or process
boundary is a frozen dataclass built from them (see `guardian.policy`).
Times are stored in UTC and always come back timezone-aware.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated

from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    TypeDecorator,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UTCDateTime(TypeDecorator[datetime]):
    """A timezone-aware datetime on every backend (SQLite keeps no zone)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: object) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to the database; pass an aware one")
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect: object) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def utcnow() -> datetime:
    return datetime.now(UTC)


IntPK = Annotated[int, mapped_column(Integer, primary_key=True)]
Timestamp = Annotated[datetime, mapped_column(UTCDateTime(), default=utcnow)]
ProfileRef = Annotated[int, mapped_column(ForeignKey("profiles.id", ondelete="CASCADE"))]
CategoryCode = Annotated[str, mapped_column(String(32))]


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class PolicyState(Base):
    """One row: the policy version every filter polls to notice a change."""

    __tablename__ = "policy_state"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, default=1)
    version: Mapped[int] = mapped_column(BigInteger, default=1)
    changed_at: Mapped[Timestamp]


class Profile(Base):
    __tablename__ = "profiles"

    id: Mapped[IntPK]
    name: Mapped[str] = mapped_column(String(64), unique=True)
    age: Mapped[int]
    language: Mapped[str] = mapped_column(String(8), default="vi")
    # Traffic from devices no other attribution matches goes to the default profile.
    is_default: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[Timestamp]
    # Search and content settings; a new profile takes them from its age preset.
    safe_search: Mapped[bool] = mapped_column(default=True)
    youtube: Mapped[str] = mapped_column(String(10), default="strict")  # strict|moderate|off
    unsafe_search: Mapped[str] = mapped_column(String(8), default="block")  # block|flag
    scan_threshold: Mapped[int] = mapped_column(default=100)
    social_signup: Mapped[bool] = mapped_column(default=False)  # sign-ups need a parent
    # May the child send their own details after the warning ("send anyway")?
    details_send_anyway: Mapped[bool] = mapped_column(default=False)

    attributions: Mapped[list[Attribution]] = relationship(
        back_populates="profile", cascade="all, delete-orphan"
    )
    category_settings: Mapped[list[ProfileCategory]] = relationship(
        back_populates="profile", cascade="all, delete-orphan"
    )
    rules: Mapped[list[Rule]] = relationship(back_populates="profile", cascade="all, delete-orphan")

    __table_args__ = (CheckConstraint("age >= 0 AND age < 130", name="age_range"),)


class Attribution(Base):
    """How a child's traffic reaches their profile: a listening port, a client network,
    or every request through the filter of one machine (a school room's PC)."""

    __tablename__ = "attributions"

    id: Mapped[IntPK]
    profile_id: Mapped[ProfileRef]
    kind: Mapped[str] = mapped_column(String(8))  # "port" | "client" | "machine"
    value: Mapped[str] = mapped_column(String(64))  # "8081" | "192.168.1.20/32" | "room-a-pc1"

    profile: Mapped[Profile] = relationship(back_populates="attributions")

    __table_args__ = (
        UniqueConstraint("kind", "value", name="kind_value"),
        CheckConstraint("kind IN ('port', 'client', 'machine')", name="kind"),
    )


class Category(Base):
    """A content category; its names in each language live in the locale files."""

    __tablename__ = "categories"

    code: Mapped[str] = mapped_column(String(32), primary_key=True)


class ProfileCategory(Base):
    __tablename__ = "profile_categories"

    profile_id: Mapped[int] = mapped_column(
        ForeignKey("profiles.id", ondelete="CASCADE"), primary_key=True
    )
    category_code: Mapped[str] = mapped_column(
        ForeignKey("categories.code", ondelete="CASCADE"), primary_key=True
    )
    blocked: Mapped[bool]

    profile: Mapped[Profile] = relationship(back_populates="category_settings")


class Rule(Base):
    """A parent's allow or block rule for one child: a domain or a URL prefix."""

    __tablename__ = "rules"

    id: Mapped[IntPK]
    profile_id: Mapped[ProfileRef]
    action: Mapped[str] = mapped_column(String(8))  # "allow" | "block"
    host: Mapped[str] = mapped_column(String(253))  # canonical host
    # Normalized path prefix; "" means the whole domain.
    path: Mapped[str] = mapped_column(String(2048), default="")
    created_at: Mapped[Timestamp]
    # A parent's "yes, for 15 minutes" or "for today" ends here; None lasts.
    expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    profile: Mapped[Profile] = relationship(back_populates="rules")

    __table_args__ = (
        UniqueConstraint("profile_id", "action", "host", "path", name="target"),
        CheckConstraint("action IN ('allow', 'block')", name="action"),
    )


class ListSource(Base):
    """A list the parent imported; its normalized entries live in a file beside the database."""

    __tablename__ = "list_sources"

    id: Mapped[IntPK]
    location: Mapped[str] = mapped_column(String(2048))  # the path or URL it came from
    category_code: Mapped[str] = mapped_column(ForeignKey("categories.code"))
    format: Mapped[str] = mapped_column(String(16))
    file_name: Mapped[str] = mapped_column(String(255))
    domain_count: Mapped[int]
    url_count: Mapped[int]
    bad_lines: Mapped[int]
    imported_at: Mapped[Timestamp]

    __table_args__ = (UniqueConstraint("location", "category_code", name="location_category"),)


class RequestLog(Base):
    """One row per request a child's browser made through the filter.

    Only what a parent needs: no query string, no headers, no client address.
    """

    __tablename__ = "request_log"

    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True)
    time: Mapped[datetime] = mapped_column(UTCDateTime())
    profile_id: Mapped[int | None] = mapped_column(ForeignKey("profiles.id", ondelete="SET NULL"))
    host: Mapped[str] = mapped_column(String(253))
    path: Mapped[str] = mapped_column(String(2048))
    method: Mapped[str] = mapped_column(String(16))
    status: Mapped[int | None]
    decision: Mapped[str] = mapped_column(String(8))
    reason: Mapped[str] = mapped_column(String(32))
    category: Mapped[str | None] = mapped_column(String(32))
    bytes: Mapped[int] = mapped_column(BigInteger, default=0)
    # Words searched for on a search engine, with the child's own details removed.
    search: Mapped[str | None] = mapped_column(String(300))

    __table_args__ = (
        Index("ix_request_log_profile_time", "profile_id", "time"),
        Index("ix_request_log_time", "time"),
    )


class Setting(Base):
    """Household-wide settings the app and the filter share (not UI preferences)."""

    __tablename__ = "settings"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(String(4096))
    changed_at: Mapped[Timestamp]


class Budget(Base):
    """A daily time budget: in total, for a category, for one site, or for each site of a category.

    `scope` "total" has key ""; "category" a category code; "site" a
    registrable domain; "each_site" a category code (the per-game cap of
    Decree 147/2024 is `each_site` on `games`).
    """

    __tablename__ = "budgets"

    id: Mapped[IntPK]
    profile_id: Mapped[ProfileRef]
    scope: Mapped[str] = mapped_column(String(16))
    key: Mapped[str] = mapped_column(String(253), default="")
    minutes: Mapped[int]

    __table_args__ = (
        UniqueConstraint("profile_id", "scope", "key", name="uq_budgets_target"),
        CheckConstraint("scope IN ('total', 'category', 'site', 'each_site')", name="scope"),
        CheckConstraint("minutes >= 0 AND minutes <= 1440", name="minutes"),
    )


class TotalBudgetChange(Base):
    """The total daily budget from a local day on, so a past week is read against its own.

    One row per day it changed (the last change of a day stands for that
    day); `minutes` None: no total budget from then on.
    """

    __tablename__ = "total_budget_changes"

    profile_id: Mapped[int] = mapped_column(ForeignKey("profiles.id", ondelete="CASCADE"),
                                            primary_key=True)
    day: Mapped[str] = mapped_column(String(10), primary_key=True)  # YYYY-MM-DD, local
    minutes: Mapped[int | None]


class AllowedHours(Base):
    """A range of allowed local time on one weekday (0 = Monday); end < start crosses midnight."""

    __tablename__ = "allowed_hours"

    id: Mapped[IntPK]
    profile_id: Mapped[ProfileRef]
    weekday: Mapped[int]
    start_minute: Mapped[int]
    end_minute: Mapped[int]

    __table_args__ = (
        CheckConstraint("weekday BETWEEN 0 AND 6", name="weekday"),
        CheckConstraint("start_minute BETWEEN 0 AND 1439 AND end_minute BETWEEN 0 AND 1440",
                        name="minutes"),
    )


class TimeGrant(Base):
    """Extra time for one local day; `minutes` None means no limit for the rest of that day."""

    __tablename__ = "time_grants"

    id: Mapped[IntPK]
    profile_id: Mapped[ProfileRef]
    day: Mapped[str] = mapped_column(String(10))  # local date, ISO
    scope: Mapped[str] = mapped_column(String(16))  # "total" | "category" | "site" | "hours"
    key: Mapped[str] = mapped_column(String(253), default="")
    minutes: Mapped[int | None]
    created_at: Mapped[Timestamp]

    __table_args__ = (Index("ix_time_grants_profile_day", "profile_id", "day"),)


class ActiveMinute(Base):
    """One minute in which a child was active on a site: the unit of screen time.

    A minute counts once per site (the primary key), once per category and
    once in total however many requests it held; `minute` is UTC.
    """

    __tablename__ = "active_minutes"

    profile_id: Mapped[int] = mapped_column(
        ForeignKey("profiles.id", ondelete="CASCADE"), primary_key=True
    )
    minute: Mapped[datetime] = mapped_column(UTCDateTime(), primary_key=True)
    site: Mapped[str] = mapped_column(String(253), primary_key=True)
    category: Mapped[str | None] = mapped_column(String(32))

    __table_args__ = (Index("ix_active_minutes_minute", "minute"),)


class AccessRequest(Base):
    """A child's "ask a parent": for a site, or for more time."""

    __tablename__ = "access_requests"

    id: Mapped[IntPK]
    profile_id: Mapped[ProfileRef]
    kind: Mapped[str] = mapped_column(String(8))  # "site" | "time"
    host: Mapped[str] = mapped_column(String(253), default="")
    path: Mapped[str] = mapped_column(String(2048), default="")
    scope: Mapped[str] = mapped_column(String(16), default="")  # for time: the limit hit
    key: Mapped[str] = mapped_column(String(253), default="")
    category: Mapped[str | None] = mapped_column(String(32))
    message: Mapped[str] = mapped_column(String(500), default="")
    nonce: Mapped[str] = mapped_column(String(64), unique=True)
    status: Mapped[str] = mapped_column(String(10), default="pending")
    answer: Mapped[str | None] = mapped_column(String(16))  # "15m", "60m", "today", "always"
    created_at: Mapped[Timestamp]
    answered_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    __table_args__ = (
        CheckConstraint("kind IN ('site', 'time')", name="kind"),
        CheckConstraint("status IN ('pending', 'approved', 'denied')", name="status"),
        Index("ix_access_requests_status", "status"),
    )


class Report(Base):
    """A child's "report this page" (GEN-6, CHILD-6): what, when, and their note."""

    __tablename__ = "reports"

    id: Mapped[IntPK]
    profile_id: Mapped[int | None] = mapped_column(ForeignKey("profiles.id", ondelete="SET NULL"))
    host: Mapped[str] = mapped_column(String(253))
    path: Mapped[str] = mapped_column(String(2048), default="")  # no query string
    category: Mapped[str | None] = mapped_column(String(32))
    note: Mapped[str] = mapped_column(String(500), default="")
    nonce: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[Timestamp]


class ProfileDetails(Base):
    """A child's own details, recorded by the parent so the filter can warn before they are sent.

    Kept in the household's database only; never written to the request log.
    """

    __tablename__ = "profile_details"

    profile_id: Mapped[int] = mapped_column(
        ForeignKey("profiles.id", ondelete="CASCADE"), primary_key=True
    )
    full_name: Mapped[str] = mapped_column(String(200), default="")
    phone: Mapped[str] = mapped_column(String(40), default="")
    address: Mapped[str] = mapped_column(String(300), default="")
    school: Mapped[str] = mapped_column(String(200), default="")
    id_number: Mapped[str] = mapped_column(String(20), default="")


# Daily rollups for the weekly summary: kept up to date by
# `guardian.storage.rollups` in the transaction that writes the raw rows, and
# kept longer than the raw rows (see `guardian.storage.retention`). `day` is
# the household's local date (ISO) and `hour` its local hour when the row was
# written. Key columns use "" for "none", since a primary key cannot hold NULL.
RollupDay = Annotated[str, mapped_column(String(10), primary_key=True)]
RollupProfile = Annotated[int, mapped_column(
    ForeignKey("profiles.id", ondelete="CASCADE"), primary_key=True)]


class DailySiteUsage(Base):
    """Per child, local day and site: active minutes, visits, requests, blocks, bytes.

    A visit is a run of consecutive active minutes on the site, counted on
    the day it started; `category` is the last one seen for the site.
    """

    __tablename__ = "daily_site_usage"

    profile_id: Mapped[RollupProfile]
    day: Mapped[RollupDay]
    site: Mapped[str] = mapped_column(String(253), primary_key=True)
    category: Mapped[str | None] = mapped_column(String(32))
    minutes: Mapped[int] = mapped_column(default=0)
    visits: Mapped[int] = mapped_column(default=0)
    requests: Mapped[int] = mapped_column(default=0)
    blocked: Mapped[int] = mapped_column(default=0)
    bytes: Mapped[int] = mapped_column(BigInteger, default=0)


class HourlyMinutes(Base):
    """Per child, local day and hour: active minutes in all and per category.

    A minute counts once however many sites it held, as in `active_minutes`;
    category "" counts every site, "-" the sites of no category.
    """

    __tablename__ = "hourly_minutes"

    profile_id: Mapped[RollupProfile]
    day: Mapped[RollupDay]
    hour: Mapped[int] = mapped_column(primary_key=True)
    category: Mapped[str] = mapped_column(String(32), primary_key=True)  # "": all, "-": none
    minutes: Mapped[int] = mapped_column(default=0)

    __table_args__ = (CheckConstraint("hour BETWEEN 0 AND 23", name="hour"),)


class DailyBlocks(Base):
    """Per child, local day, reason, category ("" = none) and site: blocked requests."""

    __tablename__ = "daily_blocks"

    profile_id: Mapped[RollupProfile]
    day: Mapped[RollupDay]
    reason: Mapped[str] = mapped_column(String(32), primary_key=True)
    category: Mapped[str] = mapped_column(String(32), primary_key=True)
    site: Mapped[str] = mapped_column(String(253), primary_key=True)
    count: Mapped[int] = mapped_column(default=0)
    first_at: Mapped[datetime] = mapped_column(UTCDateTime())
    last_at: Mapped[datetime] = mapped_column(UTCDateTime())


class DailySearches(Base):
    """Per child, local day and search terms: how often, how often blocked, when last."""

    __tablename__ = "daily_searches"

    profile_id: Mapped[RollupProfile]
    day: Mapped[RollupDay]
    term: Mapped[str] = mapped_column(String(300), primary_key=True)
    count: Mapped[int] = mapped_column(default=0)
    blocked: Mapped[int] = mapped_column(default=0)
    last_at: Mapped[datetime] = mapped_column(UTCDateTime())


class FilterInstance(Base):
    """A `guardian proxy` process sharing this database: who it is and when it was last seen.

    One row per machine name and listening address; a filter started again
    takes its row back. `last_seen` is the database server's clock, so that
    machines whose clocks differ are judged alike; `problem` is why the filter
    is blocking children (the policy or the log cannot be read or written),
    None while it filters normally.
    """

    __tablename__ = "filters"

    id: Mapped[IntPK]
    name: Mapped[str] = mapped_column(String(64))
    address: Mapped[str] = mapped_column(String(255))
    version: Mapped[str] = mapped_column(String(32))
    started_at: Mapped[datetime] = mapped_column(UTCDateTime())
    last_seen: Mapped[datetime] = mapped_column(UTCDateTime())
    stopped_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    problem: Mapped[str | None] = mapped_column(String(300))

    __table_args__ = (UniqueConstraint("name", "address", name="uq_filters_name_address"),)
