"""Databases for the tests: every ``db`` test runs on SQLite and on PostgreSQL.

SQLite: the schema is migrated once per session into a template file that each
test copies. PostgreSQL: one database per session, migrated once, emptied
between tests with TRUNCATE (the history guards are set aside for that with
``session_replication_role``). ``COMMONGROUND_TEST_PG`` names another server
(an admin URL); when the server is down the tests are skipped, except under
``CI``, where they fail.
"""

from __future__ import annotations

import os
import shutil
import sys
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import create_engine, exc, text
from sqlalchemy.engine import URL, Engine, make_url

from models import migrate
from models.database import Database
from models.schema import (
    AssetClass,
    Base,
    Building,
    Department,
    DepreciationConvention,
    DepreciationMethod,
    Floor,
    FunctionCode,
    FundingProgram,
    FundingSource,
    GasbClass,
    Person,
    PersonKind,
    Room,
    RoomType,
    Site,
    SiteKind,
)

PG_ENV = "COMMONGROUND_TEST_PG"
DEFAULT_PG_ADMIN = "postgresql://postgres@127.0.0.1:5432/postgres"
# Tables the reset empties: all of ours; alembic_version keeps the revision.
RESET_TABLES = ", ".join(table.name for table in Base.metadata.sorted_tables)


def pg_admin_url() -> URL:
    url = make_url(os.environ.get(PG_ENV) or DEFAULT_PG_ADMIN)
    return url.set(drivername="postgresql+psycopg")


def _admin_engine() -> Engine:
    return create_engine(
        pg_admin_url(), isolation_level="AUTOCOMMIT", connect_args={"connect_timeout": 3}
    )


class PostgresServer:
    """The test server: makes and drops uniquely named databases."""

    def __init__(self, admin: Engine) -> None:
        self.admin = admin
        self.made: list[str] = []

    def create_database(self, purpose: str = "t") -> URL:
        name = f"cg_test_{purpose}_{os.getpid()}_{uuid.uuid4().hex[:8]}"
        with self.admin.connect() as connection:
            connection.exec_driver_sql(f'CREATE DATABASE "{name}"')
            # Throw-away data: a commit need not wait for the disk (crash safety is not under test).
            connection.exec_driver_sql(f'ALTER DATABASE "{name}" SET synchronous_commit = off')
        self.made.append(name)
        return self.admin.url.set(database=name)

    def drop_database(self, url: URL) -> None:
        with self.admin.connect() as connection:
            connection.exec_driver_sql(f'DROP DATABASE IF EXISTS "{url.database}" WITH (FORCE)')
        if url.database in self.made:
            self.made.remove(url.database)

    def drop_all(self) -> None:
        for name in list(self.made):
            self.drop_database(self.admin.url.set(database=name))


@pytest.fixture(scope="session")
def pg_server() -> Iterator[PostgresServer]:
    admin = _admin_engine()
    try:
        with admin.connect():
            pass
    except exc.OperationalError as err:
        admin.dispose()
        reason = str(err.orig).strip().splitlines()[0] if err.orig else str(err)
        message = (
            f"the PostgreSQL test server at {pg_admin_url().render_as_string(hide_password=True)} "
            f"is down or refused the login ({reason}); set {PG_ENV} to an admin URL of a running server"
        )
        if os.environ.get("CI"):
            pytest.fail(f"CI needs PostgreSQL: {message}", pytrace=False)
        pytest.skip(message)
    server = PostgresServer(admin)
    yield server
    server.drop_all()
    admin.dispose()


@pytest.fixture
def pg_empty_url(pg_server: PostgresServer) -> Iterator[URL]:
    """A new PostgreSQL database without any tables, dropped after the test."""
    url = pg_server.create_database("empty")
    yield url
    pg_server.drop_database(url)


@pytest.fixture(scope="session")
def pg_session_url(pg_server: PostgresServer) -> URL:
    """The session's PostgreSQL database, migrated to head once."""
    url = pg_server.create_database("session")
    engine = create_engine(url)
    try:
        migrate.upgrade(engine)
        with engine.begin() as connection:
            # An autovacuum worker on a just-filled table holds the TRUNCATE of the
            # next reset for up to deadlock_timeout; these tables live for seconds.
            for table in Base.metadata.sorted_tables:
                connection.exec_driver_sql(f"ALTER TABLE {table.name} SET (autovacuum_enabled = false)")
    finally:
        engine.dispose()
    return url


