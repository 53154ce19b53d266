"""The asset editor (a dialog over one asset)."""

from desktop.editor.dialog import AssetEditor

__all__ = ["AssetEditor"]
