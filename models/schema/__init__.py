"""The database schema: SQLAlchemy 2 typed ORM classes for every table."""

from models.schema.assets import Asset, AssetDescription, Assignment, FundingShare
from models.schema.base import Base
from models.schema.catalog import AssetClass, AssetModel, FundingSource
from models.schema.district import DistrictSettings, Fund, FunctionCode, ObjectCode
from models.schema.history import HistoryEvent
from models.schema.locations import Building, Department, Floor, Room, Site
from models.schema.people import Person
from models.schema.depreciation import AssetYearFigures, DepreciationAdjustment, FiscalYearClose  # noqa: F401 - fiscal-year close (issue 4)
from models.schema.roles import Role, UserRole  # noqa: F401 - finance and admin roles (issue 4)
from models.schema.imports import ImportBatch, SavedMapping  # noqa: F401 - spreadsheet import (issue 6)
from models.schema.roommap import FloorPlan  # noqa: F401 - room maps (issue 5)
from models.schema.saved_views import SavedView  # noqa: F401 - register saved views (issue 3)
from models.schema.maintenance import DeferredWork  # noqa: F401 - work a bulk load left for after its commit
from models.schema.vocab import (
    AssetStatus,
    Condition,
    DepreciationConvention,
    DepreciationMethod,
    DisposalMethod,
    FundingProgram,
    GasbClass,
    PersonKind,
    RoomType,
    SiteKind,
)

__all__ = [
    "Asset",
    "AssetClass",
    "AssetDescription",
    "AssetModel",
    "AssetStatus",
    "Assignment",
    "Base",
    "Building",
    "Condition",
    "Department",
    "DepreciationConvention",
    "DepreciationMethod",
    "DisposalMethod",
    "DistrictSettings",
    "Floor",
    "Fund",
    "FunctionCode",
    "FundingProgram",
    "FundingShare",
    "FundingSource",
    "GasbClass",
    "HistoryEvent",
    "ObjectCode",
    "Person",
    "PersonKind",
    "Room",
    "RoomType",
    "Site",
    "SiteKind",
]
