"""Loading rows in bulk: what is not enforced row by row is proved afterwards, and comes back."""

from __future__ import annotations

import shutil

import pytest
from sqlalchemy import exc
from sqlalchemy.engine import URL

from models.integrity import IntegrityViolation, check_clauses, verify_check_constraints
from tests.db_fixtures import asset_values, make_reference


@pytest.fixture
def sqlite_db(sqlite_template, tmp_path, open_db):
    path = tmp_path / "bulk.sqlite3"
    shutil.copyfile(sqlite_template, path)
    return open_db(URL.create("sqlite+pysqlite", database=str(path)))


def test_check_clauses_are_read_from_a_create_table_statement():
    ddl = """CREATE TABLE t (
        id INTEGER NOT NULL,
        "check" VARCHAR(8) DEFAULT 'CHECK (x)',
        kind VARCHAR(8),
        CONSTRAINT pk_t PRIMARY KEY (id),
        CONSTRAINT ck_t_kind CHECK (kind IN ('a', 'b)')),
        CHECK (id > 0 AND (id < 10 OR id = 99))
    )"""
    assert check_clauses(ddl) == [
        ("ck_t_kind", "kind IN ('a', 'b)')"),
        (None, "id > 0 AND (id < 10 OR id = 99)"),
    ]


def test_a_bulk_load_on_sqlite_skips_row_checks_and_a_broken_row_is_named_afterwards(sqlite_db):
    reference = make_reference(sqlite_db)
    values = asset_values(reference, tag="BULK-1")
    with pytest.raises(IntegrityViolation, match=r"Row \d+ of assets breaks the check ck_assets_asset_status"):
        with sqlite_db.unit_of_work("loader", bulk_load=True) as work:
            connection = work.session.connection()
            assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 0
            _insert_asset(connection, values, status="misplaced")  # not a status: accepted while loading
            verify_check_constraints(connection)
    with sqlite_db.reading() as session:  # the transaction rolled back
        assert session.connection().exec_driver_sql("SELECT count(*) FROM assets").scalar() == 0


def test_after_a_bulk_load_the_connection_enforces_foreign_keys_and_checks_again(sqlite_db):
    reference = make_reference(sqlite_db)
    with sqlite_db.unit_of_work("loader", bulk_load=True) as work:
        verify_check_constraints(work.session.connection())
    values = asset_values(reference, tag="BULK-2")
    # The pool holds one connection per thread here, so this is the one the load used.
    with pytest.raises(exc.IntegrityError, match="CHECK"):
        with sqlite_db.unit_of_work("clerk") as work:
            _insert_asset(work.session.connection(), values, status="misplaced")
    with pytest.raises(exc.IntegrityError, match="FOREIGN KEY"):
        with sqlite_db.unit_of_work("clerk") as work:
            _insert_asset(work.session.connection(), values, room_id=987654)
    with sqlite_db.engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1


def _insert_asset(connection, values, **overrides):
    row = {
        "tag": values["tag"], "description": "Test asset", "class_id": values["class_id"],
        "status": "in_service", "condition": "good", "acquired_on": "2024-07-01", "cost": 10000,
        "salvage_value": 0, "capitalized": 0, "created_at": "2026-01-01 00:00:00.000000",
        "updated_at": "2026-01-01 00:00:00.000000", "version": 1, "room_id": None,
    }
    row.update(overrides)
    names = ", ".join(row)
    marks = ", ".join(f":{name}" for name in row)
    from sqlalchemy import text

    connection.execute(text(f"INSERT INTO assets ({names}) VALUES ({marks})"), row)


def test_deferred_statements_never_run_beside_one_that_needs_their_table_alone():
    """Index builds on a table run together; a foreign-key check or ANALYZE has the table alone."""
    import threading
    import time

    from models.deferred import Deferred, _Schedule

    tasks = [Deferred(f"index {n}", "assets", True) for n in range(4)]
    tasks += [Deferred(f"check {n}", "assets", False) for n in range(3)]
    tasks += [Deferred(f"index {n}", "people", True) for n in range(3)]
    tasks += [Deferred("analyze", "people", False)]
    schedule = _Schedule(tasks)
    running: list[Deferred] = []
    clashes: list[tuple[str, str]] = []
    finished: list[str] = []
    guard = threading.Lock()

    def work():
        while (task := schedule.next()) is not None:
            with guard:
                clashes.extend((task.statement, other.statement) for other in running
                               if other.table == task.table and not (task.shares and other.shares))
                running.append(task)
            time.sleep(0.002)
            with guard:
                running.remove(task)
                finished.append(task.statement)
            schedule.done(task)

    threads = [threading.Thread(target=work) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=10)
    assert clashes == []
    assert sorted(finished) == sorted(task.statement for task in tasks)


def test_a_failed_deferred_statement_stops_the_others_from_starting():
    from models.deferred import Deferred, _Schedule

    schedule = _Schedule([Deferred("a", "t", True), Deferred("b", "u", True)])
    first = schedule.next()
    schedule.fail(RuntimeError("index build failed"))
    schedule.done(first)
    assert schedule.next() is None
    assert [str(err) for err in schedule.failures] == ["index build failed"]


def test_nulls_go_into_sqlite_through_a_stand_in_that_never_meets_a_real_value(sqlite_db):
    from models.demo.bulk import _NO_NULLS, BulkLoader, _without_none

    assert _without_none([1, 2]) == ([1, 2], _NO_NULLS)
    assert _without_none([1, None, 3])[0][1] == _without_none([1, None, 3])[1]
    assert _without_none(["a", None]) == (["a", ""], "")
    assert _without_none(["", None]) == (["", None], None)  # '' is a real value here: bind None
    with sqlite_db.engine.begin() as connection:
        connection.exec_driver_sql("CREATE TABLE t (n INTEGER, s TEXT)")
        loader = BulkLoader(connection, [])
        numbers, number_null = _without_none([5, None, -1])
        texts, text_null = _without_none(["x", "", None])
        loader.insert_rows("t", ["n", "s"], zip(numbers, texts), stand_ins={"n": number_null, "s": text_null})
        assert connection.exec_driver_sql("SELECT n, s FROM t ORDER BY rowid").all() == [(5, "x"), (None, ""), (-1, None)]
