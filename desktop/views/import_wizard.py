"""File ▸ Import…: ``open_import_wizard(parent, db)`` opens the spreadsheet import wizard."""

from desktop.importing.wizard import ImportWizard, open_import_wizard

__all__ = ["ImportWizard", "open_import_wizard"]
