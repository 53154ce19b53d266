"""Creating and changing assets. Each function is one transaction with its history.

A save carries the version the user opened; if the record moved on since,
``ConflictError`` is raised with both sets of values and nothing is written.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload
from sqlalchemy.orm.exc import StaleDataError

from models.database import Database, UnitOfWork
from models.depreciation.closing import FIGURE_FIELDS, guard_asset_change
from models.errors import ConflictError, DuplicateError, NotFoundError, ValidationError
from models.rules import capitalization_rule
from models.schema import (
    Asset,
    AssetClass,
    AssetModel,
    AssetStatus,
    Assignment,
    Condition,
    Department,
    DepreciationConvention,
    DepreciationMethod,
    DisposalMethod,
    Fund,
    FunctionCode,
    FundingShare,
    FundingSource,
    HistoryEvent,
    Person,
    Room,
    Site,
)
from models.services import validation as v

ENTITY = "asset"

Rule = Callable[[str, Any], Any]

# Every field a user may set directly, with the rule that cleans it.
FIELD_RULES: dict[str, Rule] = {
    "tag": lambda f, x: v.text(f, x, max_length=32, required=True),
    "serial": lambda f, x: v.text(f, x, max_length=64),
    "description": lambda f, x: v.text(f, x, max_length=240, required=True),
    "model_id": lambda f, x: v.whole_number(f, x, minimum=1),
    "class_id": lambda f, x: v.whole_number(f, x, minimum=1),
    "status": lambda f, x: v.choice(f, x, AssetStatus, required=True),
    "condition": lambda f, x: v.choice(f, x, Condition, required=True),
    "parent_id": lambda f, x: v.whole_number(f, x, minimum=1),
    "site_id": lambda f, x: v.whole_number(f, x, minimum=1),
    "room_id": lambda f, x: v.whole_number(f, x, minimum=1),
    "department_id": lambda f, x: v.whole_number(f, x, minimum=1),
    "custodian_id": lambda f, x: v.whole_number(f, x, minimum=1),
    "use": lambda f, x: v.text(f, x, max_length=120),
    "function_code": lambda f, x: v.text(f, x, max_length=16),
    "fund_code": lambda f, x: v.text(f, x, max_length=16),
    "acquired_on": lambda f, x: v.day(f, x, required=True),
    "in_service_on": lambda f, x: v.day(f, x),
    "cost": lambda f, x: v.money(f, x, required=True),
    "salvage_value": lambda f, x: v.money(f, x) or Decimal("0.00"),
    "useful_life_months": lambda f, x: v.whole_number(f, x, minimum=1, maximum=1200),
    "depreciation_method": lambda f, x: v.choice(f, x, DepreciationMethod),
    "depreciation_convention": lambda f, x: v.choice(f, x, DepreciationConvention),
    "capitalized": v.flag,
    "capitalization_override_reason": lambda f, x: v.text(f, x, max_length=2000),
    "title_holder": lambda f, x: v.text(f, x, max_length=160),
    "po_number": lambda f, x: v.text(f, x, max_length=40),
    "vendor": lambda f, x: v.text(f, x, max_length=120),
    "invoice_number": lambda f, x: v.text(f, x, max_length=40),
    "warranty_ends_on": lambda f, x: v.day(f, x),
    "notes": lambda f, x: v.text(f, x, max_length=20000),
}

# Foreign keys a user may set, and the record each must point at.
REFERENCES: dict[str, tuple[type, str]] = {
    "model_id": (AssetModel, "asset model"),
    "class_id": (AssetClass, "asset class"),
    "parent_id": (Asset, "parent asset"),
    "site_id": (Site, "site"),
    "room_id": (Room, "room"),
    "department_id": (Department, "department"),
    "custodian_id": (Person, "person"),
    "function_code": (FunctionCode, "function code"),
    "fund_code": (Fund, "fund"),
}

REQUIRED_ON_CREATE = ("tag", "description", "class_id", "acquired_on", "cost")
# Set only through their own actions (assign, dispose), never by a plain edit.
LIFECYCLE_FIELDS = ("assigned_person_id", "disposed_on", "disposal_method", "disposal_proceeds")
SNAPSHOT_FIELDS = (*FIELD_RULES, *LIFECYCLE_FIELDS)


@dataclass(frozen=True)
class Share:
    """One funding source's part of an asset's cost, in percent (two places)."""

    funding_source_id: int
    percent: Decimal


def clean(values: Mapping[str, Any]) -> dict[str, Any]:
    cleaned: dict[str, Any] = {}
    for field, value in values.items():
        rule = FIELD_RULES.get(field)
        if rule is None:
            if field in LIFECYCLE_FIELDS:
                raise ValidationError(field, "is changed by assigning, returning or disposing")
            raise ValidationError(field, "is not a field of an asset")
        cleaned[field] = rule(field, value)
    return cleaned


def snapshot(asset: Asset) -> dict[str, Any]:
    """The asset's user-visible values, as history and conflict dialogs show them."""
    return {field: getattr(asset, field) for field in SNAPSHOT_FIELDS}


