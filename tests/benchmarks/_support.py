"""Helpers the benchmarks share: scratch PostgreSQL databases, cached demo districts and peak
memory. Run benchmarks one at a time (``flock /tmp/cg-bench.lock ...``) on a shared machine."""

from __future__ import annotations

import fcntl
import os
import resource
import shutil
import sys
import tempfile
import uuid
from contextlib import contextmanager
from collections.abc import Iterator
from pathlib import Path

import psycopg

PG_ADMIN_URL = os.environ.get("COMMONGROUND_TEST_PG", "postgresql://postgres@127.0.0.1:5432/postgres")


def peak_memory_mb() -> float:
    """Peak resident memory of this process so far (Linux reports KiB, macOS bytes)."""
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / 1024 / 1024 if sys.platform == "darwin" else peak / 1024


@contextmanager
def scratch_postgres(prefix: str = "cg_bench") -> Iterator[str]:
    """A new, empty PostgreSQL database for the length of the block; its SQLAlchemy URL."""
    name = f"{prefix}_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(PG_ADMIN_URL, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    base = PG_ADMIN_URL.rsplit("/", 1)[0].replace("postgresql://", "postgresql+psycopg://", 1)
    try:
        yield f"{base}/{name}"
    finally:
        with psycopg.connect(PG_ADMIN_URL, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


CACHE_DIR = Path(os.environ.get("COMMONGROUND_BENCH_CACHE", Path.home() / ".cache" / "commonground-bench"))


def _pg_base() -> str:
    return PG_ADMIN_URL.rsplit("/", 1)[0].replace("postgresql://", "postgresql+psycopg://", 1)


@contextmanager
def _cache_lock() -> Iterator[None]:
    CACHE_DIR.mkdir(parents=True, exist_ok=True)
    with open(CACHE_DIR / ".lock", "w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def cached_demo(backend: str, assets: int, seed: int = 1) -> str:
    """The address of a demo district of ``assets`` assets, generated once and kept between
    runs (SQLite file under CACHE_DIR, PostgreSQL database ``cg_benchcache_<assets>_<seed>``).
    Upgraded to the current schema on every call. Treat it as read-only: benchmarks that
    write use ``demo_copy``. Generation of 1,000,000 assets takes about a minute."""
    from sqlalchemy import create_engine

    from models.database import Database
    from models.demo import DemoOptions, generate_demo
    from models.migrate import upgrade

    with _cache_lock():
        if backend == "sqlite":
            path = CACHE_DIR / f"demo-{assets}-{seed}.sqlite3"
            address = str(path)
            exists = path.exists()
        else:
            name = f"cg_benchcache_{assets}_{seed}"
            address = f"{_pg_base()}/{name}"
            with psycopg.connect(PG_ADMIN_URL, autocommit=True) as admin:
                exists = admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone()
                if not exists:
                    admin.execute(f'CREATE DATABASE "{name}"')
        engine = create_engine(address if backend != "sqlite" else f"sqlite:///{address}")
        try:
            upgrade(engine)
        finally:
            engine.dispose()
        if not exists:
            print(f"(generating the cached {assets:,}-asset demo on {backend}; once)", file=sys.stderr)
            db = Database.open(address)
            try:
                generate_demo(db, DemoOptions(assets=assets, seed=seed))
            except BaseException:
                db.close()
                drop_cached_demo(backend, assets, seed)
                raise
            db.close()
        return address


def drop_cached_demo(backend: str, assets: int, seed: int = 1) -> None:
    if backend == "sqlite":
        for suffix in ("", "-wal", "-shm"):
            Path(str(CACHE_DIR / f"demo-{assets}-{seed}.sqlite3") + suffix).unlink(missing_ok=True)
    else:
        with psycopg.connect(PG_ADMIN_URL, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "cg_benchcache_{assets}_{seed}" WITH (FORCE)')


@contextmanager
def demo_copy(backend: str, assets: int, seed: int = 1) -> Iterator[str]:
    """A throw-away copy of the cached demo district, for benchmarks that write."""
    source = cached_demo(backend, assets, seed)
    if backend == "sqlite":
        with tempfile.TemporaryDirectory() as folder:
            target = Path(folder) / "copy.sqlite3"
            shutil.copyfile(source, target)
            yield str(target)
        return
    name = f"cg_benchcopy_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(PG_ADMIN_URL, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}" TEMPLATE "{source.rsplit("/", 1)[1]}"')
    try:
        yield f"{_pg_base()}/{name}"
    finally:
        with psycopg.connect(PG_ADMIN_URL, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
