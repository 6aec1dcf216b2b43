"""Time page: budgets, allowed hours, templates and extra time are stored for the chosen child."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import select

from guardian.schedule import TEMPLATES
from guardian.storage.database import Database
from guardian.storage.models import TimeGrant
from guardian.storage.profiles import get_profile
from guardian.storage.screen_time import list_budgets, list_hours
from tests.ui.conftest import SCREEN_SIZE, add_child, idle
from ui.language import Language
from ui.models.time_model import BudgetRow, BudgetsModel


def budgets(db: Database, profile_id: int) -> list[tuple[str, str, int]]:
    with db.begin() as session:
        return [(b.scope, b.key, b.minutes)
                for b in list_budgets(session, get_profile(session, profile_id))]


def hours(db: Database, profile_id: int) -> dict[str, list[str]]:
    with db.begin() as session:
        return list_hours(session, get_profile(session, profile_id))


def open_time(qtbot, make_app, child: int, language_code: str = "en"):
    app = make_app(language_code)
    app.show_main_window()
    page = app.window.show_page("time")
    qtbot.waitUntil(lambda: page.child.count() > 0, timeout=10_000)
    page.select_child(child)
    qtbot.waitUntil(lambda: page.profile_id == child)
    idle(qtbot, app.tasks)
    return app, page


def test_a_budget_set_in_the_page_is_stored_and_shown(qtbot, make_app, db) -> None:
    an = add_child(db, "An", 16)  # no preset budgets at this age? whatever is there stays
    before = budgets(db, an)
    app, page = open_time(qtbot, make_app, an)
    page.scope.setCurrentIndex(page.scope.findData("site"))
    page.site.setText("YouTube.com")
    page.minutes.setValue(45)
    with qtbot.waitSignal(page.time_saved, timeout=10_000):
        page.set_button.click()
    assert ("site", "youtube.com", 45) in budgets(db, an)
    assert len(budgets(db, an)) == len(before) + 1
    qtbot.waitUntil(lambda: any(r.key == "youtube.com" for r in page.budgets.rows))
    row = next(i for i, r in enumerate(page.budgets.rows) if r.key == "youtube.com")
    assert page.budgets.data(page.budgets.index(row, 2)) == "0 of 45 min"
    assert page.budgets.data(page.budgets.index(row, 3)) == "PARENT-5"

    # Change it, then remove it.
    page.minutes.setValue(30)
    with qtbot.waitSignal(page.time_saved, timeout=10_000):
        page.set_button.click()
    assert ("site", "youtube.com", 30) in budgets(db, an)
    idle(qtbot, app.tasks)
    row = next(i for i, r in enumerate(page.budgets.rows) if r.key == "youtube.com")
    page.budgets_view.selectRow(row)
    with qtbot.waitSignal(page.time_saved, timeout=10_000):
        page.remove_button.click()
    assert budgets(db, an) == before


def test_a_games_budget_cites_the_decree(qtbot, make_app, db) -> None:
    an = add_child(db, "An", 9)
    app, page = open_time(qtbot, make_app, an)
    page.scope.setCurrentIndex(page.scope.findData("category"))
    page.category.setCurrentIndex(page.category.findData("games"))
    page.minutes.setValue(50)
    with qtbot.waitSignal(page.time_saved, timeout=10_000):
        page.set_button.click()
    assert ("category", "games", 50) in budgets(db, an)
    idle(qtbot, app.tasks)
    row = next(i for i, r in enumerate(page.budgets.rows)
               if (r.scope, r.key) == ("category", "games"))
    assert "Decree 147/2024" in page.budgets.data(page.budgets.index(row, 3))


def test_invalid_hours_show_an_error_and_store_nothing(qtbot, make_app, db) -> None:
    an = add_child(db, "An")
    app, page = open_time(qtbot, make_app, an)
    page.day_edits[0].setText("7am-9pm")
    page.save_hours_button.click()
    assert page.hours_error.isVisible()
    assert "7am-9pm" in page.hours_error.text()
    idle(qtbot, app.tasks)
    assert hours(db, an) == {}


def test_hours_typed_per_day_are_stored(qtbot, make_app, db) -> None:
    an = add_child(db, "An")
    app, page = open_time(qtbot, make_app, an)
    page.day_edits[0].setText("07:00-12:00, 14:00-20:30")
    page.day_edits[5].setText("no limit")
    with qtbot.waitSignal(page.time_saved, timeout=10_000):
        page.save_hours_button.click()
    assert hours(db, an) == {"mon": ["07:00-12:00", "14:00-20:30"]}
    assert not page.hours_error.isVisible()


def test_a_template_fills_the_grid_and_is_stored(qtbot, make_app, db) -> None:
    an = add_child(db, "An")
    app, page = open_time(qtbot, make_app, an)
    with qtbot.waitSignal(page.time_saved, timeout=10_000):
        page.template_buttons["school-nights"].click()
    stored = hours(db, an)
    days, _ranges = TEMPLATES["school-nights"]
    assert set(stored) == {("mon", "tue", "wed", "thu", "fri", "sat", "sun")[d] for d in days}
    assert stored["sun"] == ["06:00-21:00"]
    qtbot.waitUntil(lambda: page.day_edits[6].text() == "06:00-21:00", timeout=10_000)
    assert page.day_edits[4].text() == ""  # Friday is not a school night


def test_extra_time_today_is_stored(qtbot, make_app, db) -> None:
    an = add_child(db, "An")
    app, page = open_time(qtbot, make_app, an)
    page.extra_minutes.setValue(20)
    page.extra_category.setCurrentIndex(page.extra_category.findData("games"))
    with qtbot.waitSignal(page.time_saved, timeout=10_000):
        page.grant_button.click()
    with db.begin() as session:
        grants = [(g.scope, g.key, g.minutes, g.day)
                  for g in session.scalars(select(TimeGrant).where(TimeGrant.profile_id == an))]
    assert len(grants) == 1
    scope, key, minutes, day = grants[0]
    assert (scope, key, minutes) == ("category", "games", 20)
    assert abs((datetime.fromisoformat(day).date() - datetime.now(UTC).date()).days) <= 1


def test_budgets_model_passes_the_model_tester(qtmodeltester) -> None:
    language = Language("en")
    model = BudgetsModel(language)
    model.set_rows([BudgetRow("total", "", 120, 30), BudgetRow("each_site", "games", 60, None),
                    BudgetRow("category", "games", 60, 5), BudgetRow("site", "a.vn", 10, 0)])
    qtmodeltester.check(model, force_py=True)
    assert model.data(model.index(1, 2)) == "—"


def test_both_languages_and_screenshots(qtbot, make_app, db, shoot) -> None:
    an = add_child(db, "An", 9)
    app, page = open_time(qtbot, make_app, an)
    page.day_edits[6].setText("06:00-21:00")
    app.window.resize(*SCREEN_SIZE)
    idle(qtbot, app.tasks)
    english = (page.budgets_box.title(), page.save_hours_button.text(),
               page.budgets.headerData(0, page.budgets_view.horizontalHeader().orientation()))
    assert english[1] == "Sa&ve hours"
    qtbot.wait(100)
    shoot(app.window, "time-en")
    app.language.set_code("vi")
    vietnamese = (page.budgets_box.title(), page.save_hours_button.text(),
                  page.budgets.headerData(0, page.budgets_view.horizontalHeader().orientation()))
    assert all(e != v for e, v in zip(english, vietnamese, strict=True))
    assert page.title == "Thời gian"
    qtbot.wait(100)  # let the layouts take the new texts' sizes
    shoot(app.window, "time-vi")
