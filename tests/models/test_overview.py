"""The home page's figures and its list of latest changes."""

from __future__ import annotations

from datetime import date

from models.queries.overview import district_overview, event_label
from models.services.assets import create_asset, delete_asset
from models.services.depreciation import close_year
from models.services.roles import grant
from tests.db_fixtures import asset_values


def test_latest_changes_say_what_each_was_about(db, reference):
    create_asset(db, "clerk", asset_values(reference, "T-9", description="Kiln, Skutt KM-1227"))
    gone = create_asset(db, "clerk", asset_values(reference, "T-10"))
    delete_asset(db, "clerk", gone)
    grant(db, "setup", "pat", "finance")
    close_year(db, "pat", 2024, opening=True, today=date(2024, 8, 20))

    labels = [event.label for event in district_overview(db, recent_limit=10).recent]
    assert labels[:4] == ["FY2024", "finance role of pat", "asset T-10 (deleted)", "asset T-10 (deleted)"]
    assert "T-9 Kiln, Skutt KM-1227" in labels


def test_an_event_of_an_unknown_kind_still_reads():
    assert event_label("floor_plan", 4, '{"image": [null, "plan.png"]}') == "floor plan 4"
    assert event_label("user_role", 2, "not json") == "user role 2"
