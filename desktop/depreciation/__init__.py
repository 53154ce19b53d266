"""Widgets of the Depreciation view: tables, the drill-down dialog, the asset schedule panel."""
