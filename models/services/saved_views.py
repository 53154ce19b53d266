"""Saved register views, shared by the district's users. Each save names who made it."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import func, select

from models.database import Database
from models.errors import ConflictError, DuplicateError, NotFoundError, ValidationError
from models.queries.register import COLUMN_BY_KEY, DEFAULT_COLUMNS, RegisterFilter, column
from models.schema import SavedView
from models.services import validation as v

ENTITY = "saved_view"


@dataclass(frozen=True)
class View:
    """A saved view as the register applies it."""

    id: int
    name: str
    filter: RegisterFilter
    columns: tuple[str, ...]
    sort_key: str
    sort_descending: bool
    created_by: str
    updated_by: str
    updated_at: datetime
    version: int


def _clean(name: str, columns: Sequence[str], sort_key: str) -> tuple[str, list[str]]:
    cleaned = v.text("Name", name, max_length=120, required=True)
    assert cleaned is not None
    keys = [key for key in columns]
    if not keys:
        raise ValidationError("Columns", "a view needs at least one column")
    unknown = [key for key in keys if key not in COLUMN_BY_KEY]
    if unknown:
        raise ValidationError("Columns", f"the register has no column {', '.join(unknown)}")
    if len(set(keys)) != len(keys):
        raise ValidationError("Columns", "a column is listed twice")
    if sort_key not in COLUMN_BY_KEY or not column(sort_key).sortable:
        raise ValidationError("Sort", f"the register cannot sort by {sort_key!r}")
    return cleaned, keys


def _view(row: SavedView) -> View:
    try:
        flt = RegisterFilter.from_json(row.filter_json)
    except (ValueError, TypeError) as err:
        raise ValidationError(f"Saved view “{row.name}”", f"its filter cannot be read ({err})") from None
    columns = tuple(key for key in json.loads(row.columns or "[]") if key in COLUMN_BY_KEY) or DEFAULT_COLUMNS
    sort_key = row.sort_key if row.sort_key in COLUMN_BY_KEY else "tag"
    return View(
        row.id, row.name, flt, columns, sort_key, row.sort_descending,
        row.created_by, row.updated_by, row.updated_at, row.version,
    )


def list_views(db: Database) -> list[View]:
    """Every saved view, by name. A view whose filter no longer reads is left out."""
    with db.reading() as session:
        rows = session.scalars(select(SavedView).order_by(func.lower(SavedView.name))).all()
    views = []
    for row in rows:
        try:
            views.append(_view(row))
        except ValidationError:
            continue
    return views


def save_view(
    db: Database,
    actor: str,
    name: str,
    flt: RegisterFilter,
    columns: Sequence[str],
    sort: tuple[str, bool],
    *,
    replace: bool = False,
    expected_version: int | None = None,
) -> View:
    """Save the register's current filter, columns and sort under ``name``.

    A name already taken is refused unless ``replace`` is set; replacing checks
    ``expected_version`` when given, so two clerks do not overwrite each other silently.
    """
    cleaned, keys = _clean(name, columns, sort[0])
    now = datetime.now(UTC)
    with db.unit_of_work(actor) as work:
        session = work.session
        existing = session.scalar(select(SavedView).where(func.lower(SavedView.name) == cleaned.lower()))
        values = {
            "filter_json": flt.to_json(),
            "columns": json.dumps(keys),
            "sort_key": sort[0],
            "sort_descending": bool(sort[1]),
        }
        if existing is not None:
            if not replace:
                raise DuplicateError("Name", f"a view called “{existing.name}” already exists")
            if expected_version is not None and existing.version != expected_version:
                raise ConflictError(
                    "saved view", existing.id,
                    expected_version=expected_version, current_version=existing.version,
                    mine=values, theirs={k: getattr(existing, k) for k in values},
                    changed_by=existing.updated_by,
                )
            before = {k: getattr(existing, k) for k in values}
            for key, value in values.items():
                setattr(existing, key, value)
            existing.name = cleaned
            existing.updated_by = actor
            existing.updated_at = now
            session.flush()
            work.record(ENTITY, existing.id, "updated",
                        {k: (before[k], values[k]) for k in values if before[k] != values[k]})
            row = existing
        else:
            row = SavedView(name=cleaned, created_by=actor, created_at=now, updated_by=actor,
                            updated_at=now, **values)
            session.add(row)
            session.flush()
            work.record(ENTITY, row.id, "created", {"name": (None, cleaned), **{k: (None, x) for k, x in values.items()}})
        return _view(row)


def delete_view(db: Database, actor: str, view_id: int) -> None:
    with db.unit_of_work(actor) as work:
        row = work.session.get(SavedView, view_id)
        if row is None:
            raise NotFoundError("That saved view was deleted by someone else.")
        work.record(ENTITY, row.id, "deleted", {"name": (row.name, None)})
        work.session.delete(row)
