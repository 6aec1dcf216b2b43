"""The reserved host a child's browser can reach: signed tokens, and no parent function.

Two children: An (the default profile) and Bình (her own port). The forms on
a block page carry a token the filter signed (HMAC-SHA256 with the
household's secret). A forged, altered, expired, replayed or other child's
token gets 400 from `guardian.home.arpa` and stores nothing. Then every path
and method one can think of is tried on the reserved host: none of them
changes the policy, answers a request or shows another child's request.
"""

from __future__ import annotations

import base64
import contextlib
import html
import json
import re
import time
import urllib.parse
from collections.abc import Iterator
from dataclasses import asdict, replace
from pathlib import Path

import pytest

from guardian.tokens import TokenClaims, new_secret, sign
from tests.proxy_harness import GuardianProxy, free_port, wait_for_port
from tests.reliability.household import CASINO, make_household, ok, read_only
from tests.reliability.internet import FakeInternet
from tests.reliability.raw_http import RawReply, exchange, request_bytes

pytestmark = pytest.mark.e2e

PORTAL = "guardian.home.arpa"
FORM = [("Content-Type", "application/x-www-form-urlencoded")]


class Household:
    def __init__(self, data_dir: Path, proxy: GuardianProxy, binh_port: int) -> None:
        self.data_dir = data_dir
        self.proxy = proxy
        self.an_port = proxy.port
        self.binh_port = binh_port

    def query(self, sql: str) -> list[tuple]:  # type: ignore[type-arg]
        with contextlib.closing(read_only(self.data_dir / "guardian.db")) as connection:
            return connection.execute(sql).fetchall()

    def secret(self) -> str:
        return self.query("SELECT value FROM settings WHERE key = 'token_secret'")[0][0]

    def state(self) -> dict[str, object]:
        """Everything a parent function could change."""
        return {table: self.query(f"SELECT * FROM {table} ORDER BY 1") for table in (
            "policy_state", "profiles", "attributions", "profile_categories", "rules",
            "settings", "budgets", "allowed_hours", "time_grants", "access_requests",
            "reports", "profile_details", "list_sources")}

    def block_page(self, port: int, url: str = f"http://{CASINO}/") -> str:
        authority = url.split("/")[2]
        reply = exchange(port, request_bytes("GET", url, authority, [("Accept", "text/html")]))
        assert reply.status == 403
        return reply.text


@pytest.fixture(scope="module")
def household(tmp_path_factory: pytest.TempPathFactory,
              internet: FakeInternet) -> Iterator[Household]:
    root = tmp_path_factory.mktemp("portal")
    data_dir = make_household(root)
    binh_port = free_port()
    ok(data_dir, "profile", "add", "Bình", "--age", "12", "--language", "en",
       "--port", str(binh_port))
    with GuardianProxy(data_dir, extra_args=("--upstream-proxy", internet.url)) as proxy:
        wait_for_port(binh_port)
        yield Household(data_dir, proxy, binh_port)


def form_token(page: str, action: str) -> str:
    for found_action, token in re.findall(
            r'<form[^>]*action="([^"]*)"[^>]*>\s*<input type="hidden" name="token" '
            r'value="([^"]*)"', page):
        if html.unescape(found_action).endswith(action):
            return html.unescape(token)
    raise AssertionError(f"no {action} form on the page")


def post(port: int, path: str, fields: dict[str, str]) -> RawReply:
    body = urllib.parse.urlencode(fields).encode()
    return exchange(port, request_bytes("POST", f"http://{PORTAL}{path}", PORTAL, FORM, body))


def claims_of(token: str) -> TokenClaims:
    body = token.split(".", 1)[0]
    return TokenClaims(**json.loads(base64.urlsafe_b64decode(body + "=" * (-len(body) % 4))))


def test_a_genuine_token_works_once(household: Household) -> None:
    token = form_token(household.block_page(household.an_port), "/ask")
    first = post(household.an_port, "/ask", {"token": token, "message": "for homework"})
    assert first.status == 303 and first.headers["location"].startswith("/requests/")
    stored = household.query("SELECT count(*) FROM access_requests")[0][0]
    replayed = post(household.an_port, "/ask", {"token": token, "message": "again"})
    assert replayed.status == 400
    assert household.query("SELECT count(*) FROM access_requests")[0][0] == stored


def forgeries(token: str, secret: str) -> dict[str, str]:
    body, _, signature = token.partition(".")
    claims = claims_of(token)
    other = replace(claims, profile_id=claims.profile_id + 1)
    altered_body = base64.urlsafe_b64encode(json.dumps(
        asdict(claims) | {"host": "anything.example"},
        separators=(",", ":"), sort_keys=True).encode()).rstrip(b"=").decode()
    flipped = signature[:-2] + ("A" if signature[-2] != "A" else "B") + signature[-1]
    return {
        "empty": "",
        "garbage": "not-a-token",
        "no signature": body,
        "flipped signature": f"{body}.{flipped}",
        "altered claims, old signature": f"{altered_body}.{signature}",
        "signed with another secret": sign(other, new_secret()),
        "huge": "A" * 20_000 + "." + signature,
        "expired, signed with the real secret": sign(
            replace(claims, expires=int(time.time()) - 1, nonce="expired-nonce"), secret),
    }


