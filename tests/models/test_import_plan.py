"""Preview, merge, commit and undo of imports, on SQLite and PostgreSQL."""

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import func, select

from models import importing
from models.integrity import IntegrityViolation
from models.errors import UserError
from models.history import verify_chain
from models.importing import PlanOptions, build_plan, commit_plan, prepare_source, undo_import
from models.importing import commit as commit_module
from models.importing.mapping import Department
from models.progress import Cancelled, Progress
from models.schema import Asset, Assignment, FundingShare, HistoryEvent, ImportBatch, Room
from models.services.assets import create_asset, update_asset
from tests.db_fixtures import asset_values

DATA = Path(__file__).resolve().parents[1] / "data"


def write_csv(path: Path, text: str) -> Path:
    path.write_text(text.strip() + "\n", encoding="utf-8")
    return path


def source(db, path, department=None):
    prepared = prepare_source(db, path)
    if department:
        prepared.mapping.department = Department(department)
    return prepared


def snapshot(db):
    """Everything an import may touch, to compare before and after."""
    with db.reading() as s:
        return (
            sorted(s.execute(select(Asset.id, Asset.tag, Asset.serial, Asset.cost, Asset.room_id, Asset.status,
                                    Asset.version)).all()),
            s.scalar(select(func.count()).select_from(HistoryEvent)),
            s.scalar(select(func.count()).select_from(FundingShare)),
            s.scalar(select(func.count()).select_from(Room)),
            s.scalar(select(func.count()).select_from(ImportBatch)),
        )


NEW_ROWS = """
Asset Tag,Serial Number,Description,Class,Site,Bldg,Rm,Purchase Date,Purchase Price,Fund Source,Status
N-1,sn-001,Flat panel,Furniture and equipment,LIN,A,101,4/5/2024,"$6,200.00",ESSER3,Deployed
N-2,SN-002,Cart,FE,LIN,,101,2024-04-05,$900.00,General fund,Ready to Deploy
"""


def test_new_assets_are_previewed_then_committed_with_history_and_a_batch(db, reference, tmp_path):
    plan = build_plan(db, [source(db, write_csv(tmp_path / "it.csv", NEW_ROWS))])
    assert plan.counts == {"new": 2, "updated": 0, "unchanged": 0, "rejected": 0}
    result = commit_plan(db, "clerk", plan)
    with db.reading() as s:
        panel = s.scalar(select(Asset).where(Asset.tag == "N-1"))
        assert panel.cost == Decimal("6200.00") and panel.capitalized  # at or above the $5,000 threshold
        assert panel.room_id == reference.room and panel.site_id == reference.site
        assert panel.acquired_on == date(2024, 4, 5) and panel.status.value == "in_service"
        assert [f.funding_source_id for f in panel.funding] == [reference.federal_grant]
        cart = s.scalar(select(Asset).where(Asset.tag == "N-2"))
        assert not cart.capitalized and cart.status.value == "in_storage"
        events = s.execute(select(HistoryEvent).where(HistoryEvent.batch_id == result.batch_id)).scalars().all()
        assert sorted(e.entity_id for e in events) == sorted([panel.id, cart.id])
        assert all(e.action == "created" and "it.csv row" in e.note for e in events)
        batch = s.get(ImportBatch, result.batch_id)
        assert (batch.actor, batch.created_count, batch.files) == ("clerk", 2, "it.csv")
    with db.engine.connect() as connection:
        assert verify_chain(connection).intact


def test_dry_run_preview_writes_nothing(db, reference, tmp_path):
    before = snapshot(db)
    plan = build_plan(db, [source(db, write_csv(tmp_path / "it.csv", NEW_ROWS))])
    assert plan.counts["new"] == 2
    assert snapshot(db) == before


