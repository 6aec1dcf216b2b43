"""The rules of the Code of Conduct Guardian acts on, and whether each is on for one child.

The app's version of `guardian policy explain`: a row per rule, its state
(on, partly, off, not built yet) and the features of Guardian that serve it.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QColor

from guardian.conduct import CATEGORY_PREFIX, Catalog
from guardian.explain import RuleExplanation
from ui.language import Language
from ui.models.table_model import RowTableModel
from ui.styles import BAD_COLOUR, GOOD_COLOUR, WAIT_COLOUR

RULE, STATE, TEXT, FEATURES = range(4)
STATE_COLOURS = {"on": GOOD_COLOUR, "partly": WAIT_COLOUR, "off": BAD_COLOUR}


class ExplainModel(RowTableModel[RuleExplanation]):
    HEADER_KEYS = ("app.explain.column.rule", "app.explain.column.state",
                   "app.explain.column.text", "app.explain.column.features")

    def __init__(self, language: Language, catalog: Catalog,
                 parent: QObject | None = None) -> None:
        super().__init__(language, parent)
        self._catalog = catalog

    def feature_name(self, feature: str) -> str:
        if feature.startswith(CATEGORY_PREFIX):
            return self.language.category(feature.removeprefix(CATEGORY_PREFIX))
        return self.language.tr_known((f"app.explain.feature.{feature}",),
                                      feature.replace("_", " "))

    def display(self, row: RuleExplanation, column: int) -> str | None:
        if column == RULE:
            return row.id
        if column == STATE:
            return self.language.text(f"app.explain.state.{row.state}")
        if column == TEXT:
            return self._catalog.rule(row.id).text.get(self.language.code)
        if column == FEATURES:
            return ", ".join(self._feature_words(row))
        return None

    def _feature_words(self, row: RuleExplanation) -> list[str]:
        words = []
        for feature, state in row.features:
            words.append(self.language.text("app.explain.feature_state", feature=self.feature_name(
                feature), state=self.language.text(f"app.explain.state.{state}").lower()))
        return words

    def tooltip(self, row: RuleExplanation, column: int) -> str | None:
        if column == RULE:
            return self._catalog.rule(row.id).article
        if column in (TEXT, FEATURES):
            return "\n".join([self.display(row, TEXT) or "", *self._feature_words(row)])
        return None

    def other_data(self, row: RuleExplanation, column: int, role: int) -> Any:
        if column == STATE and role == Qt.ItemDataRole.ForegroundRole:
            colour = STATE_COLOURS.get(row.state)
            return QColor(colour) if colour else None
        return None
