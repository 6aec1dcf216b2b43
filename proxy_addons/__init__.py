"""mitmproxy addons: thin adapters from flows to Guardian's engine.

`guardian_addons` returns them in the order mitmproxy must call them: the
policy reloader keeps the snapshot fresh, the enforcer decides and answers
blocks, the traffic logger records the verdict the enforcer left behind.
"""

from __future__ import annotations

from proxy_addons.enforcer import PolicyEnforcer
from proxy_addons.policy_source import PolicyHolder, PolicyReloader, SharedDatabase
from proxy_addons.traffic_logger import TrafficLogger


def guardian_addons(
    holder: PolicyHolder,
    reloader: PolicyReloader,
    database: SharedDatabase,
    flush_interval: float,
) -> list[object]:
    return [reloader, PolicyEnforcer(holder), TrafficLogger(database, flush_interval)]