def test_rejected_rows_name_the_row_the_column_and_why(db, reference, tmp_path):
    text = NEW_ROWS.rstrip() + """
N-3,SN-3,Desk,FE,LIN,A,101,13/45/2021,$10.00,GF,Deployed
N-4,SN-4,Desk,FE,LIN,A,101,1/1/2020,(12.00),GF,Deployed
N-5,SN-5,Desk,FE,LIN,A,999,1/1/2020,$10.00,GF,Deployed
N-6,SN-6,Desk,Spaceships,LIN,A,101,1/1/2020,$10.00,GF,Deployed
N-7,SN-7,Desk,FE,LIN,A,101,1/1/2020,$10.00,Lottery,Surplus
,,Desk,FE,LIN,A,101,1/1/2020,$10.00,GF,Deployed
"""
    plan = build_plan(db, [source(db, write_csv(tmp_path / "it.csv", text))])
    found = {(r.row, r.column): r.reason for r in plan.rejected}
    assert "not a real date" in found[(4, "Purchase Date")]
    assert "negative" in found[(5, "Purchase Price")]
    assert "LIN / A / 999 is not a location" in found[(6, "Rm")]
    assert "'Spaceships' is not a class" in found[(7, "Class")]
    assert "not a funding source" in found[(8, "Fund Source")]
    assert "does not dispose" in found[(8, "Status")]
    assert "no tag or serial" in found[(9, "")]
    assert plan.counts == {"new": 2, "updated": 0, "unchanged": 0, "rejected": 6}
    assert plan.unknowns.classes == {"Spaceships": 1}
    aliased = build_plan(db, [source(db, tmp_path / "it.csv")],
                         PlanOptions(class_aliases={"spaceships": reference.equipment_class},
                                     create_locations=True))
    assert {r.row for r in aliased.rejected} == {4, 5, 8, 9}
    result = commit_plan(db, "clerk", aliased)
    with db.reading() as s:
        room = s.scalar(select(Asset.room_id).where(Asset.tag == "N-5"))
        assert s.get(Room, room).number == "999"
    undo_import(db, "clerk", result.batch_id)
    with db.reading() as s:  # the room made for the import goes with it
        assert s.scalar(select(func.count()).select_from(Room).where(Room.number == "999")) == 0


def test_new_locations_whose_codes_coincide_are_each_created(db, reference, tmp_path):
    # A new site: its first room makes building A, which the room without a building then shares;
    # "4/5/16" and "45.16" are different buildings whose texts make the same code.
    text = """
Asset Tag,Serial Number,Description,Class,Site,Bldg,Rm,Purchase Date,Purchase Price
L-1,S-1,Desk,FE,Annex,A,101,1/1/2020,$10.00
L-2,S-2,Desk,FE,Annex,,102,1/1/2020,$10.00
L-3,S-3,Desk,FE,Annex,4/5/16,1,1/1/2020,$10.00
L-4,S-4,Desk,FE,Annex,45.16,2,1/1/2020,$10.00
"""
    plan = build_plan(db, [source(db, write_csv(tmp_path / "f.csv", text))], PlanOptions(create_locations=True))
    assert plan.counts["new"] == 4
    commit_plan(db, "clerk", plan)
    from models.schema import Building, Floor

    with db.reading() as s:
        placed = dict(s.execute(select(Asset.tag, Building.code).join(Room, Room.id == Asset.room_id)
                                .join(Floor, Floor.id == Room.floor_id).join(Building, Building.id == Floor.building_id)
                                .where(Asset.tag.like("L-%"))).all())
    assert placed["L-1"] == placed["L-2"] == "A"
    assert {placed["L-3"], placed["L-4"]} == {"4516", "4516-2"}


def test_a_large_import_stores_every_value_as_written(db, reference, tmp_path):
    # Enough rows for the bulk paths (COPY; SQLite's staging table and one search-index pass),
    # with the characters COPY's text format escapes, a split funding and blank cells.
    lines = ["Asset Tag,Serial Number,Description,Class,Site,Bldg,Rm,Purchase Date,Purchase Price,Fund Source,Notes"]
    for n in range(6000):
        funding = "GF 50%, ESSER3 50%" if n % 3 == 0 else "GF"
        notes = '"tab\there, back\\slash\nnew line ""quoted"""' if n % 7 == 0 else ""
        serial = f"SN-{n}" if n % 5 else ""
        lines.append(f"B-{n},{serial},Desk {n % 4},FE,LIN,A,101,4/5/2024,\"${n:,}.5\",\"{funding}\",{notes}")
    plan = build_plan(db, [source(db, write_csv(tmp_path / "big.csv", "\n".join(lines)))])
    assert plan.counts == {"new": 6000, "updated": 0, "unchanged": 0, "rejected": 0}
    commit_plan(db, "clerk", plan)
    with db.reading() as s:
        stored = {a.tag: a for a in s.scalars(select(Asset).where(Asset.tag.like("B-%")))}
        shares = s.execute(select(FundingShare.asset_id, func.count()).group_by(FundingShare.asset_id)).all()
        assert verify_chain(s.connection()).intact
    assert len(stored) == 6000
    assert stored["B-7"].notes == 'tab\there, back\\slash\nnew line "quoted"'
    assert stored["B-8"].notes is None and stored["B-5"].serial is None and stored["B-6"].serial == "SN-6"
    assert stored["B-1234"].cost == Decimal("1234.50") and stored["B-2"].description == "Desk 2"
    assert sorted(n for _, n in shares).count(2) == 2000
    from models.queries.register import search_ids

    found = search_ids(db, "B-5999")  # the new assets are in the register's text search
    assert found is not None and stored["B-5999"].id in found.tolist()


