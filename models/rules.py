"""District rules derived from an asset's figures (capitalization, federal equipment)."""

from __future__ import annotations

from decimal import Decimal

FEDERAL_EQUIPMENT_CEILING = Decimal("10000.00")  # 2 CFR 200.1 "equipment"


def capitalization_rule(cost: Decimal, class_threshold: Decimal) -> bool:
    """Capitalized in the GASB books when the cost is at or above the class threshold.

    Items below it are *controlled*: tagged and inventoried, not depreciated.
    """
    return cost >= class_threshold


def federal_equipment_threshold(district_threshold: Decimal) -> Decimal:
    """The lesser of the district's capitalization threshold and $10,000."""
    return min(district_threshold, FEDERAL_EQUIPMENT_CEILING)


def is_federal_equipment(
    unit_cost: Decimal, district_threshold: Decimal, federal_share_basis_points: int
) -> bool:
    """2 CFR 200.313 equipment: federal money paid any part and the cost reaches the threshold."""
    return federal_share_basis_points > 0 and unit_cost >= federal_equipment_threshold(
        district_threshold
    )
