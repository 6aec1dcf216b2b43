"""A school: two real filters, one PostgreSQL database, one policy, one log.

Two `guardian proxy` processes (machines room-a-pc1 and room-a-pc2), each with
its own data folder and certificate, share one database on a real PostgreSQL
server. The profile "Room A" is attributed to both machines, so a rule the
administrator adds once applies on both PCs, and both PCs' requests arrive in
the one log under Room A (not under the default profile, which would take
them if the machine attribution did not work).
"""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest

from tests.proxy_harness import GuardianProxy, Upstream, fetch, wait_until
from tests.proxy_harness import guardian_cli as ok

pytestmark = [pytest.mark.e2e, pytest.mark.postgres]

MACHINES = ("room-a-pc1", "room-a-pc2")


def admin(folder: Path, url: str, *args: str) -> str:
    """`guardian ARGS` as the school's administrator runs it, against the shared database."""
    return ok(folder, "--database-url", url, *args)


def filters(folder: Path, url: str) -> dict[str, dict]:
    return {entry["name"]: entry for entry in json.loads(admin(folder, url, "filters", "--json"))}


@pytest.fixture
def school(tmp_path, postgres_url):  # type: ignore[no-untyped-def]
    admin_dir = tmp_path / "admin"
    admin(admin_dir, postgres_url, "profile", "add", "Guests", "--age", "15", "--default")
    admin(admin_dir, postgres_url, "profile", "add", "Room A", "--age", "10",
          "--language", "en", "--machine", MACHINES[0])
    admin(admin_dir, postgres_url, "profile", "attach", "Room A", "--machine", MACHINES[1])
    proxies = [GuardianProxy(tmp_path / machine, database_url=postgres_url,
                             machine_name=machine, log_dir=tmp_path)
               for machine in MACHINES]
    with Upstream() as web:
        try:
            for proxy in proxies:
                proxy.start()
            yield admin_dir, postgres_url, proxies, web
        finally:
            for proxy in proxies:
                proxy.stop()


def test_two_filters_share_one_policy_and_one_log(school) -> None:  # type: ignore[no-untyped-def]
    admin_dir, url, proxies, web = school
    registered = wait_until(lambda: (lambda f: f if set(f) == set(MACHINES) and all(
        e["health"] == "ok" for e in f.values()) else None)(filters(admin_dir, url)), timeout=15)
    assert {e["address"] for e in registered.values()} == {f"127.0.0.1:{p.port}"
                                                           for p in proxies}
    for proxy in proxies:
        assert fetch(proxy.port, f"http://localhost:{web.port}/games/level1").status == 200

    admin(admin_dir, url, "rule", "add", "Room A", "block", "localhost/games")
    added = time.monotonic()
    took = {}
    for proxy in proxies:
        wait_until(lambda p=proxy: fetch(p.port, f"http://localhost:{web.port}/games/level2")
                   .status == 403, timeout=5, interval=0.05)
        took[proxy.machine_name] = time.monotonic() - added
    print(f"rule reached the filters after {took} s")
    assert max(took.values()) <= 2.0, f"the rule took {took} s to reach the filters"
    assert fetch(proxies[0].port, f"http://localhost:{web.port}/lessons").status == 200

    def logged() -> list[dict]:
        rows = json.loads(admin(admin_dir, url, "activity", "--json", "--limit", "1000"))
        return rows if sum(r["path"] == "/games/level1" for r in rows) == 2 else []

    rows = wait_until(logged, timeout=10)
    assert {r["profile"] for r in rows} == {"Room A"}  # the machine decided, not the default
    assert sum(r["path"] == "/games/level2" and r["decision"] == "block" for r in rows) >= 2
    assert sum(r["path"] == "/lessons" for r in rows) == 1


def test_a_machine_detached_goes_to_the_default_and_a_stopped_filter_says_so(school) -> None:  # type: ignore[no-untyped-def]
    admin_dir, url, proxies, web = school
    admin(admin_dir, url, "rule", "add", "Room A", "block", "localhost/games")
    wait_until(lambda: fetch(proxies[1].port, f"http://localhost:{web.port}/games/x")
               .status == 403, timeout=5)
    admin(admin_dir, url, "profile", "detach", "Room A", "--machine", MACHINES[1])
    # pc2's traffic is the default profile's now (no rule there); pc1 is still Room A's.
    wait_until(lambda: fetch(proxies[1].port, f"http://localhost:{web.port}/games/x")
               .status == 200, timeout=3)
    assert fetch(proxies[0].port, f"http://localhost:{web.port}/games/x").status == 403
    assert proxies[1].stop() == 0
    assert filters(admin_dir, url)[MACHINES[1]]["health"] == "stopped"
    assert filters(admin_dir, url)[MACHINES[0]]["health"] == "ok"


def test_an_unreachable_database_fails_closed_with_one_clear_reason(tmp_path) -> None:  # type: ignore[no-untyped-def]
    url = "postgresql+psycopg://guardian:s3cret@127.0.0.1:1/guardian"
    with Upstream() as web, GuardianProxy(tmp_path / "pc", database_url=url,
                                          machine_name="pc") as proxy:
        reply = fetch(proxy.port, f"http://localhost:{web.port}/page")
        assert reply.status == 503 and web.total == 0  # "filter unavailable", site not contacted
        log = proxy.log()
    assert "cannot open the database (127.0.0.1:1/guardian)" in log
    assert "s3cret" not in log
