"""Rules page, second and third tabs: safe search, the child's details, and "why" for a site."""

from __future__ import annotations

from io import BytesIO

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLineEdit

from guardian.categories import CATEGORY_BITS
from guardian.domain_index import DomainIndex, IndexBuilder
from guardian.policy import load_policy
from guardian.storage.database import Database
from guardian.storage.profiles import add_rule, get_profile
from tests.ui.conftest import add_child, idle
from tests.ui.test_rules_page import open_rules


def child_policy(db: Database, profile_id: int):
    with db.begin() as session:
        household = load_policy(session, DomainIndex.EMPTY)
    return next(p for p in household.profiles if p.id == profile_id)


def test_safe_search_settings_saved_in_the_app_reach_the_filter(qtbot, make_app, db) -> None:
    an = add_child(db, "An", 9)
    assert child_policy(db, an).safe_search and child_policy(db, an).youtube == "strict"
    app, page = open_rules(qtbot, make_app, an)
    page.show_tab("protection")
    panel = page.protection
    qtbot.waitUntil(lambda: panel.loaded is not None)
    panel.safe_search.setChecked(False)
    assert not panel.unsafe.isEnabled()
    panel.youtube.setCurrentIndex(panel.youtube.findData("moderate"))
    assert panel.signup.isChecked(), "sign-ups ask a parent under 16"
    panel.signup.setChecked(False)
    with qtbot.waitSignal(panel.safe_search_saved, timeout=10_000):
        qtbot.mouseClick(panel.search_button, Qt.MouseButton.LeftButton)
    policy = child_policy(db, an)
    assert not policy.safe_search and policy.youtube == "moderate"
    assert not policy.social_signup
    idle(qtbot, app.tasks)
    explain_states = {row.id: row.state for row in page.explain.model.rows}
    assert explain_states, "the code's rules are listed for the child"


def test_details_are_stored_masked_and_checked(qtbot, make_app, db, shoot) -> None:
    an = add_child(db, "An", 9)
    app, page = open_rules(qtbot, make_app, an)
    page.show_tab("protection")
    panel = page.protection
    qtbot.waitUntil(lambda: panel.loaded is not None)
    assert "stay on this computer" in panel.local_note.text()
    phone = panel.fields["phone"]
    assert phone.echoMode() == QLineEdit.EchoMode.Password, "numbers are masked by default"
    phone.setText("12 34")
    qtbot.mouseClick(panel.details_button, Qt.MouseButton.LeftButton)
    assert panel.details_error.isVisible()
    assert panel.details_error.text() == "The phone needs at least 8 digits."
    assert child_policy(db, an).details is None, "nothing stored"
    phone.setText("0912 345 678")
    panel.fields["school"].setText("THCS Ba Đình")
    with qtbot.waitSignal(panel.details_saved, timeout=10_000):
        qtbot.mouseClick(panel.details_button, Qt.MouseButton.LeftButton)
    assert child_policy(db, an).details is not None
    assert "phone (••••••••••78)" in panel.recorded.text() and "0912" not in panel.recorded.text()
    panel.show_details.setChecked(True)
    assert phone.echoMode() == QLineEdit.EchoMode.Normal
    shoot(app.window, "rules-protection-en")
    with qtbot.waitSignal(panel.details_saved, timeout=10_000):
        qtbot.mouseClick(panel.clear_button, Qt.MouseButton.LeftButton)
    assert child_policy(db, an).details is None


def test_the_details_form_is_usable_from_the_keyboard(qtbot, make_app, db) -> None:
    an = add_child(db, "An", 9)
    app, page = open_rules(qtbot, make_app, an)
    page.show_tab("protection")
    panel = page.protection
    qtbot.waitUntil(lambda: panel.loaded is not None)
    name = panel.fields["full_name"]
    for field, label in panel.field_labels.items():
        assert "&" in app.language.text(f"app.protection.field.{field}"), "an Alt shortcut"
        assert label.buddy() is panel.fields[field]
    name.setFocus()
    qtbot.keyClicks(name, "Nguyen Van An")  # QTest types ASCII only
    assert name.text() == "Nguyen Van An"
    qtbot.keyClick(name, Qt.Key.Key_Tab)
    assert panel.fields["phone"].hasFocus()


def write_index(path, domain: str, category: str) -> None:
    builder = IndexBuilder()
    builder.add_domain(domain, CATEGORY_BITS[category])
    out = BytesIO()
    builder.write(out)
    path.write_bytes(out.getvalue())


def test_the_why_tab_names_the_decision_and_the_rule_of_the_code(qtbot, make_app, db,
                                                                  data_dir, shoot) -> None:
    an = add_child(db, "An", 9)
    write_index(data_dir.index_path, "casino.example", "gambling")
    with db.begin() as session:
        add_rule(session, get_profile(session, an), "block", "blocked.example")
    app, page = open_rules(qtbot, make_app, an)
    page.show_tab("explain")
    panel = page.explain
    qtbot.waitUntil(lambda: panel.model.rowCount() > 0)
    panel.url.setFocus()
    qtbot.keyClicks(panel.url, "https://www.casino.example/slots")
    qtbot.keyClick(panel.url, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: panel.last is not None)
    text = panel.result.text()
    assert "Blocked" in text and "Gambling" in text and panel.last.rule is not None
    assert panel.last.rule.id in text
    shoot(app.window, "rules-explain-en")
    panel.url.setText("blocked.example")
    panel.check()
    qtbot.waitUntil(lambda: panel.last is not None and panel.last.host == "blocked.example")
    assert "PARENT-5" in panel.result.text() and "Your block rule" in panel.result.text()
    app.choose_language("vi")
    assert "Bị chặn" in panel.result.text() or "Chặn" in panel.result.text()
    panel.url.setText("exa mple")
    panel.check()
    qtbot.waitUntil(panel.error.isVisible)
    assert "không phải" in panel.error.text(), "the error is in the app's language"
