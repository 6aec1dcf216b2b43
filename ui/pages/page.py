"""What the main window needs from a page: a title, texts that follow the language, a reload."""

from __future__ import annotations

from typing import ClassVar

from PySide6.QtWidgets import QWidget

from ui.language import Language


class Page(QWidget):
    TITLE_KEY: ClassVar[str] = ""
    OBJECT_NAME: ClassVar[str] = ""  # stable, for tests and screenshots

    def __init__(self, language: Language, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.language = language
        self.setObjectName(self.OBJECT_NAME or type(self).__name__)

    @property
    def title(self) -> str:
        return self.language.text(self.TITLE_KEY)

    def retranslate(self) -> None:
        """Set every visible text again in the current language."""

    def refresh(self) -> None:
        """Load what the page shows again (on a worker); called when the page is shown."""
