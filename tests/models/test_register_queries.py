"""The register's queries against the demo district, on SQLite and PostgreSQL: every filter,
the search, sorting and totals agree with the same question answered row by row in Python."""

from __future__ import annotations

import csv
from datetime import date
from decimal import Decimal
from pathlib import Path

import numpy as np
import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select

from models.database import Database
from models.errors import DuplicateError, ValidationError
from models.progress import Cancelled, Progress
from models.queries import register as r
from models.schema import Asset, AssetModel, FundingShare, FundingSource, Person, Room
from models.services import saved_views
from models.services.assets import create_asset, update_asset
from reports.register_export import ExportError, export_register
from tests.db_fixtures import asset_values


def _all_assets(db: Database) -> list[Asset]:
    with db.reading() as session:
        return list(session.scalars(select(Asset)))


def _ids(db: Database, flt: r.RegisterFilter, sort: tuple[str, bool] = ("tag", False)) -> list[int]:
    found = r.sorted_ids(db, flt, sort)
    assert found.dtype == np.int64
    return found.tolist()


def test_no_filter_lists_every_asset_by_tag(demo_db: Database) -> None:
    assets = _all_assets(demo_db)
    expected = [a.id for a in sorted(assets, key=lambda a: a.tag)]
    assert _ids(demo_db, r.RegisterFilter()) == expected
    assert r.count(demo_db, r.RegisterFilter()) == len(assets)


@pytest.mark.parametrize(
    ("key", "value"),
    [
        ("cost", lambda a: (a.cost, a.id)),
        ("acquired_on", lambda a: (a.acquired_on, a.id)),
        ("tag", lambda a: (a.tag, a.id)),
    ],
)
def test_sorting_is_done_by_the_database_in_both_directions(demo_db: Database, key, value) -> None:
    assets = _all_assets(demo_db)
    ascending = [a.id for a in sorted(assets, key=value)]
    assert _ids(demo_db, r.RegisterFilter(), (key, False)) == ascending
    assert _ids(demo_db, r.RegisterFilter(), (key, True)) == ascending[::-1]


def test_sorting_by_a_joined_name_orders_by_that_name(demo_db: Database) -> None:
    ids = _ids(demo_db, r.RegisterFilter(), ("site", False))
    rows = r.rows_for_ids(demo_db, ids, ["site"])
    names = [row[0] for row in rows]
    present = [n for n in names if n is not None]
    assert present == sorted(present)
    for key in ("model", "room", "assigned_to", "class", "status", "description", "serial"):
        ordered = _ids(demo_db, r.RegisterFilter(), (key, False))
        assert sorted(ordered) == sorted(ids)


def test_every_column_can_be_read_for_a_page(demo_db: Database) -> None:
    ids = _ids(demo_db, r.RegisterFilter())[:50]
    rows = r.rows_for_ids(demo_db, ids)
    assert len(rows) == 50 and all(row is not None and len(row) == len(r.COLUMNS) for row in rows)
    with demo_db.reading() as session:
        first = session.get(Asset, ids[0])
    by_key = dict(zip(r.COLUMN_KEYS, rows[0], strict=True))
    assert by_key["tag"] == first.tag and by_key["cost"] == first.cost
    assert isinstance(by_key["cost"], Decimal) and isinstance(by_key["acquired_on"], date)
    assert r.rows_for_ids(demo_db, [10**9]) == [None]


def _expect(db: Database, flt: r.RegisterFilter, keep) -> None:
    expected = sorted((a for a in _all_assets(db) if keep(a)), key=lambda a: a.tag)
    got = _ids(db, flt)
    assert got == [a.id for a in expected]
    assert r.count(db, flt) == len(expected)


