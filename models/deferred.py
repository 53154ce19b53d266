"""PostgreSQL: statements a bulk load runs after its commit, kept in ``deferred_work`` until done.

A bulk load (the demo district) commits its rows with secondary indexes still to
build, foreign keys added ``NOT VALID`` still to check against the loaded rows, and
statistics to refresh. Building them after the commit lets them run side by side
on every core. The load's transaction queues them (``queue``), so they are as
durable as the rows; ``run`` deletes each row once its statement has run. If the
program, the connection or the server stops half way, ``finish_deferred_work``
(called by ``Database.open``) runs what is left: every statement is safe to repeat.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from threading import Condition, Thread
from time import perf_counter

from sqlalchemy import Connection, Engine, delete, insert, inspect, select

from models.schema import DeferredWork

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Deferred:
    """A statement for after the commit, on ``table``: ``shares`` it (an index build) or not.
    ``id`` is its row in ``deferred_work`` once queued."""

    statement: str
    table: str
    shares: bool
    id: int | None = None


def repeatable(statement: str) -> str:
    """``statement`` in a form that does nothing when it has already run (an index that exists)."""
    return re.sub(r"^CREATE (UNIQUE )?INDEX (?!IF NOT EXISTS )", r"CREATE \1INDEX IF NOT EXISTS ", statement)


def queue(connection: Connection, tasks: Sequence[Deferred]) -> list[Deferred]:
    """Record ``tasks`` in ``deferred_work`` in the caller's transaction; they come back with ids."""
    now = datetime.now(UTC)
    queued = []
    for task in tasks:
        row_id = connection.execute(
            insert(DeferredWork).values(statement=task.statement, table_name=task.table, shares_table=task.shares,
                                        queued_at=now).returning(DeferredWork.id)
        ).scalar_one()
        queued.append(Deferred(task.statement, task.table, task.shares, row_id))
    return queued


# Held (a session advisory lock) by whoever runs the queued work, so that a second program
# opening the database meanwhile leaves it to the first instead of building the same indexes.
WORK_LOCK_KEY = 0x0C0A11E


def run(engine: Engine, tasks: Sequence[Deferred], workers: int = 2) -> None:
    """Run ``tasks`` (each committed on its own), ``workers`` at a time, deleting each queued
    task's row once it has run. The first failure stops the rest and is raised here; what
    did not run stays queued. Waits for anyone else running queued work to finish first.

    A statement starts only beside statements whose locks it doesn't wait for: index
    builds on one table share it, while a foreign-key check or ANALYZE needs the table
    to itself. The largest builds (the trigram search indexes) start first.
    """
    ordered = sorted(tasks, key=lambda task: (not task.shares, "gin" not in task.statement.lower()))
    schedule = _Schedule(ordered)
    # 256 MB holds any of these builds for a million assets in memory. More does not
    # help: measured on 1,000,000 demo assets, the trigram index on description took
    # 5.0 s of CPU with 256 MB and 5.3-7.5 s with 1 GB (serial: 5.9-7.8 s against 6.3-8.0 s).
    # Each worker takes one core: a build's own parallel workers would only compete for it.
    settings = ("maintenance_work_mem = '256MB'", "max_parallel_maintenance_workers = 0",
                "max_parallel_workers_per_gather = 0", "work_mem = '256MB'")

    def work() -> None:
        try:
            with engine.connect() as connection:
                connection = connection.execution_options(isolation_level="AUTOCOMMIT")
                for setting in settings:
                    connection.exec_driver_sql(f"SET {setting}")
                while (task := schedule.next()) is not None:
                    try:
                        began = perf_counter()
                        connection.exec_driver_sql(task.statement)
                        if task.id is not None:
                            connection.execute(delete(DeferredWork).where(DeferredWork.id == task.id))
                        log.debug("%.2f s  %s", perf_counter() - began, task.statement)
                    except BaseException as err:  # re-raised in the caller's thread
                        schedule.fail(err)
                    finally:
                        schedule.done(task)
        except BaseException as err:  # the connection itself failed
            schedule.fail(err)

    with engine.connect() as holder:
        holder.exec_driver_sql(f"SELECT pg_advisory_lock({WORK_LOCK_KEY})")
        try:
            threads = [Thread(target=work, name=f"index-builder-{n}") for n in range(workers)]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
        finally:
            holder.exec_driver_sql(f"SELECT pg_advisory_unlock({WORK_LOCK_KEY})")
            holder.commit()
    if schedule.failures:
        raise schedule.failures[0]


def pending(engine: Engine) -> list[Deferred]:
    """The queued work not yet done (none on SQLite, or before migration 0008)."""
    if engine.dialect.name != "postgresql":
        return []
    with engine.connect() as connection:
        if not inspect(connection).has_table(DeferredWork.__tablename__):
            return []
        rows = connection.execute(select(DeferredWork.statement, DeferredWork.table_name, DeferredWork.shares_table,
                                         DeferredWork.id).order_by(DeferredWork.id)).all()
        return [Deferred(*row) for row in rows]


def finish_deferred_work(engine: Engine) -> int:
    """Run what an interrupted bulk load left queued; how many statements that was.

    A failure is logged, not raised: the database works without the missing indexes
    (searches and sorts are slower) and the work waits for the next open.
    """
    try:
        tasks = pending(engine)
        if tasks and _busy(engine):  # another program is at it: this one opens without waiting
            return 0
    except Exception:  # e.g. a user who may not read the table: the database still opens
        log.exception("Could not read the work a bulk load left queued")
        return 0
    if not tasks:
        return 0
    log.warning("Finishing %d index builds and checks an interrupted bulk load left", len(tasks))
    try:
        run(engine, tasks)
    except Exception:
        log.exception("The left-over index builds and checks stopped; they wait for the next open")
    return len(tasks)


def _busy(engine: Engine) -> bool:
    """Whether another session holds the queued work's lock."""
    with engine.connect() as connection:
        free = connection.exec_driver_sql(f"SELECT pg_try_advisory_lock({WORK_LOCK_KEY})").scalar()
        if free:
            connection.exec_driver_sql(f"SELECT pg_advisory_unlock({WORK_LOCK_KEY})")
        connection.commit()
        return not free


class _Schedule:
    """Hands out deferred statements to workers, never two that would wait for each other's locks."""

    def __init__(self, tasks: list[Deferred]) -> None:
        self._waiting = list(tasks)
        self._running: list[Deferred] = []
        self._changed = Condition()
        self.failures: list[BaseException] = []

    def next(self) -> Deferred | None:
        with self._changed:
            while self._waiting and not self.failures:
                for task in self._waiting:
                    if all(self._compatible(task, other) for other in self._running):
                        self._waiting.remove(task)
                        self._running.append(task)
                        return task
                self._changed.wait()
            return None

    def done(self, task: Deferred) -> None:
        with self._changed:
            self._running.remove(task)
            self._changed.notify_all()

    def fail(self, err: BaseException) -> None:
        with self._changed:
            self.failures.append(err)
            self._changed.notify_all()

    @staticmethod
    def _compatible(task: Deferred, other: Deferred) -> bool:
        return task.table != other.table or (task.shares and other.shares)