def test_names_the_register_lacks_are_counted_by_the_rows_that_give_them(db, reference, tmp_path):
    text = """
Asset Tag,Description,Class,Site,Bldg,Rm,Purchase Date,Purchase Price
U-1,Desk,Spaceships,LIN,A,998,1/1/2020,$10.00
U-2,Desk,Spaceships,LIN,A,998,1/1/2020,$10.00
U-3,Desk,Spaceships,LIN,A,998,1/1/2020,$10.00
U-4,Desk,FE,LIN,A,999,1/1/2020,$10.00
"""
    path = write_csv(tmp_path / "f.csv", text)
    for create in (False, True):
        plan = build_plan(db, [source(db, path)], PlanOptions(create_locations=create))
        assert plan.unknowns.locations == {("new", "LIN", "A", "998"): 3, ("new", "LIN", "A", "999"): 1}
        assert plan.unknowns.classes == {"Spaceships": 3}


def test_matching_by_tag_then_serial_and_unchanged_rows(db, reference, tmp_path):
    first = create_asset(db, "setup", asset_values(reference, "T-1", serial="ABC 123"))
    second = create_asset(db, "setup", asset_values(reference, "T-2", serial="XYZ-9"))
    text = """
Tag,Serial,Description,Cost,Acquired,Condition
T-1,abc123,Interactive flat panel,1200.00,2024-08-15,Good
,xyz-9,,,,Fair
"""
    plan = build_plan(db, [source(db, write_csv(tmp_path / "f.csv", text))])
    assert [p.asset_id for p in plan.unchanged] == [first]
    assert [p.asset_id for p in plan.updated] == [second]
    assert plan.updated[0].values == {"condition": importing.normalise.condition("Fair")}
    commit_plan(db, "clerk", plan)
    with db.reading() as s:
        assert s.get(Asset, second).condition.value == "fair"
        assert s.get(Asset, second).version == 2


IT = """
Asset Tag,Serial Number,Model,Status,Site,Room,Purchase Date,Checked Out To
M-1,SN-M1,Latitude,Deployed,LIN,101,4/5/2024,E1
"""
FINANCE = """
Asset #,Description,Class,Acq Date,Purchase Price,Fund Source,Serial Number,Site
M-1,Staff laptop,FE,4/1/2024,$899.00,GF,SN-M1-X,WHS
"""
FACILITIES = """
Tag No;Site;Bldg;Rm;Condition
M-1;WHS;A;204;Fair
"""


def _three(db, tmp_path):
    return [
        source(db, write_csv(tmp_path / "it.csv", IT), "it"),
        source(db, write_csv(tmp_path / "finance.csv", FINANCE), "finance"),
        source(db, write_csv(tmp_path / "facilities.csv", FACILITIES), "facilities"),
    ]


def test_one_asset_from_three_files_with_each_fields_source_and_the_default_rules(db, reference, tmp_path):
    plan = build_plan(db, _three(db, tmp_path))
    assert plan.counts["new"] == 1
    asset = plan.new[0]
    assert asset.values["cost"] == Decimal("899.00")
    assert asset.values["acquired_on"] == date(2024, 4, 1)  # Finance wins dates
    assert asset.values["serial"] == "SN-M1"  # IT wins the serial
    assert asset.values["location"] == ("room", reference.other_room)  # Facilities wins the room
    assert asset.values["assigned_person_id"] == reference.person
    assert plan.file_name(asset.sources["cost"][0]) == "finance.csv"
    assert plan.file_name(asset.sources["location"][0]) == "facilities.csv"
    conflicts = {c.field: c for c in plan.conflicts}
    assert set(conflicts) == {"acquired_on", "serial", "location"}
    assert conflicts["location"].why == "rule: Facilities wins Location"
    labels = [plan.display("location", c.value) for c in conflicts["location"].candidates]
    assert labels == ["LIN / A / 101", "WHS / A / 204"]


