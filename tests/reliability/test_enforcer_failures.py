"""An error inside Guardian's own code must block the request, never let it through.

mitmproxy catches an exception raised by an addon's hook, logs "Addon error"
and carries on with the flow. For the enforcer that means: a request whose
judgement or block page raised goes on to the site as if it were allowed.
This was seen for real while this suite was written (a block page that
failed to render let blocked hosts through to the upstream connection); the
test drives the enforcer through mitmproxy's own event dispatch with a
policy source that fails, the seam the enforcer is built on.
"""

from __future__ import annotations

from datetime import UTC

from mitmproxy.http import HTTPFlow
from mitmproxy.proxy.layers.http import HttpRequestHeadersHook
from mitmproxy.test import taddons, tflow, tutils

from guardian.active_time import ActiveTimeTracker
from guardian.clock import SystemClock
from guardian.policy import HouseholdPolicy
from proxy_addons.enforcer import PolicyEnforcer


class FailingPolicySource:
    """A policy holder whose policy cannot be read (any bug on the way would do the same)."""

    error = None

    @property
    def policy(self) -> HouseholdPolicy:
        raise RuntimeError("simulated failure inside Guardian")


def child_flow() -> HTTPFlow:
    flow = tflow.tflow(req=tutils.treq(host="casino.example", port=80, path=b"/",
                                       headers=[(b"Accept", b"text/html")]))
    flow.request.headers["host"] = "casino.example"
    flow.client_conn.sockname = ("127.0.0.1", 8080)
    flow.client_conn.peername = ("127.0.0.1", 50000)
    flow.live = True
    return flow


def test_an_exception_in_the_enforcer_blocks_the_request() -> None:
    enforcer = PolicyEnforcer(FailingPolicySource(), ActiveTimeTracker(UTC),  # type: ignore[arg-type]
                              SystemClock())
    flow = child_flow()
    with taddons.context(enforcer) as context:
        context.master.addons.trigger(HttpRequestHeadersHook(flow))
    assert flow.response is not None or flow.error is not None
    if flow.response is not None:
        assert flow.response.status_code in (403, 503)
