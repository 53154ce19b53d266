"""Import benchmark: a 100,000-row CSV (and XLSX) previewed and committed into a copy of the
cached demo district, on SQLite and PostgreSQL. Targets: CSV preview + commit <= 10 s per
backend, XLSX <= 30 s, peak memory <= 1 GB. The same CSV is also imported into a small demo
(2,000 assets and the demo's reference data): a district's first import, into an almost empty
register.

    flock /tmp/cg-bench.lock uv run python tests/benchmarks/bench_import.py [--rows N] [--assets N]
"""

from __future__ import annotations

import argparse
import csv
import os
import random
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from sqlalchemy import text  # noqa: E402

from models.database import Database  # noqa: E402
from models.schema import Base, ImportBatch, SavedMapping  # noqa: E402
from models.importing import PlanOptions, build_plan, commit_plan, prepare_source  # noqa: E402
from tests.benchmarks._support import demo_copy, peak_memory_mb  # noqa: E402

HEADERS = ["Asset Tag", "Serial Number", "Description", "Category", "Site", "Bldg", "Rm", "Purchase Date",
           "Purchase Price", "Fund Source", "Status", "Condition", "Vendor", "PO Number"]


def rooms_of(address: str) -> list[tuple[str, str, str]]:
    db = Database.open(address)
    try:
        with db.engine.connect() as connection:
            return [tuple(r) for r in connection.execute(text(
                "SELECT s.code, b.code, r.number FROM rooms r JOIN floors f ON f.id = r.floor_id "
                "JOIN buildings b ON b.id = f.building_id JOIN sites s ON s.id = r.site_id"))]
    finally:
        db.close()


def make_rows(count: int, rooms: list[tuple[str, str, str]]) -> list[list[object]]:
    rng = random.Random(7)
    statuses = ["Deployed", "Ready to Deploy", "Out for Repair"]
    rows = []
    for n in range(count):
        site, building, room = rooms[rng.randrange(len(rooms))]
        month, day, year = rng.randint(1, 12), rng.randint(1, 28), rng.randint(2015, 2025)
        cents = rng.randint(15_000, 900_000)
        rows.append([f"IMP{n:07d}", f"BNCH{n:08d}X", "Chromebook, Acer Spin 511", "Technology equipment",
                     site, building, room, f"{month}/{day}/{year}", f"${cents // 100:,}.{cents % 100:02d}",
                     rng.choice(["GF", "ESSER3", "Title I, Part A"]), rng.choice(statuses), "Good", "CDW-G",
                     f"PO-{rng.randint(1000, 9999)}"])
    return rows


def write_csv(path: Path, rows: list[list[object]]) -> None:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADERS)
        writer.writerows(rows)


def write_xlsx(path: Path, rows: list[list[object]]) -> None:
    from openpyxl import Workbook

    wb = Workbook(write_only=True)
    ws = wb.create_sheet("Fixed assets")
    ws.append(["District fixed asset listing"])
    ws.append([])
    ws.append(HEADERS)
    for row in rows:
        ws.append(row)
    wb.save(path)


def run(backend: str, assets: int, path: Path) -> tuple[float, float, float, dict]:
    with demo_copy(backend, assets) as address:
        db = Database.open(address)
        # A cache made while migration 0004 was still empty lacks the import tables.
        Base.metadata.create_all(db.engine, tables=[ImportBatch.__table__, SavedMapping.__table__])
        try:
            start = time.perf_counter()
            plan = build_plan(db, [prepare_source(db, path, source="bench")], PlanOptions())
            previewed = time.perf_counter()
            commit_plan(db, "bench", plan)
            done = time.perf_counter()
            return previewed - start, done - previewed, done - start, plan.counts
        finally:
            db.close()


def report(kind: str, backend: str, assets: int, path: Path, target: int) -> None:
    """Import ``path`` into a copy of the ``assets``-asset demo and print the times against ``target``."""
    preview, commit, total, counts = run(backend, assets, path)
    verdict = "ok" if total <= target else f"OVER the {target} s target"
    print(f"{kind} {backend:10s} preview {preview:6.2f} s  commit {commit:6.2f} s  total {total:6.2f} s  "
          f"({verdict}; {counts})")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--assets", type=int, default=1_000_000, help="size of the demo district imported into")
    parser.add_argument("--small-assets", type=int, default=2_000,
                        help="size of the almost empty district of the first-import run (0: skip it)")
    parser.add_argument("--backends", default="sqlite,postgresql")
    parser.add_argument("--skip-xlsx", action="store_true")
    args = parser.parse_args()
    backends = args.backends.split(",")
    before = os.getloadavg()
    from tests.benchmarks._support import cached_demo

    rows = make_rows(args.rows, rooms_of(cached_demo(backends[0], args.assets)))
    with tempfile.TemporaryDirectory() as folder:
        csv_path = Path(folder) / "it-export.csv"
        write_csv(csv_path, rows)
        xlsx_path = Path(folder) / "finance-listing.xlsx"
        if not args.skip_xlsx:
            write_xlsx(xlsx_path, rows)
        del rows
        small_path = Path(folder) / "first-import.csv"
        if args.small_assets:
            write_csv(small_path, make_rows(args.rows, rooms_of(cached_demo(backends[0], args.small_assets))))
        print(f"{args.rows:,} rows into a {args.assets:,}-asset demo district")
        for backend in backends:
            report("CSV ", backend, args.assets, csv_path, 10)
        if not args.skip_xlsx:
            for backend in backends:
                report("XLSX", backend, args.assets, xlsx_path, 30)
        if args.small_assets:
            print(f"{args.rows:,} rows into a {args.small_assets:,}-asset demo district (a first import)")
            for backend in backends:
                report("CSV ", backend, args.small_assets, small_path, 10)
    peak = peak_memory_mb()
    print(f"peak memory {peak:,.0f} MB ({'ok' if peak <= 1024 else 'OVER the 1 GB target'})")
    # The machine is shared: a busy neighbour slows both this process and the database server.
    print("load average (1, 5, 15 min) before: " + ", ".join(f"{load:.2f}" for load in before)
          + "; after: " + ", ".join(f"{load:.2f}" for load in os.getloadavg()))


if __name__ == "__main__":
    main()
