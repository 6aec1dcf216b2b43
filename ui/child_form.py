"""A child's profile as the parent fills it in, and storing it in one transaction."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

from guardian.storage.profiles import (
    ProfileSummary,
    add_profile,
    get_profile,
    replace_attributions,
    summarize_profile,
    update_profile,
)

FIRST_CHILD_PORT = 8081


@dataclass(frozen=True, slots=True)
class ChildForm:
    name: str
    age: int
    language: str
    ports: tuple[int, ...] = ()
    clients: tuple[str, ...] = ()
    default: bool = False
    reset_categories: bool = False  # when editing: apply the preset of the age again

    @property
    def reachable(self) -> bool:
        return bool(self.ports or self.clients or self.default)


def store_child(session: Session, form: ChildForm, profile_id: int | None = None) -> ProfileSummary:
    """Add a child (with their age's preset) or change one; the policy version moves."""
    if profile_id is None:
        profile = add_profile(session, form.name, form.age, form.language, default=form.default)
    else:
        profile = get_profile(session, profile_id)
        update_profile(session, profile, name=form.name, age=form.age, language=form.language,
                       default=form.default, reset_categories=form.reset_categories)
    replace_attributions(session, profile, ports=form.ports, clients=form.clients)
    return summarize_profile(profile)


def suggest_port(taken: set[int], listen_port: int) -> int:
    """The first free port from 8081 on, avoiding the filter's own and other children's."""
    port = FIRST_CHILD_PORT
    while port in taken or port == listen_port:
        port += 1
    return port
