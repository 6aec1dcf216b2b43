"""The real `guardian proxy` on loopback, a real upstream, a real client: HTTP and HTTPS."""

from __future__ import annotations

import json
import shutil
import time
from pathlib import Path

import pytest

from tests.proxy_harness import (
    GuardianProxy,
    TestCA,
    Upstream,
    fetch,
    free_port,
    wait_for_port,
    wait_until,
)
from tests.proxy_harness import (
    guardian_cli as ok,
)

pytestmark = pytest.mark.e2e


def activity(data_dir: Path, *args: str) -> list[dict]:
    return json.loads(ok(data_dir, "activity", "--json", "--limit", "1000", *args))



@pytest.fixture(scope="module")
def upstream_ca(tmp_path_factory) -> TestCA:  # type: ignore[no-untyped-def]
    return TestCA(tmp_path_factory.mktemp("upstream-ca"))


@pytest.fixture(scope="module")
def web(upstream_ca):  # type: ignore[no-untyped-def]
    with Upstream() as plain, Upstream(tls_cert=upstream_ca.cert_path) as secure:
        yield plain, secure


@pytest.fixture(scope="module")
def household(tmp_path_factory, upstream_ca):  # type: ignore[no-untyped-def]
    """An (age 9, Vietnamese) is the default profile; Bình (15, English) has her own port."""
    root = tmp_path_factory.mktemp("household")
    data_dir = root / "data"
    binh_port = free_port()
    ok(data_dir, "profile", "add", "An", "--age", "9", "--language", "vi", "--default")
    ok(data_dir, "profile", "add", "Bình", "--age", "15", "--language", "en",
       "--port", str(binh_port))
    domains = root / "gambling.txt"
    domains.write_text("# casinos\ncasino.example\nnot a domain!\n")
    ok(data_dir, "lists", "import", str(domains), "--category", "gambling")
    adblock = root / "gambling-abp.txt"
    adblock.write_text("[Adblock Plus 2.0]\n! poker\n||poker.example^\n##.ad-banner\n")
    ok(data_dir, "lists", "import", str(adblock), "--category", "gambling")
    ok(data_dir, "rule", "add", "An", "block", "blocked.example")
    ok(data_dir, "rule", "add", "An", "block", "localhost/private")
    with GuardianProxy(data_dir, upstream_ca=upstream_ca.ca_path) as proxy:
        wait_for_port(binh_port)
        yield proxy, binh_port


def test_allowed_http_reaches_the_upstream(household, web) -> None:  # type: ignore[no-untyped-def]
    (proxy, _), (plain, _) = household, web
    reply = fetch(proxy.port, f"http://localhost:{plain.port}/lesson?id=7")
    assert reply.status == 200 and b"upstream page" in reply.body
    assert plain.hits["/lesson?id=7"] == 1


def test_blocked_http_gets_the_childs_page_and_upstream_is_not_contacted(household, web) -> None:  # type: ignore[no-untyped-def]
    (proxy, _), (plain, _) = household, web
    before = plain.total
    reply = fetch(proxy.port, f"http://localhost:{plain.port}/private/diary")
    assert reply.status == 403
    assert reply.headers["content-type"].startswith("text/html")
    assert 'lang="vi"' in reply.text and "localhost" in reply.text
    assert "default-src 'none'" in reply.headers["content-security-policy"]
    assert plain.total == before


def test_blocked_https_gets_the_page_over_tls_signed_by_guardians_ca(household) -> None:  # type: ignore[no-untyped-def]
    proxy, _ = household
    # blocked.example does not exist: the page proves no upstream was needed.
    reply = fetch(proxy.port, "https://blocked.example/anything?q=1", ca=proxy.ca_cert)
    assert reply.status == 403 and 'lang="vi"' in reply.text
    assert "blocked.example" in reply.text


def test_allowed_https_is_intercepted_and_passed(household, web) -> None:  # type: ignore[no-untyped-def]
    (proxy, _), (_, secure) = household, web
    reply = fetch(proxy.port, f"https://localhost:{secure.port}/maths", ca=proxy.ca_cert)
    assert reply.status == 200 and b"upstream page" in reply.body
    assert secure.hits["/maths"] == 1


