"""Reading the values people type into spreadsheets: money, dates, serials, statuses.

Each function takes one cell (text from a CSV, or whatever a workbook holds:
numbers, dates, text) and returns the register's value, ``None`` for a blank
cell, or raises ``CellError`` with a reason a clerk can act on.
"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from models.money import CENT, MAX_AMOUNT
from models.schema import AssetStatus, Condition

EARLIEST_DATE = date(1850, 1, 1)
EXCEL_EPOCH = date(1899, 12, 30)  # serial 1 is 1900-01-01 (Excel's 1900 leap-year bug folded in)
# Serials a spreadsheet turned into a number lose digits: 6.37702E+15.
_SCIENTIFIC = re.compile(r"^[+-]?\d+(?:[.,]\d+)?[eE][+-]?\d+$")
_MONEY = re.compile(r"^(?P<neg>-)?\s*(?:\$|USD)?\s*(?P<neg2>-)?\s*(?P<num>\d{1,3}(?:,\d{3})+|\d*)(?P<frac>\.\d*)?$")
_US_DATE = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{2}|\d{4})$")
_ISO_DATE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ][\d:.]+Z?)?$")
_MONTHS = {
    name: number
    for number, names in enumerate(
        [("jan", "january"), ("feb", "february"), ("mar", "march"), ("apr", "april"), ("may",),
         ("jun", "june"), ("jul", "july"), ("aug", "august"), ("sep", "sept", "september"),
         ("oct", "october"), ("nov", "november"), ("dec", "december")],
        1,
    )
    for name in names
}
_WORD_DATE = re.compile(r"^([A-Za-z]+)\.?\s+(\d{1,2}),?\s+(\d{4})$")  # Apr 5, 2016
_DAY_WORD_DATE = re.compile(r"^(\d{1,2})[\s-]([A-Za-z]+)\.?[\s-](\d{2}|\d{4})$")  # 5-Apr-2016


class CellError(ValueError):
    """A cell that cannot be read as its field; ``str()`` says why."""


def is_blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def cell_text(value: Any) -> str | None:
    """A cell as trimmed text; whole numbers from a workbook lose their ``.0``."""
    if value is None:
        return None
    if isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")):
            return None
        if value.is_integer() and abs(value) < 1e15:
            return str(int(value))
        return repr(value)
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == datetime.min.time() else value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, bool):
        return "yes" if value else "no"
    text = str(value).strip()
    return text or None


# -- money --------------------------------------------------------------------------------


def money(value: Any, *, allow_negative: bool = False) -> Decimal | None:
    """``$1,234.50``, ``1234.5``, ``(12.00)`` (negative), ``-`` (zero, as ledgers print it)."""
    if is_blank(value):
        return None
    if isinstance(value, bool):
        raise CellError("is yes/no, not an amount of money")
    if isinstance(value, int):
        amount = Decimal(value)
    elif isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")):
            raise CellError("is not an amount of money")
        amount = Decimal(repr(value))  # the shortest text that reads back as the same number
    elif isinstance(value, Decimal):
        amount = value
    else:
        amount = _money_text(str(value))
    if not amount.is_finite():
        raise CellError("is not an amount of money")
    if abs(amount) > MAX_AMOUNT:
        raise CellError("is larger than any amount the register can hold")
    amount = amount.quantize(CENT, rounding=ROUND_HALF_UP)
    if amount < 0 and not allow_negative:
        raise CellError(f"{amount:,.2f} is negative; a cost cannot be below zero")
    if abs(amount) > MAX_AMOUNT:
        raise CellError("is larger than any amount the register can hold")
    return amount


def _money_text(text: str) -> Decimal:
    raw = text.strip()
    if raw in {"-", "–", "—", "$-", "$ -"}:
        return Decimal("0.00")
    negative = False
    if raw.startswith("(") or raw.endswith(")"):
        if not (raw.startswith("(") and raw.endswith(")")):
            raise CellError(f"'{_short(text)}' has an unmatched parenthesis")
        raw = raw[1:-1].strip()
        negative = True
    if raw.endswith("-"):  # 12.00- as some ledgers print a credit
        raw = raw[:-1].strip()
        negative = True
    match = _MONEY.match(raw.replace(" ", ""))
    if not match or not (match["num"] or (match["frac"] and len(match["frac"]) > 1)):
        raise CellError(f"'{_short(text)}' is not an amount of money")
    if match["neg"] and match["neg2"]:
        raise CellError(f"'{_short(text)}' is not an amount of money")
    try:
        amount = Decimal((match["num"] or "0").replace(",", "") + (match["frac"] or "").rstrip("."))
    except InvalidOperation:
        raise CellError(f"'{_short(text)}' is not an amount of money") from None
    if negative or match["neg"] or match["neg2"]:
        amount = -amount
    return amount


# -- dates --------------------------------------------------------------------------------


def day(value: Any, *, today: date | None = None, future_days: int = 366) -> date | None:
    """US (4/5/16, 04/05/2016), ISO (2016-04-05), words (Apr 5, 2016), Excel serials.

    Dates before 1850 or more than ``future_days`` ahead are refused.
    """
    if is_blank(value):
        return None
    if isinstance(value, datetime):
        found = value.date()
    elif isinstance(value, date):
        found = value
    elif isinstance(value, bool):
        raise CellError("is yes/no, not a date")
    elif isinstance(value, int | float):
        found = _excel_serial(value)
    else:
        found = _date_text(str(value).strip())
    latest = (today or date.today()) + timedelta(days=future_days)
    if found < EARLIEST_DATE or found > latest:
        raise CellError(f"{found.isoformat()} is out of range (before 1850 or after {latest.isoformat()})")
    return found


def _excel_serial(number: float) -> date:
    if number != number or not 1 <= number < 2958466:  # Excel's last day is 9999-12-31
        raise CellError(f"{cell_text(number)} is not a date")
    return EXCEL_EPOCH + timedelta(days=int(number))


def _date_text(text: str) -> date:
    try:
        if match := _US_DATE.match(text):
            month, dom, year = int(match[1]), int(match[2]), _year(match[3])
            return date(year, month, dom)
        if match := _ISO_DATE.match(text):
            return date(int(match[1]), int(match[2]), int(match[3]))
        if match := _WORD_DATE.match(text):
            month = _MONTHS.get(match[1].lower())
            if month:
                return date(int(match[3]), month, int(match[2]))
        if match := _DAY_WORD_DATE.match(text):
            month = _MONTHS.get(match[2].lower())
            if month:
                return date(_year(match[3]), month, int(match[1]))
        if re.fullmatch(r"\d{5}(\.\d+)?", text):  # an Excel serial that reached a CSV as text
            return _excel_serial(float(text))
    except ValueError:
        raise CellError(f"'{_short(text)}' is not a real date") from None
    raise CellError(f"'{_short(text)}' is not a date (use 4/5/2016, 2016-04-05 or Apr 5, 2016)")


def _year(text: str) -> int:
    year = int(text)
    if len(text) == 2:  # as spreadsheets read them: 00-68 is this century, 69-99 the last
        year += 2000 if year < 69 else 1900
    return year


# -- identity ------------------------------------------------------------------------------


def serial(value: Any) -> str | None:
    """A serial as stored: trimmed. Scientific notation has lost digits and is refused."""
    if is_blank(value):
        return None
    if isinstance(value, float) and (not value.is_integer() or abs(value) >= 1e15):
        raise CellError(f"{value!r} is a number a spreadsheet rounded; the real serial is lost")
    text = cell_text(value)
    if text is None:
        raise CellError("is not a readable value")
    if _SCIENTIFIC.match(text):
        raise CellError(
            f"'{text}' is in scientific notation: a spreadsheet rounded this serial and its "
            "digits are lost; not stored"
        )
    if len(text) > 64:
        raise CellError(f"is {len(text)} characters long; the limit is 64")
    return text


def serial_key(text: str | None) -> str | None:
    """What serials are matched by: upper case, without spaces."""
    if not text:
        return None
    key = "".join(text.split()).upper()
    return key or None


def tag(value: Any) -> str | None:
    if is_blank(value):
        return None
    text = cell_text(value)
    if text is None:
        raise CellError("is not a readable value")
    if _SCIENTIFIC.match(text):
        raise CellError(f"'{text}' is in scientific notation: the real tag is lost")
    if len(text) > 32:
        raise CellError(f"is {len(text)} characters long; the limit is 32")
    return text


def text(value: Any, *, max_length: int) -> str | None:
    found = cell_text(value)
    if found is None:
        return None
    if len(found) > max_length:
        raise CellError(f"is {len(found)} characters long; the limit is {max_length}")
    return found


def whole_number(value: Any, *, minimum: int = 0, maximum: int = 10**9) -> int | None:
    if is_blank(value):
        return None
    if isinstance(value, float):
        if not value.is_integer():
            raise CellError(f"{value!r} is not a whole number")
        value = int(value)
    try:
        number = int(str(value).strip().replace(",", ""))
    except ValueError:
        raise CellError(f"'{_short(str(value))}' is not a whole number") from None
    if not minimum <= number <= maximum:
        raise CellError(f"{number} is not between {minimum} and {maximum}")
    return number


def percent(value: Any) -> Decimal | None:
    """``80``, ``80%``, ``0.8`` (a workbook's percent cell) as percent with two places."""
    if is_blank(value):
        return None
    if isinstance(value, float) and 0 < value <= 1:
        amount = Decimal(repr(value)) * 100
    else:
        raw = str(value).strip().rstrip("%").strip()
        try:
            amount = Decimal(raw)
        except InvalidOperation:
            raise CellError(f"'{_short(str(value))}' is not a percentage") from None
    if not amount.is_finite() or not 0 < amount <= 100:
        raise CellError(f"{value} is not a share between 0 and 100%")
    return amount.quantize(CENT, rounding=ROUND_HALF_UP)


# -- vocabularies -------------------------------------------------------------------------


def _words(text: str) -> str:
    return " ".join(re.sub(r"[^a-z0-9]+", " ", text.lower()).split())


STATUS_SYNONYMS: dict[str, AssetStatus | None] = {
    # Snipe-IT's default status labels and what districts write in their sheets.
    "ready to deploy": AssetStatus.IN_STORAGE,
    "ready": AssetStatus.IN_STORAGE,
    "available": AssetStatus.IN_STORAGE,
    "spare": AssetStatus.IN_STORAGE,
    "in stock": AssetStatus.IN_STORAGE,
    "stock": AssetStatus.IN_STORAGE,
    "storage": AssetStatus.IN_STORAGE,
    "in storage": AssetStatus.IN_STORAGE,
    "archived": AssetStatus.IN_STORAGE,
    "deployed": AssetStatus.IN_SERVICE,
    "in use": AssetStatus.IN_SERVICE,
    "active": AssetStatus.IN_SERVICE,
    "in service": AssetStatus.IN_SERVICE,
    "assigned": AssetStatus.IN_SERVICE,
    "checked out": AssetStatus.LOANED,
    "loaned": AssetStatus.LOANED,
    "on loan": AssetStatus.LOANED,
    "pending": AssetStatus.ON_ORDER,
    "on order": AssetStatus.ON_ORDER,
    "ordered": AssetStatus.ON_ORDER,
    "undeployable": AssetStatus.IN_REPAIR,
    "broken": AssetStatus.IN_REPAIR,
    "out for repair": AssetStatus.IN_REPAIR,
    "in repair": AssetStatus.IN_REPAIR,
    "repair": AssetStatus.IN_REPAIR,
    "out for diagnostics": AssetStatus.IN_REPAIR,
    "pending diagnostics": AssetStatus.IN_REPAIR,
    "lost": AssetStatus.LOST,
    "lost stolen": AssetStatus.LOST,
    "missing": AssetStatus.LOST,
    "stolen": AssetStatus.STOLEN,
    # Disposal is an act with a date, method and proceeds; an import does not do it.
    "disposed": None,
    "retired": None,
    "surplus": None,
    "sold": None,
    "recycled": None,
    "scrapped": None,
}

CONDITION_SYNONYMS: dict[str, Condition] = {
    "new": Condition.NEW,
    "excellent": Condition.NEW,
    "like new": Condition.NEW,
    "good": Condition.GOOD,
    "ok": Condition.GOOD,
    "working": Condition.GOOD,
    "fair": Condition.FAIR,
    "average": Condition.FAIR,
    "used": Condition.FAIR,
    "worn": Condition.FAIR,
    "poor": Condition.POOR,
    "needs repair": Condition.POOR,
    "damaged": Condition.BROKEN,
    "broken": Condition.BROKEN,
    "not working": Condition.BROKEN,
    "inoperable": Condition.BROKEN,
}


def status(value: Any) -> AssetStatus | None:
    if is_blank(value):
        return None
    words = _words(str(value))
    if words == "disposed":  # as the register exports a disposed asset; only ever unchanged
        return AssetStatus.DISPOSED
    if words in STATUS_SYNONYMS:
        found = STATUS_SYNONYMS[words]
        if found is None:
            raise CellError(
                f"'{_short(str(value))}' means disposed; an import does not dispose assets "
                "(record the disposal with its date and method instead)"
            )
        return found
    try:
        return AssetStatus(words.replace(" ", "_"))
    except ValueError:
        raise CellError(f"'{_short(str(value))}' is not a status the register knows") from None


def condition(value: Any) -> Condition | None:
    if is_blank(value):
        return None
    words = _words(str(value))
    try:
        return Condition(words)
    except ValueError:
        pass
    if words in CONDITION_SYNONYMS:
        return CONDITION_SYNONYMS[words]
    raise CellError(f"'{_short(str(value))}' is not a condition the register knows")


def name_key(value: str) -> str:
    """How names of classes, models, sites and funding sources are compared."""
    return _words(value)


def _short(text: str, limit: int = 40) -> str:
    text = text.replace("\n", " ")
    return text if len(text) <= limit else text[: limit - 1] + "…"