def test_the_user_changes_a_rule_or_one_decision(db, reference, tmp_path):
    files = _three(db, tmp_path)
    by_rule = build_plan(db, files, PlanOptions(field_rules={"location": Department.IT}))
    assert by_rule.new[0].values["location"] == ("room", reference.room)
    conflict = next(c for c in by_rule.conflicts if c.field == "acquired_on")
    it_choice = next(i for i, c in enumerate(conflict.candidates) if c.department is Department.IT)
    decided = build_plan(db, files, PlanOptions(decisions={("M-1", "acquired_on"): it_choice}))
    assert decided.new[0].values["acquired_on"] == date(2024, 4, 5)
    assert next(c for c in decided.conflicts if c.field == "acquired_on").why == "your choice"


def test_duplicate_rows_within_one_file_are_one_asset_and_the_later_row_wins(db, reference, tmp_path):
    text = """
Tag,Description,Class,Cost,Acquired,Condition
D-1,Desk,FE,100.00,2024-01-01,Good
D-1,Desk,FE,100.00,2024-01-01,Poor
"""
    plan = build_plan(db, [source(db, write_csv(tmp_path / "f.csv", text))])
    assert plan.counts["new"] == 1
    assert plan.new[0].values["condition"].value == "poor"
    assert [c.field for c in plan.conflicts] == ["condition"]


