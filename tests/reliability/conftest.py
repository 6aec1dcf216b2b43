"""Fixtures for the reliability tests: origin servers on loopback and a stand-in Internet."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.proxy_harness import TestCA, Upstream
from tests.reliability.internet import FakeInternet


@pytest.fixture(scope="module")
def upstream_ca(tmp_path_factory: pytest.TempPathFactory) -> TestCA:
    return TestCA(tmp_path_factory.mktemp("upstream-ca"))


def quick(upstream: Upstream) -> Upstream:
    """Answer without Nagle's delay: http.server writes headers and body separately,
    and with keep-alive the body then waits ~40 ms for a delayed ACK."""
    upstream.server.RequestHandlerClass.disable_nagle_algorithm = True  # type: ignore[attr-defined]
    return upstream


@pytest.fixture(scope="module")
def web(upstream_ca: TestCA) -> Iterator[tuple[Upstream, Upstream]]:
    """A plain and a TLS origin server on 127.0.0.1, counting hits by path."""
    with quick(Upstream()) as plain, quick(Upstream(tls_cert=upstream_ca.cert_path)) as secure:
        yield plain, secure


@pytest.fixture(scope="module")
def internet() -> Iterator[FakeInternet]:
    with FakeInternet() as fake:
        yield fake