def get_asset(session: Session, asset_id: int) -> Asset:
    asset = session.get(Asset, asset_id)
    if asset is None:
        raise NotFoundError(f"Asset {asset_id} does not exist (it may have been deleted).")
    return asset


def _check_references(session: Session, values: Mapping[str, Any]) -> None:
    for field, (table, label) in REFERENCES.items():
        key = values.get(field)
        if key is not None and session.get(table, key) is None:
            raise ValidationError(field, f"no {label} {key} exists")


def _check_tag_free(session: Session, tag: str, asset_id: int | None = None) -> None:
    stmt = select(Asset.id).where(Asset.tag == tag)
    existing = session.execute(stmt).scalar()
    if existing is not None and existing != asset_id:
        raise DuplicateError("tag", f"{tag} is already the tag of another asset (id {existing})")


def _derive(session: Session, asset: Asset, changed: set[str]) -> None:
    """Keep derived fields true: the site follows the room; capitalized follows the rule."""
    # Its look-ups must not flush the edit half-done: each flush of a changed asset
    # is an UPDATE that bumps the version, and one save is one version.
    with session.no_autoflush:
        _derive_fields(session, asset, changed)


def _derive_fields(session: Session, asset: Asset, changed: set[str]) -> None:
    if "room_id" in changed and asset.room_id is not None:
        room = session.get(Room, asset.room_id)
        assert room is not None
        asset.site_id = room.site_id
    if asset.salvage_value > asset.cost:
        raise ValidationError("salvage_value", "cannot be more than the cost")
    if asset.in_service_on is not None and asset.in_service_on < asset.acquired_on:
        raise ValidationError("in_service_on", "cannot be before the acquisition date")
    if asset.parent_id is not None and asset.parent_id == asset.id:
        raise ValidationError("parent_id", "an asset cannot be its own parent")
    asset_class = session.get(AssetClass, asset.class_id)
    assert asset_class is not None
    by_rule = capitalization_rule(asset.cost, asset_class.capitalization_threshold)
    reason = asset.capitalization_override_reason
    if "capitalized" in changed and asset.capitalized != by_rule and not reason:
        state = "capitalized" if by_rule else "controlled (not capitalized)"
        raise ValidationError(
            "capitalized",
            f"by the class threshold of ${asset_class.capitalization_threshold:,.2f} this item is "
            f"{state}; give a reason to override it",
        )
    if not reason:
        asset.capitalized = by_rule


def _record_changes(
    work: UnitOfWork, asset: Asset, before: Mapping[str, Any], action: str, note: str | None = None
) -> bool:
    after = snapshot(asset)
    changes = {f: (before[f], after[f]) for f in SNAPSHOT_FIELDS if before[f] != after[f]}
    if changes:
        work.record(ENTITY, asset.id, action, changes, note)
    return bool(changes)


