"""Guardian keeps its secrets: owner-only files, and no password, token or detail in a log.

- The data folder, the database (which holds the token secret) and the CA's
  private key are created readable by their owner only, whoever creates
  them (the command line or the proxy on first start), under the usual
  umask 022.
- Flows that carry secrets run through the real proxy: block pages issue
  tokens that are then posted to the reserved host, a form post and two
  searches carry the child's recorded phone number, a request carries a
  password, a bearer token and a session cookie. None of them appears in
  the proxy's output, in any activity table or in `guardian activity --json`.
  (Tables that hold such things on purpose are left out: the recorded
  details themselves, the settings with the token secret, and the child's
  message and report note, which are written to the parent.)
"""

from __future__ import annotations

import base64
import contextlib
import html
import os
import re
import stat
import urllib.parse
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.proxy_harness import GuardianProxy, wait_until
from tests.reliability.household import CASINO, log_total, make_household, ok, read_only
from tests.reliability.internet import FakeInternet
from tests.reliability.raw_http import exchange, request_bytes

pytestmark = pytest.mark.e2e

PORTAL = "guardian.home.arpa"
PHONE = "0912 345 678"
PHONE_SPELLINGS = ("0912345678", "0912 345 678", "912345678", "0912-345-678")
PASSWORD = "hunter2-correct-horse"
BEARER = "bearer-SECRET-7f3a9c"
COOKIE = "session-SECRET-51d2e0"
PRIVATE = ("data dir", "ca", "lists", "guardian.db", "ca/mitmproxy-ca.pem",
           "ca/mitmproxy-ca.p12")


@contextlib.contextmanager
def umask(mask: int) -> Iterator[None]:
    old = os.umask(mask)
    try:
        yield
    finally:
        os.umask(old)


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def assert_owner_only(data_dir: Path) -> None:
    assert mode(data_dir) == 0o700
    for folder in ("ca", "lists"):
        assert mode(data_dir / folder) == 0o700, folder
    for name in ("guardian.db", "ca/mitmproxy-ca.pem", "ca/mitmproxy-ca.p12"):
        assert mode(data_dir / name) & 0o077 == 0, (name, oct(mode(data_dir / name)))
    for path in data_dir.rglob("*"):
        assert mode(path) & 0o022 == 0, (path, oct(mode(path)))  # nothing writable by others


@pytest.mark.parametrize("created_by", ["command line", "proxy"])
def test_secrets_are_created_owner_only(tmp_path: Path, created_by: str) -> None:
    with umask(0o022):
        data_dir = make_household(tmp_path) if created_by == "command line" else \
            tmp_path / "fresh"
        with GuardianProxy(data_dir, log_dir=tmp_path) as proxy:
            exchange(proxy.port, request_bytes("GET", f"http://{CASINO}/", CASINO))
            for suffix in ("-wal", "-shm"):  # SQLite's files beside the database, if open
                side = data_dir / f"guardian.db{suffix}"
                if side.exists():
                    assert mode(side) & 0o077 == 0, (suffix, oct(mode(side)))
        assert_owner_only(data_dir)


def form_token(page: str, action: str) -> str:
    for found_action, token in re.findall(
            r'<form[^>]*action="([^"]*)"[^>]*>\s*<input type="hidden" name="token" '
            r'value="([^"]*)"', page):
        if html.unescape(found_action).endswith(action):
            return html.unescape(token)
    raise AssertionError(f"no {action} form on the page")


def get(proxy: GuardianProxy, url: str, headers: list[tuple[str, str]] | None = None,
        method: str = "GET", body: bytes = b"") -> tuple[int, str]:
    authority = url.split("/")[2]
    reply = exchange(proxy.port, request_bytes(method, url, authority,
                                               [("Accept", "text/html")] + (headers or []), body))
    return reply.status, reply.text


def form(fields: dict[str, str]) -> tuple[list[tuple[str, str]], bytes]:
    return ([("Content-Type", "application/x-www-form-urlencoded")],
            urllib.parse.urlencode(fields).encode())


def readable_tables(data_dir: Path) -> str:
    """Every table a log or a summary lives in, as text."""
    skip = {"profile_details", "settings", "access_requests", "reports", "alembic_version"}
    with contextlib.closing(read_only(data_dir / "guardian.db")) as connection:
        tables = [name for (name,) in connection.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table'") if name not in skip]
        return "\n".join(f"{table}: {connection.execute(f'SELECT * FROM {table}').fetchall()}"
                         for table in tables)


def test_no_token_password_or_detail_reaches_a_log(tmp_path: Path,
                                                   internet: FakeInternet) -> None:
    data_dir = make_household(tmp_path)
    ok(data_dir, "profile", "details", "An", "--phone", PHONE, "--send-anyway", "allowed")
    tokens: list[str] = []
    proxy = GuardianProxy(data_dir, extra_args=("--upstream-proxy", internet.url)).start()
    try:
        # Block pages issue tokens; the child uses them.
        status, page = get(proxy, f"http://{CASINO}/tables?ref=home")
        assert status == 403
        tokens += [form_token(page, "/ask"), form_token(page, "/report")]
        headers, body = form({"token": tokens[0], "kind": "site", "message": "for school"})
        assert get(proxy, f"http://{PORTAL}/ask", headers, "POST", body)[0] == 303
        headers, body = form({"token": tokens[1], "note": "a bad page"})
        assert get(proxy, f"http://{PORTAL}/report", headers, "POST", body)[0] == 200
        # The child's phone number in a form and in searches: held, never logged.
        headers, body = form({"name": "An", "phone": PHONE.replace(" ", "")})
        status, page = get(proxy, "http://school.example/signup", headers, "POST", body)
        assert status == 403
        tokens.append(form_token(page, "/send-anyway"))
        for query in (PHONE.replace(" ", ""), f"call me {PHONE}"):
            url = "http://www.google.com/search?" + urllib.parse.urlencode({"q": query})
            assert get(proxy, url)[0] == 403
        # Credentials of another site pass through; they must not be written down.
        basic = base64.b64encode(f"an:{PASSWORD}".encode()).decode()
        assert get(proxy, f"http://school.example/account?token={BEARER}&password={PASSWORD}",
                   [("Authorization", f"Basic {basic}"), ("Cookie", f"sid={COOKIE}"),
                    ("X-Api-Key", BEARER)])[0] == 200
        headers, body = form({"user": "an", "password": PASSWORD})
        assert get(proxy, "http://school.example/login", headers, "POST", body)[0] == 200
        # A search without any detail is logged with its words (the log works).
        assert get(proxy, "http://www.google.com/search?q=volcano+homework")[0] == 200
        wait_until(lambda: log_total(data_dir) >= 7, timeout=10)  # portal posts are not logged
    finally:
        proxy.stop()
    activity = ok(data_dir, "activity", "--json", "--limit", "1000")
    tables = readable_tables(data_dir)
    assert "volcano homework" in tables and "volcano homework" in activity
    secrets = [*tokens, *(token.rpartition(".")[2] for token in tokens), *PHONE_SPELLINGS,
               PASSWORD, BEARER, COOKIE, basic]
    for where, text in (("proxy output", proxy.log()), ("database", tables),
                        ("activity --json", activity)):
        leaked = [secret for secret in secrets if secret in text]
        assert leaked == [], f"{where} holds {leaked}"
