"""The personal-information guard through the real proxy: held, explained, never logged."""

from __future__ import annotations

import html
import json
import re
from urllib.parse import urlencode

import pytest

from tests.proxy_harness import GuardianProxy, Upstream, fetch
from tests.proxy_harness import guardian_cli as guardian

pytestmark = pytest.mark.e2e
FORM = {"Content-Type": "application/x-www-form-urlencoded"}




def test_a_childs_details_are_held_before_they_leave(tmp_path) -> None:  # type: ignore[no-untyped-def]
    data = tmp_path / "data"
    guardian(data, "profile", "add", "An", "--age", "10", "--language", "en", "--default")
    guardian(data, "profile", "details", "An", "--full-name", "Nguyễn Văn An",
             "--phone", "0912 345 678", "--send-anyway", "allowed")
    with Upstream() as web, GuardianProxy(data) as proxy:
        site = f"http://localhost:{web.port}"
        signup = urlencode({"name": "nguyen van an", "tel": "+84 912-345-678"}).encode()
        held = fetch(proxy.port, f"{site}/signup", method="POST", body=signup, headers=FORM)
        assert held.status == 403 and web.hits["/signup"] == 0
        assert "your phone number" in held.text and "your full name" in held.text
        assert "912" not in held.text  # the page names kinds, never the details
        fine = urlencode({"comment": "hello"}).encode()
        assert fetch(proxy.port, f"{site}/comment", method="POST", body=fine,
                     headers=FORM).status == 200
        query = fetch(proxy.port, f"{site}/search?q=0912.345.678")
        assert query.status == 403

        token = html.unescape(re.search(
            r'send-anyway-form"><input type="hidden" name="token" value="([^"]+)"',
            held.text).group(1))
        chose = fetch(proxy.port, "http://guardian.home.arpa/send-anyway", method="POST",
                      body=urlencode({"token": token}).encode(), headers=FORM)
        assert chose.status == 200
        again = fetch(proxy.port, "http://guardian.home.arpa/send-anyway", method="POST",
                      body=urlencode({"token": token}).encode(), headers=FORM)
        assert again.status == 400  # works once
        sent = fetch(proxy.port, f"{site}/signup", method="POST", body=signup, headers=FORM)
        assert sent.status == 200 and web.hits["/signup"] == 1
    log = guardian(data, "activity", "--json")
    assert "912" not in log and "nguyen" not in log.lower()
    rows = json.loads(log)
    assert any(r["reason"] == "personal_info" and r["path"] == "/signup" for r in rows)
    assert "912" not in proxy.log()


def test_without_the_parents_leave_there_is_no_send_anyway(tmp_path) -> None:  # type: ignore[no-untyped-def]
    data = tmp_path / "data"
    guardian(data, "profile", "add", "An", "--age", "10", "--default")
    guardian(data, "profile", "details", "An", "--phone", "0912345678")
    with Upstream() as web, GuardianProxy(data) as proxy:
        held = fetch(proxy.port, f"http://localhost:{web.port}/f", method="POST",
                     body=b"tel=0912345678", headers=FORM)
    assert held.status == 403 and "send-anyway-form" not in held.text