def reset_postgres(url: URL) -> None:
    engine = create_engine(url, isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as connection:
            connection.exec_driver_sql("SET lock_timeout = '5s'")  # a leaked session fails, not hangs
            connection.exec_driver_sql("SET session_replication_role = replica")
            connection.exec_driver_sql(f"TRUNCATE {RESET_TABLES} RESTART IDENTITY CASCADE")
    finally:
        engine.dispose()


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("template") / "template.sqlite3"
    engine = create_engine(URL.create("sqlite+pysqlite", database=str(path)))
    try:
        migrate.upgrade(engine)
    finally:
        engine.dispose()
    return path


@pytest.fixture
def sqlite_url(sqlite_template: Path, tmp_path: Path) -> URL:
    """A migrated SQLite file of this test's own."""
    path = tmp_path / "register.sqlite3"
    shutil.copyfile(sqlite_template, path)
    return URL.create("sqlite+pysqlite", database=str(path))


@pytest.fixture
def pg_url(pg_session_url: URL) -> URL:
    """The session's migrated PostgreSQL database, emptied for this test."""
    reset_postgres(pg_session_url)
    return pg_session_url


BACKENDS = ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]


@pytest.fixture(params=BACKENDS)
def db_url(request: pytest.FixtureRequest) -> URL:
    """A migrated, empty database on each backend."""
    if request.param == "sqlite":
        return request.getfixturevalue("sqlite_url")
    return request.getfixturevalue("pg_url")


def settle_qt() -> None:
    """Before a test's database goes: close and delete the test's windows (their timers die
    with them) and let background reads finish, so nothing queries a dropped database later."""
    if "PySide6.QtWidgets" not in sys.modules:
        return
    from PySide6.QtCore import QEvent, QThreadPool
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance()
    if app is None:
        return
    pool = QThreadPool.globalInstance()
    widgets = QApplication.topLevelWidgets()
    for widget in widgets:
        widget.close()
    pool.waitForDone(30_000)
    for widget in widgets:
        widget.deleteLater()
    QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    pool.waitForDone(30_000)


@pytest.fixture
def db(db_url: URL) -> Iterator[Database]:
    database = Database.open(db_url, create=False)
    yield database
    settle_qt()
    database.close()


@pytest.fixture
def open_db() -> Iterator[Callable[[URL], Database]]:
    """Open more connections to a database; all closed after the test."""
    opened: list[Database] = []

    def _open(url: URL) -> Database:
        database = Database.open(url, create=False)
        opened.append(database)
        return database

    yield _open
    for database in opened:
        database.close()


# -- reference data ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Reference:
    site: int
    other_site: int
    building: int
    floor: int
    room: int
    other_room: int  # at ``other_site``
    equipment_class: int  # depreciable, $5,000 threshold
    land_class: int  # not depreciable
    general_fund: int
    federal_grant: int  # is_federal
    person: int
    other_person: int
    department: int
    function_code: str


def make_reference(db: Database) -> Reference:
    """The least an asset needs around it, inserted as plain rows (no history)."""
    with db.unit_of_work("setup") as work:
        s = work.session
        site = Site(code="LIN", name="Lincoln Elementary", kind=SiteKind.ELEMENTARY)
        other_site = Site(code="WHS", name="Washington High", kind=SiteKind.HIGH)
        s.add_all([site, other_site])
        s.flush()
        building = Building(site_id=site.id, code="A", name="Main Building")
        other_building = Building(site_id=other_site.id, code="A", name="Main Building")
        s.add_all([building, other_building])
        s.flush()
        floor = Floor(building_id=building.id, level=1, name="Ground floor")
        other_floor = Floor(building_id=other_building.id, level=1, name="Ground floor")
        s.add_all([floor, other_floor])
        s.flush()
        room = Room(floor_id=floor.id, site_id=site.id, number="101", room_type=RoomType.CLASSROOM)
        other_room = Room(
            floor_id=other_floor.id, site_id=other_site.id, number="204", room_type=RoomType.LAB
        )
        equipment = AssetClass(
            code="FE",
            name="Furniture and equipment",
            gasb_class=GasbClass.FURNITURE_EQUIPMENT,
            depreciable=True,
            default_useful_life_months=120,
            default_method=DepreciationMethod.STRAIGHT_LINE,
            default_convention=DepreciationConvention.FULL_MONTH,
            capitalization_threshold=Decimal("5000.00"),
        )
        land = AssetClass(
            code="LAND",
            name="Land",
            gasb_class=GasbClass.LAND,
            depreciable=False,
            default_useful_life_months=0,
            default_method=DepreciationMethod.STRAIGHT_LINE,
            default_convention=DepreciationConvention.FULL_MONTH,
            capitalization_threshold=Decimal("0.00"),
        )
        general = FundingSource(
            code="GF", name="General fund", program=FundingProgram.GENERAL_FUND, is_federal=False
        )
        federal = FundingSource(
            code="ESSER3",
            name="ESSER III",
            program=FundingProgram.ESSER,
            is_federal=True,
            award_number="S425U210005",
        )
        person = Person(kind=PersonKind.STAFF, first_name="Ada", last_name="Okafor", external_id="E1")
        other_person = Person(
            kind=PersonKind.STUDENT, first_name="Ben", last_name="Ruiz", external_id="S1", grade="7"
        )
        department = Department(code="IT", name="Information Technology")
        function = FunctionCode(code="1000", name="Instruction")
        s.add_all([room, other_room, equipment, land, general, federal, person, other_person])
        s.add_all([department, function])
        s.flush()
        return Reference(
            site=site.id,
            other_site=other_site.id,
            building=building.id,
            floor=floor.id,
            room=room.id,
            other_room=other_room.id,
            equipment_class=equipment.id,
            land_class=land.id,
            general_fund=general.id,
            federal_grant=federal.id,
            person=person.id,
            other_person=other_person.id,
            department=department.id,
            function_code=function.code,
        )


