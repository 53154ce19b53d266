"""Bulk writes a column at a time: a column is sent once only when every row holds the same
value written the same way; COPY's text is what PostgreSQL reads back as the value."""

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from models.importing.writes import Same, _copy_texts, compact
from models.schema import AssetStatus


@pytest.mark.parametrize(("values", "same"), [
    (["GF", "GF", "GF"], Same("GF")),
    ([None, None], Same(None)),
    ([Decimal("1.50"), Decimal("1.50")], Same(Decimal("1.50"))),
    ([AssetStatus.IN_SERVICE] * 3, Same(AssetStatus.IN_SERVICE)),
])
def test_a_column_of_one_value_is_sent_once(values, same):
    assert compact(values) == same


@pytest.mark.parametrize("values", [
    ["GF", "ESSER3"], ["GF", None], [1, 1.0, True], [Decimal("1.5"), Decimal("1.50")], [],
])
def test_a_column_whose_values_differ_or_are_written_differently_is_sent_row_by_row(values):
    assert compact(values) == values


def test_copy_text_escapes_what_copy_reads_specially_and_writes_blanks_as_null():
    texts = _copy_texts(["tab\there", "line\nbreak", "back\\slash", "cr\rhere", None, "plain"])
    assert texts == ["tab\\there", "line\\nbreak", "back\\\\slash", "cr\\rhere", "\\N", "plain"]
    assert _copy_texts([Decimal("1234.50"), None, Decimal("0.00")]) == ["1234.50", "\\N", "0.00"]
    assert _copy_texts([True, False, None]) == ["t", "f", "\\N"]
    assert _copy_texts([date(2024, 4, 5), None]) == ["2024-04-05", "\\N"]
    assert _copy_texts([AssetStatus.IN_SERVICE, None]) == ["in_service", "\\N"]
    moment = datetime(2026, 11, 21, 9, 30, tzinfo=UTC)
    assert _copy_texts([moment]) == ["2026-11-21T09:30:00+00:00"]
    assert _copy_texts([7, None, 12]) == ["7", "\\N", "12"]
