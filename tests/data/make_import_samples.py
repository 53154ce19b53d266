"""Writes the three departments' sample files for the demo district the tests use
(1,500 assets, seed 11): ``uv run python tests/data/make_import_samples.py DEMO.sqlite3``.

The files overlap and disagree the way real ones do: IT knows serials, models and
who has a device; Finance knows cost, dates and funding (in a workbook with a title
above the header); Facilities knows rooms and condition (semicolon CSV in
Windows-1252). Kept in the repository; this script only documents how they were made.
"""

from __future__ import annotations

import csv
import sqlite3
import sys
from datetime import date
from pathlib import Path

from openpyxl import Workbook

HERE = Path(__file__).resolve().parent


def main(demo: str) -> None:
    con = sqlite3.connect(demo)
    q = con.execute
    devices = q(
        "SELECT a.tag, a.serial, m.name, m.manufacturer, c.name, a.status, s.code, b.code, r.number, "
        "a.acquired_on, a.cost, p.email FROM assets a JOIN asset_models m ON m.id = a.model_id "
        "JOIN asset_classes c ON c.id = a.class_id LEFT JOIN rooms r ON r.id = a.room_id "
        "LEFT JOIN floors f ON f.id = r.floor_id LEFT JOIN buildings b ON b.id = f.building_id "
        "LEFT JOIN sites s ON s.id = a.site_id LEFT JOIN people p ON p.id = a.assigned_person_id "
        "WHERE a.serial IS NOT NULL AND a.status != 'disposed' AND c.code = 'TECH' ORDER BY a.id LIMIT 24"
    ).fetchall()
    furniture = q(
        "SELECT a.tag, a.description, s.code, b.code, r.number, a.condition FROM assets a "
        "JOIN asset_classes c ON c.id = a.class_id JOIN rooms r ON r.id = a.room_id "
        "JOIN floors f ON f.id = r.floor_id JOIN buildings b ON b.id = f.building_id "
        "JOIN sites s ON s.id = a.site_id WHERE c.code = 'FE' AND a.serial IS NULL "
        "AND a.status != 'disposed' ORDER BY a.id LIMIT 12"
    ).fetchall()
    capital = q(
        "SELECT a.tag, a.description, c.name, a.acquired_on, a.cost, fs.code, a.po_number, a.vendor, s.code "
        "FROM assets a JOIN asset_classes c ON c.id = a.class_id JOIN funding_shares sh ON sh.asset_id = a.id "
        "JOIN funding_sources fs ON fs.id = sh.funding_source_id LEFT JOIN sites s ON s.id = a.site_id "
        "WHERE a.capitalized AND a.serial IS NOT NULL AND a.status != 'disposed' AND sh.share_basis_points = 10000 "
        "ORDER BY a.id LIMIT 6"
    ).fetchall()
    es01_rooms = q(
        "SELECT r.number FROM rooms r JOIN sites s ON s.id = r.site_id WHERE s.code = 'ES01' ORDER BY r.number"
    ).fetchall()
    free_room = es01_rooms[3][0]
    statuses = {"in_service": "Deployed", "in_storage": "Ready to Deploy", "in_repair": "Out for Repair",
                "loaned": "Deployed", "lost": "Lost/Stolen", "on_order": "Pending", "stolen": "Lost/Stolen"}

    # -- IT: a device export -----------------------------------------------------------------
    it_rows = []
    for i, (tag, serial, model, maker, _cls, status, site, bldg, room, acquired, _cost, email) in enumerate(devices):
        y, m, d = map(int, acquired.split("-"))
        shown_serial = serial
        shown_status = statuses[status]
        if i == 3:
            shown_serial = " " + serial.lower() + " "  # same serial, typed differently
        if i == 5:
            shown_serial = "6.37702E+15"  # a spreadsheet rounded it
        if i == 7:
            shown_status = "Out for Repair"  # IT sent it for repair
        it_rows.append([tag, shown_serial, model, maker, "Technology equipment", shown_status, site or "",
                        f"{bldg}-{room}" if room else "", email or "", f"{m}/{d}/{y % 100:02d}", ""])
    it_rows.append(list(it_rows[0]))  # exported twice
    it_rows[10][9] = "13/45/2021"  # not a date
    # Found by serial only: the tag label fell off.
    tag, serial, *_ = devices[12]
    it_rows[12][0] = ""
    new_devices = []
    for n in range(1, 11):
        tag = f"2026{n:04d}"
        serial = f"NXA2026QZ{n:03d}"
        room = es01_rooms[n][0]
        new_devices.append((tag, room))
        it_rows.append([tag, serial, "Chromebook Spin 511", "Acer", "Technology equipment", "Ready to Deploy",
                        "ES01", room, "", "8/15/25", "Fall 2025 cart"])
    with (HERE / "it_devices.csv").open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["Asset Tag", "Serial Number", "Model", "Manufacturer", "Category", "Status",
                         "Location", "Room", "Checked Out To: Email", "Purchase Date", "Notes"])
        writer.writerows(it_rows)

    # -- Finance: a fixed-asset listing (workbook, title rows above the header) -----------------
    wb = Workbook()
    ws = wb.active
    ws.title = "Fixed Assets FY2026"
    ws.append(["Riverside Unified School District"])
    ws.append(["Fixed asset listing as of June 30, 2026"])
    ws.append([])
    ws.append(["Asset #", "Description", "Class", "Acq Date", "Purchase Price", "Fund Source", "PO Number",
               "Vendor", "Site"])
    for n, (tag, _room) in enumerate(new_devices[:8], 1):
        acquired = date(2025, 8, 15) if n != 2 else date(2025, 8, 20)  # IT says 8/15
        ws.append([tag, "Chromebook, Acer Spin 511", "Technology equipment", acquired, 329.0,
                   "ESSER3" if n % 2 else "ARP ESSER III", "PO-26-0412", "CDW-G", "ES01"])
    for k, (tag, desc, cls, acquired, cost, fund, po, vendor, site) in enumerate(capital):
        amount = cost / 100
        if k == 1:
            amount = amount + 150  # Finance's figure after a freight invoice
        ws.append([tag, desc, cls, date.fromisoformat(acquired), amount, fund, po, vendor, site])
    ws.append(["20260020", "Rooftop HVAC unit, gym", "Building improvements", date(2025, 10, 1), 78500.00,
               "BOND19", "PO-26-0777", "Trane Technologies", "HS01"])
    ws.append(["20260021", "Projector (returned to vendor)", "Technology equipment", date(2025, 9, 2),
               "(1,250.00)", "GF", "PO-26-0501", "CDW-G", "MS01"])
    ws.append(["20260022", "Staff laptop", "Technology equipment", "2025-11-03", "$1,099.00", "Title I, Part A",
               "PO-26-0623", "Apple Education", "DO"])
    for column, width in zip("ABCDEFGHI", (12, 34, 22, 12, 14, 16, 12, 20, 8), strict=True):
        ws.column_dimensions[column].width = width
    for cell in ws["D"][4:]:
        cell.number_format = "mm/dd/yyyy"
    for cell in ws["E"][4:]:
        cell.number_format = "#,##0.00"
    wb.save(HERE / "finance_fixed_assets.xlsx")

    # -- Facilities: a room inventory (semicolon CSV, Windows-1252) -----------------------------
    conditions = {"new": "New", "good": "Good", "fair": "Fair", "poor": "Poor", "broken": "Damaged"}
    fac_rows = []
    for k, (tag, desc, site, bldg, room, cond) in enumerate(furniture):
        shown_room = room
        shown_cond = conditions[cond]
        note = ""
        if k == 0:
            site, bldg, shown_room = "ES01", "A", free_room  # moved over the summer
            note = "moved for the café reading corner"
        if k == 1:
            shown_cond = "Fair"
            note = "Señora Ruiz: one leg wobbles"
        fac_rows.append([tag, desc, site, bldg, shown_room, shown_cond, note])
    for n, (tag, room) in enumerate(new_devices[:4], 1):
        shown = room if n > 2 else es01_rooms[12 + n][0]  # carts went to other rooms
        fac_rows.append([tag, "Chromebook cart unit", "ES01", "A", shown, "New", ""])
    fac_rows.append(["20260030", "Bookcase, 5-shelf", "ES01", "A", "140", "Good", "new library annex room"])
    fac_rows.append(["20260031", "Storage cabinet", "ES09", "A", "101", "Good", "site not in the register"])
    with (HERE / "facilities_rooms.csv").open("w", encoding="cp1252", newline="") as handle:
        writer = csv.writer(handle, delimiter=";")
        writer.writerow(["Tag No", "Description", "Site", "Bldg", "Rm", "Condition", "Notes"])
        writer.writerows(fac_rows)


if __name__ == "__main__":
    main(sys.argv[1])
