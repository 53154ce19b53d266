"""The fixed vocabularies the district's records use.

Stored as their string values (``Enum(native_enum=False)`` with a CHECK), so a
value added later is a small migration, not a type change.
"""

from __future__ import annotations

from enum import StrEnum

from sqlalchemy import Enum


class SiteKind(StrEnum):
    ELEMENTARY = "elementary"
    MIDDLE = "middle"
    HIGH = "high"
    ADMINISTRATION = "administration"
    WAREHOUSE = "warehouse"
    TRANSPORTATION = "transportation"
    OTHER = "other"


class RoomType(StrEnum):
    CLASSROOM = "classroom"
    LAB = "lab"
    OFFICE = "office"
    LIBRARY = "library"
    GYM = "gym"
    CAFETERIA = "cafeteria"
    KITCHEN = "kitchen"
    AUDITORIUM = "auditorium"
    STORAGE = "storage"
    MECHANICAL = "mechanical"
    SERVER = "server"
    GARAGE = "garage"
    RESTROOM = "restroom"
    CORRIDOR = "corridor"
    OTHER = "other"


class GasbClass(StrEnum):
    """GASB 34 major classes of capital assets."""

    LAND = "land"
    CONSTRUCTION_IN_PROGRESS = "construction_in_progress"
    LAND_IMPROVEMENTS = "land_improvements"
    BUILDINGS = "buildings"
    BUILDING_IMPROVEMENTS = "building_improvements"
    FURNITURE_EQUIPMENT = "furniture_equipment"
    VEHICLES = "vehicles"
    TECHNOLOGY = "technology"

    @property
    def depreciable(self) -> bool:
        return self not in (GasbClass.LAND, GasbClass.CONSTRUCTION_IN_PROGRESS)


# As the classes are written in statements and on screen.
GASB_LABELS = {
    GasbClass.LAND: "Land",
    GasbClass.CONSTRUCTION_IN_PROGRESS: "Construction in progress",
    GasbClass.LAND_IMPROVEMENTS: "Land improvements",
    GasbClass.BUILDINGS: "Buildings",
    GasbClass.BUILDING_IMPROVEMENTS: "Building improvements",
    GasbClass.FURNITURE_EQUIPMENT: "Furniture and equipment",
    GasbClass.VEHICLES: "Vehicles",
    GasbClass.TECHNOLOGY: "Technology",
}


class DepreciationMethod(StrEnum):
    STRAIGHT_LINE = "straight_line"
    DECLINING_BALANCE = "declining_balance"
    SUM_OF_YEARS_DIGITS = "sum_of_years_digits"


class DepreciationConvention(StrEnum):
    FULL_MONTH = "full_month"
    NEXT_MONTH = "next_month"
    MID_MONTH = "mid_month"
    NEAREST_MONTH = "nearest_month"
    HALF_YEAR = "half_year"
    FULL_YEAR = "full_year"
    ACTUAL_DAYS = "actual_days"


class AssetStatus(StrEnum):
    ON_ORDER = "on_order"
    IN_SERVICE = "in_service"
    IN_STORAGE = "in_storage"
    IN_REPAIR = "in_repair"
    LOANED = "loaned"
    LOST = "lost"
    STOLEN = "stolen"
    DISPOSED = "disposed"


class Condition(StrEnum):
    NEW = "new"
    GOOD = "good"
    FAIR = "fair"
    POOR = "poor"
    BROKEN = "broken"


class PersonKind(StrEnum):
    STAFF = "staff"
    STUDENT = "student"


class FundingProgram(StrEnum):
    ESSER = "esser"
    CARES = "cares"
    E_RATE = "e_rate"
    ECF = "ecf"
    IDEA_B = "idea_b"
    TITLE_I = "title_i"
    TITLE_IV = "title_iv"
    BOND = "bond"
    GENERAL_FUND = "general_fund"
    STATE_GRANT = "state_grant"
    DONATION = "donation"
    OTHER = "other"


class DisposalMethod(StrEnum):
    SOLD = "sold"
    AUCTIONED = "auctioned"
    TRADED_IN = "traded_in"
    DONATED = "donated"
    RECYCLED = "recycled"
    SCRAPPED = "scrapped"
    TRANSFERRED = "transferred"
    LOST = "lost"
    STOLEN = "stolen"
    DEMOLISHED = "demolished"


def vocab(enum_cls: type[StrEnum], name: str) -> Enum:
    """A string column limited to the values of ``enum_cls``."""
    return Enum(
        enum_cls,
        name=name,
        native_enum=False,
        create_constraint=True,
        length=32,
        values_callable=lambda cls: [member.value for member in cls],
        validate_strings=True,
    )
