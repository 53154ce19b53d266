"""Fiscal-year close and reopen on the demo district, both backends."""

from __future__ import annotations

import json
from datetime import date

import pytest
from sqlalchemy import func, select, text

from models.depreciation import DepreciationInputs, fiscal_year_figures
from models.depreciation.close import closed_years
from models.depreciation.district import compute_year
from models.errors import ValidationError
from models.progress import Cancelled, Progress
from models.schema import Asset, AssetClass, AssetYearFigures, FiscalYearClose, HistoryEvent
from models.services.depreciation import close_year, reopen_year
from models.services.roles import PermissionDeniedError, grant

TODAY = date(2026, 11, 21)
CLERK = "clerk"
ADMIN = "boss"


@pytest.fixture
def district(demo_db):
    grant(demo_db, "setup", ADMIN, "admin")
    grant(demo_db, ADMIN, CLERK, "finance")
    return demo_db


def _events(db, action):
    with db.reading() as session:
        return session.scalars(select(HistoryEvent).where(HistoryEvent.action == action)).all()


def test_close_stores_every_capitalized_asset_once_with_one_history_event(district):
    summary = close_year(district, CLERK, 2026, opening=True, today=TODAY)
    with district.reading() as session:
        expected = session.scalar(
            select(func.count()).select_from(Asset).where(
                Asset.capitalized.is_(True),
                Asset.acquired_on <= date(2026, 6, 30),
                (Asset.disposed_on.is_(None)) | (Asset.disposed_on >= date(2025, 7, 1)),
            )
        )
        stored = session.scalar(select(func.count()).select_from(AssetYearFigures))
        total = session.scalar(select(func.sum(AssetYearFigures.depreciation_cents)))
    assert expected > 100
    assert summary.assets == stored == expected
    assert summary.depreciation * 100 == total
    events = _events(district, "fiscal_year_closed")
    assert len(events) == 1
    assert events[0].entity_id == 2026 and "not one event per asset" in events[0].note
    assert json.loads(events[0].changes)["assets"] == [None, expected]


def test_stored_figures_match_the_per_asset_engine(district):
    close_year(district, CLERK, 2026, opening=True, today=TODAY)
    with district.reading() as session:
        rows = session.execute(
            select(Asset, AssetClass, AssetYearFigures)
            .join(AssetClass, AssetClass.id == Asset.class_id)
            .join(AssetYearFigures, AssetYearFigures.asset_id == Asset.id)
            .where(Asset.in_service_on.is_not(None), AssetClass.depreciable.is_(True))
            .order_by(Asset.id)
            .limit(300)
        ).all()
    assert len(rows) >= 50
    for asset, asset_class, stored in rows:
        inputs = DepreciationInputs(
            cost_cents=int(asset.cost * 100),
            salvage_cents=int(asset.salvage_value * 100),
            life_months=asset.useful_life_months or asset_class.default_useful_life_months,
            method=asset.depreciation_method or asset_class.default_method,
            convention=asset.depreciation_convention or asset_class.default_convention,
            in_service=asset.in_service_on,
            disposal=asset.disposed_on,
        )
        figures = fiscal_year_figures(inputs, 2026)
        assert stored.depreciation_cents == figures.depreciation_cents, asset.tag
        assert stored.accumulated_end_cents == figures.accumulated_end_cents, asset.tag
        assert stored.book_value_end_cents == figures.book_value_end_cents, asset.tag


def test_closing_twice_is_refused_and_changes_nothing(district):
    close_year(district, CLERK, 2026, opening=True, today=TODAY)
    with pytest.raises(ValidationError, match="already closed"):
        close_year(district, CLERK, 2026, today=TODAY)
    with district.reading() as session:
        assert session.scalar(select(func.count()).select_from(FiscalYearClose)) == 1


def test_years_close_in_order(district):
    with pytest.raises(ValidationError, match="FY2025 must be closed first") as err:
        close_year(district, CLERK, 2026, today=TODAY)
    assert err.value.field == "fiscal_year" and "opening year" in err.value.message
    close_year(district, CLERK, 2024, opening=True, today=TODAY)
    with pytest.raises(ValidationError, match="FY2025 must be closed first"):
        close_year(district, CLERK, 2026, today=TODAY)
    close_year(district, CLERK, 2025, today=TODAY)
    with pytest.raises(ValidationError, match="earlier year"):
        close_year(district, CLERK, 2023, today=TODAY)
    close_year(district, CLERK, 2026, today=TODAY)
    with district.reading() as session:
        assert closed_years(session) == [2024, 2025, 2026]


