"""Room maps and room sheets at district scale, on scratch databases this script builds itself.

* a floor of 200 rooms holding 20,000 assets: load + paint (target ≤ 300 ms) and an overlay
  recolour with repaint (target ≤ 100 ms), in the real view, offscreen;
* a site of 2,000 rooms holding 60,000 assets: its room inventory sheets as one PDF
  (target ≤ 30 s and ≥ 150 pages/s), peak memory (target ≤ 800 MB).

Run: flock /tmp/cg-bench.lock uv run python tests/benchmarks/bench_roommap.py [--backend sqlite|postgresql|both]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import numpy as np  # noqa: E402
from sqlalchemy import insert  # noqa: E402

from models.database import Database  # noqa: E402
from models.schema import (  # noqa: E402
    Asset,
    AssetClass,
    AssetStatus,
    Building,
    Condition,
    DepreciationConvention,
    DepreciationMethod,
    Floor,
    GasbClass,
    Room,
    RoomType,
    Site,
    SiteKind,
)
from tests.benchmarks._support import peak_memory_mb, scratch_postgres  # noqa: E402

WORDS = ("Dell Latitude 3540 laptop", "Epson BrightLink 735Fi interactive projector with wall mount",
         "Student desk, adjustable height", "HON Brigade 4-drawer file cabinet",
         "Promethean ActivPanel 9 75-inch interactive flat panel with mobile stand and OPS computer module",
         "Chromebook cart, 36 slots", "Teacher chair", "Document camera")
KINDS = [RoomType.CLASSROOM] * 7 + [RoomType.OFFICE, RoomType.STORAGE, RoomType.LAB, RoomType.LIBRARY,
                                     RoomType.GYM, RoomType.SERVER]


def build(db: Database, rooms: int, assets: int, code: str, floors_per_building: int,
          rooms_per_floor: int) -> tuple[int, list[int]]:
    """A site with ``rooms`` rooms and ``assets`` assets spread unevenly over them; returns the
    site id and the floor ids."""
    rng = np.random.default_rng(5)
    now = datetime.now(UTC)
    with db.unit_of_work("bench") as work:
        s = work.session
        asset_class = s.query(AssetClass).filter_by(code="FE").one_or_none()
        if asset_class is None:
            asset_class = AssetClass(code="FE", name="Furniture and equipment",
                                     gasb_class=GasbClass.FURNITURE_EQUIPMENT, depreciable=True,
                                     default_useful_life_months=120,
                                     default_method=DepreciationMethod.STRAIGHT_LINE,
                                     default_convention=DepreciationConvention.FULL_MONTH,
                                     capitalization_threshold=Decimal("5000.00"))
            s.add(asset_class)
        site = Site(code=code, name=f"Bench {code} Campus", kind=SiteKind.HIGH)
        s.add(site)
        s.flush()
        floor_ids: list[int] = []
        room_rows = []
        made = 0
        building_no = 0
        while made < rooms:
            building = Building(site_id=site.id, code=f"B{building_no}", name=f"Building {building_no}")
            s.add(building)
            s.flush()
            for level in range(1, floors_per_building + 1):
                if made >= rooms:
                    break
                floor = Floor(building_id=building.id, level=level, name=f"Level {level}")
                s.add(floor)
                s.flush()
                floor_ids.append(floor.id)
                for n in range(min(rooms_per_floor, rooms - made)):
                    room_rows.append({"floor_id": floor.id, "site_id": site.id, "number": f"{level}{n:03d}",
                                      "name": None, "room_type": KINDS[(made * 7) % len(KINDS)]})
                    made += 1
            building_no += 1
        s.execute(insert(Room), room_rows)
        room_ids = [r.id for r in s.query(Room.id).filter(Room.site_id == site.id).order_by(Room.id)]
        weights = rng.gamma(1.5, 1.0, len(room_ids))
        chosen = rng.choice(np.array(room_ids), size=assets, p=weights / weights.sum())
        costs = rng.integers(2_000, 900_000, assets)
        rows = [{
            "tag": f"{code}-{i:07d}", "serial": f"SN{i:09d}", "description": WORDS[i % len(WORDS)],
            "class_id": asset_class.id, "status": AssetStatus.IN_SERVICE,
            "condition": list(Condition)[i % 5], "site_id": site.id, "room_id": int(chosen[i]),
            "acquired_on": date(2022, 1, 1), "cost": Decimal(int(costs[i])) / 100,
            "salvage_value": Decimal("0.00"), "capitalized": False, "created_at": now, "updated_at": now,
            "version": 1,
        } for i in range(assets)]
        for start in range(0, len(rows), 5000):
            s.execute(insert(Asset), rows[start:start + 5000])
        return site.id, floor_ids


def bench_backend(name: str, address: str) -> dict[str, float]:
    from PySide6.QtWidgets import QApplication

    from desktop.views.roommap import View
    from models.queries import roommap as q
    from models.roommap.overlay import OverlayKind
    from reports.room_sheet import SheetOptions, room_sheets_for

    db = Database.open(address)
    figures_out: dict[str, float] = {}
    try:
        started = time.perf_counter()
        _site, floors = build(db, 200, 20_000, "FLR", 1, 200)
        _site2, _ = build(db, 2_000, 60_000, "SITE", 4, 50)
        print(f"[{name}] built 2,200 rooms and 80,000 assets in {time.perf_counter() - started:.1f} s",
              file=sys.stderr)
        app = QApplication.instance() or QApplication([])
        view = View(db)
        view.resize(1280, 800)
        view.show()
        app.processEvents()
        floor_id = floors[0]
        paints, recolours = [], []
        for _ in range(5):
            t0 = time.perf_counter()
            floor = q.floor_map(db, floor_id)
            figures = q.room_figures(db, [r.id for r in floor.rooms])
            view.show_floor(floor, None, figures)
            view.canvas.viewport().grab()  # the paint itself
            paints.append(time.perf_counter() - t0)
            for kind in (OverlayKind.COST, OverlayKind.COUNT):
                t1 = time.perf_counter()
                view.recolour(kind, figures)
                view.canvas.viewport().grab()
                recolours.append(time.perf_counter() - t1)
        assert len(floor.rooms) == 200 and sum(f.count for f in figures.values()) == 20_000
        figures_out["floor_paint_ms"] = statistics.median(paints) * 1000
        figures_out["floor_paint_max_ms"] = max(paints) * 1000
        figures_out["recolour_ms"] = statistics.median(recolours) * 1000
        figures_out["recolour_max_ms"] = max(recolours) * 1000
        view.close()
        view.deleteLater()
        app.processEvents()
        del view
        t0 = time.perf_counter()
        pdf = room_sheets_for(db, q.SheetScope(site_code="SITE"), SheetOptions(printed_by="bench"))
        seconds = time.perf_counter() - t0
        from pypdf import PdfReader
        import io

        pages = len(PdfReader(io.BytesIO(pdf)).pages)
        figures_out["sheets_s"] = seconds
        figures_out["sheets_pages"] = pages
        figures_out["pages_per_s"] = pages / seconds
        figures_out["sheets_mb"] = len(pdf) / 1e6
        figures_out["peak_mb"] = peak_memory_mb()
    finally:
        db.close()
    return figures_out


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--backend", choices=["sqlite", "postgresql", "both"], default="both")
    args = parser.parse_args()
    results: dict[str, dict[str, float]] = {}
    if args.backend in ("sqlite", "both"):
        with tempfile.TemporaryDirectory() as folder:
            results["sqlite"] = bench_backend("sqlite", str(Path(folder) / "bench.sqlite3"))
    if args.backend in ("postgresql", "both"):
        with scratch_postgres("cg_bench_roommap") as url:
            from sqlalchemy import create_engine

            from models.migrate import upgrade

            engine = create_engine(url)
            upgrade(engine)
            engine.dispose()
            results["postgresql"] = bench_backend("postgresql", url)
    for backend, f in results.items():
        print(f"{backend}: floor of 200 rooms / 20,000 assets paints in {f['floor_paint_ms']:.0f} ms "
              f"(median of 5, worst {f['floor_paint_max_ms']:.0f} ms; target ≤ 300)")
        print(f"{backend}: overlay recolour + repaint {f['recolour_ms']:.1f} ms "
              f"(median of 10, worst {f['recolour_max_ms']:.1f} ms; target ≤ 100)")
        print(f"{backend}: room sheets for 2,000 rooms / 60,000 assets: {f['sheets_pages']:,.0f} pages in "
              f"{f['sheets_s']:.1f} s = {f['pages_per_s']:.0f} pages/s, {f['sheets_mb']:.1f} MB "
              f"(targets ≤ 30 s, ≥ 150 pages/s)")
        print(f"{backend}: peak memory so far {f['peak_mb']:.0f} MB (target ≤ 800)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