def test_each_filter_selects_what_it_says(demo_db: Database) -> None:
    assets = _all_assets(demo_db)
    some = next(a for a in assets if a.room_id and a.assigned_person_id and a.department_id)
    _expect(demo_db, r.RegisterFilter(site_ids=(some.site_id,)), lambda a: a.site_id == some.site_id)
    _expect(demo_db, r.RegisterFilter(room_ids=(some.room_id,)), lambda a: a.room_id == some.room_id)
    _expect(demo_db, r.RegisterFilter(class_ids=(some.class_id,)), lambda a: a.class_id == some.class_id)
    _expect(demo_db, r.RegisterFilter(statuses=("in_repair", "lost")), lambda a: a.status in ("in_repair", "lost"))
    _expect(demo_db, r.RegisterFilter(conditions=("poor",)), lambda a: a.condition == "poor")
    _expect(demo_db, r.RegisterFilter(department_ids=(some.department_id,)), lambda a: a.department_id == some.department_id)
    _expect(demo_db, r.RegisterFilter(capitalized=True), lambda a: a.capitalized)
    _expect(demo_db, r.RegisterFilter(capitalized=False), lambda a: not a.capitalized)
    _expect(demo_db, r.RegisterFilter(assigned=False), lambda a: a.assigned_person_id is None)
    _expect(demo_db, r.RegisterFilter(person_ids=(some.assigned_person_id,)), lambda a: a.assigned_person_id == some.assigned_person_id)
    low, high = Decimal("250.00"), Decimal("1000.00")
    _expect(demo_db, r.RegisterFilter(cost_min=low, cost_max=high), lambda a: low <= a.cost <= high)
    start, end = date(2022, 7, 1), date(2023, 6, 30)
    _expect(demo_db, r.RegisterFilter(acquired_from=start, acquired_to=end), lambda a: start <= a.acquired_on <= end)
    with demo_db.reading() as session:
        rooms = {i: f for i, f in session.execute(select(Room.id, Room.floor_id))}
        from models.schema import Floor
        floors = {i: b for i, b in session.execute(select(Floor.id, Floor.building_id))}
        building = floors[rooms[some.room_id]]
        shares = session.execute(select(FundingShare.asset_id, FundingShare.funding_source_id)).all()
        federal_sources = set(session.scalars(select(FundingSource.id).where(FundingSource.is_federal.is_(True))))
        device = session.scalar(select(AssetModel.device_type).where(AssetModel.id == some.model_id))
        device_models = set(session.scalars(select(AssetModel.id).where(AssetModel.device_type == device)))
    _expect(demo_db, r.RegisterFilter(building_ids=(building,)),
            lambda a: a.room_id is not None and floors[rooms[a.room_id]] == building)
    source = shares[0][1]
    funded = {asset for asset, s in shares if s == source}
    _expect(demo_db, r.RegisterFilter(funding_source_ids=(source,)), lambda a: a.id in funded)
    federal = {asset for asset, s in shares if s in federal_sources}
    _expect(demo_db, r.RegisterFilter(federal=True), lambda a: a.id in federal)
    _expect(demo_db, r.RegisterFilter(federal=False), lambda a: a.id not in federal)
    _expect(demo_db, r.RegisterFilter(device_types=(device,)), lambda a: a.model_id in device_models)
    # Filters combine: all must hold.
    _expect(demo_db, r.RegisterFilter(site_ids=(some.site_id,), capitalized=False, statuses=("in_service",)),
            lambda a: a.site_id == some.site_id and not a.capitalized and a.status == "in_service")


