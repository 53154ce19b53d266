"""The roll-forward ties across closed years; tampering and edits after a close are caught."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import func, select, text

from models.depreciation.closing import guard_asset_change
from models.depreciation.rollforward import COLUMNS, roll_forward
from models.errors import ValidationError
from models.schema import Asset, AssetClass, AssetYearFigures, DepreciationAdjustment, GasbClass
from models.services.assets import snapshot
from models.services.depreciation import close_year
from models.services.roles import grant

TODAY = date(2026, 11, 21)


@pytest.fixture
def two_closed_years(demo_db):
    grant(demo_db, "setup", "clerk", "finance")
    close_year(demo_db, "clerk", 2025, opening=True, today=TODAY)
    close_year(demo_db, "clerk", 2026, today=TODAY)
    return demo_db


def _roll(db, year):
    with db.reading() as session:
        return roll_forward(session, year)


def _assert_ties(result):
    for line in result.lines:
        for movement in (line.cost, line.accumulated):
            assert movement.beginning + movement.additions - movement.deletions + movement.adjustments == movement.ending


def test_roll_forward_ties_across_two_closed_years(two_closed_years):
    first, second = _roll(two_closed_years, 2025), _roll(two_closed_years, 2026)
    assert first.stored and second.stored and second.prior_closed and not first.prior_closed
    assert first.ties and second.ties, first.warnings + second.warnings
    _assert_ties(first)
    _assert_ties(second)
    for before, after in zip(first.lines, second.lines):
        assert after.cost.beginning == before.cost.ending
        assert after.accumulated.beginning == before.accumulated.ending
    total = second.cost_total
    assert total.ending > 0 and second.accumulated_total.additions > 0
    assert second.line(GasbClass.LAND).accumulated == second.line(GasbClass.LAND).accumulated.__class__(
        *(Decimal("0.00"),) * 5
    )
    assert total.additions > 0 and total.deletions > 0  # the demo buys and disposes every year


def test_tampered_prior_year_figures_do_not_tie(two_closed_years):
    db = two_closed_years
    with db.engine.begin() as connection:
        row = connection.execute(
            text(
                "SELECT f.close_id, f.asset_id, f.gasb_class FROM asset_year_depreciation f "
                "JOIN fiscal_year_closes c ON c.id = f.close_id "
                "WHERE c.fiscal_year = 2025 AND NOT f.disposed_in_year ORDER BY f.asset_id LIMIT 1"
            )
        ).one()
        connection.execute(
            text("UPDATE asset_year_depreciation SET cost_cents = cost_cents + 12345, "
                 "accumulated_end_cents = accumulated_end_cents - 1 WHERE close_id = :c AND asset_id = :a"),
            {"c": row.close_id, "a": row.asset_id},
        )
    result = _roll(db, 2026)
    assert not result.ties
    label = result.line(row.gasb_class).label
    assert any(w.startswith(f"{label}, cost") and "$123.45" in w for w in result.warnings), result.warnings
    assert any(w.startswith(f"{label}, accumulated") and "$0.01" in w for w in result.warnings)
    assert len(result.warnings) == 2


def _edit(db, asset_id, today=TODAY, **values):
    with db.unit_of_work("clerk") as work:
        asset = work.session.get(Asset, asset_id)
        before = snapshot(asset)
        for field, value in values.items():
            setattr(asset, field, value)
        return [
            (a.gasb_class, a.kind, a.cost_cents, a.accumulated_cents, a.fiscal_year, a.adjusted_on)
            for a in guard_asset_change(work, asset, before, today=today)
        ]


def _held_depreciating_asset(db):
    with db.reading() as session:
        return session.scalars(
            select(Asset.id)
            .join(AssetClass, AssetClass.id == Asset.class_id)
            .where(Asset.capitalized.is_(True), Asset.disposed_on.is_(None), AssetClass.depreciable.is_(True),
                   Asset.in_service_on < date(2020, 1, 1), Asset.in_service_on > date(2019, 1, 1))
            .order_by(Asset.id)
        ).first()


def test_a_cost_correction_after_the_close_becomes_an_adjustment_in_the_open_year(two_closed_years):
    db = two_closed_years
    asset_id = _held_depreciating_asset(db)
    with db.reading() as session:
        stored_before = session.scalar(select(func.sum(AssetYearFigures.cost_cents)))
        cost = session.get(Asset, asset_id).cost
    made = _edit(db, asset_id, cost=cost + Decimal("1000.00"))
    assert len(made) == 1
    gasb, kind, cost_change, accumulated_change, year, on = made[0]
    assert kind == "correction" and cost_change == 100000 and accumulated_change > 0
    assert year == 2027 and on == TODAY
    with db.reading() as session:
        assert session.scalar(select(func.sum(AssetYearFigures.cost_cents))) == stored_before
        assert session.scalar(select(func.count()).select_from(DepreciationAdjustment)) == 1
    projected = _roll(db, 2027)
    assert not projected.stored and projected.ties, projected.warnings
    line = projected.line(gasb)
    assert line.cost.adjustments == Decimal("1000.00")
    assert line.accumulated.adjustments == Decimal(accumulated_change) / 100
    _assert_ties(projected)
    # A second edit of the same asset adjusts against the first, not against the close alone.
    assert _edit(db, asset_id, cost=cost)[0][2] == -100000
    assert _roll(db, 2027).line(gasb).cost.adjustments == 0


def test_a_class_change_is_a_transfer_between_classes(two_closed_years):
    db = two_closed_years
    asset_id = _held_depreciating_asset(db)
    with db.reading() as session:
        asset = session.get(Asset, asset_id)
        old_class = session.get(AssetClass, asset.class_id)
        new_class = session.scalars(
            select(AssetClass).where(AssetClass.gasb_class != old_class.gasb_class, AssetClass.depreciable.is_(True))
        ).first()
    made = _edit(db, asset_id, class_id=new_class.id)
    assert {(m[0], m[1]) for m in made} == {(old_class.gasb_class, "transfer"), (new_class.gasb_class, "transfer")}
    assert sum(m[2] for m in made) == 0
    result = _roll(db, 2027)
    assert result.ties, result.warnings
    assert result.line(old_class.gasb_class).cost.adjustments < 0 < result.line(new_class.gasb_class).cost.adjustments


@pytest.mark.parametrize("field", ["disposed_on", "acquired_on", "in_service_on"])
def test_a_date_inside_a_closed_year_is_refused_and_nothing_changes(two_closed_years, field):
    db = two_closed_years
    asset_id = _held_depreciating_asset(db)
    with db.reading() as session:
        before = snapshot(session.get(Asset, asset_id))
    with pytest.raises(ValidationError) as err:
        _edit(db, asset_id, **{field: date(2026, 3, 1)})
    assert err.value.field == field and "FY2026, which is closed" in err.value.message
    with db.reading() as session:
        assert snapshot(session.get(Asset, asset_id)) == before
        assert session.scalar(select(func.count()).select_from(DepreciationAdjustment)) == 0


def test_a_disposal_in_the_open_year_needs_no_adjustment(two_closed_years):
    db = two_closed_years
    asset_id = _held_depreciating_asset(db)
    assert _edit(db, asset_id, disposed_on=date(2026, 9, 1)) == []
    assert _roll(db, 2027).ties


def test_without_a_closed_year_nothing_is_guarded(demo_db):
    asset_id = _held_depreciating_asset(demo_db)
    assert _edit(demo_db, asset_id, disposed_on=date(2020, 3, 1)) == []


def test_columns_are_the_roll_forward_columns():
    assert COLUMNS == ("beginning", "additions", "deletions", "adjustments", "ending")


def test_the_asset_services_keep_closed_years_closed(two_closed_years):
    """Through the services a clerk uses: an edit after the close becomes an adjustment; a
    disposal dated inside a closed year is refused and changes nothing."""
    from models.services.assets import dispose_asset, get_asset, update_asset

    db = two_closed_years
    asset_id = _held_depreciating_asset(db)
    with db.reading() as session:
        asset = get_asset(session, asset_id)
        version, cost = asset.version, asset.cost
    version = update_asset(db, "clerk", asset_id, version, {"cost": cost + Decimal("250.00")})
    with db.reading() as session:
        adjustments = session.scalars(select(DepreciationAdjustment)).all()
        assert [(a.asset_id, a.cost_cents) for a in adjustments] == [(asset_id, 25000)]
    with pytest.raises(ValidationError) as refused:
        dispose_asset(db, "clerk", asset_id, version, disposed_on=date(2026, 3, 1), method="sold")
    assert refused.value.field == "disposed_on"
    with db.reading() as session:
        assert get_asset(session, asset_id).disposed_on is None
