"""Lists page: importing from a file (through the shared import flow) and updating."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QDialogButtonBox

from guardian.known_sites import known_count
from guardian.list_import import imported_lists
from guardian.storage.database import Database
from guardian.storage.policy_version import policy_version
from tests.ui.conftest import idle


def sources(db: Database) -> list[tuple[str, str, int]]:
    with db.begin() as session:
        return [(s.location, s.category, s.domains) for s in imported_lists(session)]


def test_import_a_list_from_a_file_then_update_it(qtbot, make_app, db, tmp_path, shoot) -> None:
    listing = tmp_path / "gambling.txt"
    listing.write_text("casino.example\npoker.example\nnot a domain!\n")
    app = make_app()
    app.show_main_window()
    page = app.window.show_page("lists")
    idle(qtbot, app.tasks)
    assert page.empty.isVisible()
    assert f"already knows {known_count()} well-known sites" in page.builtin.text()
    with db.begin() as session:
        before = policy_version(session)
    dialog = page.open_import(from_url=False)
    dialog.location.setText(str(listing))
    dialog.category.setCurrentIndex(dialog.category.findData("gambling"))
    shoot(dialog, "list-import-en")
    with qtbot.waitSignal(page.lists_imported, timeout=20_000):
        dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).click()
    assert sources(db) == [(str(listing), "gambling", 2)]
    with db.begin() as session:
        assert policy_version(session) > before
    assert "Imported 2 domains" in page.result.text()
    assert "1 lines" in page.result.text() or "Skipped 1" in page.result.text()
    qtbot.waitUntil(lambda: page.model.rowCount() == 1)
    assert page.model.data(page.model.index(0, 0)) == "Gambling"

    listing.write_text("casino.example\npoker.example\nslots.example\n")
    page.table.selectRow(0)
    assert page.update_button.isEnabled()
    with qtbot.waitSignal(page.lists_imported, timeout=20_000):
        page.update_button.click()
    assert sources(db) == [(str(listing), "gambling", 3)], "updated in place"
    shoot(app.window, "lists-en")


def test_an_unusable_list_is_refused_in_the_dialog(qtbot, make_app, db, tmp_path: Path) -> None:
    empty = tmp_path / "empty.txt"
    empty.write_text("# nothing here\n")
    app = make_app()
    page = app.lists
    dialog = page.open_import(from_url=False)
    dialog.location.setText(str(empty))
    dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).click()
    qtbot.waitUntil(lambda: dialog.error.isVisible(), timeout=20_000)
    assert dialog.isVisible() and dialog.buttons.isEnabled()
    assert sources(db) == []
    url_dialog = page.open_import(from_url=True)
    url_dialog.location.setText("ftp://example.org/list.txt")
    url_dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).click()
    assert "http://" in url_dialog.error.text()
    dialog.reject()
    url_dialog.reject()
