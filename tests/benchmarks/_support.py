"""Helpers the benchmarks share: scratch PostgreSQL databases and peak memory."""

from __future__ import annotations

import os
import resource
import sys
import uuid
from contextlib import contextmanager
from collections.abc import Iterator

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
