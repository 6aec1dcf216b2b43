"""The parent app's database work, as a separate process: `python -m tests.reliability.app_writer`.

It writes and reads through Guardian's own data functions in a loop, the way
the app does (one session per user action): add a rule, read the newest log
page and today's counts, remove the rule. Every exception is caught and
reported, so a test can run it beside a busy proxy and check that neither
side ever meets "database is locked".

Prints one JSON object: {"operations": N, "errors": ["Type: message", ...]}.
"""

from __future__ import annotations

import argparse
import json
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from sqlalchemy.orm import Session

from guardian.storage.activity import ActivityQuery, activity_page, counts_since, recent_activity
from guardian.storage.database import open_database
from guardian.storage.profiles import add_rule, find_profile, remove_rule


def one_round(number: int, profile_name: str) -> list[Callable[[Session], object]]:
    """What a parent does in the app: add a rule, look at the log, take the rule away."""
    target = f"app-writer-{number}.example"
    return [
        lambda s: add_rule(s, find_profile(s, profile_name), "block", target),
        lambda s: recent_activity(s, limit=50),
        lambda s: activity_page(s, ActivityQuery(), limit=200),
        lambda s: counts_since(s, datetime.now(UTC) - timedelta(days=1)),
        lambda s: remove_rule(s, find_profile(s, profile_name), "block", target),
    ]


def work(database_url: str, seconds: float, profile_name: str) -> dict[str, object]:
    database = open_database(database_url)
    errors: list[str] = []
    operations = 0
    deadline = time.monotonic() + seconds
    number = 0
    try:
        while time.monotonic() < deadline:
            number += 1
            for step in one_round(number, profile_name):
                try:
                    with database.begin() as session:  # one session per user action
                        step(session)
                    operations += 1
                except Exception as exc:  # report everything: that is the point
                    errors.append(f"{type(exc).__name__}: {exc}")
    finally:
        database.close()
    return {"operations": operations, "errors": errors}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("database_url")
    parser.add_argument("seconds", type=float)
    parser.add_argument("--profile", default="An")
    args = parser.parse_args()
    print(json.dumps(work(args.database_url, args.seconds, args.profile)))


if __name__ == "__main__":
    main()
