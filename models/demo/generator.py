"""Builds a believable district: sites, buildings, rooms, people, funding and assets.

Deterministic for a seed: every random draw comes from generators seeded by
``(seed, purpose, batch)``. Assets are made and written in batches of columns
(numpy arrays), never as one Python object per asset, so a million-asset
district fits in a few hundred megabytes. Everything is one transaction.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from decimal import Decimal
from queue import Full, Queue
from threading import Thread
from time import perf_counter

import numpy as np
from sqlalchemy import Connection, Table, func, select

from models import deferred
from models.collector import paused_collector
from models.database import Database
from models.demo import catalog as cat
from models.demo.bulk import (
    BulkLoader,
    Constant,
    Nullable,
    advance_sequences,
    decoded,
    rollback_journal,
    sqlite_rows,
)
from models.demo.staged import StagedHistory
from models.errors import UserError
from models.history import GENESIS_HASH, last_hash, timestamp_text
from models.schema import (
    Asset,
    AssetClass,
    AssetModel,
    AssetStatus,
    Assignment,
    Building,
    Condition,
    Department,
    DisposalMethod,
    DistrictSettings,
    Floor,
    Fund,
    FunctionCode,
    FundingShare,
    FundingSource,
    HistoryEvent,
    ObjectCode,
    Person,
    PersonKind,
    Room,
    RoomType,
    Site,
    SiteKind,
)

Progress = Callable[[str, int, int], None]
DAY = np.timedelta64(1, "D")
GRADES = np.array([b"K"] + [str(g).encode() for g in range(1, 13)], dtype="S2")
ACTOR = "demo"


class Cancelled(UserError):
    def __init__(self) -> None:
        super().__init__("Demo generation was cancelled; nothing was written.")


@dataclass
class DemoOptions:
    assets: int = 20_000
    seed: int = 1
    district_name: str = "Riverside Unified School District"
    batch_size: int = 50_000
    today: date = field(default_factory=date.today)
    # Who the demo is for: granted the admin and finance roles, so they can try the
    # fiscal-year close at once. None grants nobody (tests grant their own).
    owner: str | None = None


@dataclass
class DemoSummary:
    sites: int = 0
    buildings: int = 0
    rooms: int = 0
    people: int = 0
    assets: int = 0
    funding_shares: int = 0
    assignments: int = 0
    history_events: int = 0
    seconds: float = 0.0
    # Wall-clock seconds by stage, in the order they ran (for benchmarks and logs).
    stages: dict[str, float] = field(default_factory=dict)
    # Seconds of work done meanwhile on a second connection (overlapping the stages).
    beside: dict[str, float] = field(default_factory=dict)


def _rng(seed: int, purpose: str, batch: int = 0) -> np.random.Generator:
    key = int.from_bytes(hashlib.sha256(purpose.encode()).digest()[:4], "little")
    return np.random.default_rng([seed, key, batch])


def generate_demo(db: Database, options: DemoOptions, progress: Progress | None = None) -> DemoSummary:
    """Fill an empty database with a demo district.

    The rows and their constraints are one transaction. On PostgreSQL the
    secondary indexes are built right after it commits, two at a time.
    """
    if options.assets < 100:
        raise UserError("A demo district needs at least 100 assets.")
    started = perf_counter()
    builder: _DistrictBuilder | None = None
    try:
        with (
            paused_collector(),
            rollback_journal(db.engine, enabled=not db.read_only),
            db.unit_of_work(ACTOR, bulk_load=True) as work,
        ):
            connection = work.session.connection()
            if connection.scalar(select(func.count()).select_from(Asset)):
                raise UserError(
                    "This database already has assets; a demo district goes into an empty database."
                )
            builder = _DistrictBuilder(connection, options, progress)
            summary = builder.build()
            committing = perf_counter()
    finally:
        if builder is not None and builder.staged is not None:
            builder.staged.close()  # drops the history's own table unless it took its place
    summary.stages["committing"] = perf_counter() - committing
    if builder.loader.deferred:
        try:
            builder._report("Building search indexes", options.assets, options.assets)
        except Cancelled:
            pass  # the district is committed: too late to take it back, and its indexes are due
        building = perf_counter()
        try:
            builder.loader.build_deferred(db.engine)
        except Exception as err:
            raise UserError(
                f"The demo district is saved, but building its indexes stopped ({err}). Common Ground "
                "finishes them the next time it opens this database; until then searches are slower."
            ) from err
        summary.stages["building indexes after commit"] = perf_counter() - building
    if options.owner:
        from models.services.roles import grant

        grant(db, options.owner, options.owner, "admin")  # the first admin of a new district
        grant(db, options.owner, options.owner, "finance")
    summary.seconds = perf_counter() - started
    return summary


class _DistrictBuilder:
    def __init__(self, connection: Connection, options: DemoOptions, progress: Progress | None):
        self.connection = connection
        self.options = options
        self.progress = progress
        self.now = datetime.now(UTC)
        self.summary = DemoSummary()
        # PostgreSQL, into an empty history: the events load on a second connection.
        self.staged = StagedHistory.prepare(connection)
        try:
            loaded = (Person, Room, Asset, FundingShare, Assignment) + (() if self.staged else (HistoryEvent,))
            self.loader = BulkLoader(connection, [t.__table__ for t in loaded])  # type: ignore[attr-defined]
            # Where the people, rooms and assets go: the loader, or on SQLite a hand-over to it.
            self.rows: BulkLoader | _Handover = self.loader
            self.prev_hash = last_hash(connection) or GENESIS_HASH
        except BaseException:
            if self.staged is not None:
                self.staged.close()
            raise
        self.stamp = timestamp_text(self.now)

    @property
    def history_rows(self) -> BulkLoader | _Handover | StagedHistory:
        """Where the history events go: the second connection's table, or with the other rows."""
        return self.staged if self.staged is not None else self.rows

    def _report(self, stage: str, done: int, total: int) -> None:
        if isinstance(self.rows, _Handover):
            self.rows.report(stage, done, total)  # made on the worker: reported on this thread
        elif self.progress is not None:
            self.progress(stage, done, total)  # may raise Cancelled

    # ------------------------------------------------------------------------------------
    def build(self) -> DemoSummary:
        began = perf_counter()
        self._report("Setting up the district", 0, self.options.assets)
        self.loader.suspend_indexes()
        self._codes()
        self._sites()
        if self.loader.dialect == "sqlite":
            self.rows = _Handover(self.loader)
            try:
                self.rows.run(self._make_rows, self.progress)
            finally:
                self.rows = self.loader
        else:
            self.loader.start_background()
            try:
                self._make_rows()
            except BaseException:
                self.loader.stop()  # before the rollback: its thread may be mid-COPY
                raise
            if self.staged is not None:
                self.staged.finish()  # its key and indexes build while the loader's are restored
        self.summary.stages["making and sending rows"] = perf_counter() - began
        self._report("Rebuilding indexes", self.options.assets, self.options.assets)
        self.loader.finish()
        self.summary.stages.update(self.loader.timings)
        if self.staged is not None:
            waiting = perf_counter()
            self.staged.swap(self.connection)
            self.loader.deferred += deferred.queue(self.connection, self.staged.left)
            self.summary.stages["waiting for the history"] = perf_counter() - waiting
            self.summary.beside.update(self.staged.timings)
        # The reference rows (sites, buildings, floors, classes, models, funding, departments)
        # went in with their ids too.
        advance_sequences(self.connection, [t.__table__ for t in (  # type: ignore[attr-defined]
            Site, Building, Floor, Department, AssetClass, FundingSource, AssetModel)])
        return self.summary

    def _make_rows(self) -> None:
        self._people()
        self._rooms()
        self._assets()

    def _insert(self, model: type, rows: list[dict]) -> None:
        if rows:
            self.connection.execute(model.__table__.insert(), rows)  # type: ignore[attr-defined]

    def _codes(self) -> None:
        self._settings()
        self._insert(Fund, [{"code": c, "name": n} for c, n in cat.FUNDS])
        self._insert(FunctionCode, [{"code": c, "name": n} for c, n in cat.FUNCTIONS])
        self._insert(ObjectCode, [{"code": c, "name": n} for c, n in cat.OBJECTS])
        self._insert(Department, [{"id": i, "code": c, "name": n} for i, (c, n) in enumerate(cat.DEPARTMENTS, 1)])
        self.department_id = {c: i for i, (c, _) in enumerate(cat.DEPARTMENTS, 1)}
        self._insert(
            AssetClass,
            [
                {
                    "id": i,
                    "code": spec.code,
                    "name": spec.name,
                    "gasb_class": spec.gasb,
                    "depreciable": spec.gasb.depreciable,
                    "default_useful_life_months": spec.life_months,
                    "default_method": spec.method,
                    "default_convention": spec.convention,
                    "capitalization_threshold": Decimal(spec.threshold_cents) / 100,
                    "object_code": spec.object_code,
                }
                for i, spec in enumerate(cat.CLASSES, 1)
            ],
        )
        self.class_id = {spec.code: i for i, spec in enumerate(cat.CLASSES, 1)}
        self.class_threshold = {i: spec.threshold_cents for i, spec in enumerate(cat.CLASSES, 1)}
        self.class_life = {i: spec.life_months for i, spec in enumerate(cat.CLASSES, 1)}
        self._insert(
            FundingSource,
            [
                {
                    "id": i,
                    "code": s.code,
                    "name": s.name,
                    "program": s.program,
                    "is_federal": s.federal,
                    "grantor": s.grantor,
                    "award_number": s.award,
                    "erate_frn": s.frn,
                    "period_start": s.start,
                    "period_end": s.end,
                    "fund_code": s.fund,
                }
                for i, s in enumerate(cat.FUNDING, 1)
            ],
        )
        self.funding_id = {s.code: i for i, s in enumerate(cat.FUNDING, 1)}
        self.funding_fund = {i: s.fund for i, s in enumerate(cat.FUNDING, 1)}
        self._insert(
            AssetModel,
            [
                {
                    "id": i,
                    "manufacturer": m.manufacturer,
                    "name": m.name,
                    "device_type": m.device_type,
                    "default_class_id": self.class_id[m.class_code],
                }
                for i, m in enumerate(cat.MODELS, 1)
            ],
        )

    def _settings(self) -> None:
        self._insert(
            DistrictSettings,
            [
                {
                    "id": 1,
                    "name": self.options.district_name,
                    "state_code": "CA",
                    "fiscal_year_start_month": 7,
                    "capitalization_threshold": Decimal("5000.00"),
                    "federal_equipment_threshold": Decimal("5000.00"),
                    "updated_at": self.now,
                    "version": 1,
                }
            ],
        )

    # -- places ------------------------------------------------------------------------------
    def _sites(self) -> None:
        rng = _rng(self.options.seed, "sites")
        n = self.options.assets
        schools = int(np.clip(7 + n // 33_000, 7, 37))
        high = max(1, round(schools * 0.15))
        middle = max(1, round(schools * 0.22))
        elementary = schools - high - middle
        namesakes = list(rng.permutation(cat.SITE_NAMESAKES))
        sites: list[dict] = []
        for kind, count in ((SiteKind.ELEMENTARY, elementary), (SiteKind.MIDDLE, middle), (SiteKind.HIGH, high)):
            words, abbr = cat.SITE_KIND_WORDS[kind]
            for number in range(1, count + 1):
                sites.append(
                    {"code": f"{abbr}{number:02d}", "name": f"{namesakes.pop()} {words}", "kind": kind}
                )
        sites += [
            {"code": "DO", "name": "District Office", "kind": SiteKind.ADMINISTRATION},
            {"code": "WH", "name": "Central Warehouse", "kind": SiteKind.WAREHOUSE},
            {"code": "TC", "name": "Transportation Center", "kind": SiteKind.TRANSPORTATION},
        ]
        streets = ["Oak", "Main", "Park", "Lake", "Hill", "River", "Elm", "Center", "Mission", "Grand"]
        for i, site in enumerate(sites, 1):
            site["id"] = i
            site["address"] = f"{100 + int(rng.integers(0, 9800))} {streets[i % len(streets)]} St"
        self._insert(Site, sites)
        self.sites = sites

        buildings: list[dict] = []
        floors: list[dict] = []
        for site in sites:
            kind = site["kind"]
            count = {SiteKind.ELEMENTARY: (1, 2), SiteKind.MIDDLE: (1, 3), SiteKind.HIGH: (2, 4)}.get(kind, (1, 2))
            for b in range(int(rng.integers(count[0], count[1] + 1))):
                code = "ABCDEFGH"[b]
                name = "Main Building" if b == 0 else ("Gymnasium" if b == 1 and kind is SiteKind.HIGH else f"Building {code}")
                building_id = len(buildings) + 1
                buildings.append(
                    {
                        "id": building_id,
                        "site_id": site["id"],
                        "code": code,
                        "name": name,
                        "year_built": int(rng.integers(1952, 2016)),
                    }
                )
                levels = int(rng.integers(2, 4)) if kind is SiteKind.HIGH and b == 0 else int(rng.integers(1, 3))
                for level in range(1, levels + 1):
                    floors.append(
                        {
                            "id": len(floors) + 1,
                            "building_id": building_id,
                            "level": level,
                            "name": ["Ground floor", "Second floor", "Third floor"][level - 1],
                        }
                    )
        self._insert(Building, buildings)
        self._insert(Floor, floors)
        self.buildings = buildings
        self.floors = floors
        self.summary.sites = len(sites)
        self.summary.buildings = len(buildings)

    def _people(self) -> None:
        rng = _rng(self.options.seed, "people")
        n = self.options.assets
        school_ids = np.array([s["id"] for s in self.sites if s["kind"] in cat.SITE_KIND_WORDS])
        all_ids = np.array([s["id"] for s in self.sites])
        staff = max(60, n * 3 // 100)
        students = max(400, n // 4)
        staff_site = np.where(rng.random(staff) < 0.9, rng.choice(school_ids, staff), rng.choice(all_ids, staff))
        student_site = rng.choice(school_ids, students)
        site_kind = {s["id"]: s["kind"] for s in self.sites}
        first = np.array([n.encode() for n in cat.FIRST_NAMES], dtype="S")
        last = np.array([n.encode() for n in cat.LAST_NAMES], dtype="S")
        total = staff + students
        first_names = first[rng.integers(0, len(first), total)]
        last_names = last[rng.integers(0, len(last), total)]
        ids = np.arange(1, total + 1)
        is_staff = ids <= staff
        kinds = np.where(is_staff, PersonKind.STAFF.value.encode(), PersonKind.STUDENT.value.encode())
        external = np.where(
            is_staff, np.strings.add(b"E", (100000 + ids).astype("S20")),
            np.strings.add(b"S", (2000000 + ids - staff).astype("S20")),
        )
        emails = [
            f"{f.lower()}.{l.lower().replace(' ', '').replace(chr(39), '')}{i}@riversideusd.org".encode()
            for i, f, l in zip(range(1, staff + 1), decoded(first_names[:staff]), decoded(last_names[:staff]))
        ]
        email = np.zeros(total, dtype=np.array(emails, dtype="S").dtype if emails else "S1")
        email[:staff] = emails
        grade_ranges = {SiteKind.ELEMENTARY: (0, 5), SiteKind.MIDDLE: (6, 8), SiteKind.HIGH: (9, 12)}
        low = np.zeros(len(self.sites) + 1, dtype=np.int64)
        span = np.ones(len(self.sites) + 1, dtype=np.int64)
        for site_id, kind in site_kind.items():
            if kind in grade_ranges:
                low[site_id] = grade_ranges[kind][0]
                span[site_id] = grade_ranges[kind][1] - grade_ranges[kind][0] + 1
        draws = rng.random(students)
        grade_index = low[student_site] + (draws * span[student_site]).astype(np.int64)
        grade = np.zeros(total, dtype="S2")
        grade[staff:] = GRADES[grade_index]
        sites = np.concatenate([staff_site, student_site])
        self.rows.load(
            Person.__table__,  # type: ignore[arg-type]
            {
                "id": ids,
                "kind": kinds,
                "external_id": external,
                "first_name": first_names,
                "last_name": last_names,
                "email": Nullable(email, ~is_staff),
                "site_id": sites,
                "grade": Nullable(grade, is_staff),
                "active": Constant(True),
            },
        )
        self.summary.people = total
        # People by site, for drawing a custodian or a borrower at the asset's site.
        self.staff_by_site = _group(ids[:staff], staff_site, len(self.sites))
        self.students_by_site = _group(ids[staff:], student_site, len(self.sites))

    def _rooms(self) -> None:
        rng = _rng(self.options.seed, "rooms")
        target = max(60, self.options.assets // 110)
        per_floor = max(8, target // len(self.floors))
        building_site = {b["id"]: b["site_id"] for b in self.buildings}
        site_kind = {s["id"]: s["kind"] for s in self.sites}
        names = {
            RoomType.CLASSROOM: "Classroom {n}", RoomType.LAB: "Science Lab {n}", RoomType.OFFICE: "Office {n}",
            RoomType.LIBRARY: "Library", RoomType.GYM: "Gymnasium", RoomType.CAFETERIA: "Cafeteria",
            RoomType.KITCHEN: "Kitchen", RoomType.STORAGE: "Storage {n}", RoomType.MECHANICAL: "Mechanical {n}",
            RoomType.SERVER: "Network Closet {n}", RoomType.GARAGE: "Bay {n}",
        }
        ids: list[int] = []
        floor_ids: list[int] = []
        site_ids: list[int] = []
        numbers: list[str] = []
        room_names: list[str] = []
        types: list[str] = []
        responsible: list[int | None] = []
        for floor in self.floors:
            site_id = building_site[floor["building_id"]]
            school = site_kind[site_id] in cat.SITE_KIND_WORDS
            mix = cat.ROOM_MIX["school" if school else "support"]
            count = max(6, int(per_floor * rng.uniform(0.7, 1.3)))
            kinds = [k for k, _ in mix]
            shares = np.array([s for _, s in mix])
            drawn = rng.choice(len(kinds), size=count, p=shares / shares.sum())
            # Every ground floor has an office and the rooms its site's equipment lives in.
            if floor["level"] == 1:
                needed = [RoomType.OFFICE, RoomType.MECHANICAL, RoomType.SERVER]
                needed += [RoomType.KITCHEN] if school else [RoomType.GARAGE]
                for slot, kind in enumerate(needed):
                    drawn[slot] = kinds.index(kind)
            staff = self.staff_by_site[site_id]
            for j, k in enumerate(drawn.tolist(), 1):
                kind = kinds[k]
                number = f"{floor['level']}{j:02d}"
                ids.append(len(ids) + 1)
                floor_ids.append(floor["id"])
                site_ids.append(site_id)
                numbers.append(number)
                room_names.append(names.get(kind, "Room {n}").format(n=number))
                types.append(kind.value)
                responsible.append(int(staff[rng.integers(0, len(staff))]) if len(staff) else None)
        self.rows.load(
            Room.__table__,  # type: ignore[arg-type]
            {
                "id": ids,
                "floor_id": floor_ids,
                "site_id": site_ids,
                "number": numbers,
                "name": room_names,
                "room_type": types,
                "responsible_person_id": responsible,
            },
        )
        self.summary.rooms = len(ids)
        self.room_site = np.zeros(len(ids) + 1, dtype=np.int64)
        self.room_site[1:] = site_ids
        room_types = np.array(types, dtype=object)
        room_ids = np.array(ids)
        self.pools: list[np.ndarray] = []
        self.pool_index = {}
        for index, (pool, pool_types) in enumerate(cat.ROOM_POOLS.items()):
            members = room_ids[np.isin(room_types, [t.value for t in pool_types])]
            self.pools.append(members if len(members) else room_ids)
            self.pool_index[pool] = index

    def _assets(self) -> None:
        from models.demo.assets import AssetWriter

        writer = AssetWriter(self)
        writer.write_structures()
        writer.write_movable()


class _Handover:
    """SQLite: people, rooms and assets made on a worker thread, inserted on this one.

    Each batch of a table goes in as one statement (``sqlite_rows``) during which
    sqlite3 lets go of the GIL, so the worker makes the next batch on the other core
    meanwhile; the connection stays on the thread that opened it. Progress reports
    wait their turn among the inserts and are made on this thread too, where a
    ``Cancelled`` stops the worker at its next hand-over.
    """

    def __init__(self, loader: BulkLoader, waiting: int = 6) -> None:
        self.loader = loader
        self.dialect = loader.dialect
        # At most ``waiting`` statements (each holding a batch of one table) wait their turn.
        self._queue: Queue[tuple[Callable[..., None], tuple] | None] = Queue(maxsize=waiting)
        self._stopped = False
        self._progress: Progress | None = None

    def load(self, table: Table, columns: dict) -> None:
        if (insert := sqlite_rows(table, columns)) is not None:
            self._put((insert.run, (self.loader.connection,)))

    def report(self, stage: str, done: int, total: int) -> None:
        if self._progress is not None:
            self._put((self._progress, (stage, done, total)))

    def run(self, make: Callable[[], None], progress: Progress | None) -> None:
        """Run ``make`` on a worker while this thread inserts what it hands over."""
        self._progress = progress
        failures: list[BaseException] = []

        def work() -> None:
            try:
                make()
            except _Stopped:
                pass
            except BaseException as err:  # re-raised on the calling thread
                failures.append(err)
            finally:
                self._queue.put(None)

        worker = Thread(target=work, name="demo-rows", daemon=True)
        worker.start()
        try:
            while (job := self._queue.get()) is not None:
                job[0](*job[1])
        except BaseException:
            self._stopped = True
            while self._queue.get() is not None:
                pass
            raise
        finally:
            worker.join()
        if failures:
            raise failures[0]

    def _put(self, job: tuple[Callable[..., None], tuple]) -> None:
        while True:
            if self._stopped:
                raise _Stopped
            try:
                self._queue.put(job, timeout=0.1)
                return
            except Full:
                continue


class _Stopped(Exception):
    """The inserting thread failed or was cancelled: the worker stops making rows."""


def _group(ids: np.ndarray, site_of: np.ndarray, site_count: int) -> dict[int, np.ndarray]:
    order = np.argsort(site_of, kind="stable")
    sorted_sites = site_of[order]
    sorted_ids = ids[order]
    groups = {}
    for site_id in range(1, site_count + 1):
        lo, hi = np.searchsorted(sorted_sites, [site_id, site_id + 1])
        groups[site_id] = sorted_ids[lo:hi]
    return groups