def test_search_finds_tag_serial_description_model_person_and_room(demo_db: Database) -> None:
    assets = _all_assets(demo_db)
    with demo_db.reading() as session:
        people = {p.id: p for p in session.scalars(select(Person))}
        models = {m.id: m for m in session.scalars(select(AssetModel))}
        rooms = {room.id: room for room in session.scalars(select(Room))}
    device = next(a for a in assets if a.serial and a.assigned_person_id and a.model_id)
    # A serial, typed in part and in any case.
    part = device.serial[2:9].lower()
    _expect(demo_db, r.RegisterFilter(search=part),
            lambda a: part in (a.serial or "").lower() or part in a.tag.lower() or part in a.description.lower()
            or _model_text(models, a).find(part) >= 0 or _room_hit(rooms, a, part)
            or _person_hit(people, a, part))
    # The whole tag, as a scanner types it.
    assert device.id in _ids(demo_db, r.RegisterFilter(search=device.tag))
    # A person's last name finds what they hold.
    holder = people[device.assigned_person_id]
    found = set(_ids(demo_db, r.RegisterFilter(search=holder.last_name)))
    assert {a.id for a in assets if a.assigned_person_id == device.assigned_person_id} <= found
    # A room number finds what is in it.
    room = rooms[device.room_id] if device.room_id else next(iter(rooms.values()))
    found = set(_ids(demo_db, r.RegisterFilter(search=room.number)))
    assert {a.id for a in assets if a.room_id == room.id} <= found
    # Several words must all match: a model word and the holder's name.
    manufacturer = models[device.model_id].manufacturer
    both = _ids(demo_db, r.RegisterFilter(search=f"{manufacturer} {holder.last_name}"))
    assert device.id in both
    assert set(both) <= set(_ids(demo_db, r.RegisterFilter(search=holder.last_name)))
    # Nothing matches nonsense; quotes and wildcards are plain text.
    assert _ids(demo_db, r.RegisterFilter(search='zz"q%_x')) == []


def test_search_finds_descriptions_in_any_case_and_only_whole_substrings(db: Database, reference) -> None:
    ids = {
        "cart": create_asset(db, "clerk", asset_values(reference, tag="CG-1", serial="ABCZZBCD",
                                                       description="Cart, Chromebook 30-bay")),
        "kiln": create_asset(db, "clerk", asset_values(reference, tag="CG-2", serial="K-77",
                                                       description="Kiln, Skutt KM-1227")),
    }
    def found(text: str) -> set[int]:
        return set(_ids(db, r.RegisterFilter(search=text))) & set(ids.values())

    assert found("CHROMEBOOK") == {ids["cart"]}
    assert found("km-122") == {ids["kiln"]}
    assert found("zzbc") == {ids["cart"]}
    # Every trigram of "abcd" is in the serial ABCZZBCD, but "abcd" is not.
    assert found("abcd") == set()
    assert found("30-bay cart") == {ids["cart"]}
    # A description edited away no longer finds its asset; the new one does.
    update_asset(db, "clerk", ids["kiln"], 1, {"description": "Kiln, Paragon TNF-82"})
    assert found("skutt") == set()
    assert found("paragon") == {ids["kiln"]}
    assert set(r.search_ids(db, "paragon").tolist()) & set(ids.values()) == {ids["kiln"]}


def _model_text(models, asset) -> str:
    m = models.get(asset.model_id)
    return f"{m.manufacturer} {m.name} {m.device_type}".lower() if m else ""


def _room_hit(rooms, asset, word) -> bool:
    room = rooms.get(asset.room_id)
    return bool(room) and (room.number.lower() == word or word in (room.name or "").lower())


def _person_hit(people, asset, word) -> bool:
    p = people.get(asset.assigned_person_id)
    return bool(p) and (p.first_name.lower().startswith(word) or p.last_name.lower().startswith(word)
                        or (p.external_id or "").lower() == word)


def test_totals_equal_the_database_sums(demo_db: Database) -> None:
    flt = r.RegisterFilter(statuses=("in_service",), cost_min=Decimal("100"))
    t = r.totals(demo_db, flt)
    assets = [a for a in _all_assets(demo_db) if a.status == "in_service" and a.cost >= Decimal("100")]
    assert t.count == len(assets)
    assert t.cost == sum((a.cost for a in assets), Decimal("0.00"))
    assert t.capitalized_count == sum(1 for a in assets if a.capitalized)
    assert t.capitalized_cost == sum((a.cost for a in assets if a.capitalized), Decimal("0.00"))
    with demo_db.reading() as session:
        assert t.cost == session.scalar(
            select(func.sum(Asset.cost)).where(Asset.status == "in_service", Asset.cost >= Decimal("100")))
    assert t.book_value is None  # no fiscal year closed in the demo


def test_filtered_ids_is_a_subquery_others_can_group(demo_db: Database) -> None:
    flt = r.RegisterFilter(capitalized=False)
    with demo_db.reading() as session:
        grouped = session.execute(
            select(Asset.room_id, func.count()).where(Asset.id.in_(r.filtered_ids(flt, demo_db.dialect)))
            .group_by(Asset.room_id)
        ).all()
    assert sum(n for _, n in grouped) == r.count(demo_db, flt)


