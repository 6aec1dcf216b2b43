"""The child list of the Rules and Time pages: the parent's choice survives a reload."""

from __future__ import annotations

from guardian.storage.profiles import ProfileSummary
from ui.widgets.child_picker import ChildPicker


def summary(profile_id: int, name: str) -> ProfileSummary:
    return ProfileSummary(id=profile_id, name=name, age=9, language="vi", is_default=False,
                          ports=(), clients=(), blocked_categories=(), rule_count=0)


def test_the_choice_survives_a_reload_and_filling_the_list_is_not_a_choice(qtbot) -> None:
    picker = ChildPicker()
    qtbot.addWidget(picker)
    changes: list[int] = []
    picker.currentIndexChanged.connect(changes.append)
    picker.set_children([summary(1, "An"), summary(2, "Binh")])
    assert picker.profile_id == 1 and changes == []
    picker.select(2)
    assert picker.profile_id == 2 and changes == [1]
    picker.set_children([summary(3, "Chi"), summary(1, "An"), summary(2, "Binh")])
    assert picker.profile_id == 2 and picker.currentText() == "Binh" and changes == [1]
    picker.set_children([summary(1, "An")])  # Binh was removed: the first child is shown
    assert picker.profile_id == 1
    picker.set_children([])
    assert picker.profile_id is None