def test_a_year_that_has_not_ended_cannot_be_closed(district):
    with pytest.raises(ValidationError, match="has not ended"):
        close_year(district, CLERK, 2027, opening=True, today=TODAY)


def test_closing_needs_the_finance_role_and_names_the_grant_command(district):
    with pytest.raises(PermissionDeniedError, match="commonground users grant someone finance"):
        close_year(district, "someone", 2026, opening=True, today=TODAY)
    with district.reading() as session:
        assert session.scalar(select(func.count()).select_from(FiscalYearClose)) == 0


def test_cancel_rolls_the_whole_close_back(district):
    progress = Progress()
    calls = []

    def cancel_when_storing(done, total, message):
        calls.append(message)
        if message.startswith("Storing"):
            progress.cancel()

    progress._callback = cancel_when_storing
    with pytest.raises(Cancelled):
        close_year(district, CLERK, 2026, opening=True, progress=progress, today=TODAY)
    with district.reading() as session:
        assert session.scalar(select(func.count()).select_from(FiscalYearClose)) == 0
        assert session.scalar(select(func.count()).select_from(AssetYearFigures)) == 0
    assert not _events(district, "fiscal_year_closed")


def test_reopen_needs_admin_and_a_reason_and_is_in_history(district):
    close_year(district, CLERK, 2025, opening=True, today=TODAY)
    close_year(district, CLERK, 2026, today=TODAY)
    with pytest.raises(PermissionDeniedError, match="users grant clerk admin"):
        reopen_year(district, CLERK, 2026, "wrong lives on buses")
    with pytest.raises(ValidationError) as err:
        reopen_year(district, ADMIN, 2026, "  ")
    assert err.value.field == "reason"
    with pytest.raises(ValidationError, match="reopen the later years first"):
        reopen_year(district, ADMIN, 2025, "wrong lives on buses")
    reopen_year(district, ADMIN, 2026, "wrong lives on buses")
    (event,) = _events(district, "fiscal_year_reopened")
    assert event.actor == ADMIN and "wrong lives on buses" in event.note
    with district.reading() as session:
        assert closed_years(session) == [2025]
        statuses = session.scalars(select(FiscalYearClose.status).order_by(FiscalYearClose.id)).all()
    assert statuses == ["closed", "reopened"]
    close_year(district, CLERK, 2026, today=TODAY)  # closes again after the reopening
    with district.reading() as session:
        assert closed_years(session) == [2025, 2026]


def test_a_closed_year_does_not_change_when_assets_are_edited(district):
    close_year(district, CLERK, 2026, opening=True, today=TODAY)
    with district.reading() as session:
        before = session.scalar(select(func.sum(AssetYearFigures.cost_cents)))
    with district.engine.begin() as connection:
        connection.execute(text("UPDATE assets SET cost = cost * 2 WHERE capitalized"))
    with district.reading() as session:
        assert session.scalar(select(func.sum(AssetYearFigures.cost_cents))) == before


def test_projection_and_close_agree(district):
    with district.reading() as session:
        projected = compute_year(session.connection(), 2026).frame
    summary = close_year(district, CLERK, 2026, opening=True, today=TODAY)
    assert int(projected["depreciation_cents"].sum()) == summary.depreciation * 100


def test_a_close_written_in_many_batches_stores_every_row(district, monkeypatch):
    from models.depreciation import stored

    monkeypatch.setattr(stored, "BATCH", 37)
    summary = close_year(district, CLERK, 2026, opening=True, today=TODAY)
    with district.reading() as session:
        ids = session.scalars(select(AssetYearFigures.asset_id).order_by(AssetYearFigures.asset_id)).all()
        total = session.scalar(select(func.sum(AssetYearFigures.depreciation_cents)))
    assert len(ids) == len(set(ids)) == summary.assets > 37 * 3
    assert total == summary.depreciation * 100