def test_filter_round_trips_through_json() -> None:
    flt = r.RegisterFilter(search="dell", site_ids=(1, 2), statuses=("lost",), capitalized=True,
                           acquired_from=date(2020, 1, 1), cost_max=Decimal("999.99"))
    assert r.RegisterFilter.from_json(flt.to_json()) == flt
    assert r.RegisterFilter.from_json('{"unknown_key": 1}') == r.RegisterFilter()
    with pytest.raises(ValueError):
        r.RegisterFilter(statuses=("melted",))


def test_saved_views_are_shared_and_named_by_their_author(demo_db: Database) -> None:
    flt = r.RegisterFilter(federal=True, capitalized=True)
    view = saved_views.save_view(demo_db, "ana", "Federal equipment", flt, ["tag", "cost"], ("cost", True))
    assert (view.filter, view.columns, view.sort_key, view.sort_descending) == (flt, ("tag", "cost"), "cost", True)
    with pytest.raises(DuplicateError):
        saved_views.save_view(demo_db, "ben", "federal EQUIPMENT", flt, ["tag"], ("tag", False))
    replaced = saved_views.save_view(demo_db, "ben", "Federal equipment", r.RegisterFilter(), ["tag"],
                                     ("tag", False), replace=True)
    listed = saved_views.list_views(demo_db)
    assert [(v.name, v.created_by, v.updated_by, v.columns) for v in listed] == [
        ("Federal equipment", "ana", "ben", ("tag",))]
    with pytest.raises(ValidationError):
        saved_views.save_view(demo_db, "ana", "Bad", flt, ["tag", "no_such_column"], ("tag", False))
    with pytest.raises(ValidationError):
        saved_views.save_view(demo_db, "ana", "  ", flt, ["tag"], ("tag", False))
    saved_views.delete_view(demo_db, "ana", replaced.id)
    assert saved_views.list_views(demo_db) == []


def test_export_writes_the_rows_as_shown(demo_db: Database, tmp_path: Path) -> None:
    flt = r.RegisterFilter(capitalized=False, statuses=("in_service",))
    ids = r.sorted_ids(demo_db, flt, ("cost", True))[:300]
    columns = ["tag", "description", "acquired_on", "cost", "status"]
    rows = r.rows_for_ids(demo_db, ids, columns)
    xlsx = tmp_path / "out.xlsx"
    assert export_register(demo_db, ids, columns, xlsx) == len(ids)
    workbook = load_workbook(xlsx, read_only=True)
    values = list(workbook.active.iter_rows(values_only=True))
    workbook.close()
    assert values[0] == ("Tag", "Description", "Acquired", "Cost", "Status")
    for got, want in zip(values[1:], rows, strict=True):
        assert got[0] == want[0] and got[1] == want[1] and got[4] == want[4]
        assert got[2].date() == want[2]
        assert Decimal(str(got[3])).quantize(Decimal("0.01")) == want[3]
    csv_path = tmp_path / "out.csv"
    export_register(demo_db, ids, columns, csv_path)
    with open(csv_path, encoding="utf-8-sig", newline="") as handle:
        lines = list(csv.reader(handle))
    assert lines[0] == ["Tag", "Description", "Acquired", "Cost", "Status"]
    assert lines[1] == [rows[0][0], rows[0][1], rows[0][2].isoformat(), f"{rows[0][3]:.2f}", rows[0][4]]
    assert len(lines) == len(ids) + 1


