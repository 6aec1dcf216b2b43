"""Screen time through the real proxy: a budget runs out, the child asks, the parent answers."""

from __future__ import annotations

import html
import json
import re
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

import pytest

from guardian.storage.database import open_database
from guardian.storage.settings import HOUSEHOLD_TIMEZONE, set_setting
from tests.proxy_harness import GuardianProxy, Upstream, fetch, free_port, wait_until
from tests.proxy_harness import guardian_cli as guardian

pytestmark = pytest.mark.e2e
PORTAL = "http://guardian.home.arpa"




def form_field(page: str, name: str) -> str:
    match = re.search(rf'name="{name}"[^>]*value="([^"]*)"', page)
    assert match, f"no {name} field on the page"
    return html.unescape(match.group(1))


def post_form(port: int, path: str, fields: dict[str, str]):  # type: ignore[no-untyped-def]
    return fetch(port, f"{PORTAL}{path}", method="POST", body=urlencode(fields).encode(),
                 headers={"Content-Type": "application/x-www-form-urlencoded"})


@pytest.fixture
def web():  # type: ignore[no-untyped-def]
    with Upstream() as upstream:
        yield upstream


def test_budget_runs_out_child_asks_parent_approves(tmp_path, web) -> None:  # type: ignore[no-untyped-def]
    data = tmp_path / "data"
    guardian(data, "profile", "add", "Kid", "--age", "10", "--language", "en", "--default")
    guardian(data, "time", "budget", "Kid", "1")
    site = f"http://localhost:{web.port}"
    with GuardianProxy(data) as proxy:
        first = fetch(proxy.port, f"{site}/lesson")
        assert first.status == 200
        assert 'id="guardian-notice"' in first.text  # nearly up: a notice on the page
        assert first.text.index("guardian-notice") < first.text.rindex("</body>")

        up = fetch(proxy.port, f"{site}/next")
        assert up.status == 403 and web.hits["/next"] == 0
        assert "1 of 1" in up.text or "1/1" in up.text  # used against allowed
        token = form_field(up.text, "token")
        assert form_field(up.text, "kind") == "time"

        asked = post_form(proxy.port, "/ask", {"token": token, "message": "homework <b>!"})
        assert asked.status == 303
        status_path = asked.headers["location"]
        pending = fetch(proxy.port, f"{PORTAL}{status_path}")
        assert pending.status == 200 and 'http-equiv="refresh"' in pending.text

        replay = post_form(proxy.port, "/ask", {"token": token, "message": "again"})
        assert replay.status == 400
        forged = post_form(proxy.port, "/ask", {"token": token[:-3] + "AAA", "message": "x"})
        assert forged.status == 400

        requests = json.loads(guardian(data, "requests", "list", "--json"))
        assert len(requests) == 1 and requests[0]["message"] == "homework <b>!"
        assert requests[0]["limit"] == "total"

        guardian(data, "requests", "approve", str(requests[0]["id"]), "--minutes", "15")
        approved_at = time.monotonic()
        wait_until(lambda: fetch(proxy.port, f"{site}/next").status == 200, timeout=2.5)
        assert time.monotonic() - approved_at <= 2.5
        done = fetch(proxy.port, f"{PORTAL}{status_path}")
        assert "refresh" not in done.text and "15" in done.text


def household_at_ten(data: Path) -> ZoneInfo:
    """Make the household's zone one where it is now 10:xx, so a window two hours on is today."""
    offset = (10 - datetime.now(UTC).hour + 12) % 24 - 12  # UTC-12 .. UTC+11
    zone = ZoneInfo(f"Etc/GMT{-offset:+d}" if offset else "Etc/GMT")  # Etc/GMT-7 is UTC+7
    db = open_database(f"sqlite:///{data / 'guardian.db'}")
    try:
        with db.begin() as session:
            set_setting(session, HOUSEHOLD_TIMEZONE, zone.key)
    finally:
        db.close()
    return zone