@pytest.mark.parametrize("scheme", ["http", "https"])
@pytest.mark.parametrize("host", ["casino.example", "WWW.Casino.Example.", "poker.example"])
def test_category_lists_block_every_spelling(household, scheme, host) -> None:  # type: ignore[no-untyped-def]
    proxy, _ = household
    reply = fetch(proxy.port, f"{scheme}://{host}/", ca=proxy.ca_cert)
    assert reply.status == 403
    assert "cờ bạc" in reply.text.lower()  # the category in plain Vietnamese


def test_port_attribution_uses_that_childs_policy_and_language(household, web) -> None:  # type: ignore[no-untyped-def]
    (_, binh_port), (plain, _) = household, web
    reply = fetch(binh_port, f"http://localhost:{plain.port}/private/diary")
    assert reply.status == 200  # An's rule is not Bình's
    blocked = fetch(binh_port, "http://casino.example/")
    assert blocked.status == 403 and 'lang="en"' in blocked.text
    assert "gambling" in blocked.text.lower()


def test_requests_that_are_not_pages_get_small_fitting_answers(household) -> None:  # type: ignore[no-untyped-def]
    proxy, _ = household
    image = fetch(proxy.port, "http://casino.example/logo.png",
                  headers={"Accept": "image/avif,image/webp,*/*", "Sec-Fetch-Dest": "image"})
    assert image.status == 403 and image.headers["content-type"].startswith("image/")
    assert len(image.body) < 200
    api = fetch(proxy.port, "http://casino.example/api",
                headers={"Accept": "application/json", "Sec-Fetch-Dest": "empty"})
    assert api.headers["content-type"].startswith("application/json")
    assert json.loads(api.body)["blocked"] is True


def test_a_host_header_cannot_smuggle_a_blocked_site(household, web) -> None:  # type: ignore[no-untyped-def]
    (proxy, _), (plain, _) = household, web
    reply = fetch(proxy.port, f"http://localhost:{plain.port}/",
                  headers={"Host": "casino.example"})
    assert reply.status == 403


def test_every_request_is_logged_without_query_strings(household, web) -> None:  # type: ignore[no-untyped-def]
    (proxy, _), (plain, _) = household, web
    fetch(proxy.port, f"http://localhost:{plain.port}/logged?secret=token123")
    fetch(proxy.port, "http://casino.example/table?bet=5")

    def rows():  # type: ignore[no-untyped-def]
        found = activity(proxy.data_dir, "--profile", "An")
        paths = {(r["host"], r["path"]) for r in found}
        return found if {("localhost", "/logged"), ("casino.example", "/table")} <= paths else None

    found = wait_until(rows, timeout=5)
    allowed = next(r for r in found if r["path"] == "/logged")
    assert allowed["decision"] == "allow" and allowed["status"] == 200
    assert allowed["bytes"] > 2000 and allowed["method"] == "GET"
    blocked = next(r for r in found if r["path"] == "/table")
    assert (blocked["decision"], blocked["reason"], blocked["category"]) == (
        "block", "category", "gambling")
    assert "token123" not in json.dumps(found) and "bet=5" not in json.dumps(found)


def test_a_change_from_another_process_applies_within_two_seconds(household, web) -> None:  # type: ignore[no-untyped-def]
    (proxy, _), (plain, _) = household, web
    url = f"http://localhost:{plain.port}/homework"
    assert fetch(proxy.port, url).status == 200
    ok(proxy.data_dir, "rule", "add", "An", "block", "localhost/homework")
    changed = time.monotonic()
    wait_until(lambda: fetch(proxy.port, url).status == 403, timeout=2.5)
    assert time.monotonic() - changed <= 2.5
    ok(proxy.data_dir, "rule", "remove", "An", "block", "localhost/homework")
    wait_until(lambda: fetch(proxy.port, url).status == 200, timeout=2.5)


def test_a_new_childs_port_opens_without_a_restart(household) -> None:  # type: ignore[no-untyped-def]
    proxy, _ = household
    port = free_port()
    ok(proxy.data_dir, "profile", "add", "Cúc", "--age", "6", "--port", str(port))
    wait_for_port(port, timeout=3)
    assert fetch(port, "http://casino.example/").status == 403


def test_unassigned_devices_are_refused_when_there_is_no_default(tmp_path, web) -> None:  # type: ignore[no-untyped-def]
    plain, _ = web
    data_dir = tmp_path / "data"
    ok(data_dir, "profile", "add", "An", "--age", "9", "--port", str(free_port()))
    with GuardianProxy(data_dir) as proxy:
        reply = fetch(proxy.port, f"http://localhost:{plain.port}/",
                      headers={"Accept-Language": "en-GB,en;q=0.9"})
    assert reply.status == 403 and 'lang="en"' in reply.text


