"""Run by `app_bench` in a process of its own: when is the first window usable?

`python -m benchmarks.app_probe MODE DATA_DIR` prints one JSON line with
`time.monotonic()` at the moment a top-level window is shown, exposed and
the event loop is turning, then quits. The caller noted the same clock
(system-wide on Linux) just before starting this process.

MODE `app` runs `guardian --data-dir DATA_DIR app` as a parent would (the
wizard on a first run, else the password prompt); `main` does the same and,
once the prompt shows, opens the main window as a login would, and waits
until its first page has loaded its data; `bare` shows an empty QWidget: the
cost of Python and Qt alone, side by side.
"""

from __future__ import annotations

import gc
import json
import sys
import time

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QWidget

POLL_MS = 5


def _usable(widget: QWidget) -> bool:
    handle = widget.windowHandle()
    return widget.isVisible() and handle is not None and handle.isExposed()


def main() -> int:
    mode, data_dir = sys.argv[1], sys.argv[2]
    app = QApplication.instance() or QApplication([sys.argv[0]])
    state: dict[str, object] = {}

    def report(**extra: object) -> None:
        print(json.dumps({"ready": time.monotonic(), **extra}), flush=True)
        QTimer.singleShot(0, app.quit)

    def poll() -> None:
        windows = [w for w in QApplication.topLevelWidgets() if _usable(w)]
        if not windows:
            return
        if mode != "main":
            timer.stop()
            report(window=type(windows[0]).__name__)
            return
        from ui.app import GuardianApp

        guardian_app = state.get("app") or next(
            (o for o in gc.get_objects() if isinstance(o, GuardianApp)), None)
        if guardian_app is None:
            return
        state["app"] = guardian_app
        if not state.get("opened"):
            state["opened"] = True
            state["prompt"] = time.monotonic()
            if guardian_app.login is not None:  # type: ignore[attr-defined]
                guardian_app.login.hide()  # type: ignore[attr-defined]
            guardian_app.show_main_window()  # type: ignore[attr-defined]
            return
        if _usable(guardian_app.window) and not guardian_app.tasks.busy:  # type: ignore[attr-defined]
            timer.stop()
            report(window="MainWindow", prompt=state["prompt"])

    timer = QTimer()
    timer.timeout.connect(poll)
    timer.start(POLL_MS)
    if mode == "bare":
        widget = QWidget()
        widget.resize(800, 600)
        widget.show()
        return app.exec()
    from guardian.cli import main as guardian_cli

    return guardian_cli(["--data-dir", data_dir, "app"])


if __name__ == "__main__":
    sys.exit(main())
