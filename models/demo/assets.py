"""The demo district's assets, made a batch of columns at a time.

Structures (land, buildings, fields, roofs, construction in progress) come
first, one per site or building; then the movable items, drawn from the model
catalog. Each batch writes its assets, funding shares, loans and history.
"""

from __future__ import annotations

import json
from binascii import hexlify
from datetime import date
from functools import reduce
from itertools import repeat
from hashlib import sha256
from typing import TYPE_CHECKING

import numpy as np

from models.copytext import escape_copy
from models.demo import catalog as cat
from models.demo.bulk import CENTS, Constant, Nullable, date_bytes, int_bytes, money_bytes
from models.history import event_hash, timestamp_text
from models.schema import (
    Asset,
    AssetStatus,
    Assignment,
    Condition,
    DisposalMethod,
    FundingShare,
    HistoryEvent,
)

if TYPE_CHECKING:
    from models.demo.generator import _DistrictBuilder

EPOCH = date(1970, 1, 1)
ALNUM = np.frombuffer(b"ABCDEFGHJKLMNPQRSTUVWXYZ0123456789", dtype=np.uint8)
USE_BY_FUNCTION = {
    "1000": "Instruction",
    "2100": "Student support",
    "2200": "Instructional staff support",
    "2300": "District administration",
    "2400": "School administration",
    "2600": "Operation and maintenance of plant",
    "2700": "Student transportation",
    "2800": "Technology and central support",
    "3100": "Food service",
    "4000": "Facilities",
}
STATUS = np.array([s.value.encode() for s in AssetStatus], dtype="S")
S = {s: i for i, s in enumerate(AssetStatus)}
CONDITION = np.array([c.value.encode() for c in Condition], dtype="S")
METHODS = np.array(
    [m.value.encode() for m in (DisposalMethod.RECYCLED, DisposalMethod.SOLD, DisposalMethod.AUCTIONED,
                                DisposalMethod.SCRAPPED)], dtype="S"
)
TWO_DIGITS = CENTS
SEP = b"\x1f"  # between the parts of a history event's hashed content (see ``event_hash``)


def _days(day: date) -> int:
    return (day - EPOCH).days


def _to_date(days: np.ndarray) -> np.ndarray:
    return days.astype("datetime64[D]")


def _bytes(values) -> np.ndarray:
    """Python strings as a fixed-width UTF-8 bytes column."""
    return np.array([v.encode() for v in values], dtype="S")


def _join(*parts) -> np.ndarray:
    """Row-wise concatenation of bytes columns and bytes constants."""
    return reduce(np.strings.add, parts)


def _digits(values: np.ndarray, width: int) -> np.ndarray:
    """Non-negative integers below ``10**width`` as zero-padded text of ``width`` digits
    (made digit by digit: numpy's own conversion to text is several times slower)."""
    rest = values.astype(np.uint64)
    digits = np.empty((len(values), width), dtype=np.uint8)
    for position in range(width - 1, -1, -1):
        digits[:, position] = rest % 10
        rest //= 10
    digits += ord("0")
    return digits.view(f"S{width}").ravel()


def _date_text(days: np.ndarray) -> np.ndarray:
    return date_bytes(_to_date(days))


