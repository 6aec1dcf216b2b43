"""The app's one way to work off the UI thread.

Everything slow (the database, argon2, network checks of the filter, list
downloads) runs on a worker; its result comes back on the main thread, where
the callback may touch widgets. Reads share a small pool; database writes go
through one serial executor, so two changes a parent makes quickly are applied
in the order they were made (Anki's `QueryOp` and `TaskManager`, in small).

A callback whose `owner` widget was deleted in the meantime is not called.
A failure goes to `on_failed` if given, else to the `task_failed` signal with
one sentence for the status bar, in the app's language (`error_sentence`);
unexpected errors are logged with their traceback.
"""

from __future__ import annotations

import itertools
import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

import shiboken6
from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal, Slot
from sqlalchemy.orm import Session

from guardian.errors import GuardianError, InvalidHost
from guardian.storage.database import Database
from ui.language import Language

logger = logging.getLogger("guardian.app")

T = TypeVar("T")
Done = Callable[[Any], None]
Failed = Callable[[BaseException], None]

READ_THREADS = 3


@dataclass
class _Pending:
    on_done: Done | None
    on_failed: Failed | None
    owner: QObject | None
    label: str  # what runs, for a log line when something hangs


class _Relay(QObject):
    """Lives on the main thread; a worker emits, the main thread receives (queued)."""

    finished = Signal(int, bool, object)


class _Job(QRunnable):
    def __init__(self, job_id: int, fn: Callable[[], Any], relay: _Relay) -> None:
        super().__init__()
        self.job_id, self.fn, self.relay = job_id, fn, relay
        self.setAutoDelete(True)

    def run(self) -> None:
        try:
            value, ok = self.fn(), True
        except BaseException as exc:  # delivered to the main thread, never lost
            value, ok = exc, False
        self.relay.finished.emit(self.job_id, ok, value)


class Tasks(QObject):
    task_failed = Signal(str)

    def __init__(self, db: Database, parent: QObject | None = None, *,
                 language: Language | None = None) -> None:
        super().__init__(parent)
        self._db = db
        self._language = language
        self._reads = QThreadPool(self)
        self._reads.setMaxThreadCount(READ_THREADS)
        self._writes = QThreadPool(self)
        self._writes.setMaxThreadCount(1)  # the serial executor for database writes
        self._ids = itertools.count(1)
        self._pending: dict[int, _Pending] = {}
        self._relay = _Relay(self)
        self._relay.finished.connect(self._deliver)

    @property
    def db(self) -> Database:
        return self._db

    def run(self, fn: Callable[[], T], on_done: Callable[[T], None] | None = None,
            on_failed: Failed | None = None, *, owner: QObject | None = None) -> None:
        """`fn()` on a worker: network checks, hashing, anything without the database."""
        self._submit(self._reads, fn, on_done, on_failed, owner)

    def query(self, fn: Callable[[Session], T], on_done: Callable[[T], None] | None = None,
              on_failed: Failed | None = None, *, owner: QObject | None = None) -> None:
        """`fn(session)` in one read transaction on a worker."""
        self._submit(self._reads, self._in_transaction(fn), on_done, on_failed, owner)

    def write(self, fn: Callable[[Session], T], on_done: Callable[[T], None] | None = None,
              on_failed: Failed | None = None, *, owner: QObject | None = None) -> None:
        """`fn(session)` in one transaction on the serial executor: one user action."""
        self._submit(self._writes, self._in_transaction(fn), on_done, on_failed, owner)

    def serial(self, fn: Callable[[Database], T], on_done: Callable[[T], None] | None = None,
               on_failed: Failed | None = None, *, owner: QObject | None = None) -> None:
        """`fn(db)` on the serial executor, for a flow that owns its transactions."""
        db = self._db
        self._submit(self._writes, lambda: fn(db), on_done, on_failed, owner)

    def wait_for_idle(self, msecs: int = 30_000) -> bool:
        """Block until every submitted job has run (at exit, so no write is lost)."""
        return self._writes.waitForDone(msecs) and self._reads.waitForDone(msecs)

    @property
    def busy(self) -> bool:
        return bool(self._pending)

    def pending(self) -> list[str]:
        """What has not come back yet (for diagnostics)."""
        return [pending.label for pending in self._pending.values()]

    def _in_transaction(self, fn: Callable[[Session], T]) -> Callable[[], T]:
        db = self._db

        def job() -> T:
            with db.begin() as session:
                return fn(session)

        return job

    def _submit(self, pool: QThreadPool, fn: Callable[[], Any], on_done: Done | None,
                on_failed: Failed | None, owner: QObject | None) -> None:
        job_id = next(self._ids)
        label = str(getattr(on_done, "__qualname__", None) or getattr(fn, "__qualname__", "job"))
        self._pending[job_id] = _Pending(on_done, on_failed, owner, label)
        pool.start(_Job(job_id, fn, self._relay))

    @Slot(int, bool, object)
    def _deliver(self, job_id: int, ok: bool, value: object) -> None:
        pending = self._pending.pop(job_id, None)
        if pending is None:
            return
        if pending.owner is not None and not shiboken6.isValid(pending.owner):
            return
        if ok:
            if pending.on_done is not None:
                pending.on_done(value)
            return
        assert isinstance(value, BaseException)
        if not isinstance(value, GuardianError):
            logger.error("background task failed", exc_info=value)
        if pending.on_failed is not None:
            pending.on_failed(value)
        else:
            self.task_failed.emit(error_sentence(value, self._language))


def error_sentence(exc: BaseException, language: Language | None = None) -> str:
    """What to show a parent, in the app's language.

    In English, Guardian's own sentence (it names what was wrong), else the
    error's first line. In another language, the sentence for the error's kind
    (`app.error.<code>`), so that no English reaches a Vietnamese screen; the
    technical detail is in the app's log.
    """
    if language is not None and language.code != "en":
        if isinstance(exc, InvalidHost):
            return language.text("app.error.invalid_host", raw=exc.raw[:80])
        if isinstance(exc, GuardianError):
            return language.tr_known((f"app.error.{exc.code}",),
                                     language.text("app.error.guardian_error"))
        return language.text("app.error.unexpected", name=type(exc).__name__)
    if isinstance(exc, GuardianError):
        return exc.message
    text = str(exc).strip().splitlines()
    return f"{type(exc).__name__}: {text[0]}" if text else type(exc).__name__


def technical_detail(detail: str, language: Language) -> str:
    """A technical detail (English, from the filter or the system) to put in a sentence.

    In English, the detail itself; in another language, words saying where to
    read it: the caller shows the detail as the tooltip.
    """
    return detail if language.code == "en" else language.text("app.error.technical")
