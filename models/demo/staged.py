"""PostgreSQL: the demo's history loaded beside its other rows, on a second connection.

The history is the largest table a demo writes (one and a half events per asset, half
the bytes of the load). In the demo's own transaction it is sent after the assets on
the same connection, so one server process does all the loading while the other core
waits. Into a district whose history is still empty, the events go instead into a
table of the same shape made for them (``demo_history_load``), on a second connection
in a transaction of its own, and that connection builds the table's key and indexes
while the demo's transaction is still loading assets.

Just before the demo's transaction commits, the loaded table takes the place of the
empty ``history_events`` in that transaction: the sequence, triggers and the names of
the key and indexes move over. So the history still commits with the assets or not at
all. If the demo fails, the loaded table is dropped and ``history_events`` is as it
was; if the program is killed, the next demo drops the leftover table before it starts.

Nothing is dropped that holds an event: the swap happens only when ``history_events``
had no rows, checked under a lock that keeps anyone else from writing one meanwhile,
and the events the demo's own transaction wrote before the swap are copied over.
"""

from __future__ import annotations

import logging
import re
from queue import Queue
from threading import Event, Thread
from time import perf_counter
from typing import Any

from sqlalchemy import Connection, Engine

from models.deferred import Deferred, repeatable
from models.demo.bulk import send_copy

log = logging.getLogger(__name__)

TABLE = "history_events"
STAGING = "demo_history_load"

# The table can move only if nothing outside it refers to it by its identity and it has
# nothing ``LIKE`` would not copy: no foreign key either way, exclusion constraint, view
# or rule, inheritance, row security, publication, grants of its own, identity column
# (LIKE would give it a new sequence), other tablespace or other owner.
_MOVABLE = f"""
SELECT c.relkind = 'r' AND c.relacl IS NULL AND NOT c.relrowsecurity AND NOT c.relhassubclass
   AND c.reltablespace = 0 AND pg_get_userbyid(c.relowner) = current_user
   AND NOT EXISTS (SELECT 1 FROM pg_constraint WHERE confrelid = c.oid
                   OR (conrelid = c.oid AND contype IN ('f', 'x')))
   AND NOT EXISTS (SELECT 1 FROM pg_depend WHERE refobjid = c.oid AND classid = 'pg_rewrite'::regclass)
   AND NOT EXISTS (SELECT 1 FROM pg_inherits WHERE inhrelid = c.oid)
   AND NOT EXISTS (SELECT 1 FROM pg_publication_rel WHERE prrelid = c.oid)
   AND NOT EXISTS (SELECT 1 FROM pg_attribute WHERE attrelid = c.oid AND attidentity <> '')
FROM pg_class c WHERE c.oid = '{TABLE}'::regclass
"""


