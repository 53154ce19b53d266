"""Changing many assets at once: move to a room, change status or condition, set the
department or the funding. One transaction, one history event per asset; it runs off the
UI thread with progress, and Cancel rolls all of it back."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from desktop.editor.fields import ChoiceField, Field, LookupField
from desktop.editor.funding import FundingEditor
from desktop.operations import Task, run_operation, run_task
from models.actor import current_actor
from models.database import Database
from models.errors import UserError, ValidationError
from models.progress import Progress
from models.queries.choices import CONDITION_CHOICES, STATUS_CHOICES, editor_choices, find_rooms
from models.schema import AssetStatus
from models.services.assets import set_funding_many, update_assets


@dataclass(frozen=True)
class BulkKind:
    key: str
    menu_text: str
    title: str
    field: str | None  # the asset field changed; None for funding
    action: str


BULK_KINDS = [
    BulkKind("room", "Move to room…", "Move to room", "room_id", "moved"),
    BulkKind("status", "Change status…", "Change status", "status", "status_changed"),
    BulkKind("condition", "Change condition…", "Change condition", "condition", "edited"),
    BulkKind("department", "Set department…", "Set department", "department_id", "edited"),
    BulkKind("funding", "Set funding shares…", "Set funding shares", None, "funding_changed"),
]
KIND = {kind.key: kind for kind in BULK_KINDS}


class BulkDialog(QDialog):
    """Asks for the new value; ``chosen(value)`` carries it (a Share list for funding)."""

    chosen = Signal(object)
    ready = Signal()

    def __init__(self, db: Database, kind: str, count: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.kind = KIND[kind]
        self.setWindowTitle(f"{self.kind.title} — {count:,} asset{'s' if count != 1 else ''}")
        self.setMinimumWidth(520)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(f"{self.kind.title} for the {count:,} selected "
                                f"asset{'s' if count != 1 else ''}. Each gets its own history entry."))
        self.field: Field | None = None
        self.funding: FundingEditor | None = None
        if kind == "room":
            self.field = LookupField("room_id", lambda text: find_rooms(db, text), noun="room")
        elif kind == "status":
            self.field = ChoiceField("status", [c for c in STATUS_CHOICES if c.key is not AssetStatus.DISPOSED])
        elif kind == "condition":
            self.field = ChoiceField("condition", CONDITION_CHOICES)
        elif kind == "department":
            self.field = ChoiceField("department_id", optional=True)
        else:
            self.funding = FundingEditor()
        layout.addWidget(self.field or self.funding)
        self.error = QLabel("")
        self.error.setStyleSheet("color: #b3261e;")
        self.error.setWordWrap(True)
        self.error.hide()
        layout.addWidget(self.error)
        box = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.ok = box.addButton(self.kind.title, QDialogButtonBox.ButtonRole.AcceptRole)
        box.accepted.connect(self._accept)
        box.rejected.connect(self.reject)
        layout.addWidget(box)
        if kind in ("department", "funding"):
            self.ok.setEnabled(False)
            run_operation(self, lambda: editor_choices(db), self._choices, lambda e: self.show_error(e.message))
        else:
            self.ready.emit()

    def _choices(self, choices: Any) -> None:
        if self.funding is not None:
            self.funding.set_sources(choices.funding_sources)
            self.funding.add_row()
        elif isinstance(self.field, ChoiceField):
            self.field.set_choices(choices.departments)
        self.ok.setEnabled(True)
        self.ready.emit()

    def show_error(self, message: str) -> None:
        self.error.setText(message)
        self.error.show()

    def value(self) -> Any:
        if self.funding is not None:
            return self.funding.shares()
        assert self.field is not None
        value = self.field.value()
        if value is None and self.kind.key == "room":
            raise ValidationError("room_id", "choose the room to move them to")
        return value

    def _accept(self) -> None:
        try:
            value = self.value()
        except ValidationError as err:
            self.show_error(err.reason)
            return
        self.accept()
        self.chosen.emit(value)


def run_bulk(
    parent: QWidget,
    db: Database,
    asset_ids: list[int],
    kind: str,
    value: Any,
    on_done: Callable[[int], None],
    on_error: Callable[[UserError], None],
    on_cancelled: Callable[[], None],
) -> Task:
    """Apply one bulk change off the UI thread; ``on_done(changed)`` with how many changed."""
    spec = KIND[kind]
    actor = current_actor()
    total = len(asset_ids)

    def work(progress: Progress) -> int:
        def step(done: int) -> None:
            progress.step(done, total, f"{spec.title}: {done:,} of {total:,} assets")

        progress.step(0, total, f"{spec.title}: {total:,} assets")
        if spec.field is None:
            return set_funding_many(db, actor, asset_ids, value, progress=step)
        return update_assets(db, actor, asset_ids, {spec.field: value}, action=spec.action, progress=step)

    return run_task(parent, f"{spec.title} — {total:,} assets", work, on_done, on_error, on_cancelled)
