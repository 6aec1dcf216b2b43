"""Signed, expiring, single-use tokens for links and forms that change something.

A block page's "ask a parent" and "report" forms carry a token the filter
signed with the household's secret (HMAC-SHA256). It names the child, what
may be asked for, and when it expires; its nonce is stored with the request
it creates, so a second use is refused. A forged, altered, expired, replayed
or other child's token does nothing.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import secrets
from dataclasses import asdict, dataclass

from guardian.errors import GuardianError

TOKEN_LIFETIME_SECONDS = 60 * 60
SECRET_BYTES = 32


class InvalidToken(GuardianError):
    code = "invalid_token"


@dataclass(frozen=True, slots=True)
class TokenClaims:
    profile_id: int
    purpose: str  # "ask" | "report"
    kind: str  # "site" | "time" | "page"
    host: str
    path: str
    scope: str  # for time: the limit's scope
    key: str  # for time: the limit's key
    category: str | None
    expires: int  # unix seconds
    nonce: str


def new_secret() -> str:
    return secrets.token_hex(SECRET_BYTES)


def new_nonce() -> str:
    return secrets.token_urlsafe(16)


def sign(claims: TokenClaims, secret: str) -> str:
    body = _b64(json.dumps(asdict(claims), separators=(",", ":"), sort_keys=True).encode())
    return f"{body}.{_b64(_mac(body, secret))}"


def verify(token: str, secret: str, now: float) -> TokenClaims:
    """The claims of a genuine, unexpired token; raises InvalidToken otherwise."""
    body, sep, signature = token.strip().partition(".")
    if not sep or len(token) > 4096:
        raise InvalidToken("this link is not one Guardian made")
    try:
        given = _unb64(signature)
    except ValueError:
        raise InvalidToken("this link is not one Guardian made") from None
    if not hmac.compare_digest(given, _mac(body, secret)):
        raise InvalidToken("this link is not one Guardian made")
    try:
        claims = TokenClaims(**json.loads(_unb64(body)))
    except (ValueError, TypeError):
        raise InvalidToken("this link is damaged") from None
    if claims.expires < now:
        raise InvalidToken("this link has expired")
    return claims


def _mac(body: str, secret: str) -> bytes:
    return hmac.new(secret.encode(), body.encode(), hashlib.sha256).digest()


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _unb64(text: str) -> bytes:
    try:
        return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    except (ValueError, TypeError) as exc:
        raise ValueError(str(exc)) from exc
