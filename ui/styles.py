"""The few colours the app uses to say good, waiting and wrong, and a label for errors."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel

GOOD_COLOUR = "#1b6e2a"
WAIT_COLOUR = "#8a5a00"
BAD_COLOUR = "#b3261e"
ERROR_STYLE = f"color: {BAD_COLOUR};"


def error_label() -> QLabel:
    """A hidden, word-wrapped label in the error colour, shown when there is something to say."""
    label = QLabel()
    label.setWordWrap(True)
    label.setStyleSheet(ERROR_STYLE)
    label.hide()
    return label
