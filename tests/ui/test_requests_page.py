"""Requests page: answering a child's request changes the policy; new requests are noticed."""

from __future__ import annotations

import time
from datetime import UTC, datetime

from sqlalchemy import select

from guardian.storage.access_requests import (
    create_report,
    create_request,
    list_reports,
    list_requests,
)
from guardian.storage.database import Database
from guardian.storage.models import Rule, TimeGrant
from guardian.tokens import TokenClaims, new_nonce
from tests.ui.conftest import SCREEN_SIZE, add_child, idle
from ui.language import Language
from ui.models.requests_model import ReportsModel, RequestsModel


def ask(db: Database, profile_id: int, host: str = "games.example", *, kind: str = "site",
        scope: str = "", key: str = "", message: str = "For homework, please") -> int:
    claims = TokenClaims(profile_id, "ask", kind, host, "/", scope, key, None,
                         int(time.time()) + 600, new_nonce())
    with db.begin() as session:
        return create_request(session, claims, message)


def report(db: Database, profile_id: int, host: str = "wrong.example") -> int:
    claims = TokenClaims(profile_id, "report", "page", host, "/page", "", "", "games",
                         int(time.time()) + 600, new_nonce())
    with db.begin() as session:
        return create_report(session, claims, "This is a school site")


def statuses(db: Database) -> dict[int, tuple[str, str | None]]:
    with db.begin() as session:
        return {r.id: (r.status, r.answer) for r in list_requests(session)}


def open_requests(qtbot, make_app, language_code: str = "en"):
    app = make_app(language_code)
    app.show_main_window()
    page = app.window.show_page("requests")
    idle(qtbot, app.tasks)
    return app, page


def test_approve_a_site_for_15_minutes(qtbot, make_app, db) -> None:
    an = add_child(db, "An")
    request = ask(db, an)
    app, page = open_requests(qtbot, make_app)
    qtbot.waitUntil(lambda: page.pending.rowCount() == 1, timeout=10_000)
    assert page.pending.data(page.pending.index(0, 1)) == "Site: games.example"
    assert page.pending.data(page.pending.index(0, 2)) == "For homework, please"
    assert not page.answer_buttons["15m"].isEnabled()
    page.pending_view.selectRow(0)
    before = datetime.now(UTC)
    with qtbot.waitSignal(page.request_answered, timeout=10_000):
        page.answer_buttons["15m"].click()
    assert statuses(db)[request] == ("approved", "15m")
    with db.begin() as session:
        rule = session.scalars(select(Rule).where(Rule.profile_id == an)).one()
        assert (rule.action, rule.host) == ("allow", "games.example")
        assert rule.expires_at is not None
        minutes = (rule.expires_at.replace(tzinfo=UTC) - before).total_seconds() / 60
        assert 14 < minutes < 16
    qtbot.waitUntil(lambda: page.pending.rowCount() == 0 and page.answered.rowCount() == 1,
                    timeout=10_000)
    assert page.answered.data(page.answered.index(0, 4)) == "Allowed (15 minutes)"


def test_approve_more_time_for_an_hour_grants_it(qtbot, make_app, db) -> None:
    an = add_child(db, "An")
    request = ask(db, an, "", kind="time", scope="total")
    app, page = open_requests(qtbot, make_app)
    qtbot.waitUntil(lambda: page.pending.rowCount() == 1, timeout=10_000)
    assert page.pending.data(page.pending.index(0, 1)) == "More time: Everything"
    page.select_request(request)
    with qtbot.waitSignal(page.request_answered, timeout=10_000):
        page.answer_buttons["60m"].click()
    with db.begin() as session:
        grant = session.scalars(select(TimeGrant).where(TimeGrant.profile_id == an)).one()
        assert (grant.scope, grant.minutes) == ("total", 60)
    assert statuses(db)[request] == ("approved", "60m")


def test_deny(qtbot, make_app, db) -> None:
    an = add_child(db, "An")
    request = ask(db, an)
    app, page = open_requests(qtbot, make_app)
    qtbot.waitUntil(lambda: page.pending.rowCount() == 1, timeout=10_000)
    page.select_request(request)
    with qtbot.waitSignal(page.request_answered, timeout=10_000):
        page.deny_button.click()
    assert statuses(db)[request] == ("denied", None)
    with db.begin() as session:
        assert session.scalars(select(Rule).where(Rule.profile_id == an)).all() == []
    qtbot.waitUntil(lambda: page.answered.rowCount() == 1, timeout=10_000)


