"""The background-task helper: work off the UI thread, results on it, writes in order."""

from __future__ import annotations

import threading
import time

from PySide6.QtWidgets import QWidget

from guardian.errors import NotFound
from guardian.storage.policy_version import policy_version
from tests.ui.conftest import idle
from ui.tasks import Tasks


def test_work_runs_on_a_worker_and_the_result_comes_back_on_the_main_thread(qtbot, tasks) -> None:
    main = threading.get_ident()
    seen: dict[str, int] = {}

    def work() -> int:
        seen["worker"] = threading.get_ident()
        return 42

    def done(value: int) -> None:
        seen["callback"] = threading.get_ident()
        seen["value"] = value

    tasks.run(work, done)
    idle(qtbot, tasks)
    assert seen["worker"] != main
    assert seen["callback"] == main
    assert seen["value"] == 42


def test_writes_run_one_at_a_time_in_the_order_they_were_made(qtbot, tasks: Tasks) -> None:
    order: list[int] = []
    running = []

    def write(n: int):
        def job(session) -> int:
            running.append(n)
            assert len(running) == 1, "two writes at once"
            time.sleep(0.01)
            running.remove(n)
            return n
        return job

    for n in range(10):
        tasks.write(write(n), order.append)
    idle(qtbot, tasks)
    assert order == list(range(10))


def test_a_query_gets_its_own_transaction(qtbot, tasks: Tasks) -> None:
    found: list[int] = []
    tasks.query(policy_version, found.append)
    idle(qtbot, tasks)
    assert found and found[0] >= 1


def test_errors_go_to_on_failed_or_to_the_task_failed_signal(qtbot, tasks: Tasks) -> None:
    caught: list[BaseException] = []

    def fail() -> None:
        raise NotFound("no profile named 'Zed'")

    tasks.run(fail, on_failed=caught.append)
    idle(qtbot, tasks)
    assert isinstance(caught[0], NotFound)
    with qtbot.waitSignal(tasks.task_failed) as signal:
        tasks.run(fail)
    assert signal.args == ["no profile named 'Zed'"]


def test_a_deleted_owner_gets_no_callback(qtbot, tasks: Tasks) -> None:
    owner = QWidget()
    called = []
    release = threading.Event()
    tasks.run(lambda: release.wait(5), called.append, owner=owner)
    owner.deleteLater()
    qtbot.waitUntil(lambda: not _alive(owner))
    release.set()
    idle(qtbot, tasks)
    assert called == []


def _alive(widget: QWidget) -> bool:
    import shiboken6

    return shiboken6.isValid(widget)
