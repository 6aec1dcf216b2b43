"""Weekly summary page: a demo household's week, as `weekly_summary` computes it, saved."""

from __future__ import annotations

from datetime import UTC, datetime
from html import escape
from zoneinfo import ZoneInfo

import pytest
from PySide6.QtWidgets import QApplication

from guardian.datadir import resolve_data_dir
from guardian.demo import create_demo_household
from guardian.reports import IsoWeek, weekly_summary
from guardian.storage.database import open_database
from guardian.storage.profiles import find_profile
from guardian.storage.settings import HOUSEHOLD_TIMEZONE, set_setting
from tests.ui.conftest import SCREEN_SIZE, idle, running_guardian_probe
from ui.app import GuardianApp
from ui.language import Language
from ui.models.weekly_models import BlockGroupModel, CategoryTimeModel, SiteTimeModel
from ui.pages.weekly import WeeklyPage
from ui.prefs import UiPrefs

HCM = ZoneInfo("Asia/Ho_Chi_Minh")


@pytest.fixture(scope="module")
def demo():
    """The demo household (An, Binh, Chi), its weeks up to now, in Ho Chi Minh City time."""
    import tempfile
    from pathlib import Path

    with tempfile.TemporaryDirectory() as folder:
        data_dir = resolve_data_dir(Path(folder) / "data").ensure()
        db = open_database(data_dir.database_url)
        with db.begin() as session:
            set_setting(session, HOUSEHOLD_TIMEZONE, "Asia/Ho_Chi_Minh")
            create_demo_household(session, datetime.now(UTC), HCM)
        yield data_dir, db
        db.close()


def expected(db, name: str, week: IsoWeek, language: str):
    with db.begin() as session:
        return weekly_summary(session, find_profile(session, name), week, HCM, language)


@pytest.fixture(params=["en", "vi"])
def weekly(request, qtbot, demo):
    data_dir, db = demo
    app = GuardianApp(data_dir, db, UiPrefs.in_folder(data_dir.root), request.param,
                      supervisor_options={"probe": running_guardian_probe})
    qtbot.addWidget(app.window)
    if not any(p.objectName() == "weekly" for p in app.window.pages):
        app.window.add_page(WeeklyPage(app.language, app.tasks))  # as ui/app.py would
    app.window.resize(*SCREEN_SIZE)
    app.show_main_window()
    page = app.window.show_page("weekly")
    qtbot.waitUntil(lambda: page.summary is not None, timeout=20_000)
    yield app, page, db, request.param
    app.shutdown()
    idle(qtbot, app.tasks)


def test_the_page_shows_the_last_complete_week_as_weekly_summary_does(qtbot, weekly,
                                                                      shoot) -> None:
    app, page, db, language = weekly
    last = IsoWeek.last_complete(datetime.now(UTC), HCM)
    shown = page.summary
    assert shown.week == str(last) and shown.language == language
    direct = expected(db, shown.profile, last, language)
    assert shown.total_minutes == direct.total_minutes > 0
    assert shown.prompts == direct.prompts and len(shown.prompts) >= 2
    assert page.categories.rows == direct.categories
    assert page.sites_by_time.rows == direct.top_sites_by_time
    assert page.sites_by_visits.rows == direct.top_sites_by_visits
    assert page.blocks.rows == direct.blocks
    assert page.chart.chart is not None and len(page.chart.chart.rects) == 7
    assert str(last) in page.week_label.text()
    for prompt in direct.prompts:
        assert escape(prompt.text) in page.prompts.text()
        assert escape(prompt.rule_text) in page.prompts.text()
    QApplication.processEvents()
    shoot(app.window, f"weekly-{language}")
    page.scroll_area.verticalScrollBar().setValue(page.scroll_area.verticalScrollBar().maximum())
    QApplication.processEvents()
    shoot(app.window, f"weekly-{language}-end")


def test_switching_child_and_week_updates_the_page(qtbot, weekly) -> None:
    app, page, db, language = weekly
    first = page.summary
    other = next(i for i in range(page.child.count()) if page.child.itemText(i) != first.profile)
    name = page.child.itemText(other)
    page.child.setCurrentIndex(other)
    qtbot.waitUntil(lambda: page.summary.profile == name, timeout=20_000)
    week = IsoWeek.parse(first.week)
    assert page.summary.total_minutes == expected(db, name, week, language).total_minutes
    page.previous_button.click()
    qtbot.waitUntil(lambda: page.summary.week == str(week.previous()), timeout=20_000)
    direct = expected(db, name, week.previous(), language)
    assert page.summary.total_minutes == direct.total_minutes > 0
    assert page.summary.prompts == direct.prompts
    page.next_button.click()
    qtbot.waitUntil(lambda: page.summary.week == str(week), timeout=20_000)


def test_saving_html_and_pdf_writes_the_childs_summary(qtbot, weekly, tmp_path) -> None:
    app, page, db, language = weekly
    name = page.summary.profile
    assert name in page.default_file_name("pdf")
    html = tmp_path / "week.html"
    with qtbot.waitSignal(page.file_saved, timeout=20_000):
        page.save_html(html)
    assert name in html.read_text(encoding="utf-8")
    pdf = tmp_path / "week.pdf"
    with qtbot.waitSignal(page.file_saved, timeout=30_000):
        page.save_pdf(pdf)
    data = pdf.read_bytes()
    assert data.startswith(b"%PDF")
    assert str(pdf) in page.status.text()


def test_the_dialog_choice_saves_there(qtbot, weekly, tmp_path, monkeypatch) -> None:
    app, page, db, language = weekly
    target = tmp_path / "chosen.html"
    monkeypatch.setattr("ui.pages.weekly.QFileDialog.getSaveFileName",
                        lambda *args: (str(target), "HTML (*.html)"))
    with qtbot.waitSignal(page.file_saved, timeout=20_000):
        page.save_html_button.click()
    assert page.summary.profile in target.read_text(encoding="utf-8")


@pytest.mark.parametrize("code", ["en", "vi"])
def test_the_models_pass_the_model_tester(qtmodeltester, demo, code) -> None:
    _data_dir, db = demo
    summary = expected(db, "An", IsoWeek.last_complete(datetime.now(UTC), HCM), code)
    language = Language(code)
    for model, rows in ((CategoryTimeModel(language), summary.categories),
                        (SiteTimeModel(language), summary.top_sites_by_time),
                        (SiteTimeModel(language), summary.top_sites_by_visits),
                        (BlockGroupModel(language), summary.blocks)):
        assert rows
        model.set_rows(rows)
        qtmodeltester.check(model)
        model.set_rows([])
        qtmodeltester.check(model)