def test_a_cancelled_or_refused_export_leaves_no_file(demo_db: Database, tmp_path: Path) -> None:
    ids = r.sorted_ids(demo_db, r.RegisterFilter())
    out = tmp_path / "out"
    out.mkdir()
    progress = Progress()
    progress.cancel()
    target = out / "cancelled.xlsx"
    with pytest.raises(Cancelled):
        export_register(demo_db, ids, ["tag"], target, progress)
    assert list(out.iterdir()) == []
    # Cancelled half way through a workbook: still nothing left behind.
    steps: list[int] = []
    halfway = Progress(lambda done, total, message: (steps.append(done), halfway.cancel() if done >= 2000 else None))
    with pytest.raises(Cancelled):
        export_register(demo_db, np.concatenate([ids, ids, ids]), ["tag", "cost"], target, halfway)
    assert steps and list(out.iterdir()) == []
    with pytest.raises(ExportError):
        export_register(demo_db, ids, ["tag"], out / "out.pdf")
    with pytest.raises(ExportError):
        export_register(demo_db, ids, ["tag"], out / "missing" / "out.csv")
    assert list(out.iterdir()) == []


@pytest.mark.parametrize("key", ["site", "class", "status", "capitalized", "room", "model", "department",
                                 "condition", "device_type", "description", "cost", "tag", "assigned_to"])
def test_the_first_rows_are_the_head_of_the_whole_list(demo_db: Database, key: str) -> None:
    for flt in (r.RegisterFilter(), r.RegisterFilter(statuses=("in_service", "in_storage"), capitalized=False)):
        for descending in (False, True):
            whole = r.sorted_ids(demo_db, flt, (key, descending))
            head = r.sorted_ids(demo_db, flt, (key, descending), limit=200)
            assert head.tolist() == whole[:200].tolist(), (key, descending, flt)