def test_a_fault_mid_commit_leaves_the_database_as_it_was(db, reference, tmp_path, monkeypatch):
    create_asset(db, "setup", asset_values(reference, "T-1"))
    text = NEW_ROWS + "T-1,,,,,,,,$1300.00,,\n"
    plan = build_plan(db, [source(db, write_csv(tmp_path / "it.csv", text))])
    assert plan.counts["new"] == 2 and plan.counts["updated"] == 1
    before = snapshot(db)

    def broken(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(commit_module, "_write_history", broken)
    with pytest.raises(RuntimeError, match="disk full"):
        commit_plan(db, "clerk", plan)
    assert snapshot(db) == before


def test_cancel_leaves_the_database_untouched(db, reference, tmp_path):
    plan = build_plan(db, [source(db, write_csv(tmp_path / "it.csv", NEW_ROWS))])
    before = snapshot(db)
    progress = Progress()
    calls = []

    def step(done, total, message):
        calls.append(message)
        if message.startswith("Adding"):
            progress.cancel()

    progress._callback = step
    with pytest.raises(Cancelled):
        commit_plan(db, "clerk", plan, progress)
    assert snapshot(db) == before


def test_a_register_change_after_the_preview_stops_the_commit(db, reference, tmp_path):
    asset_id = create_asset(db, "setup", asset_values(reference, "T-1"))
    plan = build_plan(db, [source(db, write_csv(tmp_path / "f.csv", "Tag,Cost\nT-1,$1500.00\n"))])
    update_asset(db, "someone", asset_id, 1, {"notes": "moved"})
    before = snapshot(db)
    with pytest.raises(importing.StaleImportError, match="T-1"):
        commit_plan(db, "clerk", plan)
    assert snapshot(db) == before


def test_undo_restores_the_register_and_is_refused_after_a_later_change(db, reference, tmp_path):
    asset_id = create_asset(db, "setup", asset_values(reference, "T-1"))
    before = snapshot(db)
    text = NEW_ROWS + "T-1,,,,,,,,$1300.00,GF,\n"
    result = commit_plan(db, "clerk", build_plan(db, [source(db, write_csv(tmp_path / "it.csv", text))]))
    with db.reading() as s:
        assert s.get(Asset, asset_id).cost == Decimal("1300.00")
    undone = undo_import(db, "clerk", result.batch_id)
    assert (undone.deleted, undone.restored) == (2, 1)
    with db.reading() as s:
        restored = s.get(Asset, asset_id)
        assert restored.cost == Decimal("1200.00") and restored.funding == []
        assert s.scalar(select(func.count()).select_from(Asset)) == 1
        assert s.get(ImportBatch, result.batch_id).undone_by == "clerk"
    after = snapshot(db)
    assert after[0][0][:6] == before[0][0][:6] and after[2:4] == before[2:4]
    with pytest.raises(importing.UndoRefusedError, match="already undone"):
        undo_import(db, "clerk", result.batch_id)
    # A second import, then a hand edit of one of its assets: undo is refused, naming it.
    again = commit_plan(db, "clerk", build_plan(db, [source(db, tmp_path / "it.csv")]))
    with db.reading() as s:
        n1 = s.scalar(select(Asset).where(Asset.tag == "N-1"))
    update_asset(db, "someone", n1.id, n1.version, {"notes": "checked"})
    with pytest.raises(importing.UndoRefusedError, match="N-1"):
        undo_import(db, "clerk", again.batch_id)
    with db.engine.connect() as connection:
        assert verify_chain(connection).intact


def test_assignment_on_import_and_its_undo(db, reference, tmp_path):
    files = _three(db, tmp_path)
    result = commit_plan(db, "clerk", build_plan(db, files))
    with db.reading() as s:
        asset = s.scalar(select(Asset).where(Asset.tag == "M-1"))
        assert asset.assigned_person_id == reference.person
        assert s.scalar(select(func.count()).select_from(Assignment)) == 1
    undo_import(db, "clerk", result.batch_id)
    with db.reading() as s:
        assert s.scalar(select(func.count()).select_from(Assignment)) == 0


def test_saved_mapping_is_reused_for_the_same_source(db, reference, tmp_path):
    path = write_csv(tmp_path / "weird-2026-11.csv", "Thing,Price Paid,When\nW-1,$5.00,2024-01-01\n")
    first = prepare_source(db, path)
    assert first.mapping.source == "weird"
    first.mapping.set(0, "tag")
    first.mapping.set(1, "cost")
    first.mapping.set(2, "acquired_on")
    first.mapping.department = Department.FINANCE
    importing.save_mapping(db, "clerk", "weird", first.mapping)
    again = prepare_source(db, write_csv(tmp_path / "weird-2026-12.csv", "Thing,Price Paid,When\nW-2,$6,2024\n"))
    assert again.mapping.fields == ["tag", "cost", "acquired_on"]
    assert again.mapping.department is Department.FINANCE
    assert importing.saved_sources(db) == ["weird"]


def test_nothing_to_import_is_said_plainly(db, reference, tmp_path):
    plan = build_plan(db, [source(db, write_csv(tmp_path / "f.csv", "Tag,Cost\n,\nX,(5)\n"))])
    with pytest.raises(UserError, match="nothing to import"):
        commit_plan(db, "clerk", plan)


def test_the_three_departments_sample_files_consolidate_into_the_demo_district(demo_db):
    files = [prepare_source(demo_db, DATA / name)
             for name in ("it_devices.csv", "finance_fixed_assets.xlsx", "facilities_rooms.csv")]
    assert [f.mapping.department.value for f in files] == ["it", "finance", "facilities"]
    plan = build_plan(demo_db, files, PlanOptions(today=date(2026, 11, 21)))
    counts = plan.counts
    assert counts["new"] == 10 and counts["updated"] == 4 and counts["rejected"] == 6
    reasons = " | ".join(r.reason for r in plan.rejected)
    assert "not a real date" in reasons and "negative" in reasons and "needs cost" in reasons
    assert any("scientific notation" in f.reason for f in plan.flagged)
    fields = {(c.key, c.field) for c in plan.conflicts}
    assert ("20260002", "acquired_on") in fields and ("20260001", "location") in fields
    assert plan.unknowns.locations  # the library annex room and the unknown site are listed
    before = snapshot(demo_db)
    result = commit_plan(demo_db, "clerk", plan)
    with demo_db.reading() as s:
        cart = s.scalar(select(Asset).where(Asset.tag == "20260002"))
        assert cart.acquired_on == date(2025, 8, 20) and cart.cost == Decimal("329.00")
        assert s.get(Room, cart.room_id).number == "206"  # Facilities' room
    undo_import(demo_db, "clerk", result.batch_id)
    after = snapshot(demo_db)
    assert [(a.tag, a.cost, a.room_id, a.status) for a in after[0]] == [
        (a.tag, a.cost, a.room_id, a.status) for a in before[0]]


def test_the_register_export_imports_back_unchanged(demo_db, tmp_path):
    from models.queries.register import COLUMN_KEYS
    from reports.register_export import export_register

    with demo_db.reading() as s:
        ids = list(s.scalars(select(Asset.id).order_by(Asset.id)))
    for suffix in ("csv", "xlsx"):
        path = tmp_path / f"register.{suffix}"
        export_register(demo_db, ids, list(COLUMN_KEYS), path)
        source = prepare_source(demo_db, path)
        assert source.mapping.column_of("funding_source") is not None  # split funding is read back too
        plan = build_plan(demo_db, [source])
        assert plan.counts == {"new": 0, "updated": 0, "unchanged": len(ids), "rejected": 0}
        # Only people whose names the demo district gives twice are left unresolved; nothing changes.
        assert all("matches several people" in f.reason for f in plan.flagged)


def test_a_large_sqlite_import_still_proves_every_check_on_its_rows(sqlite_url, open_db, reference_on, tmp_path):
    """Many new assets go in with SQLite's per-row CHECKs off, then one query proves them on the
    new rows: a row that breaks one stops the commit, and enforcement is back afterwards."""
    db = open_db(sqlite_url)
    reference_on(db)
    rows = "\n".join(f"B-{n},SN-{n},Cart,FE,LIN,A,101,2024-04-05,$900.00,General fund,Deployed" for n in range(6000))
    plan = build_plan(db, [source(db, write_csv(tmp_path / "big.csv", NEW_ROWS.strip().splitlines()[0] + "\n" + rows))])
    assert plan.counts["new"] == 6000
    plan.new[4321].values["cost"] = Decimal("-5.00")  # what the preview would have refused
    before = snapshot(db)
    with pytest.raises(IntegrityViolation, match="of assets breaks the check"):
        commit_plan(db, "clerk", plan)
    assert snapshot(db) == before
    with db.engine.begin() as connection:
        assert connection.exec_driver_sql("PRAGMA ignore_check_constraints").scalar() == 0
    plan.new[4321].values["cost"] = Decimal("900.00")
    commit_plan(db, "clerk", plan)
    with db.reading() as s:
        assert s.scalar(select(func.count()).where(Asset.tag.like("B-%"))) == 6000


def test_an_import_keeps_closed_years_closed(db, reference, tmp_path):
    """Dates in a closed fiscal year are refused, naming the row and column; a changed cost of an
    asset the closed year holds is booked as an adjustment in the first open year."""
    from models.schema import DepreciationAdjustment
    from models.services.depreciation import close_year
    from models.services.roles import grant

    asset_id = create_asset(db, "setup", asset_values(reference, "T-1", acquired_on=date(2023, 9, 1),
                                                     in_service_on=date(2023, 9, 1), cost=Decimal("8000.00"),
                                                     useful_life_months=60))
    grant(db, "setup", "finance clerk", "finance")
    close_year(db, "finance clerk", 2024, opening=True, today=date(2024, 8, 20))  # July 2023 - June 2024
    text = (NEW_ROWS.strip().splitlines()[0] + "\n"
            "N-1,SN-1,Flat panel,FE,LIN,A,101,3/1/2024,$6200.00,ESSER3,Deployed\n"
            "N-2,SN-2,Flat panel,FE,LIN,A,101,8/1/2024,$6200.00,ESSER3,Deployed\n"
            "T-1,,,,,,,,$9000.00,,\n")
    plan = build_plan(db, [source(db, write_csv(tmp_path / "finance.csv", text))])
    assert plan.counts == {"new": 1, "updated": 1, "unchanged": 0, "rejected": 1}
    (refused,) = plan.rejected
    assert (refused.row, refused.column) == (2, "Purchase Date")
    assert "falls in FY2024, which is closed" in refused.reason

    commit_plan(db, "clerk", plan)
    with db.reading() as s:
        adjustments = s.scalars(select(DepreciationAdjustment).where(DepreciationAdjustment.asset_id == asset_id)).all()
        assert s.get(Asset, asset_id).cost == Decimal("9000.00")
    assert [(a.fiscal_year, a.cost_cents) for a in adjustments] == [(2025, 100_000)]


def test_a_year_closed_after_the_preview_stops_the_commit(db, reference, tmp_path):
    from models.services.depreciation import close_year
    from models.services.roles import grant

    plan = build_plan(db, [source(db, write_csv(tmp_path / "it.csv", NEW_ROWS))])
    grant(db, "setup", "finance clerk", "finance")
    close_year(db, "finance clerk", 2023, opening=True, today=date(2024, 8, 20))
    before = snapshot(db)
    with pytest.raises(commit_module.StaleImportError, match="closed fiscal years changed"):
        commit_plan(db, "clerk", plan)
    assert snapshot(db) == before