class StagedHistory:
    """The demo's history events, copied into ``demo_history_load`` on a connection of its own.

    ``prepare`` makes the table (or returns None where the swap can't be done), ``copy_text``
    hands it COPY text, ``finish`` starts the key and index builds once the last rows are
    sent, ``swap`` puts the table in place inside the demo's transaction, and ``close``
    drops whatever is left of it: call it whatever happened.
    """

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.timings: dict[str, float] = {}
        self._raw: Any = None
        self._thread: Thread | None = None
        self._jobs: Queue[tuple[str, bytes] | None] = Queue(maxsize=4)
        self._failure: BaseException | None = None
        # (statement on the loaded table, the same for after the commit: None for the key)
        self._builds: list[tuple[str, Deferred | None]] = []
        self._swapping = Event()  # set by swap: builds not yet started wait for the commit
        self.left: list[Deferred] = []  # those builds, for the demo to queue with its own
        self._disowned: list[str] = []  # statements of the swap, before the drop
        self._moves: list[str] = []  # and after it

    # -- before the demo's transaction locks the table -----------------------------------------
    @classmethod
    def prepare(cls, connection: Connection) -> StagedHistory | None:
        """Make the table for the history beside ``connection``'s transaction, if it can take
        the place of ``history_events``. Either way on PostgreSQL ``history_events`` is then
        locked in that transaction: no event is written meanwhile, so the last one read
        afterwards stays the last one.

        Call before the transaction touches ``history_events`` in any way that locks more
        than reading: making the new table reads its definition.
        """
        if connection.dialect.name != "postgresql":
            return None
        if not connection.exec_driver_sql(_MOVABLE).scalar():
            connection.exec_driver_sql(f"LOCK TABLE {TABLE} IN ACCESS EXCLUSIVE MODE")
            return None
        staged = cls(connection.engine)
        try:
            staged._make_table(connection)
            connection.exec_driver_sql(f"LOCK TABLE {TABLE} IN ACCESS EXCLUSIVE MODE")
            if connection.exec_driver_sql(f"SELECT EXISTS (SELECT 1 FROM {TABLE})").scalar():
                staged.close()  # a district with history already: the events go in the usual way
                return None
        except BaseException:
            staged.close()
            raise
        staged._start()
        return staged

    def _make_table(self, connection: Connection) -> None:
        """Read what ``history_events`` has, then make its empty double on the second connection."""
        indexes = connection.exec_driver_sql(
            "SELECT i.relname, pg_get_indexdef(i.oid), c.conname, pg_get_constraintdef(c.oid) "
            "FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid "
            "LEFT JOIN pg_constraint c ON c.conindid = i.oid AND c.conrelid = x.indrelid "
            f"WHERE x.indrelid = '{TABLE}'::regclass ORDER BY i.relname"
        ).all()
        for n, (index, definition, constraint, constraint_definition) in enumerate(indexes):
            temporary = f"{STAGING}_{n}"
            if constraint is not None:  # a primary key or unique constraint: made as one, first
                self._builds.insert(0, (f'ALTER TABLE {STAGING} ADD CONSTRAINT "{temporary}" '
                                        f'{constraint_definition}', None))
                self._moves.append(f'ALTER TABLE {TABLE} RENAME CONSTRAINT "{temporary}" TO "{constraint}"')
            else:
                self._builds.append((_index_on_staging(definition, index, temporary),
                                     Deferred(repeatable(definition), TABLE, True)))
                self._moves.append(f'ALTER INDEX IF EXISTS "{temporary}" RENAME TO "{index}"')
        triggers = connection.exec_driver_sql(
            f"SELECT pg_get_triggerdef(oid) FROM pg_trigger WHERE tgrelid = '{TABLE}'::regclass "
            "AND NOT tgisinternal ORDER BY tgname"
        ).scalars().all()
        self._moves += list(triggers)
        self._builds.append((f"ANALYZE {STAGING}", Deferred(f"ANALYZE {TABLE}", TABLE, False)))
        sequences = connection.exec_driver_sql(
            "SELECT s.oid::regclass::text, a.attname FROM pg_depend d "
            "JOIN pg_class s ON s.oid = d.objid AND s.relkind = 'S' "
            "JOIN pg_attribute a ON a.attrelid = d.refobjid AND a.attnum = d.refobjsubid "
            f"WHERE d.refobjid = '{TABLE}'::regclass AND d.classid = 'pg_class'::regclass AND d.deptype = 'a'"
        ).all()
        self._disowned = [f"ALTER SEQUENCE {sequence} OWNED BY NONE" for sequence, _ in sequences]
        self._moves += [f'ALTER SEQUENCE {sequence} OWNED BY {TABLE}."{column}"' for sequence, column in sequences]
        options = connection.exec_driver_sql(f"SELECT reloptions FROM pg_class WHERE oid = '{TABLE}'::regclass").scalar()

        self._raw = self.engine.raw_connection()
        driver = self._raw.driver_connection
        driver.autocommit = True
        with driver.cursor() as cursor:
            cursor.execute(f"DROP TABLE IF EXISTS {STAGING}")  # left by a demo that was killed
            cursor.execute(f"CREATE TABLE {STAGING} (LIKE {TABLE} INCLUDING ALL EXCLUDING INDEXES)")
            if options:
                cursor.execute(f"ALTER TABLE {STAGING} SET ({', '.join(options)})")
            for setting in ("synchronous_commit = off", "maintenance_work_mem = '256MB'",
                            "max_parallel_maintenance_workers = 0"):
                cursor.execute(f"SET {setting}")
        driver.autocommit = False

    # -- loading, on the second connection's own thread ----------------------------------------
    def _start(self) -> None:
        self._thread = Thread(target=self._work, name="history-loader", daemon=True)
        self._thread.start()

    def copy_text(self, table: str, names: list[str] | tuple[str, ...], data: bytes) -> None:
        """Queue COPY text for ``history_events`` (in the loaded table); raises an earlier failure."""
        if table != TABLE:
            raise ValueError(f"only {TABLE} is loaded beside the demo, not {table}")
        if self._failure is not None:
            self._join()
        self._jobs.put((", ".join(names), data))

    @property
    def dialect(self) -> str:
        return "postgresql"

    def finish(self) -> None:
        """No more rows: the second connection commits them, then builds the key and indexes."""
        self._jobs.put(None)

    def _work(self) -> None:
        driver = self._raw.driver_connection
        began = perf_counter()
        try:
            with driver.cursor() as cursor:
                while (job := self._jobs.get()) is not None:
                    if self._failure is not None:
                        continue  # keep taking pieces so the maker is never stuck
                    names, data = job
                    send_copy(cursor, f"COPY {STAGING} ({names}) FROM STDIN", data)
                if self._failure is not None:
                    return
                driver.commit()
                self.timings["loading history beside the assets"] = perf_counter() - began
                driver.autocommit = True
                building = perf_counter()
                for statement, later in self._builds:
                    if later is not None and self._swapping.is_set():
                        self.left.append(later)  # the demo is waiting: built after its commit
                        continue
                    started = perf_counter()
                    cursor.execute(statement)
                    log.debug("%.2f s  %s", perf_counter() - started, statement)
                self.timings["building history indexes beside"] = perf_counter() - building
        except BaseException as err:  # raised in the demo's thread by copy_text or swap
            self._failure = err
            while self._jobs.get() is not None:  # drain: the maker may still be handing over
                pass

    def _join(self) -> None:
        if self._thread is not None:
            if self._failure is not None:
                # The worker drains until it gets the end; make sure it gets one.
                self._jobs.put(None)
            self._thread.join()
            self._thread = None
        if self._failure is not None:
            raise self._failure

    # -- in the demo's transaction ---------------------------------------------------------------
    def swap(self, connection: Connection) -> None:
        """Put the loaded table in place of ``history_events``, once its rows are committed and
        its key built. Index builds that have not started by then are left in ``left``, for
        after the demo's commit: waiting for them would leave a core idle."""
        self._swapping.set()
        self._join()
        statements = [
            f"INSERT INTO {STAGING} SELECT * FROM {TABLE}",  # events this transaction wrote already
            *self._disowned,
            f"DROP TABLE {TABLE}",
            f"ALTER TABLE {STAGING} RENAME TO {TABLE}",
            *self._moves,
        ]
        for statement in statements:
            connection.exec_driver_sql(statement)

    def close(self) -> None:
        """Stop the second connection and drop the loaded table if it is still there (the
        demo failed, or stopped before the swap). After a committed swap there is none."""
        try:
            if self._thread is not None:
                self._failure = self._failure or RuntimeError("the demo stopped")
                try:
                    self._join()
                except BaseException:
                    pass
        finally:
            raw, self._raw = self._raw, None
            if raw is not None:
                try:
                    driver = raw.driver_connection
                    driver.rollback()
                    driver.autocommit = True
                    with driver.cursor() as cursor:
                        cursor.execute("SET lock_timeout = '10s'")
                        cursor.execute(f"DROP TABLE IF EXISTS {STAGING}")
                except Exception:
                    log.exception("Could not drop %s; the next demo drops it", STAGING)
                finally:
                    raw.invalidate()  # its settings are not for the pool
                    raw.close()


def _index_on_staging(definition: str, name: str, temporary: str) -> str:
    """``CREATE INDEX name ON ... history_events ...`` rewritten for the loaded table."""
    pattern = rf'^(CREATE (?:UNIQUE )?INDEX ){re.escape(name)}( ON (?:ONLY )?)(?:\w+\.)?{TABLE}( .*)$'
    rewritten, count = re.subn(pattern, rf'\g<1>"{temporary}"\g<2>{STAGING}\g<3>', definition)
    if count != 1:
        raise ValueError(f"unexpected index definition: {definition}")
    return rewritten