class AssetWriter:
    def __init__(self, builder: _DistrictBuilder) -> None:
        self.b = builder
        self.options = builder.options
        self.today = _days(builder.options.today)
        self.next_id = 1
        self.batch_id = f"demo-seed-{builder.options.seed}"
        self.history = HistoryWriter(builder, self.batch_id)
        models = cat.MODELS
        self.weights = np.array([m.weight for m in models])
        self.weights = self.weights / self.weights.sum()
        self.m_class = np.array([builder.class_id[m.class_code] for m in models])
        self.m_price = np.array([m.price_cents for m in models], dtype=np.int64)
        self.m_first = np.array([_days(date(m.first_year - 1, 7, 1)) for m in models])
        self.m_span = np.array([_days(date(m.last_year, 6, 30)) for m in models]) - self.m_first
        self.m_func = _bytes([m.function for m in models])
        self.m_dept = np.array([builder.department_id[m.department] for m in models])
        self.m_pool = np.array([builder.pool_index[m.rooms] for m in models])
        self.m_vendor = _bytes([m.vendor for m in models])
        self.m_desc = _bytes([f"{m.manufacturer} {m.name}" for m in models])
        self.m_prefix = _bytes([m.serial_prefix for m in models])
        self.m_loan = np.array([{None: 0, "student": 1, "staff": 2}[m.loanable] for m in models])
        self.m_tech = np.array([m.class_code == "TECH" for m in models])
        # Funding patterns, numbered across all models.
        self.patterns: list[tuple[tuple[int, int], ...]] = []
        self.m_pattern_start = []
        self.m_pattern_count = []
        for m in models:
            self.m_pattern_start.append(len(self.patterns))
            self.m_pattern_count.append(len(m.funding))
            for pattern in m.funding:
                self.patterns.append(tuple((builder.funding_id[code], bp) for code, bp in pattern))
        self.m_pattern_start = np.array(self.m_pattern_start)
        self.m_pattern_count = np.array(self.m_pattern_count)
        self.pattern_fund = _bytes([builder.funding_fund[p[0][0]] for p in self.patterns])
        self.class_threshold = np.zeros(max(builder.class_threshold) + 1, dtype=np.int64)
        self.class_life = np.zeros(max(builder.class_life) + 1, dtype=np.int64)
        for class_id, cents in builder.class_threshold.items():
            self.class_threshold[class_id] = cents
            self.class_life[class_id] = builder.class_life[class_id]

    # -- structures ------------------------------------------------------------------------
    def write_structures(self) -> None:
        rng = np.random.default_rng([self.options.seed, 7])
        b = self.b
        rows: list[dict] = []
        site_name = {s["id"]: s["name"] for s in b.sites}
        first_built = {}
        for building in b.buildings:
            first_built.setdefault(building["site_id"], building["year_built"])
            first_built[building["site_id"]] = min(first_built[building["site_id"]], building["year_built"])
        bond = b.funding_id["BOND19"]
        general = b.funding_id["GF"]
        esser = b.funding_id["ESSER3"]

        def add(kind: str, site_id: int, acquired: date, cost: int, funding: int, label: str) -> None:
            description, class_code, function = cat.STRUCTURE_MODELS[kind]
            rows.append(
                {
                    "site_id": site_id,
                    "class_id": b.class_id[class_code],
                    "description": f"{description} - {label}",
                    "acquired": acquired,
                    "cost": cost,
                    "function": function,
                    "funding": funding,
                    "cip": class_code == "CIP",
                }
            )

        for site in b.sites:
            year = first_built[site["id"]] - int(rng.integers(1, 6))
            add("land", site["id"], date(year, 3, 1), int(rng.integers(20, 300)) * 1_000_000, general, site["name"])
        for building in b.buildings:
            size = 3 if building["name"] == "Main Building" else 1
            cost = int(rng.integers(150, 450)) * 10_000_000 * size // 3
            funding = bond if building["year_built"] >= 2019 else general
            add("building", building["site_id"], date(building["year_built"], 8, 15), cost, funding,
                f"{site_name[building['site_id']]}, {building['name']}")
            if rng.random() < 0.35:
                year = int(rng.integers(2010, 2025))
                add("roof", building["site_id"], date(year, 7, 20), int(rng.integers(25, 90)) * 1_000_000,
                    esser if year >= 2021 else bond, f"{site_name[building['site_id']]}, {building['name']}")
        for site in b.sites:
            if site["kind"] in cat.SITE_KIND_WORDS:
                add("parking", site["id"], date(int(rng.integers(1995, 2024)), 6, 30),
                    int(rng.integers(15, 60)) * 1_000_000, general, site["name"])
            if site["code"].startswith("HS"):
                add("field", site["id"], date(int(rng.integers(2005, 2024)), 8, 1),
                    int(rng.integers(80, 250)) * 1_000_000, bond, site["name"])
        schools = [s for s in b.sites if s["kind"] in cat.SITE_KIND_WORDS]
        for site in schools[:2]:
            add("wing", site["id"], date(2025, 9, 1), int(rng.integers(150, 600)) * 1_000_000, bond, site["name"])

        count = len(rows)
        ids = np.arange(self.next_id, self.next_id + count)
        acquired = np.array([_days(r["acquired"]) for r in rows])
        cost = np.array([r["cost"] for r in rows], dtype=np.int64)
        class_id = np.array([r["class_id"] for r in rows])
        cip = np.array([r["cip"] for r in rows])
        status = np.where(cip, S[AssetStatus.ON_ORDER], S[AssetStatus.IN_SERVICE])
        funding_source = np.array([r["funding"] for r in rows])
        columns = self._base_columns(
            ids=ids,
            description=_bytes([r["description"] for r in rows]),
            class_id=class_id,
            model_id=np.zeros(count, dtype=np.int64),
            site_id=np.array([r["site_id"] for r in rows]),
            room_id=np.zeros(count, dtype=np.int64),
            acquired=acquired,
            in_service=np.where(cip, -1, acquired),
            cost=cost,
            status=status,
            condition=np.full(count, 1),
            function=_bytes([r["function"] for r in rows]),
            department=np.full(count, b.department_id["FAC"]),
            vendor=np.full(count, b"Various contractors"),
            serial=Nullable(np.full(count, b""), np.ones(count, dtype=bool)),
            rng=rng,
        )
        columns["fund_code"] = _bytes([b.funding_fund[f] for f in funding_source.tolist()])
        self._write(columns, ids, funding_source[:, None], np.full((count, 1), 10000), rng,
                    assigned=np.zeros(count, dtype=np.int64), loaned=acquired, moved_from=None,
                    cost=cost, acquired=acquired, room=np.zeros(count, dtype=np.int64),
                    site=columns["site_id"], disposed=np.zeros(count, dtype=bool), disposal=None)

    # -- movable items ---------------------------------------------------------------------
    def write_movable(self) -> None:
        total = self.options.assets - (self.next_id - 1)
        size = self.options.batch_size
        for batch, start in enumerate(range(0, total, size)):
            count = min(size, total - start)
            self._movable_batch(batch, count)
            self.b._report("Creating assets", self.next_id - 1, self.options.assets)

    def _movable_batch(self, batch: int, count: int) -> None:
        b = self.b
        rng = np.random.default_rng([self.options.seed, 11, batch])
        ids = np.arange(self.next_id, self.next_id + count)
        m = rng.choice(len(self.weights), size=count, p=self.weights)
        class_id = self.m_class[m]
        acquired = np.minimum(self.m_first[m] + (rng.random(count) * self.m_span[m]).astype(np.int64), self.today - 30)
        in_service = np.minimum(acquired + rng.integers(0, 30, count), self.today)
        cost = self.m_price[m] * (920 + rng.integers(0, 161, count)) // 1000
        room = np.empty(count, dtype=np.int64)
        pool = self.m_pool[m]
        for index, members in enumerate(b.pools):
            mask = pool == index
            room[mask] = members[rng.integers(0, len(members), int(mask.sum()))]
        site = b.room_site[room]
        # Age decides disposal and condition; Chromebooks also break, get lost and stolen.
        age = self.today - acquired
        life_days = self.class_life[class_id] * 3044 // 100
        disposed = (life_days > 0) & (age > life_days) & (rng.random(count) < 0.35)
        draw = rng.random(count)
        status = np.full(count, S[AssetStatus.IN_SERVICE])
        status[draw < 0.05] = S[AssetStatus.IN_STORAGE]
        student_device = self.m_loan[m] == 1
        status[student_device & (draw >= 0.05) & (draw < 0.08)] = S[AssetStatus.IN_REPAIR]
        status[student_device & (draw >= 0.08) & (draw < 0.10)] = S[AssetStatus.LOST]
        status[student_device & (draw >= 0.10) & (draw < 0.11)] = S[AssetStatus.STOLEN]
        status[disposed] = S[AssetStatus.DISPOSED]
        wear = age / np.maximum(life_days, 3650)
        condition = np.select([wear < 0.2, wear < 0.5, wear < 0.9], [0, 1, 2], default=3)
        condition = np.minimum(condition + (rng.random(count) < 0.15), 3)
        condition[status == S[AssetStatus.IN_REPAIR]] = 4
        # Loans: most student and staff devices in service are with someone at the asset's site.
        assigned = np.zeros(count, dtype=np.int64)
        candidates = (self.m_loan[m] > 0) & (status == S[AssetStatus.IN_SERVICE]) & (rng.random(count) < 0.75)
        pick = rng.random(count)
        for site_id in np.unique(site[candidates]).tolist():
            for kind, people in ((1, b.students_by_site[site_id]), (2, b.staff_by_site[site_id])):
                mask = candidates & (site == site_id) & (self.m_loan[m] == kind)
                if len(people) and mask.any():
                    assigned[mask] = people[(pick[mask] * len(people)).astype(np.int64)]
        loaned = np.minimum(np.maximum(in_service + 7, self.today - 700), self.today)
        disposal_day = np.minimum(acquired + life_days + rng.integers(30, 400, count), self.today - 1)
        pattern = self.m_pattern_start[m] + (rng.random(count) * self.m_pattern_count[m]).astype(np.int64)
        serial_body = ALNUM[rng.integers(0, len(ALNUM), (count, 8))].view("S8").ravel()
        prefix = self.m_prefix[m]
        serial = Nullable(np.strings.add(prefix, serial_body), prefix == b"")
        columns = self._base_columns(
            ids=ids,
            description=self.m_desc[m],
            class_id=class_id,
            model_id=m + 1,
            site_id=site,
            room_id=room,
            acquired=acquired,
            in_service=in_service,
            cost=cost,
            status=status,
            condition=condition,
            function=self.m_func[m],
            department=self.m_dept[m],
            vendor=self.m_vendor[m],
            serial=serial,
            rng=rng,
        )
        columns["fund_code"] = self.pattern_fund[pattern]
        columns["assigned_person_id"] = Nullable(assigned)
        columns["warranty_ends_on"] = np.where(self.m_tech[m], _to_date(acquired + 1095), np.datetime64("NaT"))
        proceeds = np.where(class_id == b.class_id["VEH"], cost * rng.integers(3, 15, count) // 100, 0)
        auctioned, recycled = DisposalMethod.AUCTIONED.value.encode(), DisposalMethod.RECYCLED.value.encode()
        method = np.where(proceeds > 0, auctioned, METHODS[rng.integers(0, 4, count)])
        method = np.where(proceeds > 0, method, np.where(method == auctioned, recycled, method))
        columns["disposed_on"] = np.where(disposed, _to_date(disposal_day), np.datetime64("NaT"))
        columns["disposal_method"] = Nullable(method, ~disposed)
        columns["disposal_proceeds"] = Nullable(proceeds, ~disposed)
        sources, points = self._pattern_table()
        moved = (status == S[AssetStatus.IN_SERVICE]) & (rng.random(count) < 0.03)
        moved_from = np.where(moved, room, 0)
        for index, members in enumerate(b.pools):
            mask = moved & (pool == index)
            moved_from[mask] = members[rng.integers(0, len(members), int(mask.sum()))]
        moved_from[moved_from == room] = 0
        self._write(columns, ids, sources[pattern], points[pattern], rng, assigned=assigned, loaned=loaned,
                    moved_from=moved_from, cost=cost, acquired=acquired, room=room, site=site,
                    disposed=disposed, disposal=(disposal_day, method, proceeds))

    def _pattern_table(self) -> tuple[np.ndarray, np.ndarray]:
        """Funding patterns as (source id, basis points) slot tables, made once."""
        if not hasattr(self, "_patterns"):
            width = max(len(p) for p in self.patterns)
            sources = np.zeros((len(self.patterns), width), dtype=np.int64)
            points = np.zeros((len(self.patterns), width), dtype=np.int64)
            for index, p in enumerate(self.patterns):
                for slot, (source_id, bp) in enumerate(p):
                    sources[index, slot] = source_id
                    points[index, slot] = bp
            self._patterns = (sources, points)
        return self._patterns

    # -- shared -----------------------------------------------------------------------------
    def _base_columns(self, *, ids, description, class_id, model_id, site_id, room_id, acquired, in_service,
                      cost, status, condition, function, department, vendor, serial, rng) -> dict:
        count = len(ids)
        b = self.b
        capitalized = cost >= self.class_threshold[class_id]
        years = (acquired // 365 + 70) % 100
        po = _join(b"PO", TWO_DIGITS[years], b"-", _digits(rng.integers(0, 100000, count), 5))
        invoice = np.strings.add(b"INV-", _digits(rng.integers(0, 10_000_000, count), 7))
        staff_pick = rng.random(count)
        custodian = np.zeros(count, dtype=np.int64)
        for site_id_value in np.unique(site_id).tolist():
            people = b.staff_by_site[site_id_value]
            mask = site_id == site_id_value
            if len(people):
                custodian[mask] = people[(staff_pick[mask] * len(people)).astype(np.int64)]
        self._tags = 100000 + ids
        codes, inverse = np.unique(function, return_inverse=True)
        use = _bytes([USE_BY_FUNCTION.get(c.decode(), "General") for c in codes.tolist()])[inverse]
        return {
            "id": ids,
            "tag": int_bytes(self._tags),
            "serial": serial,
            "description": description,
            "model_id": Nullable(model_id),
            "class_id": class_id,
            "status": STATUS[status],
            "condition": CONDITION[condition],
            "site_id": site_id,
            "room_id": Nullable(room_id),
            "department_id": department,
            "custodian_id": Nullable(custodian),
            "use": use,
            "function_code": function,
            "acquired_on": _to_date(acquired),
            "in_service_on": np.where(in_service >= 0, _to_date(np.maximum(in_service, 0)), np.datetime64("NaT")),
            "cost": cost,
            "salvage_value": np.zeros(count, dtype=np.int64),
            "capitalized": capitalized,
            "title_holder": Constant(self.options.district_name),
            "po_number": po,
            "vendor": vendor,
            "invoice_number": invoice,
            "created_at": Constant(b.now),
            "updated_at": Constant(b.now),
            "version": Constant(1),
        }

    def _write(self, columns, ids, sources, points, rng, *, assigned, loaned, moved_from, cost, acquired,
               room, site, disposed, disposal) -> None:
        b = self.b
        loader = b.rows
        count = len(ids)
        loader.load(Asset.__table__, columns)  # type: ignore[arg-type]
        # Funding shares: one row per (asset, source) slot in use.
        used = points > 0
        rows = int(used.sum())
        loader.load(
            FundingShare.__table__,  # type: ignore[arg-type]
            {
                "asset_id": np.repeat(ids, used.sum(axis=1)),
                "funding_source_id": sources[used],
                "share_basis_points": points[used],
            },
        )
        b.summary.funding_shares += rows
        on_loan = assigned > 0
        loan_ids = ids[on_loan]
        loader.load(
            Assignment.__table__,  # type: ignore[arg-type]
            {
                "asset_id": loan_ids,
                "person_id": assigned[on_loan],
                "loaned_on": _to_date(loaned[on_loan]),
            },
        )
        b.summary.assignments += len(loan_ids)
        # History: created for every asset, then the moves, loans and disposals it went through.
        description = columns["description"]
        if _needs_json_escape(description):
            description = _bytes([_json_text(d.decode()) for d in description.tolist()])
        else:
            description = _join(b'"', description, b'"')
        entity = [ids]
        actions = [b"created"]
        changes = [
            _join(b'{"acquired_on":[null,"', _date_text(acquired), b'"],"cost":[null,"', money_bytes(cost),
                  b'"],"description":[null,', description, b'],"room_id":[null,',
                  np.where(room > 0, int_bytes(room), b"null"), b'],"tag":[null,"', int_bytes(self._tags), b'"]}')
        ]
        notes: list[np.ndarray | None] = [None]
        if moved_from is not None:
            index = np.flatnonzero(moved_from)
            old, new = moved_from[index], room[index]
            old_site, new_site = b.room_site[old], site[index]
            site_change = np.where(
                old_site != new_site,
                _join(b',"site_id":[', int_bytes(old_site), b",", int_bytes(new_site), b"]"),
                b"",
            )
            entity.append(ids[index])
            actions.append(b"moved")
            changes.append(_join(b'{"room_id":[', int_bytes(old), b",", int_bytes(new), b"]", site_change, b"}"))
            notes.append(None)
        entity.append(loan_ids)
        actions.append(b"assigned")
        changes.append(_join(b'{"assigned_person_id":[null,', int_bytes(assigned[on_loan]), b"]}"))
        notes.append(np.strings.add(b"loaned on ", _date_text(loaned[on_loan])))
        if disposal is not None:
            days, methods, proceeds = disposal
            index = np.flatnonzero(disposed)
            entity.append(ids[index])
            actions.append(b"disposed")
            changes.append(
                _join(b'{"disposal_method":[null,"', methods[index], b'"],"disposal_proceeds":[null,"',
                      money_bytes(proceeds[index]), b'"],"disposed_on":[null,"', _date_text(days[index]),
                      b'"],"status":["in_service","disposed"]}')
            )
            notes.append(None)
        b.summary.history_events += self.history.write(entity, actions, changes, notes)
        b.summary.assets += count
        self.next_id += count


def _needs_json_escape(values: np.ndarray) -> bool:
    """Whether any text needs escaping inside a JSON string (quotes, backslashes, control characters)."""
    raw = values.view(np.uint8)
    return bool(((raw < 32) & (raw > 0)).any() or (raw == ord('"')).any() or (raw == ord("\\")).any())


def _json_text(value: str) -> str:
    return json.dumps(value, ensure_ascii=False)



class HistoryWriter:
    """Hash-chains the demo's history events and hands them to the loader, a group at a time.

    What is hashed is exactly what ``event_hash`` hashes: the previous hash, then the
    event's parts, joined by U+001F. Each event's content is made once, as bytes, and
    serves twice: it is hashed, and (with tabs for the separators) it is the COPY row.
    The first and last event of every group are checked against ``event_hash`` itself,
    so a change there can't go unnoticed.
    """

    NAMES = ("prev_hash", "occurred_at", "actor", "entity_type", "entity_id", "action", "changes",
             "batch_id", "note", "hash")

    def __init__(self, builder: _DistrictBuilder, batch_id: str) -> None:
        self.b = builder
        self.batch_id = batch_id
        self.stamp = timestamp_text(builder.now)
        self.head = SEP.join([b"", self.stamp.encode(), ACTOR.encode(), ENTITY.encode(), b""])
        self.tail = SEP + batch_id.encode() + SEP
        self.prev = builder.prev_hash.encode()

    def write(self, entity: list[np.ndarray], actions: list[bytes], changes: list[np.ndarray],
              notes: list[np.ndarray | None]) -> int:
        written = 0
        for ids, action, change, note in zip(entity, actions, changes, notes):
            if len(ids):
                self._group(ids, action, change, note)
                written += len(ids)
        self.b.prev_hash = self.prev.decode()
        return written

    def _group(self, ids: np.ndarray, action: bytes, changes: np.ndarray, notes: np.ndarray | None) -> None:
        parts = [self.head, int_bytes(ids), SEP + action + SEP, changes, self.tail]
        bodies = _join(*parts, *([] if notes is None else [notes])).tolist()
        first = self.prev
        hashes = _chain(first, bodies)
        self.prev = hashes[-1]
        for i in (0, len(bodies) - 1):
            expected = event_hash(
                (hashes[i - 1] if i else first).decode(), self.b.now, ACTOR, ENTITY, int(ids[i]),
                action.decode(), changes[i].decode(), self.batch_id, None if notes is None else notes[i].decode(),
            )
            if expected != hashes[i].decode():
                raise AssertionError("demo history hashes differ from event_hash")
        prevs = [first, *hashes[:-1]]
        loader = self.b.history_rows
        if loader.dialect == "postgresql":
            loader.copy_text(HistoryEvent.__tablename__, self.NAMES,
                             _copy_text(prevs, bodies, hashes, notes is None, ids, action, changes, notes, self))
            return
        loader.load(HistoryEvent.__table__, {  # type: ignore[arg-type]
            "prev_hash": np.array(prevs, dtype="S"),
            "occurred_at": Constant(self.b.now),
            "actor": Constant(ACTOR),
            "entity_type": Constant(ENTITY),
            "entity_id": ids,
            "action": Constant(action.decode()),
            "changes": changes,
            "batch_id": Constant(self.batch_id),
            "note": Constant(None) if notes is None else notes,
            "hash": np.array(hashes, dtype="S"),
        })


ACTOR = "demo"
ENTITY = "asset"
SEP_TO_TAB = bytes.maketrans(SEP, b"\t")
COPY_SPECIAL = (b"\\", b"\t", b"\n", b"\r")


def _chain(prev: bytes, bodies: list[bytes]) -> list[bytes]:
    """Each event's hash (hex, as bytes) over the previous hash and its content."""
    hashes = []
    append = hashes.append
    start = sha256()  # copied: cheaper than a new hash object by name each time
    for body in bodies:
        digest = start.copy()
        digest.update(prev)
        digest.update(body)
        prev = hexlify(digest.digest())
        append(prev)
    return hashes


def _copy_text(prevs, bodies, hashes, null_note, ids, action, changes, notes, writer) -> bytes:
    """COPY rows (in ``HistoryWriter.NAMES`` order) from the hashed contents."""
    content = b"".join(bodies)
    if content.count(SEP) == 8 * len(bodies) and not any(c in content for c in COPY_SPECIAL):
        end = b"\\N" + SEP if null_note else SEP
        text = b"\n".join(map(b"".join, zip(prevs, bodies, repeat(end), hashes))) + b"\n"
        return text.translate(SEP_TO_TAB)
    # Some content needs COPY escaping: make the rows field by field.

    rows = zip(prevs, repeat(writer.stamp.encode()), repeat(ACTOR.encode()), repeat(ENTITY.encode()),
               int_bytes(ids).tolist(), repeat(action), changes.tolist(), repeat(writer.batch_id.encode()),
               repeat(None) if notes is None else notes.tolist(), hashes)
    return b"".join(
        b"\t".join(b"\\N" if f is None else escape_copy(f.decode()).encode() for f in row) + b"\n" for row in rows
    )
