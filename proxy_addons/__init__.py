"""mitmproxy addons: thin adapters from flows to Guardian's engine.

`guardian_addons` returns them in the order mitmproxy must call them: the
policy reloader keeps the snapshot fresh; the child portal claims requests to
the filter's reserved host; the enforcer decides and answers blocks; safe
search rewrites what it allowed; the personal-information guard holds
requests that carry the child's own details; the content filter reads the
pages that come back and blocks those over the child's threshold; the
screen-time counter and the time notice use the verdict left behind; the
traffic logger records it; the batch writer stores it all, with the daily
rollups, in the household's time zone; the retention runner deletes raw rows
past their time.
"""

from __future__ import annotations

from guardian.active_time import ActiveTimeTracker
from guardian.clock import Clock
from proxy_addons.batch_writer import BatchWriter
from proxy_addons.content_filter import ContentFilter
from proxy_addons.enforcer import PolicyEnforcer
from proxy_addons.filter_registry import FilterRegistry
from proxy_addons.personal_info_guard import PersonalInfoGuard, SendAnywayPasses
from proxy_addons.policy_source import PolicyHolder, PolicyReloader, SharedDatabase
from proxy_addons.portal import ChildPortal
from proxy_addons.retention import RetentionRunner
from proxy_addons.safe_search import SafeSearch
from proxy_addons.screen_time import ScreenTimeCounter
from proxy_addons.time_notice import TimeNotice
from proxy_addons.traffic_logger import TrafficLogger


def guardian_addons(
    holder: PolicyHolder,
    reloader: PolicyReloader,
    database: SharedDatabase,
    tracker: ActiveTimeTracker,
    clock: Clock,
    flush_interval: float,
) -> list[object]:
    # The tracker's zone is the household's: the reloader sets it from the policy.
    writer = BatchWriter(database, flush_interval, zone=lambda: tracker.zone, holder=holder)
    enforcer = PolicyEnforcer(holder, tracker, clock)
    passes = SendAnywayPasses()
    return [
        reloader,
        ChildPortal(holder, database, clock, tracker, passes),
        enforcer,
        SafeSearch(),
        PersonalInfoGuard(enforcer, passes),
        ContentFilter(enforcer),
        ScreenTimeCounter(tracker, writer),
        TimeNotice(tracker),
        TrafficLogger(writer),
        writer,
        RetentionRunner(database, clock),
        FilterRegistry(database, holder, reloader.machine),
    ]
