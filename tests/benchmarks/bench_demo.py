"""Demo-district generation at scale, against the bare database load it wraps.

    uv run python tests/benchmarks/bench_demo.py [--assets 1000000] [--backend both|sqlite|postgresql]

Each backend runs in a child process so that its peak memory is its own.
For PostgreSQL the same asset rows are then exported and loaded again with a
bare ``COPY``, twice, in the same run: into a table of the same columns with no
indexes or constraints, and into one made ``LIKE assets INCLUDING ALL`` (the same
primary key, unique tag, B-tree, expression and trigram GIN indexes; no foreign
keys). Both ratios (generation time over bare load) are printed. Generation
writes far more than the asset rows (people, funding shares, loans, history)
and ends with its indexes built, so neither baseline is like for like; the
indexed one at least pays for the same asset indexes.
Targets: PostgreSQL <= 3x bare COPY and <= 20 s; SQLite <= 30 s; peak <= 1 GB.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))


def child(backend: str, assets: int, address: str) -> None:
    from models.database import Database
    from models.demo import DemoOptions, generate_demo
    from models.migrate import upgrade
    from tests.benchmarks._support import peak_memory_mb

    db = Database.open(address) if backend == "sqlite" else None
    if db is None:
        from sqlalchemy import create_engine

        engine = create_engine(address)
        upgrade(engine)
        engine.dispose()
        db = Database.open(address)
    start = time.perf_counter()
    summary = generate_demo(db, DemoOptions(assets=assets, seed=1))
    seconds = time.perf_counter() - start
    result = {"seconds": seconds, "peak_mb": peak_memory_mb(), "history_events": summary.history_events,
              "people": summary.people, "rooms": summary.rooms}
    if backend == "postgresql":
        result.update(bare_copy(db))
    db.close()
    print(json.dumps(result))


def bare_copy(db) -> dict[str, float]:
    """Export the generated asset rows, then time loading them with a plain COPY (twice)."""
    raw = db.engine.raw_connection()
    try:
        conn = raw.driver_connection
        with tempfile.TemporaryFile() as dump:
            with conn.cursor() as cur, cur.copy("COPY assets TO STDOUT") as copy:
                for block in copy:
                    dump.write(block)
            conn.commit()
            seconds = {}
            for key, like in (("bare_copy_seconds", "INCLUDING DEFAULTS"),
                              ("indexed_copy_seconds", "INCLUDING ALL")):
                with conn.cursor() as cur:
                    cur.execute(f"CREATE TABLE bench_bare_assets (LIKE assets {like})")
                    conn.commit()
                    dump.seek(0)
                    start = time.perf_counter()
                    with cur.copy("COPY bench_bare_assets FROM STDIN") as copy:
                        while block := dump.read(1 << 20):
                            copy.write(block)
                    conn.commit()
                    seconds[key] = time.perf_counter() - start
                    cur.execute("DROP TABLE bench_bare_assets")
                    conn.commit()
        return seconds
    finally:
        raw.close()


def run(backend: str, assets: int) -> dict:
    from tests.benchmarks._support import scratch_postgres

    if backend == "sqlite":
        with tempfile.TemporaryDirectory() as folder:
            address = str(Path(folder) / "bench.sqlite3")
            return _spawn(backend, assets, address)
    with scratch_postgres() as address:
        return _spawn(backend, assets, address)


def _spawn(backend: str, assets: int, address: str) -> dict:
    out = subprocess.run(
        [sys.executable, __file__, "--child", backend, "--assets", str(assets), "--address", address],
        check=True, capture_output=True, text=True,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--assets", type=int, default=1_000_000)
    parser.add_argument("--backend", choices=["both", "sqlite", "postgresql"], default="both")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--address", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child, args.assets, args.address)
        return 0
    backends = ["postgresql", "sqlite"] if args.backend == "both" else [args.backend]
    print(f"Demo generation, {args.assets:,} assets")
    for backend in backends:
        r = run(backend, args.assets)
        line = (f"  {backend:<10} {r['seconds']:6.1f} s   peak {r['peak_mb']:6.0f} MB   "
                f"({r['history_events']:,} history events, {r['people']:,} people, {r['rooms']:,} rooms)")
        print(line)
        if "bare_copy_seconds" in r:
            for key, what in (("bare_copy_seconds", "no indexes"), ("indexed_copy_seconds", "same indexes")):
                ratio = r["seconds"] / r[key]
                verdict = "meets" if ratio <= 3 else "misses"
                print(f"  {'':<10} bare COPY of the same asset rows, {what:<12} {r[key]:6.1f} s -> "
                      f"ratio {ratio:5.2f}x ({verdict} 3x)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
