"""ChildPicker: the "Child:" list at the top of a page that works on one child at a time."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtWidgets import QComboBox, QWidget

from guardian.storage.profiles import ProfileSummary


class ChildPicker(QComboBox):
    """Each child by name, keyed by profile id; the choice survives a reload of the list.

    `currentIndexChanged` fires when the parent picks another child, not while
    the list is being filled.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setMinimumContentsLength(16)

    @property
    def profile_id(self) -> int | None:
        value = self.currentData()
        return int(value) if value is not None else None

    def select(self, profile_id: int) -> None:
        index = self.findData(profile_id)
        if index >= 0:
            self.setCurrentIndex(index)

    def set_children(self, children: Sequence[ProfileSummary]) -> None:
        chosen = self.profile_id
        self.blockSignals(True)
        self.clear()
        for summary in children:
            self.addItem(summary.name, summary.id)
        if chosen is not None and (index := self.findData(chosen)) >= 0:
            self.setCurrentIndex(index)
        self.blockSignals(False)
