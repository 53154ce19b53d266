"""Demo-district generation at scale, against the bare database load it wraps.

    uv run python tests/benchmarks/bench_demo.py [--assets 1000000] [--backend both|sqlite|postgresql]

Each backend runs in a child process so that its peak memory is its own. The
figures printed for each backend:

* generation: wall-clock seconds of ``generate_demo`` from start to a usable
  database (rows committed, constraints, indexes, search index, statistics), the
  CPU seconds of the generating process, and peak resident memory;
* the stages (``DemoSummary.stages``): making and sending the rows, restoring
  constraints and indexes, the search index, commit, and on PostgreSQL the
  secondary indexes built after the commit; on PostgreSQL also what a second
  connection did meanwhile (``DemoSummary.beside``: the history's load and indexes);
* PostgreSQL baselines, timed in the same run after generation, by loading rows
  exported from the generated database again with nothing but ``COPY ... FROM
  STDIN`` (text format, 1 MiB blocks, one transaction each):
    - "bare COPY, all rows": every row generation writes in bulk (people, rooms,
      assets, funding shares, loans, history) into tables made ``LIKE ... INCLUDING
      DEFAULTS`` (no key, no index, no constraint). These are the rows the target's
      "bare COPY of the same rows" loads: generation <= 3x this;
    - "bare COPY, asset rows": the ``assets`` rows alone, the same way: a stricter
      reading of the target (its 1.56 million history events and 280,000 people are
      written by generation but not loaded here), printed beside it;
    - "COPY into indexed assets": the ``assets`` rows into a table made ``LIKE assets
      INCLUDING ALL`` (the same key, unique tag, B-tree, expression and trigram GIN
      indexes; no foreign keys), i.e. the price of the asset indexes paid row by row.

The machine's load average is printed too: on a shared machine wall-clock times
stretch with it, CPU seconds much less.
Targets: PostgreSQL <= 3x bare COPY of the same rows and <= 20 s; SQLite <= 30 s; peak <= 1 GB.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

BULK_TABLES = ("people", "rooms", "assets", "funding_shares", "assignments", "history_events")


def child(backend: str, assets: int, address: str, statements: bool = False) -> None:
    import logging

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
    if statements:  # each bulk statement's seconds, to stderr
        logging.basicConfig(stream=sys.stderr, format="      %(threadName)s %(message)s")
        for name in ("models.demo.bulk", "models.deferred"):
            logging.getLogger(name).setLevel(logging.DEBUG)
    cpu = _cpu_seconds()
    server_cpu = _postgres_cpu_seconds() if backend == "postgresql" else None
    start = time.perf_counter()
    summary = generate_demo(db, DemoOptions(assets=assets, seed=1))
    seconds = time.perf_counter() - start
    result = {"seconds": seconds, "cpu_seconds": _cpu_seconds() - cpu, "peak_mb": peak_memory_mb(),
              "history_events": summary.history_events, "people": summary.people, "rooms": summary.rooms,
              "stages": summary.stages, "beside": summary.beside}
    if server_cpu is not None and (after := _postgres_cpu_seconds()) is not None:
        result["server_cpu_seconds"] = after - server_cpu
    if backend == "postgresql":
        result.update(bare_copy(db))
    db.close()
    print(json.dumps(result))


def _cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _postgres_cpu_seconds() -> float | None:
    """CPU seconds used so far by the local PostgreSQL server's processes, on Linux.

    The live processes' own time plus the time of those they have reaped (the postmaster
    reaps backends, index-build connections once closed, and parallel workers), so the
    difference over a run is everything the server did in it, whoever asked: the figure
    means something only on an otherwise quiet machine. None where /proc can't tell.
    """
    total = 0.0
    try:
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                raw = stat.read_text()
            except OSError:
                continue
            if not raw[raw.index("(") + 1 : raw.rindex(")")].startswith("postgres"):
                continue
            fields = raw.rsplit(")", 1)[1].split()
            total += sum(int(fields[i]) for i in (11, 12, 13, 14)) / os.sysconf("SC_CLK_TCK")
    except (OSError, ValueError):
        return None
    return total


def bare_copy(db) -> dict[str, float]:
    """Export the generated rows, then time loading them again with nothing but COPY."""
    raw = db.engine.raw_connection()
    try:
        conn = raw.driver_connection
        dumps = {}
        try:
            for table in BULK_TABLES:
                dumps[table] = tempfile.TemporaryFile()
                with conn.cursor() as cur, cur.copy(f"COPY {table} TO STDOUT") as copy:
                    for block in copy:
                        dumps[table].write(block)
            conn.commit()
            seconds = {"bare_copy_all_seconds": 0.0}
            for table in BULK_TABLES:
                seconds["bare_copy_all_seconds"] += _timed_copy(conn, table, "INCLUDING DEFAULTS", dumps[table])
            seconds["bare_copy_seconds"] = _timed_copy(conn, "assets", "INCLUDING DEFAULTS", dumps["assets"])
            seconds["indexed_copy_seconds"] = _timed_copy(conn, "assets", "INCLUDING ALL", dumps["assets"])
            return seconds
        finally:
            for dump in dumps.values():
                dump.close()
    finally:
        raw.close()


def _timed_copy(conn, table: str, like: str, dump) -> float:
    with conn.cursor() as cur:
        cur.execute(f"CREATE TABLE bench_bare_{table} (LIKE {table} {like})")
        conn.commit()
        dump.seek(0)
        start = time.perf_counter()
        with cur.copy(f"COPY bench_bare_{table} FROM STDIN") as copy:
            while block := dump.read(1 << 20):
                copy.write(block)
        conn.commit()
        seconds = time.perf_counter() - start
        cur.execute(f"DROP TABLE bench_bare_{table}")
        conn.commit()
    return seconds


def run(backend: str, assets: int, statements: bool = False) -> dict:
    from tests.benchmarks._support import scratch_postgres

    if backend == "sqlite":
        with tempfile.TemporaryDirectory() as folder:
            address = str(Path(folder) / "bench.sqlite3")
            return _spawn(backend, assets, address, statements)
    with scratch_postgres() as address:
        return _spawn(backend, assets, address, statements)


def _spawn(backend: str, assets: int, address: str, statements: bool) -> dict:
    out = subprocess.run(
        [sys.executable, __file__, "--child", backend, "--assets", str(assets), "--address", address,
         *(["--statements"] if statements else [])],
        check=True, capture_output=True, text=True,
    )
    if statements:
        print(out.stderr, end="")
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--assets", type=int, default=1_000_000)
    parser.add_argument("--backend", choices=["both", "sqlite", "postgresql"], default="both")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--address", help=argparse.SUPPRESS)
    parser.add_argument("--statements", action="store_true", help="print each bulk statement's seconds")
    args = parser.parse_args()
    if args.child:
        child(args.child, args.assets, args.address, args.statements)
        return 0
    backends = ["postgresql", "sqlite"] if args.backend == "both" else [args.backend]
    print(f"Demo generation, {args.assets:,} assets, seed 1 ({os.cpu_count()} CPUs)")
    for backend in backends:
        load = os.getloadavg()[0]
        r = run(backend, args.assets, args.statements)
        print(f"  {backend}: {r['seconds']:.1f} s wall, {r['cpu_seconds']:.1f} s CPU in the generating process, "
              f"peak {r['peak_mb']:.0f} MB ({_verdict(r['peak_mb'] <= 1024)} 1 GB)   "
              f"[load average {load:.1f} before, {os.getloadavg()[0]:.1f} after]")
        if r.get("server_cpu_seconds") is not None:
            print(f"    {r['server_cpu_seconds']:.1f} s CPU in the PostgreSQL server's processes meanwhile "
                  f"(all of them: meaningful on a quiet machine); "
                  f"{r['cpu_seconds'] + r['server_cpu_seconds']:.1f} s in all, on {os.cpu_count()} cores")
        print(f"    {r['history_events']:,} history events, {r['people']:,} people, {r['rooms']:,} rooms")
        for stage, seconds in r["stages"].items():
            print(f"    {seconds:7.2f} s  {stage}")
        for stage, seconds in r.get("beside", {}).items():
            print(f"    {seconds:7.2f} s  meanwhile, on a second connection: {stage}")
        target = 20 if backend == "postgresql" else 30
        print(f"    target <= {target} s: {_verdict(r['seconds'] <= target)}")
        if "bare_copy_seconds" in r:
            for key, what in (("bare_copy_all_seconds", "bare COPY, all rows generated, no indexes"),
                              ("bare_copy_seconds", "bare COPY, the asset rows alone, no indexes"),
                              ("indexed_copy_seconds", "COPY of the asset rows into indexed assets")):
                ratio = r["seconds"] / r[key]
                tail = f" ({_verdict(ratio <= 3)} 3x)" if key != "indexed_copy_seconds" else ""
                print(f"    {what:<52} {r[key]:6.1f} s -> generation is {ratio:5.2f}x{tail}")
    return 0


def _verdict(met: bool) -> str:
    return "meets" if met else "misses"


if __name__ == "__main__":
    sys.exit(main())
