"""HookTable: mitmproxy's addon manager with each event's handlers looked up once.

mitmproxy dispatches every flow event to every addon in turn: for each one
it starts a coroutine, enters an error-catching context manager, walks the
addon's children and asks it for a method of the event's name, and it sends
an `update` event after each flow event whether anyone listens or not. With
the filter's addons that walk was about a fifth of the proxy's time per
request (py-spy on `guardian proxy` under load), most of it spent on addons
that have no handler for the event at all.

HookTable keeps the same addons, order, and error handling, but finds each
event's handlers (the addons' and their children's, as mitmproxy's own
traversal finds them) once and then calls only those. The table is built
again whenever an addon is added or removed. An event's arguments are read
by field names found once per event type (`Hook.args` asks `dataclasses`
for the fields on every call). Lifecycle events that run synchronously
(`load`, `configure`, ...) keep mitmproxy's own path.
"""

from __future__ import annotations

import inspect
import logging
import types
from collections.abc import Callable
from dataclasses import fields
from operator import attrgetter
from typing import Any

from mitmproxy import exceptions, flow, hooks, options
from mitmproxy.addonmanager import AddonManager, traverse
from mitmproxy.addons import termlog
from mitmproxy.master import Master

logger = logging.getLogger("mitmproxy.addonmanager")

Handler = Callable[..., Any]


class HookTable(AddonManager):
    def __init__(self, master: Master) -> None:
        super().__init__(master)
        self._handlers: dict[str, tuple[Handler, ...]] = {}
        self._readers: dict[type[hooks.Hook], Callable[[hooks.Hook], tuple[Any, ...]]] = {}

    def handlers(self, name: str) -> tuple[Handler, ...]:
        """The callables for event `name`, in the order mitmproxy would call them."""
        found = self._handlers.get(name)
        if found is None:
            collected = []
            for addon in traverse(self.chain):
                func = getattr(addon, name, None)
                if func and callable(func) and not isinstance(func, types.ModuleType):
                    collected.append(func)
            found = self._handlers[name] = tuple(collected)
        return found

    def add(self, *addons: Any) -> None:
        super().add(*addons)
        self._handlers.clear()

    def remove(self, addon: Any) -> None:
        super().remove(addon)
        self._handlers.clear()

    def clear(self) -> None:
        super().clear()
        self._handlers.clear()

    async def trigger_event(self, event: hooks.Hook) -> None:
        funcs = self.handlers(event.name)
        if not funcs:
            return
        args = self._args(event)
        for func in funcs:
            try:
                result = func(*args)
                if result is not None and inspect.isawaitable(result):
                    await result
            except exceptions.AddonHalt:
                return
            except exceptions.OptionsError:
                raise
            except Exception as exc:
                # As mitmproxy's own `safecall`: logged, and the next addon still runs.
                logger.error(f"Addon error: {exc}", exc_info=True)

    def _args(self, event: hooks.Hook) -> tuple[Any, ...]:
        """`event.args()`, as a tuple."""
        reader = self._readers.get(type(event))
        if reader is None:
            names = [field.name for field in fields(event)]  # type: ignore[arg-type]
            if len(names) == 1:
                one = attrgetter(names[0])
                reader = self._readers[type(event)] = lambda e: (one(e),)
            else:
                reader = self._readers[type(event)] = attrgetter(*names) if names else (
                    lambda e: ())
        return reader(event)

    async def handle_lifecycle(self, event: hooks.Hook) -> None:
        await self.trigger_event(event)
        if self.handlers(hooks.UpdateHook.name):
            message = self._args(event)[0]
            if isinstance(message, flow.Flow):
                await self.trigger_event(hooks.UpdateHook([message]))


def filter_master(opts: options.Options) -> Master:
    """A mitmproxy master that dispatches through a HookTable, with its terminal log."""
    master = Master(opts, with_termlog=False)
    master.addons = HookTable(master)
    master._termlog_addon = termlog.TermLog()  # uninstalled by the master at shutdown
    master.addons.add(master._termlog_addon)
    return master