@pytest.mark.parametrize("case", ["empty", "garbage", "no signature", "flipped signature",
                                  "altered claims, old signature", "signed with another secret",
                                  "huge", "expired, signed with the real secret"])
@pytest.mark.parametrize("action", ["/ask", "/report", "/send-anyway"])
def test_forged_or_expired_tokens_are_refused_and_store_nothing(
    household: Household, case: str, action: str
) -> None:
    token = form_token(household.block_page(household.an_port), "/report")
    before = household.state()
    reply = post(household.an_port, action, {"token": forgeries(token, household.secret())[case],
                                             "message": "x", "note": "x"})
    assert reply.status == 400
    assert household.state() == before


def test_the_real_secret_and_a_fresh_expiry_do_work(household: Household) -> None:
    """Control for the expiry case: the same forging with a future expiry is accepted,
    so it is the expiry alone that the filter refused."""
    token = form_token(household.block_page(household.an_port), "/ask")
    fresh = sign(replace(claims_of(token), nonce="control-nonce"), household.secret())
    assert post(household.an_port, "/ask", {"token": fresh}).status == 303


def test_another_childs_token_is_refused(household: Household) -> None:
    token = form_token(household.block_page(household.an_port), "/ask")
    before = household.state()
    assert post(household.binh_port, "/ask", {"token": token}).status == 400
    assert post(household.binh_port, "/report", {"token": form_token(
        household.block_page(household.an_port), "/report")}).status == 400
    assert household.state() == before


def test_a_token_for_one_form_does_not_work_on_another(household: Household) -> None:
    page = household.block_page(household.an_port)
    before = household.state()
    assert post(household.an_port, "/ask", {"token": form_token(page, "/report")}).status == 400
    assert post(household.an_port, "/send-anyway",
                {"token": form_token(page, "/ask")}).status == 400
    assert household.state() == before


def test_another_childs_request_is_not_found(household: Household) -> None:
    token = form_token(household.block_page(household.binh_port), "/ask")
    asked = post(household.binh_port, "/ask", {"token": token, "message": "Binh asks for this"})
    assert asked.status == 303
    location = asked.headers["location"]
    own = exchange(household.binh_port, request_bytes("GET", f"http://{PORTAL}{location}", PORTAL))
    assert own.status == 200 and "Binh asks for this" in own.text
    other = exchange(household.an_port, request_bytes("GET", f"http://{PORTAL}{location}", PORTAL))
    assert other.status == 404 and "Binh asks" not in other.text


PATHS = ["/", "/health", "/ask", "/report", "/send-anyway", "/requests", "/requests/",
         "/requests/1", "/requests/1/approve", "/requests/1/answer", "/requests/-1",
         "/requests/1%20OR%201=1", "/requests/99999999999999999999999", "/approve", "/deny",
         "/admin", "/api", "/api/rules", "/rules", "/profiles", "/profile", "/settings",
         "/lists", "/parent", "/login", "/password", "/time", "/grant", "/ca", "/cert",
         "/reports", "/activity", "/../guardian.db", "/%2e%2e/guardian.db", "/.git/config",
         "/static/../../guardian.db", "//etc/passwd"]
METHODS = ["GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS"]
PARENT_FIELDS = {"action": "approve", "answer": "always", "id": "1", "request": "1",
                 "profile": "An", "rule": "allow casino.example", "category": "gambling",
                 "blocked": "false", "minutes": "1440", "token": "x"}


def test_the_reserved_host_has_no_parent_function(household: Household) -> None:
    before = household.state()
    answered = {}
    for path in PATHS:
        for method in METHODS:
            body = urllib.parse.urlencode(PARENT_FIELDS).encode() if method != "GET" else b""
            reply = exchange(household.an_port, request_bytes(
                method, f"http://{PORTAL}{path}", PORTAL, FORM if body else [], body))
            answered[(method, path)] = reply.status
    after = household.state()
    assert after == before
    succeeded = {key for key, status in answered.items() if status < 400}
    # What a child may do with no token: see their own page and their own request
    # (number 1 is An's, from the first test), and read the filter's health (any method).
    allowed = {("GET", "/"), ("GET", "/requests/1"), ("HEAD", "/"), ("HEAD", "/requests/1")}
    allowed |= {(method, "/health") for method in METHODS}
    assert succeeded <= allowed, succeeded - allowed


def test_the_reserved_host_over_https_is_the_same(household: Household) -> None:
    reply = exchange(household.an_port, request_bytes("POST", "/rules", PORTAL, FORM, b"a=b"),
                     tunnel=(PORTAL, 443), ca=household.proxy.ca_cert)
    assert reply.status == 404
    health = exchange(household.an_port, request_bytes("GET", "/health", PORTAL),
                      tunnel=(PORTAL, 443), ca=household.proxy.ca_cert)
    assert health.status == 200 and json.loads(health.body)["ok"] is True
