"""The desktop application: the only package that imports Qt."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("commonground")
except PackageNotFoundError:  # running from a frozen bundle without metadata
    __version__ = "0.1.0"
