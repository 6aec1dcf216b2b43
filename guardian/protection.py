"""A child's safe-search settings and own details, read and written as plain data.

The parent app's Rules page and `guardian safesearch` / `guardian profile
details` change the same columns. Details are stored in the household's
database only (never in the request log, never sent anywhere); what the app
shows of them is `masked()`.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

from guardian.errors import UsageError
from guardian.storage.models import ProfileDetails
from guardian.storage.policy_version import bump_policy_version
from guardian.storage.profiles import get_profile

DETAIL_FIELDS = ("full_name", "phone", "address", "school", "id_number")
NUMBER_FIELDS = ("phone", "id_number")
MIN_DIGITS = 8
YOUTUBE_MODES = ("strict", "moderate", "off")
UNSAFE_SEARCH_MODES = ("block", "flag")
# The database columns' sizes (guardian.storage.models.ProfileDetails).
MAX_LENGTHS = {"full_name": 200, "phone": 40, "address": 300, "school": 200, "id_number": 20}


@dataclass(frozen=True, slots=True)
class SafeSearch:
    enabled: bool
    youtube: str  # one of YOUTUBE_MODES
    unsafe_search: str  # one of UNSAFE_SEARCH_MODES: engines that cannot be made safe
    signup_needs_parent: bool  # a social network's sign-up page asks a parent first


@dataclass(frozen=True, slots=True)
class Details:
    full_name: str = ""
    phone: str = ""
    address: str = ""
    school: str = ""
    id_number: str = ""
    send_anyway: bool = False

    def value(self, field: str) -> str:
        return str(getattr(self, field))

    @property
    def recorded(self) -> tuple[str, ...]:
        return tuple(field for field in DETAIL_FIELDS if self.value(field))


@dataclass(frozen=True, slots=True)
class Protection:
    safe_search: SafeSearch
    details: Details


class DetailProblem(UsageError):
    """A detail the guard cannot use; `field` and `problem` ("too_long", "digits") say which."""

    code = "detail_problem"

    def __init__(self, field: str, problem: str) -> None:
        words = {"too_long": "is too long", "digits": f"needs at least {MIN_DIGITS} digits"}
        super().__init__(f"{field.replace('_', ' ')} {words[problem]}")
        self.field, self.problem = field, problem


def load_protection(session: Session, profile_id: int) -> Protection:
    profile = get_profile(session, profile_id)
    row = session.get(ProfileDetails, profile.id)
    values = {field: getattr(row, field) or "" for field in DETAIL_FIELDS} if row else {}
    return Protection(
        SafeSearch(profile.safe_search, profile.youtube, profile.unsafe_search,
                   profile.social_signup),
        Details(**values, send_anyway=profile.details_send_anyway),
    )


def save_safe_search(session: Session, profile_id: int, settings: SafeSearch) -> None:
    if settings.youtube not in YOUTUBE_MODES:
        raise UsageError(f"YouTube Restricted Mode is one of {', '.join(YOUTUBE_MODES)}")
    if settings.unsafe_search not in UNSAFE_SEARCH_MODES:
        raise UsageError(f"unsafe search engines are {' or '.join(UNSAFE_SEARCH_MODES)}ed")
    profile = get_profile(session, profile_id)
    profile.safe_search = settings.enabled
    profile.youtube = settings.youtube
    profile.unsafe_search = settings.unsafe_search
    profile.social_signup = settings.signup_needs_parent
    bump_policy_version(session)


def check_detail(field: str, value: str) -> str:
    """The value as stored, or a `DetailProblem`."""
    value = value.strip()
    if len(value) > MAX_LENGTHS[field]:
        raise DetailProblem(field, "too_long")
    if value and field in NUMBER_FIELDS and sum(c.isdigit() for c in value) < MIN_DIGITS:
        raise DetailProblem(field, "digits")
    return value


def save_details(session: Session, profile_id: int, details: Details) -> Details:
    """Replace the child's details (an empty field forgets that one); what is now stored."""
    values = {field: check_detail(field, details.value(field)) for field in DETAIL_FIELDS}
    profile = get_profile(session, profile_id)
    row = session.get(ProfileDetails, profile.id)
    if row is None:
        row = ProfileDetails(profile_id=profile.id, **dict.fromkeys(DETAIL_FIELDS, ""))
        session.add(row)
    for field, value in values.items():
        setattr(row, field, value)
    profile.details_send_anyway = details.send_anyway
    bump_policy_version(session)
    return Details(**values, send_anyway=details.send_anyway)


def masked(value: str, shown: int = 2) -> str:
    """A detail for a screen others may see: the last `shown` characters, the rest as dots."""
    value = value.strip()
    if not value:
        return ""
    if len(value) <= shown + 1:
        return "•" * len(value)
    return "•" * min(len(value) - shown, 12) + value[-shown:]
