"""The demo district's assets, made a batch of columns at a time.

Structures (land, buildings, fields, roofs, construction in progress) come
first, one per site or building; then the movable items, drawn from the model
catalog. Each batch writes its assets, funding shares, loans and history.
"""

from __future__ import annotations

import json
from datetime import date
from typing import TYPE_CHECKING

import numpy as np

from models.demo import catalog as cat
from models.demo.bulk import Constant
from models.history import hash_many
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
STATUS = np.array([s.value for s in AssetStatus], dtype=object)
S = {s: i for i, s in enumerate(AssetStatus)}
CONDITION = np.array([c.value for c in Condition], dtype=object)


def _days(day: date) -> int:
    return (day - EPOCH).days


def _to_date(days: np.ndarray) -> np.ndarray:
    return days.astype("datetime64[D]")


def _money_text(cents: int) -> str:
    return f"{cents // 100}.{cents % 100:02d}"


class AssetWriter:
    def __init__(self, builder: _DistrictBuilder) -> None:
        self.b = builder
        self.options = builder.options
        self.today = _days(builder.options.today)
        self.next_id = 1
        self.batch_id = f"demo-seed-{builder.options.seed}"
        models = cat.MODELS
        self.weights = np.array([m.weight for m in models])
        self.weights = self.weights / self.weights.sum()
        self.m_class = np.array([builder.class_id[m.class_code] for m in models])
        self.m_price = np.array([m.price_cents for m in models], dtype=np.int64)
        self.m_first = np.array([_days(date(m.first_year - 1, 7, 1)) for m in models])
        self.m_span = np.array([_days(date(m.last_year, 6, 30)) for m in models]) - self.m_first
        self.m_func = np.array([m.function for m in models], dtype=object)
        self.m_dept = np.array([builder.department_id[m.department] for m in models])
        self.m_pool = np.array([builder.pool_index[m.rooms] for m in models])
        self.m_vendor = np.array([m.vendor for m in models], dtype=object)
        self.m_desc = np.array([f"{m.manufacturer} {m.name}" for m in models], dtype=object)
        self.m_prefix = np.array([m.serial_prefix for m in models], dtype=object)
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
        self.pattern_fund = np.array([builder.funding_fund[p[0][0]] for p in self.patterns], dtype=object)
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
            description=np.array([r["description"] for r in rows], dtype=object),
            class_id=class_id,
            model_id=np.zeros(count, dtype=np.int64),
            site_id=np.array([r["site_id"] for r in rows]),
            room_id=np.zeros(count, dtype=np.int64),
            acquired=acquired,
            in_service=np.where(cip, -1, acquired),
            cost=cost,
            status=status,
            condition=np.full(count, 1),
            function=np.array([r["function"] for r in rows], dtype=object),
            department=np.full(count, b.department_id["FAC"]),
            vendor=np.full(count, "Various contractors", dtype=object),
            serial=np.full(count, None, dtype=object),
            rng=rng,
        )
        columns["fund_code"] = np.array([b.funding_fund[f] for f in funding_source.tolist()], dtype=object)
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
        serial_body = ALNUM[rng.integers(0, len(ALNUM), (count, 8))].view("S8").ravel().astype(str)
        prefix = self.m_prefix[m]
        serial = np.where(prefix == "", None, prefix + serial_body.astype(object))
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
        columns["assigned_person_id"] = _nullable(assigned)
        columns["warranty_ends_on"] = np.where(self.m_tech[m], _to_date(acquired + 1095), np.datetime64("NaT"))
        proceeds = np.where(class_id == b.class_id["VEH"], cost * rng.integers(3, 15, count) // 100, 0)
        methods = np.array(
            [DisposalMethod.RECYCLED.value, DisposalMethod.SOLD.value, DisposalMethod.AUCTIONED.value,
             DisposalMethod.SCRAPPED.value], dtype=object
        )
        method = np.where(proceeds > 0, DisposalMethod.AUCTIONED.value, methods[rng.integers(0, 4, count)])
        method = np.where(proceeds > 0, method, np.where(method == "auctioned", "recycled", method))
        columns["disposed_on"] = np.where(disposed, _to_date(disposal_day), np.datetime64("NaT"))
        columns["disposal_method"] = np.where(disposed, method, None)
        columns["disposal_proceeds"] = [int(p) if d else None for p, d in zip(proceeds.tolist(), disposed.tolist())]
        patterns = [self.patterns[p] for p in range(len(self.patterns))]
        width = max(len(p) for p in patterns)
        sources = np.zeros((len(patterns), width), dtype=np.int64)
        points = np.zeros((len(patterns), width), dtype=np.int64)
        for index, p in enumerate(patterns):
            for slot, (source_id, bp) in enumerate(p):
                sources[index, slot] = source_id
                points[index, slot] = bp
        moved = (status == S[AssetStatus.IN_SERVICE]) & (rng.random(count) < 0.03)
        moved_from = np.where(moved, room, 0)
        for index, members in enumerate(b.pools):
            mask = moved & (pool == index)
            moved_from[mask] = members[rng.integers(0, len(members), int(mask.sum()))]
        moved_from[moved_from == room] = 0
        self._write(columns, ids, sources[pattern], points[pattern], rng, assigned=assigned, loaned=loaned,
                    moved_from=moved_from, cost=cost, acquired=acquired, room=room, site=site,
                    disposed=disposed, disposal=(disposal_day, method, proceeds))

    # -- shared -----------------------------------------------------------------------------
    def _base_columns(self, *, ids, description, class_id, model_id, site_id, room_id, acquired, in_service,
                      cost, status, condition, function, department, vendor, serial, rng) -> dict:
        count = len(ids)
        b = self.b
        capitalized = cost >= self.class_threshold[class_id]
        years = (acquired // 365 + 70) % 100
        po = [f"PO{y:02d}-{n:05d}" for y, n in zip(years.tolist(), rng.integers(0, 100000, count).tolist())]
        invoice = [f"INV-{n:07d}" for n in rng.integers(0, 10_000_000, count).tolist()]
        staff_pick = rng.random(count)
        custodian = np.zeros(count, dtype=np.int64)
        for site_id_value in np.unique(site_id).tolist():
            people = b.staff_by_site[site_id_value]
            mask = site_id == site_id_value
            if len(people):
                custodian[mask] = people[(staff_pick[mask] * len(people)).astype(np.int64)]
        self._tags = (100000 + ids).astype(str)
        return {
            "id": ids,
            "tag": self._tags,
            "serial": serial,
            "description": description,
            "model_id": _nullable(model_id),
            "class_id": class_id,
            "status": STATUS[status],
            "condition": CONDITION[condition],
            "site_id": site_id,
            "room_id": _nullable(room_id),
            "department_id": department,
            "custodian_id": _nullable(custodian),
            "use": np.array([USE_BY_FUNCTION.get(f, "General") for f in function.tolist()], dtype=object),
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
        loader = b.loader
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
        tags = self._tags.tolist()
        description_list = columns["description"].tolist()
        as_json = {d: _json_text(d) for d in set(description_list)}
        descriptions = [as_json[d] for d in description_list]
        acquired_text = _to_date(acquired).astype(str).tolist()
        entity = ids.tolist()
        changes = [
            f'{{"acquired_on":[null,"{a}"],"cost":[null,"{_money_text(c)}"],'
            f'"description":[null,{d}],"room_id":[null,{r or "null"}],"tag":[null,"{t}"]}}'
            for a, c, d, r, t in zip(acquired_text, cost.tolist(), descriptions, room.tolist(), tags)
        ]
        actions = ["created"] * count
        notes: list[str | None] = [None] * count
        if moved_from is not None:
            for asset_id, old, new, new_site in zip(entity, moved_from.tolist(), room.tolist(), site.tolist()):
                if old:
                    entity.append(asset_id)
                    actions.append("moved")
                    old_site = int(b.room_site[old])
                    site_change = f',"site_id":[{old_site},{new_site}]' if old_site != new_site else ""
                    changes.append(f'{{"room_id":[{old},{new}]{site_change}}}')
                    notes.append(None)
        loan_days = _to_date(loaned[on_loan]).astype(str).tolist()
        for asset_id, person, day in zip(loan_ids.tolist(), assigned[on_loan].tolist(), loan_days):
            entity.append(asset_id)
            actions.append("assigned")
            changes.append(f'{{"assigned_person_id":[null,{person}]}}')
            notes.append(f"loaned on {day}")
        if disposal is not None:
            days, methods, proceeds = disposal
            day_text = _to_date(days).astype(str)
            for index in np.flatnonzero(disposed).tolist():
                entity.append(entity[index])
                actions.append("disposed")
                changes.append(
                    f'{{"disposal_method":[null,"{methods[index]}"],'
                    f'"disposal_proceeds":[null,"{_money_text(int(proceeds[index]))}"],'
                    f'"disposed_on":[null,"{day_text[index]}"],'
                    f'"status":["in_service","disposed"]}}'
                )
                notes.append(None)
        hashes = hash_many(b.prev_hash, b.now, "demo", "asset", entity, actions, changes, self.batch_id, notes)
        prev = [b.prev_hash, *hashes[:-1]]
        b.prev_hash = hashes[-1]
        loader.load(
            HistoryEvent.__table__,  # type: ignore[arg-type]
            {
                "occurred_at": Constant(b.now),
                "actor": Constant("demo"),
                "entity_type": Constant("asset"),
                "entity_id": entity,
                "action": actions,
                "changes": changes,
                "batch_id": Constant(self.batch_id),
                "note": notes,
                "prev_hash": prev,
                "hash": hashes,
            },
        )
        b.summary.history_events += len(entity)
        b.summary.assets += count
        self.next_id += count


def _nullable(values: np.ndarray) -> np.ndarray:
    """Integer ids with 0 meaning "none", as a column the loader writes NULL for."""
    out = values.astype(object)
    out[values == 0] = None
    return out


def _json_text(value: str) -> str:
    return json.dumps(value, ensure_ascii=False)

