"""The app's current language, and its texts through `guardian.i18n`.

The app uses the same TOML catalogues as the child's pages (keys under
`app.`), not Qt's translator. Every widget takes the `Language` in its
constructor, sets its texts in a `retranslate()` method, and `ui/app.py`
calls that again when `language_changed` fires, so that a switch between
Vietnamese and English is live.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal

from guardian.i18n import LANGUAGES, catalogue, normalize_language, translate


class Language(QObject):
    language_changed = Signal(str)

    def __init__(self, code: str, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._code = normalize_language(code)

    @property
    def code(self) -> str:
        return self._code

    def set_code(self, code: str) -> None:
        code = normalize_language(code)
        if code != self._code:
            self._code = code
            self.language_changed.emit(code)

    def text(self, key: str, /, **params: object) -> str:
        """The message `key` in the current language."""
        return translate(self._code, key, **params)

    def category(self, code: str) -> str:
        return translate(self._code, f"category.{code}")

    def language_name(self, code: str) -> str:
        """A language's name in itself, so a parent can always find their own."""
        return translate(code, "app.language_name") if code in LANGUAGES else code

    def tr_known(self, keys: tuple[str, ...], fallback: str) -> str:
        """The first of `keys` the catalogue has, else `fallback` as it is.

        For codes other parts of Guardian may add later (a new decision
        reason, say): the app shows the code rather than failing.
        """
        messages = catalogue(self._code)
        for key in keys:
            if key in messages:
                return translate(self._code, key)
        return fallback