def test_a_new_request_is_noticed_by_the_poll(qtbot, make_app, db) -> None:
    an = add_child(db, "An")
    app, page = open_requests(qtbot, make_app)
    page.timer.setInterval(100)
    qtbot.waitUntil(lambda: page._known is not None, timeout=10_000)
    title = app.window.navigation.item(app.window.pages.index(page)).text()
    with qtbot.waitSignal(page.requests_arrived, timeout=10_000) as arrived:
        ask(db, an, "new.example")
    assert [r.host for r in arrived.args[0]] == ["new.example"]
    assert page.pending.rowCount() == 1
    assert app.window.navigation.item(app.window.pages.index(page)).text() == title + " (1)"
    assert "new.example" in page.notification(arrived.args[0])
    # Without a tray (offscreen) the notification goes to the status bar.
    assert "new.example" in app.window.statusBar().currentMessage()


def test_a_new_report_is_a_notification_for_the_parent(qtbot, make_app, db) -> None:
    an = add_child(db, "An")
    report(db, an, "old.example")  # there before the app opened: listed, not announced
    app, page = open_requests(qtbot, make_app)
    page.timer.setInterval(100)
    qtbot.waitUntil(lambda: page._known_reports is not None, timeout=10_000)
    with qtbot.waitSignal(page.reports_arrived, timeout=10_000) as arrived:
        report(db, an, "scary.example")
    assert [r.host for r in arrived.args[0]] == ["scary.example"]
    assert app.window.statusBar().currentMessage() == (
        "An reported a page as harmful: scary.example/page")
    app.language.set_code("vi")
    assert page.report_notification(arrived.args[0] * 2) == "Các con đã báo cáo 2 trang có hại"


def test_reports_are_listed(qtbot, make_app, db) -> None:
    an = add_child(db, "An")
    report(db, an)
    app, page = open_requests(qtbot, make_app)
    qtbot.waitUntil(lambda: page.reports.rowCount() == 1, timeout=10_000)
    assert page.reports.data(page.reports.index(0, 1)) == "wrong.example/page"
    assert page.reports.data(page.reports.index(0, 3)) == "This is a school site"


def test_models_pass_the_model_tester(qtmodeltester, db) -> None:
    an = add_child(db, "An")
    ask(db, an)
    ask(db, an, "", kind="time", scope="category", key="games")
    report(db, an)
    with db.begin() as session:
        requests, reports = list_requests(session), list_reports(session)
    language = Language("en")
    model = RequestsModel(language)
    model.set_rows(requests)
    qtmodeltester.check(model, force_py=True)
    reports_model = ReportsModel(language)
    reports_model.set_rows(reports)
    qtmodeltester.check(reports_model, force_py=True)


def test_both_languages_and_screenshots(qtbot, make_app, db, shoot) -> None:
    an = add_child(db, "An")
    binh = add_child(db, "Binh", 14)
    ask(db, an)
    ask(db, binh, "", kind="time", scope="category", key="games", message="One more match")
    first = ask(db, an, "wiki.example")
    app, page = open_requests(qtbot, make_app)
    qtbot.waitUntil(lambda: page.pending.rowCount() == 3, timeout=10_000)
    page.select_request(first)
    with qtbot.waitSignal(page.request_answered, timeout=10_000):
        page.answer_buttons["always"].click()
    qtbot.waitUntil(lambda: page.answered.rowCount() == 1, timeout=10_000)
    page.pending_view.selectRow(0)
    app.window.resize(*SCREEN_SIZE)
    qtbot.wait(100)
    english = (page.deny_button.text(), page.pending_box.title(),
               page.pending.data(page.pending.index(0, 4)))
    shoot(app.window, "requests-en")
    app.language.set_code("vi")
    vietnamese = (page.deny_button.text(), page.pending_box.title(),
                  page.pending.data(page.pending.index(0, 4)))
    assert all(e != v for e, v in zip(english, vietnamese, strict=True))
    assert page.title.startswith("Yêu cầu")
    qtbot.wait(100)
    shoot(app.window, "requests-vi")