def test_outside_allowed_hours_says_when_access_returns(tmp_path, web) -> None:  # type: ignore[no-untyped-def]
    data = tmp_path / "data"
    guardian(data, "profile", "add", "Kid", "--age", "12", "--language", "vi", "--default")
    local = datetime.now(UTC).astimezone(household_at_ten(data))
    start = local + timedelta(hours=2)
    end = local + timedelta(hours=3)
    window = f"{start:%H:%M}-{end:%H:%M}"
    guardian(data, "time", "hours", "Kid", "all", window)
    with GuardianProxy(data) as proxy:
        page = fetch(proxy.port, f"http://localhost:{web.port}/")
        assert page.status == 403 and 'lang="vi"' in page.text
        assert f"{start:%H:%M}" in page.text  # when access returns
        assert web.total == 0
        guardian(data, "time", "hours", "Kid", "all", "off")
        wait_until(lambda: fetch(proxy.port, f"http://localhost:{web.port}/").status == 200,
                   timeout=2.5)


def test_a_token_for_one_child_does_nothing_for_another(tmp_path, web) -> None:  # type: ignore[no-untyped-def]
    data = tmp_path / "data"
    an_port, binh_port = free_port(), free_port()
    guardian(data, "profile", "add", "An", "--age", "9", "--port", str(an_port))
    guardian(data, "profile", "add", "Binh", "--age", "9", "--port", str(binh_port))
    guardian(data, "rule", "add", "An", "block", "localhost")
    with GuardianProxy(data) as proxy:
        wait_until(lambda: fetch(an_port, f"http://localhost:{web.port}/").status == 403)
        token = form_field(fetch(an_port, f"http://localhost:{web.port}/").text, "token")
        assert post_form(binh_port, "/ask", {"token": token}).status == 400
        assert post_form(an_port, "/ask", {"token": token}).status == 303
        assert proxy.process is not None


def test_the_child_page_shows_only_that_childs_day(tmp_path, web) -> None:  # type: ignore[no-untyped-def]
    data = tmp_path / "data"
    an_port, binh_port = free_port(), free_port()
    guardian(data, "profile", "add", "An", "--age", "9", "--language", "en", "--port", str(an_port))
    guardian(data, "profile", "add", "Binh", "--age", "14", "--port", str(binh_port))
    with GuardianProxy(data):
        wait_until(lambda: fetch(an_port, f"http://localhost:{web.port}/x").status == 200)
        page = fetch(an_port, f"{PORTAL}/")
        assert page.status == 200 and "An" in page.text and "Binh" not in page.text
        assert "localhost" in page.text  # the site An used today
        other = fetch(binh_port, f"{PORTAL}/")
        assert "Binh" in other.text and "localhost" not in other.text
        health = json.loads(fetch(an_port, f"{PORTAL}/health").body)
        assert health["ok"] is True and isinstance(health["policy_version"], int)


def test_report_this_page_is_recorded_for_the_parent(tmp_path, web) -> None:  # type: ignore[no-untyped-def]
    data = tmp_path / "data"
    guardian(data, "profile", "add", "Kid", "--age", "10", "--default")
    guardian(data, "rule", "add", "Kid", "block", "localhost")
    with GuardianProxy(data) as proxy:
        page = fetch(proxy.port, f"http://localhost:{web.port}/scary?id=9")
        assert "111" in page.text and "vn-cop.vn" in page.text
        report_form = page.text[page.text.index('action="http://guardian.home.arpa/report"'):]
        token = form_field(report_form, "token")
        thanks = post_form(proxy.port, "/report", {"token": token, "note": "a scary video"})
        assert thanks.status == 200 and "111" in thanks.text
        assert post_form(proxy.port, "/report", {"token": token, "note": "again"}).status == 400
    reports = json.loads(guardian(data, "reports", "list", "--json"))
    assert [(r["host"], r["path"], r["note"], r["profile"]) for r in reports] == [
        ("localhost", "/scary", "a scary video", "Kid")]
