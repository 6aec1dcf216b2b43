"""The addons with mitmproxy's test helpers: no sockets, real flows and a real database."""

from __future__ import annotations

import asyncio
from datetime import UTC

import pytest
from mitmproxy.test import taddons, tflow, tutils

from guardian.active_time import ActiveTimeTracker
from guardian.clock import SystemClock
from guardian.domain_index import DomainIndex
from guardian.policy import load_policy
from guardian.storage.activity import recent_activity
from guardian.storage.profiles import add_profile, add_rule
from proxy_addons.batch_writer import BatchWriter
from proxy_addons.enforcer import METADATA_KEY, PolicyEnforcer, Verdict
from proxy_addons.policy_source import PolicyHolder, PolicyReloader, SharedDatabase
from proxy_addons.traffic_logger import TrafficLogger


def enforcer_for(holder: PolicyHolder) -> PolicyEnforcer:
    return PolicyEnforcer(holder, ActiveTimeTracker(UTC), SystemClock())


def child_flow(host: str, path: str = "/", port: int = 8080, headers=None) -> tflow.HTTPFlow:  # type: ignore[no-untyped-def]
    """A live flow from a child's browser that reached the listener on `port`."""
    flow = tflow.tflow(req=tutils.treq(host=host, port=80, path=path.encode(),
                                       headers=headers or [(b"Accept", b"text/html")]))
    flow.client_conn.sockname = ("127.0.0.1", port)
    flow.client_conn.peername = ("127.0.0.1", 50000)
    flow.request.headers["host"] = host
    flow.live = True
    return flow


@pytest.fixture
def holder(db) -> PolicyHolder:  # type: ignore[no-untyped-def]
    with db.begin() as session:
        an = add_profile(session, "An", 9, "vi", default=True)
        add_rule(session, an, "block", "blocked.example")
    with db.begin() as session:
        return PolicyHolder(policy=load_policy(session, DomainIndex.EMPTY), error=None)


def test_enforcer_answers_blocks_itself(holder: PolicyHolder) -> None:
    enforcer = enforcer_for(holder)
    with taddons.context(enforcer):
        flow = child_flow("WWW.Blocked.Example.")
        enforcer.requestheaders(flow)
    assert flow.response is not None and flow.response.status_code == 403
    assert b'lang="vi"' in flow.response.content
    verdict = flow.metadata[METADATA_KEY]
    assert isinstance(verdict, Verdict) and verdict.host == "www.blocked.example"
    assert verdict.decision.rule == "blocked.example"


def test_enforcer_lets_allowed_flows_go_on_untouched(holder: PolicyHolder) -> None:
    enforcer = enforcer_for(holder)
    with taddons.context(enforcer):
        flow = child_flow("school.example")
        enforcer.requestheaders(flow)
    assert flow.response is None
    assert flow.metadata[METADATA_KEY].decision.reason.value == "allowed"


def test_enforcer_yields_to_flows_already_answered(holder: PolicyHolder) -> None:
    enforcer = enforcer_for(holder)
    with taddons.context(enforcer):
        flow = child_flow("blocked.example")
        flow.response = tutils.tresp()
        enforcer.requestheaders(flow)
    assert METADATA_KEY not in flow.metadata and flow.response.status_code == 200


def test_without_a_policy_children_are_blocked() -> None:
    enforcer = enforcer_for(PolicyHolder())
    with taddons.context(enforcer):
        flow = child_flow("school.example")
        enforcer.requestheaders(flow)
    assert flow.response is not None and flow.response.status_code == 503


def test_raw_tunnels_are_refused(holder: PolicyHolder) -> None:
    enforcer = enforcer_for(holder)
    with taddons.context(enforcer):
        flow = tflow.ttcpflow()
        flow.live = True
        enforcer.tcp_start(flow)
    assert flow.error is not None


def test_logger_buffers_in_hooks_and_writes_in_batches(db, data_dir, holder) -> None:  # type: ignore[no-untyped-def]
    enforcer = enforcer_for(holder)
    writer = BatchWriter(SharedDatabase(data_dir.database_url), flush_interval=60)
    logger = TrafficLogger(writer)
    with taddons.context(enforcer, logger):
        for host in ("school.example", "blocked.example"):
            flow = child_flow(host, "/page?token=secret")
            enforcer.requestheaders(flow)
            if flow.response is None:
                flow.response = tutils.tresp(content=b"x" * 321)
            logger.response(flow)
            logger.response(flow)  # a flow is logged once
        assert len(writer.requests) == 2
        with db.begin() as session:
            assert recent_activity(session) == []  # nothing written from the hook
        asyncio.run(writer.flush())
    with db.begin() as session:
        rows = {row.host: row for row in recent_activity(session)}
    assert rows["school.example"].bytes == 321 and rows["school.example"].path == "/page"
    assert rows["blocked.example"].decision == "block"


def test_writer_keeps_rows_while_the_database_is_down(tmp_path, db, data_dir) -> None:  # type: ignore[no-untyped-def]
    broken = BatchWriter(SharedDatabase(f"sqlite:///{tmp_path}/missing/dir.db"))
    flow = child_flow("school.example")
    flow.metadata[METADATA_KEY] = Verdict(None, "school.example",
                                          enforcer_for(PolicyHolder()).judge(flow).decision)
    flow.response = tutils.tresp()
    TrafficLogger(broken).response(flow)
    asyncio.run(broken.flush())
    assert len(broken.requests) == 1  # kept for the next try
    broken.database = SharedDatabase(data_dir.database_url)
    asyncio.run(broken.flush())
    assert len(broken.requests) == 0
    with db.begin() as session:
        assert [r.host for r in recent_activity(session)] == ["school.example"]


def test_reloader_fails_closed_and_recovers(tmp_path, data_dir, db) -> None:  # type: ignore[no-untyped-def]
    holder = PolicyHolder()
    bad = PolicyReloader(holder, SharedDatabase(f"sqlite:///{tmp_path}/no/such.db"),
                         data_dir.index_path)
    bad.load_now()
    assert holder.policy is None and "does not exist" in (holder.error or "")
    bad.database = SharedDatabase(data_dir.database_url)
    bad.load_now()
    assert holder.policy is not None and holder.error is None


def test_compressed_request_bodies_are_read_within_a_bound() -> None:
    import gzip

    from proxy_addons.personal_info_guard import MAX_INFLATED, readable_body

    request = tutils.treq(content=gzip.compress(b"tel=0912345678"))
    request.headers["content-encoding"] = "gzip"
    assert readable_body(request) == b"tel=0912345678"
    bomb = tutils.treq(content=gzip.compress(b"0" * (50 * MAX_INFLATED)))
    bomb.headers["content-encoding"] = "gzip"
    assert len(readable_body(bomb)) == MAX_INFLATED
    garbage = tutils.treq(content=b"not gzip at all")
    garbage.headers["content-encoding"] = "gzip"
    assert readable_body(garbage) == b""
