"""The depreciation engine: exact, pure, no database.

``schedule(DepreciationInputs(...))`` gives one asset's months and fiscal
years; ``fiscal_year_figures`` one year of one asset; ``bulk`` the same for a
whole district at once with numpy.
"""

from models.depreciation.engine import (
    FiscalYearFigures,
    Period,
    Schedule,
    fiscal_year_figures,
    schedule,
)
from models.depreciation.fiscal import fiscal_year_bounds, fiscal_year_of
from models.depreciation.inputs import (
    Convention,
    DepreciationInputError,
    DepreciationInputs,
    EstimateChange,
    Method,
)

__all__ = [
    "Convention",
    "DepreciationInputError",
    "DepreciationInputs",
    "EstimateChange",
    "FiscalYearFigures",
    "Method",
    "Period",
    "Schedule",
    "fiscal_year_bounds",
    "fiscal_year_figures",
    "fiscal_year_of",
    "schedule",
]