# -- create, edit, delete ---------------------------------------------------------------


def create_asset(
    db: Database, actor: str, values: Mapping[str, Any], funding: Sequence[Share] = ()
) -> int:
    """Add an asset to the register; returns its id."""
    cleaned = clean(values)
    for field in REQUIRED_ON_CREATE:
        if cleaned.get(field) is None:
            raise ValidationError(field, "is required")
    cleaned.setdefault("status", AssetStatus.IN_SERVICE)
    cleaned.setdefault("condition", Condition.GOOD)
    cleaned.setdefault("salvage_value", Decimal("0.00"))
    if cleaned["status"] is AssetStatus.DISPOSED:
        raise ValidationError("status", "a new asset cannot be disposed; add it, then dispose it")
    with db.unit_of_work(actor) as work:
        session = work.session
        _check_references(session, cleaned)
        _check_tag_free(session, cleaned["tag"])
        capitalized = cleaned.pop("capitalized", None)
        asset = Asset(
            **cleaned,
            capitalized=False,
            created_at=work.occurred_at,
            updated_at=work.occurred_at,
        )
        changed = set(cleaned)
        if capitalized is not None:
            asset.capitalized = capitalized
            changed.add("capitalized")
        _derive(session, asset, changed)
        session.add(asset)
        session.flush()
        guard_asset_change(work, asset, None)
        empty = dict.fromkeys(SNAPSHOT_FIELDS)
        _record_changes(work, asset, empty, "created")
        if funding:
            _replace_funding(work, asset, funding)
        return asset.id


def update_asset(
    db: Database,
    actor: str,
    asset_id: int,
    expected_version: int,
    changes: Mapping[str, Any],
    funding: Sequence[Share] | None = None,
) -> int:
    """Save an edit made on version ``expected_version``; returns the new version.

    ``funding``, when given, replaces the asset's funding shares in the same
    transaction (the editor saves fields and funding together, as one version).
    """
    cleaned = clean(changes)
    mine: dict[str, Any] = dict(cleaned)
    if funding is not None:
        mine["funding"] = _share_list(funding)
    try:
        with db.unit_of_work(actor) as work:
            session = work.session
            asset = get_asset(session, asset_id)
            _check_version(session, asset, expected_version, mine)
            if asset.status is AssetStatus.DISPOSED and set(cleaned) - {"notes"}:
                raise ValidationError("status", "a disposed asset can only have its notes changed")
            if cleaned.get("status") is AssetStatus.DISPOSED:
                raise ValidationError("status", "use Dispose to record a disposal")
            _check_references(session, cleaned)
            if "tag" in cleaned:
                _check_tag_free(session, cleaned["tag"], asset.id)
            before = snapshot(asset)
            for field, value in cleaned.items():
                setattr(asset, field, value)
            _derive(session, asset, set(cleaned))
            guard_asset_change(work, asset, before)
            if _record_changes(work, asset, before, "edited"):
                asset.updated_at = work.occurred_at
            if funding is not None:
                if asset.status is AssetStatus.DISPOSED:
                    raise ValidationError("funding", "a disposed asset's funding cannot be changed")
                _replace_funding(work, asset, funding)
            session.flush()
            return asset.version
    except StaleDataError:
        _raise_conflict(db, asset_id, expected_version, mine)
        raise


def delete_asset(db: Database, actor: str, asset_id: int) -> None:
    """Remove an asset entered by mistake. Anything with a past is disposed instead."""
    with db.unit_of_work(actor) as work:
        session = work.session
        asset = get_asset(session, asset_id)
        events = session.execute(
            select(HistoryEvent.action, HistoryEvent.occurred_at).where(
                HistoryEvent.entity_type == ENTITY, HistoryEvent.entity_id == asset_id
            )
        ).all()
        # What was saved together with the creation (its funding) is part of it.
        created = {at for action, at in events if action == "created"}
        if any(at not in created for _, at in events):
            raise ValidationError(
                "asset", f"{asset.tag} has a history beyond its creation; dispose of it instead"
            )
        if session.scalar(select(func.count()).where(Asset.parent_id == asset_id)):
            raise ValidationError("asset", f"{asset.tag} has components; move them first")
        before = snapshot(asset)
        session.delete(asset)
        work.record(ENTITY, asset_id, "deleted", {f: (before[f], None) for f in ("tag", "description", "cost")})


