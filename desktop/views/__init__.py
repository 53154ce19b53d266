"""The views the main window hosts; each owns its widgets and asks ``models`` for data."""
