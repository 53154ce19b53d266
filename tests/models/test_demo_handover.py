"""A SQLite demo makes its rows on a worker thread: cancelling or failing there leaves nothing."""

from __future__ import annotations

import shutil
import threading

import pytest
from sqlalchemy import func, select
from sqlalchemy.engine import URL

from models.demo import DemoOptions, generate_demo
from models.demo.assets import AssetWriter
from models.demo.generator import Cancelled
from models.schema import Asset, Person


@pytest.fixture
def empty_sqlite(sqlite_template, tmp_path, open_db):
    path = tmp_path / "demo.sqlite3"
    shutil.copyfile(sqlite_template, path)
    return open_db(URL.create("sqlite+pysqlite", database=str(path)))


def _counts(db) -> tuple[int, int]:
    with db.reading() as session:
        return (session.scalar(select(func.count()).select_from(Asset)),
                session.scalar(select(func.count()).select_from(Person)))


def test_cancelling_while_assets_are_made_stops_the_worker_and_writes_nothing(empty_sqlite):
    seen: list[tuple[str, int, threading.Thread]] = []

    def progress(stage: str, done: int, total: int) -> None:
        seen.append((stage, done, threading.current_thread()))
        if stage == "Creating assets":
            raise Cancelled()

    with pytest.raises(Cancelled):
        generate_demo(empty_sqlite, DemoOptions(assets=3000, batch_size=500), progress)
    assert all(thread is threading.main_thread() for _, _, thread in seen)  # reported on the caller's thread
    assert not any(t.name == "demo-rows" for t in threading.enumerate())
    assert _counts(empty_sqlite) == (0, 0)


def test_a_failure_on_the_worker_reaches_the_caller_and_writes_nothing(empty_sqlite, monkeypatch):
    def broken(self) -> None:
        raise RuntimeError("no movable assets today")

    monkeypatch.setattr(AssetWriter, "write_movable", broken)
    with pytest.raises(RuntimeError, match="no movable assets today"):
        generate_demo(empty_sqlite, DemoOptions(assets=3000, batch_size=500))
    assert not any(t.name == "demo-rows" for t in threading.enumerate())
    assert _counts(empty_sqlite) == (0, 0)
