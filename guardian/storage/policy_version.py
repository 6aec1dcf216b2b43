"""The policy version: a counter every change to the household policy bumps.

Filters poll it (one tiny query a second) and reload the policy when it moves,
so a change made in any process reaches every filter without a restart.
"""

from __future__ import annotations

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from guardian.storage.models import PolicyState, utcnow


def bump_policy_version(session: Session) -> None:
    """Mark the policy changed; call in the same transaction as the change."""
    session.execute(
        update(PolicyState)
        .where(PolicyState.id == 1)
        .values(version=PolicyState.version + 1, changed_at=utcnow())
    )


def policy_version(session: Session) -> int:
    return session.scalars(select(PolicyState.version).where(PolicyState.id == 1)).one()
