"""The app's own preferences: window geometry, the last page, the filter's address.

Typed accessors over `QSettings`, kept in an INI file in Guardian's data
folder so that two installs (or a test's temporary folder) never share them.
The household policy is not here: it lives in the database.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QByteArray, QSettings

from guardian.cli.proxy import DEFAULT_LISTEN, parse_listen
from guardian.errors import UsageError

FILE_NAME = "app.ini"


class UiPrefs:
    def __init__(self, settings: QSettings) -> None:
        self._settings = settings

    @classmethod
    def in_folder(cls, folder: Path) -> UiPrefs:
        return cls(QSettings(str(folder / FILE_NAME), QSettings.Format.IniFormat))

    @property
    def filter_listen(self) -> str:
        """HOST:PORT of the filter the app starts or attaches to."""
        value = str(self._settings.value("filter/listen", DEFAULT_LISTEN))
        try:
            parse_listen(value)
        except UsageError:
            return DEFAULT_LISTEN
        return value

    @filter_listen.setter
    def filter_listen(self, value: str) -> None:
        parse_listen(value)  # refuse a bad address here, not when the filter starts
        self._settings.setValue("filter/listen", value)

    @property
    def window_geometry(self) -> QByteArray | None:
        value = self._settings.value("window/geometry")
        return value if isinstance(value, QByteArray) else None

    @window_geometry.setter
    def window_geometry(self, value: QByteArray) -> None:
        self._settings.setValue("window/geometry", value)

    @property
    def last_page(self) -> int:
        try:
            return max(0, int(str(self._settings.value("window/last_page", 0))))
        except (TypeError, ValueError):
            return 0

    @last_page.setter
    def last_page(self, value: int) -> None:
        self._settings.setValue("window/last_page", int(value))

    def sync(self) -> None:
        self._settings.sync()
