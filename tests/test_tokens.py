"""Signed tokens: genuine ones verify; forged, altered or expired ones do not."""

from __future__ import annotations

from dataclasses import replace

import pytest

from guardian.tokens import InvalidToken, TokenClaims, new_nonce, new_secret, sign, verify

SECRET = new_secret()
CLAIMS = TokenClaims(profile_id=1, purpose="ask", kind="site", host="casino.example", path="/",
                     scope="", key="", category="gambling", expires=2_000_000_000,
                     nonce=new_nonce())


def test_a_genuine_token_verifies() -> None:
    assert verify(sign(CLAIMS, SECRET), SECRET, now=1_900_000_000) == CLAIMS


@pytest.mark.parametrize(
    "tamper",
    [
        lambda t: t[:-2] + ("AA" if not t.endswith("AA") else "BB"),  # signature changed
        lambda t: sign(replace(CLAIMS, profile_id=2), SECRET).split(".")[0] + "."
        + t.split(".")[1],  # another child's claims under this signature
        lambda t: t.split(".")[0],  # no signature
        lambda t: "",
        lambda t: "not.a.token",
        lambda t: sign(CLAIMS, new_secret()),  # signed with another household's secret
        lambda t: t + "x" * 5000,
    ],
)
def test_forged_tokens_do_nothing(tamper) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(InvalidToken):
        verify(tamper(sign(CLAIMS, SECRET)), SECRET, now=1_900_000_000)


def test_expired_tokens_do_nothing() -> None:
    with pytest.raises(InvalidToken, match="expired"):
        verify(sign(CLAIMS, SECRET), SECRET, now=2_000_000_001)


def test_nonces_differ() -> None:
    assert len({new_nonce() for _ in range(100)}) == 100