def test_book_value_is_cost_less_depreciation_through_the_latest_closed_year(demo_db: Database) -> None:
    from datetime import UTC, datetime

    from models.schema import AssetYearFigures, FiscalYearClose

    flt = r.RegisterFilter(capitalized=True)
    with demo_db.reading() as session:
        held = session.execute(
            select(Asset.id, Asset.cost, Asset.class_id).where(Asset.capitalized.is_(True), Asset.status != "disposed")
            .order_by(Asset.id)
        ).all()
    assert r.totals(demo_db, flt).book_value is None
    assert r.rows_for_ids(demo_db, [held[0][0]], ["book_value"]) == [(None,)]
    now = datetime.now(UTC)
    with demo_db.unit_of_work("test") as work:
        closes = [
            FiscalYearClose(fiscal_year=year, status=status, fy_start_month=7, closed_at=now, closed_by="test",
                            asset_count=0, cost_end=Decimal(0), depreciation=Decimal(0), accumulated_end=Decimal(0))
            for year, status in ((2024, "closed"), (2025, "closed"), (2026, "reopened"))
        ]
        work.session.add_all(closes)
        work.session.flush()
        for close, share in zip(closes, (10, 20, 90), strict=True):  # percent of cost depreciated
            for asset_id, cost, class_id in held[:5]:
                cents = int(cost * 100)
                work.session.add(AssetYearFigures(
                    close_id=close.id, asset_id=asset_id, class_id=class_id, gasb_class="buildings",
                    cost_cents=cents, on_books_at_start=True, acquired_in_year=False, disposed_in_year=False,
                    accumulated_start_cents=0, depreciation_cents=0,
                    accumulated_end_cents=cents * share // 100, book_value_end_cents=cents - cents * share // 100))
    # FY2025 is the latest standing close (FY2026 was reopened): 20% of the five is gone.
    t = r.totals(demo_db, flt)
    accumulated = sum((Decimal(int(cost * 100) * 20 // 100) / 100 for _, cost, _ in held[:5]), Decimal("0.00"))
    assert t.book_value_year == 2025
    assert t.book_value == sum((cost for _, cost, _ in held), Decimal("0.00")) - accumulated
    first_id, first_cost, _ = held[0]
    assert r.rows_for_ids(demo_db, [first_id], ["book_value"]) == [
        (first_cost - Decimal(int(first_cost * 100) * 20 // 100) / 100,)]
    # The register sorts by it: highest book value first, the assets without one together.
    for descending in (True, False):
        ids = r.sorted_ids(demo_db, flt, ("book_value", descending)).tolist()
        values = [v for (v,) in r.rows_for_ids(demo_db, ids, ["book_value"])]
        stated = [v for v in values if v is not None]
        assert stated == sorted(stated, reverse=descending) and len(stated) == len(held)
        assert r.sorted_ids(demo_db, flt, ("book_value", descending), limit=50).tolist() == ids[:50]


# -- a search's first rows, walked along the sort order -----------------------------------------

_HEAD_SORTS = [("tag", False), ("tag", True), ("cost", True), ("site", False), ("status", True),
               ("assigned_to", False), ("description", False), ("room", True)]
_HEAD_FILTERS = [
    r.RegisterFilter(),
    r.RegisterFilter(capitalized=False),
    r.RegisterFilter(statuses=("in_service", "in_storage"), cost_min=Decimal("100.00")),
]


def _broad_and_narrow(db: Database) -> tuple[list[str], list[str]]:
    """Words matching many assets of the demo district (a manufacturer, a device type, a
    two-word search) and few (part of one serial, a tag, nothing)."""
    with db.reading() as session:
        serial = session.scalar(select(Asset.serial).where(Asset.serial.is_not(None)).order_by(Asset.id).limit(1))
        tag = session.scalar(select(Asset.tag).order_by(Asset.id.desc()).limit(1))
        maker = session.scalar(
            select(AssetModel.manufacturer).join(Asset, Asset.model_id == AssetModel.id)
            .group_by(AssetModel.manufacturer).order_by(func.count().desc()).limit(1)
        )
        device = session.scalar(
            select(AssetModel.device_type).join(Asset, Asset.model_id == AssetModel.id)
            .group_by(AssetModel.device_type).order_by(func.count().desc()).limit(1)
        )
    broad = [maker.lower(), device.upper(), f"{maker} {device}", "e"]
    narrow = [serial[1:8].lower(), tag, 'zz"q%_x']
    return broad, narrow


@pytest.mark.parametrize("sort", _HEAD_SORTS)
def test_a_searchs_first_rows_are_the_head_of_its_whole_list(
    demo_db: Database, sort: tuple[str, bool], monkeypatch: pytest.MonkeyPatch
) -> None:
    # The demo district is small: a short walk makes it take both ways, as a million rows do.
    monkeypatch.setattr(r, "FIRST_MATCH_BUDGET", 300)
    limit = 40
    broad, narrow = _broad_and_narrow(demo_db)
    walked = fell_back = 0
    for flt in _HEAD_FILTERS:
        base = r.sorted_ids(demo_db, flt, sort)
        for word in broad + narrow:
            searched = flt.with_search(word)
            whole = r.sorted_ids(demo_db, searched, sort)
            head = r.first_matches(demo_db, searched, sort, limit)
            if head is None:
                fell_back += 1
            else:
                walked += 1
                assert head.tolist() == whole[:limit].tolist(), (word, flt)
            with_base = r.first_matches(demo_db, searched, sort, limit, base=base)
            assert (with_base is None) == (head is None)
            if with_base is not None:
                assert with_base.tolist() == whole[:limit].tolist()
            # What the table asks for, whichever way it is answered.
            assert r.sorted_ids(demo_db, searched, sort, limit=limit).tolist() == whole[:limit].tolist()
            assert r.sorted_ids(demo_db, searched, sort, limit=limit, base=base).tolist() == whole[:limit].tolist()
    assert walked and fell_back  # both ways were taken


def test_broad_words_walk_and_narrow_ones_go_to_the_text_index(demo_db: Database, monkeypatch) -> None:
    monkeypatch.setattr(r, "FIRST_MATCH_BUDGET", 300)
    broad, narrow = _broad_and_narrow(demo_db)
    for word in broad[:2]:
        assert r.first_matches(demo_db, r.RegisterFilter(search=word), ("tag", False), 40) is not None
    for word in narrow:
        assert r.first_matches(demo_db, r.RegisterFilter(search=word), ("tag", False), 40) is None
    # A walk that covers the whole filtered set is the whole answer, however few it matched.
    monkeypatch.setattr(r, "FIRST_MATCH_BUDGET", 100_000)
    for word in narrow:
        flt = r.RegisterFilter(search=word)
        assert r.first_matches(demo_db, flt, ("tag", False), 40).tolist() == r.sorted_ids(demo_db, flt)[:40].tolist()