def _check_version(
    session: Session, asset: Asset, expected_version: int, mine: Mapping[str, Any]
) -> None:
    if asset.version != expected_version:
        raise _conflict(session, asset, expected_version, mine)


def _conflict(
    session: Session, asset: Asset, expected_version: int, mine: Mapping[str, Any]
) -> ConflictError:
    last_actor = session.scalar(
        select(HistoryEvent.actor)
        .where(HistoryEvent.entity_type == ENTITY, HistoryEvent.entity_id == asset.id)
        .order_by(HistoryEvent.id.desc())
        .limit(1)
    )
    current = snapshot(asset)
    current["funding"] = _share_list(
        Share(s.funding_source_id, s.share_percent) for s in asset.funding
    )
    fields = list(mine) or list(current)
    return ConflictError(
        ENTITY,
        asset.id,
        expected_version=expected_version,
        current_version=asset.version,
        mine=dict(mine),
        theirs={field: current.get(field) for field in fields},
        changed_by=last_actor,
    )


def _raise_conflict(db: Database, asset_id: int, expected_version: int, mine: Mapping[str, Any]) -> None:
    with db.reading() as session:
        asset = get_asset(session, asset_id)
        raise _conflict(session, asset, expected_version, mine)


# -- bulk edits: one transaction, one event per asset ----------------------------------------

BULK_FIELDS = ("room_id", "status", "condition", "department_id", "custodian_id", "function_code")


def update_assets(
    db: Database,
    actor: str,
    asset_ids: Iterable[int],
    changes: Mapping[str, Any],
    *,
    action: str = "edited",
    note: str | None = None,
    progress: Callable[[int], None] | None = None,
) -> int:
    """Apply the same change to many assets at once; returns how many changed."""
    cleaned = clean(changes)
    for field in cleaned:
        if field not in BULK_FIELDS:
            raise ValidationError(field, "cannot be changed for many assets at once")
    if cleaned.get("status") is AssetStatus.DISPOSED:
        raise ValidationError("status", "use Dispose to record a disposal")
    ids = list(dict.fromkeys(asset_ids))
    guarded = bool(set(cleaned) & set(FIGURE_FIELDS))  # only these can touch a closed year
    changed = 0
    with db.unit_of_work(actor) as work:
        session = work.session
        _check_references(session, cleaned)
        for start in range(0, len(ids), 500):
            chunk = ids[start : start + 500]
            assets = {a.id: a for a in session.scalars(select(Asset).where(Asset.id.in_(chunk)))}
            for asset_id in chunk:
                asset = assets.get(asset_id)
                if asset is None:
                    raise NotFoundError(f"Asset {asset_id} does not exist (it may have been deleted).")
                if asset.status is AssetStatus.DISPOSED:
                    raise ValidationError("status", f"{asset.tag} is disposed and cannot be changed")
                before = snapshot(asset)
                for field, value in cleaned.items():
                    setattr(asset, field, value)
                _derive(session, asset, set(cleaned))
                if guarded:
                    guard_asset_change(work, asset, before)
                if _record_changes(work, asset, before, action, note):
                    asset.updated_at = work.occurred_at
                    changed += 1
            session.flush()
            if progress is not None:
                progress(min(start + len(chunk), len(ids)))
    return changed


