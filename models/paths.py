"""Every file location the app uses, from one place.

``COMMONGROUND_HOME`` (or the ``--basedir`` option, which sets it) moves all
data and settings under one folder: tests and smoke runs use a temporary one.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

APP_NAME = "CommonGround"
APP_AUTHOR = "CommonGround"
HOME_ENV = "COMMONGROUND_HOME"


def _base_override() -> Path | None:
    value = os.environ.get(HOME_ENV)
    return Path(value) if value else None


def _folder(kind: str) -> Path:
    """``kind`` is data, config or logs: under the override, or where the OS keeps such files."""
    base = _base_override()
    if base is not None:
        path = base / kind
    else:
        import platformdirs

        finder = {
            "data": platformdirs.user_data_dir,
            "config": platformdirs.user_config_dir,
            "logs": platformdirs.user_log_dir,
        }[kind]
        path = Path(finder(APP_NAME, APP_AUTHOR))
    path.mkdir(parents=True, exist_ok=True)
    return path


def data_dir() -> Path:
    return _folder("data")


def config_dir() -> Path:
    return _folder("config")


def log_dir() -> Path:
    return _folder("logs")


def default_database_path() -> Path:
    return data_dir() / "commonground.sqlite3"


def demo_database_path() -> Path:
    return data_dir() / "demo.sqlite3"


def resources_dir() -> Path:
    """``resources/`` beside the packages, or inside a frozen bundle."""
    frozen_root = getattr(sys, "_MEIPASS", None)
    if frozen_root:
        return Path(frozen_root) / "resources"
    return Path(__file__).resolve().parent.parent / "resources"


def migrations_dir() -> Path:
    return Path(__file__).resolve().parent / "migrations"