def test_client_address_attribution(tmp_path, web) -> None:  # type: ignore[no-untyped-def]
    plain, _ = web
    data_dir = tmp_path / "data"
    ok(data_dir, "profile", "add", "Dung", "--age", "12", "--client", "127.0.0.2")
    ok(data_dir, "rule", "add", "Dung", "block", "localhost")
    with GuardianProxy(data_dir) as proxy:
        from_dung = fetch(proxy.port, f"http://localhost:{plain.port}/",
                          source_address="127.0.0.2")
        from_elsewhere = fetch(proxy.port, f"http://localhost:{plain.port}/",
                               source_address="127.0.0.3")
    assert from_dung.status == 403 and "localhost" in from_dung.text
    assert from_elsewhere.status == 403  # not assigned: no default profile
    assert from_dung.text != from_elsewhere.text


def test_log_is_flushed_on_shutdown(tmp_path, web) -> None:  # type: ignore[no-untyped-def]
    plain, _ = web
    data_dir = tmp_path / "data"
    ok(data_dir, "profile", "add", "An", "--age", "9", "--default")
    proxy = GuardianProxy(data_dir, extra_args=()).start()
    for i in range(30):
        fetch(proxy.port, f"http://localhost:{plain.port}/page{i}")
    assert proxy.stop() == 0
    paths = {r["path"] for r in activity(data_dir)}
    assert {f"/page{i}" for i in range(30)} <= paths


def test_fails_closed_while_the_database_is_broken_and_recovers(tmp_path, web) -> None:  # type: ignore[no-untyped-def]
    plain, _ = web
    data_dir = tmp_path / "data"
    ok(data_dir, "profile", "add", "An", "--age", "9", "--default")
    database = data_dir / "guardian.db"
    good = tmp_path / "good.db"
    shutil.copy(database, good)
    database.write_bytes(b"garbage, not SQLite" * 1000)
    for suffix in ("-wal", "-shm"):
        Path(f"{database}{suffix}").unlink(missing_ok=True)
    with GuardianProxy(data_dir) as proxy:
        broken = fetch(proxy.port, f"http://localhost:{plain.port}/")
        assert broken.status == 503 and 'lang="vi"' in broken.text
        assert str(tmp_path) not in broken.text
        health = json.loads(fetch(proxy.port, "http://guardian.home.arpa/health").body)
        assert (health["ok"], health["error"]) == (False, "policy_unavailable")
        before = plain.total
        assert fetch(proxy.port, f"http://localhost:{plain.port}/x").status == 503
        assert plain.total == before
        shutil.copy(good, database)
        wait_until(lambda: fetch(proxy.port, f"http://localhost:{plain.port}/back").status == 200,
                   timeout=5)
    assert "cannot be loaded" in proxy.log()


def test_fails_closed_when_the_data_folder_cannot_be_created(tmp_path, web) -> None:  # type: ignore[no-untyped-def]
    plain, _ = web
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the data folder should be")
    with GuardianProxy(blocker / "data", log_dir=tmp_path) as proxy:
        reply = fetch(proxy.port, f"http://localhost:{plain.port}/")
    assert reply.status == 503
    assert "cannot create Guardian's data folder" in proxy.log()
    assert blocker.read_text() == "a file where the data folder should be"


def test_an_index_written_by_another_version_is_compiled_again_at_start(tmp_path: Path) -> None:
    from guardian.datadir import resolve_data_dir
    from guardian.domain_index import DomainIndex

    data_dir = tmp_path / "data"
    ok(data_dir, "profile", "add", "An", "--age", "9", "--default")
    listed = tmp_path / "gambling.txt"
    listed.write_text("casino.example\n")
    ok(data_dir, "lists", "import", str(listed), "--category", "gambling")
    index = resolve_data_dir(data_dir).index_path
    data = index.read_bytes()  # as an older Guardian wrote it: format version 1
    index.write_bytes(data[:8] + (1).to_bytes(4, "little") + data[12:])
    with GuardianProxy(data_dir) as proxy:
        assert fetch(proxy.port, "http://casino.example/").status == 403
    log = proxy.log()
    assert "Compiled the category lists again for this version of Guardian (1 domains" in log
    with DomainIndex.open(index) as current:
        assert len(current) == 1