@pytest.fixture
def reference(db: Database) -> Reference:
    return make_reference(db)


@pytest.fixture
def reference_on() -> Callable[[Database], Reference]:
    """For tests that open a database of their own."""
    return make_reference


def tamper(db: Database, sql: str, **params: object) -> None:
    """Change history behind the app's back, as someone with the database file or a superuser could."""
    with db.engine.begin() as connection:
        if db.dialect == "sqlite":
            connection.exec_driver_sql("DROP TRIGGER IF EXISTS history_events_no_update")
            connection.exec_driver_sql("DROP TRIGGER IF EXISTS history_events_no_delete")
        else:
            connection.exec_driver_sql("SET LOCAL session_replication_role = replica")
        connection.execute(text(sql), params)


def asset_values(ref: Reference, tag: str = "T-0001", **overrides: object) -> dict[str, object]:
    """A valid new asset in ``ref``'s first room; ``overrides`` replace or add fields."""
    values: dict[str, object] = {
        "tag": tag,
        "description": "Interactive flat panel",
        "class_id": ref.equipment_class,
        "acquired_on": date(2024, 8, 15),
        "cost": Decimal("1200.00"),
        "room_id": ref.room,
        "serial": f"SN-{tag}",
    }
    values.update(overrides)
    return values


# -- a small demo district ------------------------------------------------------------------

DEMO_ASSETS = 1_500
DEMO_SEED = 11


def _generate_demo_into(url: URL) -> None:
    from models.demo import DemoOptions, generate_demo

    database = Database.open(url, create=False)
    try:
        generate_demo(database, DemoOptions(assets=DEMO_ASSETS, seed=DEMO_SEED))
    finally:
        database.close()


@pytest.fixture(scope="session")
def sqlite_demo_template(sqlite_template: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("demo-template") / "demo.sqlite3"
    shutil.copyfile(sqlite_template, path)
    _generate_demo_into(URL.create("sqlite+pysqlite", database=str(path)))
    return path


@pytest.fixture(scope="session")
def pg_demo_template(pg_server: PostgresServer) -> URL:
    """A migrated PostgreSQL database holding the demo district; tests get copies of it."""
    url = pg_server.create_database("demotemplate")
    engine = create_engine(url)
    try:
        migrate.upgrade(engine)
    finally:
        engine.dispose()
    _generate_demo_into(url)
    return url


@pytest.fixture(params=BACKENDS)
def demo_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[URL]:
    """A database of this test's own holding the demo district (DEMO_ASSETS assets, seed
    DEMO_SEED), on each backend. Tests may change it freely."""
    if request.param == "sqlite":
        path = tmp_path / "demo.sqlite3"
        shutil.copyfile(request.getfixturevalue("sqlite_demo_template"), path)
        yield URL.create("sqlite+pysqlite", database=str(path))
        return
    template: URL = request.getfixturevalue("pg_demo_template")
    server: PostgresServer = request.getfixturevalue("pg_server")
    name = f"cg_test_demo_{os.getpid()}_{uuid.uuid4().hex[:8]}"
    with server.admin.connect() as connection:
        connection.exec_driver_sql(f'CREATE DATABASE "{name}" TEMPLATE "{template.database}"')
        connection.exec_driver_sql(f'ALTER DATABASE "{name}" SET synchronous_commit = off')
    server.made.append(name)
    url = server.admin.url.set(database=name)
    yield url
    settle_qt()
    server.drop_database(url)


@pytest.fixture
def demo_db(demo_url: URL) -> Iterator[Database]:
    """The demo district, opened; closed after the test."""
    database = Database.open(demo_url, create=False)
    yield database
    settle_qt()
    database.close()
