"""The parent app under test: offscreen Qt, a real SQLite file, strict translations.

One-line factories for the app and its parts; `shoot()` saves what a widget
shows into tests/screenshots/app/ (not committed) for a person to look at.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtWidgets import QApplication, QWidget  # noqa: E402

from guardian import i18n  # noqa: E402
from guardian.datadir import DataDir  # noqa: E402
from guardian.storage.database import Database  # noqa: E402
from guardian.storage.profiles import add_profile  # noqa: E402
from ui.app import GuardianApp  # noqa: E402
from ui.filter_health import Health, Probe  # noqa: E402
from ui.language import Language  # noqa: E402
from ui.prefs import UiPrefs  # noqa: E402
from ui.tasks import Tasks  # noqa: E402

SCREENSHOTS = Path(__file__).resolve().parent.parent / "screenshots" / "app"
SCREEN_SIZE = (1366, 768)


@pytest.fixture(autouse=True)
def strict_messages(monkeypatch: pytest.MonkeyPatch) -> None:
    """A missing `app.` message fails the test instead of showing its key."""
    monkeypatch.setenv(i18n.STRICT_ENV, "1")


@pytest.fixture
def language() -> Language:
    return Language("en")


@pytest.fixture
def tasks(db: Database, qtbot) -> Iterator[Tasks]:
    runner = Tasks(db)
    yield runner
    assert runner.wait_for_idle()
    qtbot.waitUntil(lambda: not runner.busy, timeout=5000)


def idle(qtbot, tasks: Tasks, timeout: int = 10_000) -> None:
    """Wait until every background job has run and delivered its result."""
    qtbot.waitUntil(lambda: not tasks.busy, timeout=timeout)


def add_child(db: Database, name: str = "An", age: int = 9, **reach: object) -> int:
    with db.begin() as session:
        return add_profile(session, name, age, "vi", **reach).id  # type: ignore[arg-type]


def running_guardian_probe(host: str, port: int) -> Probe:
    """As if a healthy Guardian filter listened there: the app attaches, starts nothing."""
    return Probe(True, Health("0.1.0", True, 1, None))


@pytest.fixture
def make_app(data_dir: DataDir, db: Database, qtbot):
    """A whole app on the test's data folder; it never starts a real filter by default."""
    made: list[GuardianApp] = []

    def make(language_code: str = "en", **options: object) -> GuardianApp:
        options.setdefault("supervisor_options", {"probe": running_guardian_probe})
        app = GuardianApp(data_dir, db, UiPrefs.in_folder(data_dir.root), language_code,
                          **options)  # type: ignore[arg-type]
        qtbot.addWidget(app.window)
        made.append(app)
        return app

    yield make
    for app in made:
        app.shutdown(stop_filter=True)
        try:
            qtbot.waitUntil(lambda app=app: not app.tasks.busy, timeout=30_000)
        except Exception:
            print("PENDING", app.tasks.pending())
            raise


@pytest.fixture
def shoot() -> Callable[[QWidget, str], Path]:
    def save(widget: QWidget, name: str) -> Path:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        path = SCREENSHOTS / f"{name}.png"
        QApplication.processEvents()  # pending relayouts (a label's new text) first
        assert widget.grab().save(str(path)), f"could not save {path}"
        return path

    return save
