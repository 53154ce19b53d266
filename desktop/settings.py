"""The user's settings (window geometry, column layouts, recent connections, saved choices).

An INI file in the platform's config folder (``COMMONGROUND_HOME`` moves it, as it
moves the data), never the Windows registry, so IT can copy or reset it and tests
never touch the real user's settings.
"""

from __future__ import annotations

from PySide6.QtCore import QSettings

from models.paths import config_dir


def app_settings() -> QSettings:
    return QSettings(str(config_dir() / "settings.ini"), QSettings.Format.IniFormat)