def set_funding_many(
    db: Database,
    actor: str,
    asset_ids: Iterable[int],
    shares: Sequence[Share],
    *,
    progress: Callable[[int], None] | None = None,
) -> int:
    """Give many assets the same funding shares; one event per asset whose funding changed."""
    ids = list(dict.fromkeys(asset_ids))
    if not shares:
        raise ValidationError("funding", "choose at least one funding source")
    changed = 0
    with db.unit_of_work(actor) as work:
        session = work.session
        for start in range(0, len(ids), 500):
            chunk = ids[start : start + 500]
            assets = {
                a.id: a
                for a in session.scalars(
                    select(Asset).where(Asset.id.in_(chunk)).options(selectinload(Asset.funding))
                )
            }
            for asset_id in chunk:
                asset = assets.get(asset_id)
                if asset is None:
                    raise NotFoundError(f"Asset {asset_id} does not exist (it may have been deleted).")
                if asset.status is AssetStatus.DISPOSED:
                    raise ValidationError("funding", f"{asset.tag} is disposed and cannot be changed")
                pending = len(work.pending)
                _replace_funding(work, asset, shares)
                changed += len(work.pending) > pending
            session.flush()
            if progress is not None:
                progress(min(start + len(chunk), len(ids)))
    return changed


def move_assets(db: Database, actor: str, asset_ids: Iterable[int], room_id: int) -> int:
    return update_assets(db, actor, asset_ids, {"room_id": room_id}, action="moved")


def change_status(
    db: Database, actor: str, asset_ids: Iterable[int], status: AssetStatus | str, note: str | None = None
) -> int:
    return update_assets(db, actor, asset_ids, {"status": status}, action="status_changed", note=note)


# -- custody -------------------------------------------------------------------------------


def assign_asset(db: Database, actor: str, asset_id: int, person_id: int, loaned_on: date) -> None:
    """Hand an asset to a person (a 1:1 device, an ECF loan)."""
    loaned_on = v.day("loaned_on", loaned_on, required=True)  # type: ignore[assignment]
    with db.unit_of_work(actor) as work:
        session = work.session
        asset = get_asset(session, asset_id)
        person = session.get(Person, person_id)
        if person is None:
            raise ValidationError("assigned_person_id", f"no person {person_id} exists")
        if asset.status is AssetStatus.DISPOSED:
            raise ValidationError("status", f"{asset.tag} is disposed")
        if asset.assigned_person_id is not None:
            holder = session.get(Person, asset.assigned_person_id)
            name = holder.full_name if holder else f"person {asset.assigned_person_id}"
            raise ValidationError("assigned_person_id", f"{asset.tag} is with {name}; return it first")
        before = snapshot(asset)
        asset.assigned_person_id = person_id
        asset.updated_at = work.occurred_at
        session.add(Assignment(asset_id=asset_id, person_id=person_id, loaned_on=loaned_on))
        _record_changes(work, asset, before, "assigned", note=f"loaned on {loaned_on.isoformat()}")


def return_asset(
    db: Database, actor: str, asset_id: int, returned_on: date, *, lost: bool = False
) -> None:
    """Close the open loan: the device came back, or the holder lost it."""
    returned_on = v.day("returned_on", returned_on, required=True)  # type: ignore[assignment]
    with db.unit_of_work(actor) as work:
        session = work.session
        asset = get_asset(session, asset_id)
        loan = session.scalars(
            select(Assignment).where(
                Assignment.asset_id == asset_id,
                Assignment.returned_on.is_(None),
                Assignment.lost_on.is_(None),
            )
        ).first()
        if asset.assigned_person_id is None or loan is None:
            raise ValidationError("assigned_person_id", f"{asset.tag} is not assigned to anyone")
        if returned_on < loan.loaned_on:
            raise ValidationError("returned_on", "cannot be before the loan date")
        before = snapshot(asset)
        if lost:
            loan.lost_on = returned_on
            asset.status = AssetStatus.LOST
        else:
            loan.returned_on = returned_on
        asset.assigned_person_id = None
        asset.updated_at = work.occurred_at
        _record_changes(
            work, asset, before, "lost" if lost else "returned", note=f"on {returned_on.isoformat()}"
        )


