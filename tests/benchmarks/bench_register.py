"""Register speed on a 1,000,000-asset demo district, SQLite and PostgreSQL.

    flock /tmp/cg-bench.lock uv run python tests/benchmarks/bench_register.py [--assets N]

Each backend runs in a child process of its own (so the peak memory is that backend's).
Every figure is the time until the table has painted the rows in question, beside the
bare database query it wraps (the same question as plain SQL through the driver, fetched
whole), and their ratio. Targets: open ≤ 1 s; narrow search ≤ 100 ms; broad search
(≥ 50,000 matches) ≤ 300 ms; sort by a visible column ≤ 1 s; jump to the last row
≤ 100 ms; peak memory ≤ 400 MB. A broad search is timed to its first rows painted (the
target) and to the whole id list in (its count and the rest of the rows). A search is timed from when the typing pause ends (the
debounce, 250 ms, is the UI waiting for the user, not work) to the repaint.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from tests.benchmarks._support import cached_demo, peak_memory_mb  # noqa: E402

NARROW = "NXA2PXGXU"  # part of one Chromebook's serial number
BROAD = ("lenovo", "chromebook")  # 123,935 and 577,680 matches in the seed-1 district


def _ensure_register_schema(address: str) -> None:
    """The cached demo may have been stamped at head before migration 0003 held anything:
    add what 0003 adds (idempotently) so the register runs on it as on a fresh database."""
    from sqlalchemy import create_engine, text

    from models.schema import SavedView

    url = address if "://" in address else f"sqlite:///{address}"
    engine = create_engine(url)
    try:
        SavedView.__table__.create(engine, checkfirst=True)
        with engine.begin() as connection:
            connection.execute(text("CREATE INDEX IF NOT EXISTS ix_people_first_name ON people (first_name)"))
            for column in ("last_name", "first_name"):  # from an earlier draft of 0003
                connection.execute(text(f"DROP INDEX IF EXISTS ix_people_lower_{column}"))
    finally:
        engine.dispose()


def _bare(db, sql: str) -> float:
    """Run plain SQL through the driver, fetching everything; seconds."""
    raw = db.engine.raw_connection()
    try:
        cursor = raw.cursor()
        if db.dialect == "postgresql":
            cursor.execute("SET jit = off")
            cursor.execute("SET work_mem = '64MB'")
        started = time.perf_counter()
        cursor.execute(sql)
        cursor.fetchall()
        elapsed = time.perf_counter() - started
        cursor.close()
    finally:
        raw.close()
    return elapsed


def _sql(db, stmt) -> str:
    return str(stmt.compile(dialect=db.engine.dialect, compile_kwargs={"literal_binds": True}))


def child(backend: str, assets: int) -> None:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    os.environ["COMMONGROUND_HOME"] = tempfile.mkdtemp(prefix="cg-bench-register-")
    address = cached_demo(backend, assets)
    _ensure_register_schema(address)

    from PySide6.QtWidgets import QApplication

    from desktop.views.register import View
    from models.database import Database
    from models.queries import register as r

    from PySide6.QtCore import QEventLoop

    app = QApplication.instance() or QApplication([])
    # QEventLoop.processEvents, not the static QApplication.processEvents: in PySide6 6.12 on
    # Python 3.11 each static call drops a reference to None, and a long wait crashes.
    loop = QEventLoop()
    results: list[tuple[str, float, float]] = []

    def wait(condition, timeout: float = 120.0) -> None:
        deadline = time.perf_counter() + timeout
        while not condition():
            loop.processEvents()
            if time.perf_counter() > deadline:
                raise TimeoutError("the register did not answer")
            time.sleep(0.0005)

    from PySide6.QtCore import QThreadPool

    def settle() -> None:
        """Let work the last step started (totals, choice lists) finish: each figure is
        one step on an otherwise idle register, as after a user's pause."""
        wait(lambda: not view._totals_timer.isActive()  # noqa: SLF001
             and QThreadPool.globalInstance().activeThreadCount() == 0, 300)

    def painted(view) -> None:
        view.table.viewport().repaint()  # paints now: the rows' data is fetched for it

    def bare_head(db, flt, sort) -> float:
        stmt = r._sort_select(flt, sort, db.dialect, r._resolve_words_for_bench(db, flt))  # noqa: SLF001
        return _bare(db, _sql(db, stmt.limit(r.__dict__.get("HEAD", 200))))

    def bare_page(db, ids) -> float:
        from sqlalchemy import select

        keys = [k for k in view.asset_table.model.columns if k in r._SELECT]  # noqa: SLF001
        stmt = select(r.Asset.id, *[r._SELECT[k] for k in keys]).where(r.Asset.id.in_([int(i) for i in ids]))  # noqa: SLF001
        joined = set()
        for key in keys:
            for target, on in r._JOINS.get(key, []):  # noqa: SLF001
                if target not in joined:
                    stmt = stmt.outerjoin(target, on)
                    joined.add(target)
        return _bare(db, _sql(db, stmt))

    def bare_full(db, flt, sort) -> float:
        stmt = r._sort_select(flt, sort, db.dialect, r._resolve_words_for_bench(db, flt))  # noqa: SLF001
        return _bare(db, _sql(db, stmt))

    # -- open -------------------------------------------------------------------------------
    started = time.perf_counter()
    db = Database.open(address, create=False)
    view = View(db)
    view.resize(1400, 900)
    view.show()
    wait(lambda: view.asset_table.model.rowCount() > 0)
    painted(view)
    opened = time.perf_counter() - started
    wait(lambda: not view.asset_table.loading)
    full_list = time.perf_counter() - started
    first_ids = view.asset_table.model.ids[:100]
    bare = bare_head(db, r.RegisterFilter(), ("tag", False)) + bare_page(db, first_ids)
    results.append(("open, first rows painted", opened, bare))
    results.append(("open, whole id list in", full_list, bare_full(db, r.RegisterFilter(), ("tag", False))))
    total = view.asset_table.model.rowCount()
    wait(lambda: view.totals is not None, 300)

    # -- search -----------------------------------------------------------------------------
    def search(text: str) -> tuple[float, float, int]:
        settle()
        view.search.setText(text)
        began = time.perf_counter()
        view._apply_search()  # noqa: SLF001 - the debounce timer firing
        # Painted once the first rows are in (or, when the search is answered in one go,
        # the whole list): the first-rows time is set only by the answer to this request.
        wait(lambda: view.asset_table.filter.search == text
             and (view.asset_table.first_rows_seconds > 0 or not view.asset_table.loading))
        painted(view)
        first = time.perf_counter() - began
        wait(lambda: not view.asset_table.loading)
        return first, time.perf_counter() - began, view.asset_table.model.rowCount()

    def reset_search() -> None:
        view.search.setText("")
        view._apply_search()  # noqa: SLF001
        wait(lambda: not view.asset_table.loading and view.asset_table.model.rowCount() == total)

    view.asset_table.first_rows_seconds = 0.0
    first, whole, matches = search(NARROW)
    bare = bare_full(db, r.RegisterFilter(search=NARROW), ("tag", False))
    results.append((f"search '{NARROW}' ({matches:,} match), repainted", first, bare))
    for word in BROAD:
        reset_search()
        view.asset_table.first_rows_seconds = 0.0
        first, whole, matches = search(word)
        bare = bare_full(db, r.RegisterFilter(search=word), ("tag", False))
        results.append((f"search '{word}' ({matches:,} matches), first rows painted", first,
                        bare_head(db, r.RegisterFilter(search=word), ("tag", False))))
        results.append((f"search '{word}', whole id list in", whole, bare))
    reset_search()

    # -- sort by each visible column -----------------------------------------------------------
    for key in view.asset_table.visible_columns():
        col = r.COLUMN_BY_KEY[key]
        if not col.sortable or key == "tag":
            continue
        settle()
        view.asset_table.first_rows_seconds = 0.0
        began = time.perf_counter()
        view.asset_table.set_sort(key, False)
        wait(lambda: view.asset_table.first_rows_seconds > 0 or not view.asset_table.loading)
        painted(view)
        first = time.perf_counter() - began
        wait(lambda: not view.asset_table.loading)
        whole = time.perf_counter() - began
        results.append((f"sort by {col.label}, first rows painted", first, bare_head(db, r.RegisterFilter(), (key, False))))
        results.append((f"sort by {col.label}, whole id list in", whole, bare_full(db, r.RegisterFilter(), (key, False))))
    view.asset_table.set_sort("tag", False)
    wait(lambda: not view.asset_table.loading)

    # -- jump to the last row ------------------------------------------------------------------
    settle()
    painted(view)
    began = time.perf_counter()
    view.table.scrollToBottom()
    painted(view)
    jumped = time.perf_counter() - began
    last_ids = view.asset_table.model.ids[-100:]
    results.append(("jump to the last row", jumped, bare_page(db, last_ids)))

    memory = peak_memory_mb()
    print(f"\n== {backend}: {total:,} assets ==")
    print(f"{'':62s} {'app':>9s} {'bare SQL':>9s} {'ratio':>6s}")
    for label, app_s, bare_s in results:
        ratio = app_s / bare_s if bare_s > 0 else float("nan")
        print(f"{label:62s} {app_s * 1000:7.0f} ms {bare_s * 1000:6.0f} ms {ratio:6.2f}")
    print(f"{'peak memory':62s} {memory:7.0f} MB")
    view.close()
    db.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--assets", type=int, default=1_000_000)
    parser.add_argument("--backend", choices=["sqlite", "postgresql"])
    parser.add_argument("--child", action="store_true")
    args = parser.parse_args()
    if args.child:
        child(args.backend, args.assets)
        return
    for backend in [args.backend] if args.backend else ["sqlite", "postgresql"]:
        subprocess.run(
            [sys.executable, __file__, "--child", "--backend", backend, "--assets", str(args.assets)],
            check=True,
        )


if __name__ == "__main__":
    main()
