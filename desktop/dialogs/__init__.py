"""Dialogs of the main window: connecting, conflicts, disposal, bulk changes."""