# -- disposal ------------------------------------------------------------------------------


def dispose_asset(
    db: Database,
    actor: str,
    asset_id: int,
    expected_version: int,
    *,
    disposed_on: date,
    method: DisposalMethod | str,
    proceeds: Decimal | str | int = Decimal("0.00"),
    note: str | None = None,
) -> int:
    disposed_on = v.day("disposed_on", disposed_on, required=True)  # type: ignore[assignment]
    method = v.choice("disposal_method", method, DisposalMethod, required=True)  # type: ignore[assignment]
    amount = v.money("disposal_proceeds", proceeds) or Decimal("0.00")
    mine = {"disposed_on": disposed_on, "disposal_method": method, "disposal_proceeds": amount}
    try:
        with db.unit_of_work(actor) as work:
            session = work.session
            asset = get_asset(session, asset_id)
            _check_version(session, asset, expected_version, mine)
            if asset.status is AssetStatus.DISPOSED:
                raise ValidationError("status", f"{asset.tag} was already disposed on {asset.disposed_on}")
            if disposed_on < asset.acquired_on:
                raise ValidationError("disposed_on", "cannot be before the acquisition date")
            if asset.assigned_person_id is not None:
                raise ValidationError("assigned_person_id", f"{asset.tag} is still assigned; return it first")
            before = snapshot(asset)
            asset.status = AssetStatus.DISPOSED
            asset.disposed_on = disposed_on
            asset.disposal_method = method
            asset.disposal_proceeds = amount
            asset.updated_at = work.occurred_at
            guard_asset_change(work, asset, before)
            _record_changes(work, asset, before, "disposed", note)
            session.flush()
            return asset.version
    except StaleDataError:
        _raise_conflict(db, asset_id, expected_version, mine)
        raise


# -- funding -------------------------------------------------------------------------------


def set_funding(
    db: Database, actor: str, asset_id: int, expected_version: int, shares: Sequence[Share]
) -> int:
    """Replace who paid for an asset; the shares must add up to exactly 100%."""
    try:
        with db.unit_of_work(actor) as work:
            asset = get_asset(work.session, asset_id)
            _check_version(work.session, asset, expected_version, {"funding": _share_list(shares)})
            _replace_funding(work, asset, shares)
            work.session.flush()
            return asset.version
    except StaleDataError:
        _raise_conflict(db, asset_id, expected_version, {"funding": _share_list(shares)})
        raise


def _share_list(shares: Iterable[Share]) -> list[list[Any]]:
    return [[share.funding_source_id, f"{share.percent:.2f}"] for share in shares]


def _replace_funding(work: UnitOfWork, asset: Asset, shares: Sequence[Share]) -> None:
    session = work.session
    basis: dict[int, int] = {}
    for share in shares:
        percent = v.money("funding", share.percent, required=True)
        assert percent is not None
        if percent <= 0 or percent > 100:
            raise ValidationError("funding", f"a share of {percent}% is not between 0 and 100")
        if share.funding_source_id in basis:
            raise ValidationError("funding", "the same funding source is listed twice")
        if session.get(FundingSource, share.funding_source_id) is None:
            raise ValidationError("funding", f"no funding source {share.funding_source_id} exists")
        basis[share.funding_source_id] = int(percent * 100)
    total = sum(basis.values())
    if basis and total != 10000:
        raise ValidationError("funding", f"the shares add up to {Decimal(total) / 100:.2f}%, not 100%")
    old = [[s.funding_source_id, f"{s.share_percent:.2f}"] for s in asset.funding]
    asset.funding = [
        FundingShare(funding_source_id=source_id, share_basis_points=points)
        for source_id, points in sorted(basis.items())
    ]
    new = [[source_id, f"{Decimal(points) / 100:.2f}"] for source_id, points in sorted(basis.items())]
    if old != new:
        asset.updated_at = work.occurred_at
        work.record(ENTITY, asset.id, "funding_changed", {"funding": (old, new)})
