"""The asset editor: every field of one asset, grouped the way each department thinks of it,
its funding, and its history. Saves carry the version that was opened; when someone else
saved in between, the conflict dialog lets the user choose per field."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from desktop.dialogs.conflict import ConflictDialog, ConflictRow
from desktop.dialogs.dispose import DisposeDialog
from desktop.dialogs.prompts import Prompts
from desktop.editor.fields import (
    ChoiceField,
    DateField,
    Field,
    FlagField,
    LookupField,
    MoneyField,
    NotesField,
    ReadOnlyField,
    TextField,
)
from desktop.editor.funding import FundingEditor
from desktop.format import date_text, money_text, when_text
from desktop.operations import run_operation
from models.actor import current_actor
from models.database import Database
from models.errors import ConflictError, UserError, ValidationError
from models.queries.assets_detail import (
    AssetDetail,
    HistoryLine,
    asset_detail,
    describe_values,
    display_value,
    field_label,
)
from models.queries.choices import (
    CONDITION_CHOICES,
    CONVENTION_CHOICES,
    METHOD_CHOICES,
    STATUS_CHOICES,
    EditorChoices,
    editor_choices,
    find_assets,
    find_models,
    find_people,
    find_rooms,
)
from models.schema import AssetStatus
from models.services.assets import (
    Share,
    clean,
    create_asset,
    delete_asset,
    dispose_asset,
    update_asset,
)

FUNDING_TAB = "Funding"
READ_ONLY_FIELDS = ("assigned_person_id", "disposed_on", "disposal_method", "disposal_proceeds")


class AssetEditor(QDialog):
    """Open with an asset id to edit it, or without one (and optional ``initial`` values) to
    add an asset. ``saved(id)`` fires after a save, ``deleted(id)`` after a delete."""

    loaded = Signal()
    saved = Signal(int)
    deleted = Signal(int)
    duplicated = Signal(object)  # the new, unsaved editor
    failed = Signal(str)

    def __init__(
        self,
        db: Database,
        asset_id: int | None = None,
        *,
        initial: dict[str, Any] | None = None,
        initial_labels: dict[str, str] | None = None,
        initial_funding: list[tuple[int, Decimal]] | None = None,
        prompts: Prompts | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.db = db
        self.asset_id = asset_id
        self.prompts = prompts or Prompts()
        self.detail: AssetDetail | None = None
        self.choices: EditorChoices | None = None
        self.initial = dict(initial or {})
        self.initial_labels = dict(initial_labels or {})
        self.initial_funding = list(initial_funding or [])
        self.conflict_dialog: ConflictDialog | None = None
        self.dispose_dialog: DisposeDialog | None = None
        self.busy = False
        self.setObjectName("assetEditor")
        self.setWindowTitle("New asset" if asset_id is None else "Asset")
        self.resize(760, 640)
        self.fields: dict[str, Field] = {}
        self.field_tab: dict[str, int] = {}
        self._build()
        self._set_enabled(False)
        self.banner.setText("Loading…")
        self.banner.show()
        run_operation(self, self._load, self._loaded, self._load_failed)

    def done(self, result: int) -> None:  # noqa: D401 - closing by any button or Esc
        for item in self.fields.values():
            if isinstance(item, LookupField):
                item.timer.stop()  # no search may start once the editor is gone
        super().done(result)

    # -- building ------------------------------------------------------------------------------
    def _build(self) -> None:
        layout = QVBoxLayout(self)
        self.heading = QLabel("")
        self.heading.setObjectName("title")
        layout.addWidget(self.heading)
        self.banner = QLabel("")
        self.banner.setObjectName("editorBanner")
        self.banner.setWordWrap(True)
        self.banner.hide()
        layout.addWidget(self.banner)
        self.tabs = QTabWidget()
        layout.addWidget(self.tabs, 1)
        db = self.db
        identity = [
            TextField("tag", placeholder="e.g. CG-004512"),
            TextField("serial"),
            TextField("description"),
            LookupField("model_id", lambda t: find_models(db, t), noun="make and model"),
            ChoiceField("class_id", optional=True),
            ChoiceField("status", [c for c in STATUS_CHOICES if c.key is not AssetStatus.DISPOSED]),
            ChoiceField("condition", CONDITION_CHOICES),
            LookupField("parent_id", lambda t: find_assets(db, t), noun="asset tag"),
        ]
        location = [
            LookupField("room_id", lambda t: find_rooms(db, t), noun="room"),
            ChoiceField("site_id", optional=True),
            ChoiceField("department_id", optional=True),
            LookupField("custodian_id", lambda t: find_people(db, t, staff_only=True), noun="staff member"),
            ReadOnlyField("assigned_person_id"),
            TextField("use", placeholder="e.g. student instruction, office"),
        ]
        finance = [
            DateField("acquired_on", required=True),
            DateField("in_service_on"),
            MoneyField("cost"),
            MoneyField("salvage_value"),
            TextField("useful_life_months", placeholder="class default"),
            ChoiceField("depreciation_method", METHOD_CHOICES, optional=True, none_text="Class default"),
            ChoiceField("depreciation_convention", CONVENTION_CHOICES, optional=True, none_text="Class default"),
            FlagField("capitalized", "in the GASB books (follows the class threshold unless a reason is given)"),
            NotesField("capitalization_override_reason", height=48),
            ChoiceField("function_code", optional=True),
            ChoiceField("fund_code", optional=True),
            TextField("po_number"),
            TextField("vendor"),
            TextField("invoice_number"),
        ]
        lifecycle = [
            DateField("warranty_ends_on"),
            ReadOnlyField("disposed_on"),
            ReadOnlyField("disposal_method"),
            ReadOnlyField("disposal_proceeds"),
            NotesField("notes", height=120),
        ]
        self._add_form_tab("Identity", identity)
        self._add_form_tab("Location && custody", location)
        self._add_form_tab("Finance", finance)
        funding_page = QWidget()
        funding_layout = QVBoxLayout(funding_page)
        title_form = QFormLayout()
        title_holder = TextField("title_holder", placeholder="e.g. the district, or the grantor")
        self._register(title_holder, 3)
        title_form.addRow(field_label("title_holder"), title_holder)
        funding_layout.addLayout(title_form)
        explain = QLabel("Who paid for it. Shares must add up to 100%. Federal money makes an item "
                         "federal equipment (2 CFR 200.313) at or above the threshold.")
        explain.setWordWrap(True)
        funding_layout.addWidget(explain)
        self.funding = FundingEditor()
        funding_layout.addWidget(self.funding, 1)
        self.tabs.addTab(funding_page, FUNDING_TAB)
        self.field_tab["funding"] = 3
        self._add_form_tab("Lifecycle", lifecycle)
        self.stamps = QLabel("")
        self.stamps.setObjectName("subtitle")
        self.tabs.widget(4).layout().addRow("", self.stamps)
        self.history = QTableWidget(0, 6)
        self.history.setObjectName("historyTable")
        self.history.setHorizontalHeaderLabels(["When", "Who", "Action", "Field", "Old", "New"])
        self.history.verticalHeader().hide()
        self.history.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.history.setWordWrap(False)
        header = self.history.horizontalHeader()
        for column in range(4):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(4, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(5, QHeaderView.ResizeMode.Stretch)
        self.tabs.addTab(self.history, "History")
        self.capitalized_hint = QLabel("")
        buttons = QHBoxLayout()
        self.delete_button = QPushButton("Delete")
        self.delete_button.setObjectName("deleteButton")
        self.delete_button.clicked.connect(self.delete_or_dispose)
        self.duplicate_button = QPushButton("Duplicate…")
        self.duplicate_button.setToolTip("Start a new asset with these values; it needs its own tag")
        self.duplicate_button.clicked.connect(self.duplicate)
        self.save_button = QPushButton("Save")
        self.save_button.setDefault(True)
        self.save_button.clicked.connect(self.save)
        cancel = QPushButton("Close")
        cancel.clicked.connect(self.reject)
        buttons.addWidget(self.delete_button)
        buttons.addWidget(self.duplicate_button)
        buttons.addStretch(1)
        buttons.addWidget(cancel)
        buttons.addWidget(self.save_button)
        self.message = QLabel("")
        self.message.setObjectName("error")
        self.message.setWordWrap(True)
        self.message.hide()
        layout.addWidget(self.message)
        layout.addLayout(buttons)

    def _add_form_tab(self, title: str, fields: list[Field]) -> None:
        page = QWidget()
        form = QFormLayout(page)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.setLabelAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
        index = self.tabs.addTab(page, title)
        for item in fields:
            self._register(item, index)
            form.addRow(field_label(item.name), item)

    def _register(self, item: Field, tab: int) -> None:
        self.fields[item.name] = item
        self.field_tab[item.name] = tab
        if not isinstance(item, ReadOnlyField):
            item.edited.connect(lambda name=item.name: self._check_field(name))

    # -- loading -------------------------------------------------------------------------------
    def _load(self) -> tuple[EditorChoices, AssetDetail | None]:
        choices = editor_choices(self.db)
        detail = asset_detail(self.db, self.asset_id) if self.asset_id is not None else None
        return choices, detail

    def _load_failed(self, err: UserError) -> None:
        self.banner.setText(err.message)
        self.failed.emit(err.message)
        self.loaded.emit()

    def _loaded(self, result: tuple[EditorChoices, AssetDetail | None]) -> None:
        self.choices, detail = result
        self.fields["class_id"].set_choices(self.choices.classes)
        self.fields["site_id"].set_choices(self.choices.sites)
        self.fields["department_id"].set_choices(self.choices.departments)
        self.fields["function_code"].set_choices(self.choices.function_codes)
        self.fields["fund_code"].set_choices(self.choices.funds)
        self.funding.set_sources(self.choices.funding_sources)
        if detail is None:
            self._show_new()
        else:
            self._show_detail(detail)
        self._set_enabled(True)
        self.loaded.emit()

    def _show_new(self) -> None:
        from datetime import date

        values = {"status": AssetStatus.IN_SERVICE, "condition": "good", "acquired_on": date.today()}
        values.update(self.initial)
        for name, item in self.fields.items():
            item.set_value(values.get(name), self.initial_labels.get(name))
        self.funding.set_shares(self.initial_funding)
        self.heading.setText("New asset")
        self.setWindowTitle("New asset — Common Ground")
        self.banner.hide()
        self.delete_button.hide()
        self.duplicate_button.hide()
        self.history.setRowCount(0)
        self.tabs.setTabEnabled(5, False)
        self.stamps.setText("")

    def _show_detail(self, detail: AssetDetail) -> None:
        self.detail = detail
        for name, item in self.fields.items():
            value = detail.values.get(name)
            label = detail.labels.get(name)
            if isinstance(item, ReadOnlyField):
                label = label or display_value(name, value)
            item.set_value(value, label)
            item.clear_error()
        self.funding.set_shares([(f.funding_source_id, f.percent) for f in detail.funding])
        self.funding.clear_error()
        self.heading.setText(f"{detail.tag} — {detail.values['description']}")
        self.setWindowTitle(f"{detail.tag} — Common Ground")
        self.stamps.setText(
            f"Added {when_text(detail.created_at)} · last changed {when_text(detail.updated_at)} · "
            f"version {detail.version}"
        )
        disposed = detail.values["status"] is AssetStatus.DISPOSED
        if disposed:
            self.fields["status"].set_value(AssetStatus.DISPOSED, "Disposed")
        self._fill_history(detail.history)
        self.delete_button.show()
        self.duplicate_button.show()
        if detail.deletable:
            self.delete_button.setText("Delete")
            self.delete_button.setToolTip("Remove an asset entered by mistake")
        else:
            self.delete_button.setText("Has history: Dispose…")
            self.delete_button.setToolTip(
                "This asset has a history beyond its creation, so it cannot be deleted; "
                "record its disposal instead")
        self.delete_button.setEnabled(not disposed and not self.db.read_only)
        self._show_banner()

    def _show_banner(self) -> None:
        reasons = []
        if self.db.read_only:
            reasons.append(self.db.read_only_reason or "This database is read-only.")
        elif self.detail is not None and self.detail.values["status"] is AssetStatus.DISPOSED:
            values = self.detail.values
            reasons.append(
                f"Disposed on {date_text(values['disposed_on'])} "
                f"({display_value('disposal_method', values['disposal_method'])}, proceeds "
                f"{money_text(values['disposal_proceeds'])}). Only its notes can change.")
        self.banner.setText(" ".join(reasons))
        self.banner.setVisible(bool(reasons))

    def _fill_history(self, lines: list[HistoryLine]) -> None:
        rows: list[list[str]] = []
        for line in lines:
            action = line.action.replace("_", " ")
            if line.note:
                action += f" ({line.note})"
            changes = line.changes or [("", "", "")]
            for index, (label, old, new) in enumerate(changes):
                head = [when_text(line.occurred_at), line.actor, action] if index == 0 else ["", "", ""]
                rows.append([*head, label, old, new])
        self.history.setRowCount(len(rows))
        for r, row in enumerate(rows):
            for c, text in enumerate(row):
                item = QTableWidgetItem(text)
                item.setToolTip(text)
                self.history.setItem(r, c, item)
        self.tabs.setTabText(5, f"History ({len(lines)})")
        self.tabs.setTabEnabled(5, True)

    def _set_enabled(self, enabled: bool) -> None:
        writable = enabled and not self.db.read_only
        disposed = self.detail is not None and self.detail.values["status"] is AssetStatus.DISPOSED
        for name, item in self.fields.items():
            item.set_read_only(not writable or (disposed and name != "notes"))
        self.funding.set_read_only(not writable or disposed)
        self.save_button.setEnabled(writable and not self.busy)
        self.save_button.setToolTip("" if writable else (self.db.read_only_reason or ""))
        self.duplicate_button.setEnabled(writable)

    # -- validation ----------------------------------------------------------------------------
    def _check_field(self, name: str) -> None:
        """Check one field as soon as it is left (the rules are the services' own)."""
        if self.choices is None:
            return
        item = self.fields[name]
        try:
            clean({name: item.value()})
        except ValidationError as err:
            item.show_error(err.reason)
        else:
            item.clear_error()

    def errors(self) -> dict[str, str]:
        """The messages now shown next to fields, by field name (for tests and the status line)."""
        shown = {name: item.error_text for name, item in self.fields.items() if item.error_text}
        if self.funding.error_text:
            shown["funding"] = self.funding.error_text
        return shown

    def show_error(self, err: ValidationError) -> None:
        target = self.fields.get(err.field)
        if err.field == "funding":
            self.funding.show_error(err.reason)
        elif target is not None:
            target.show_error(err.reason)
        else:
            self._say(err.message)
            return
        self.tabs.setCurrentIndex(self.field_tab.get(err.field, 0))
        if target is not None:
            target.editor.setFocus()
        self._say(f"{field_label(err.field)}: {err.reason}")

    def _say(self, text: str) -> None:
        self.message.setText(text)
        self.message.setVisible(bool(text))

    def _cleaned(self) -> tuple[dict[str, Any], list[Share]] | None:
        """Every editable field cleaned by the services' rules; None (and messages shown) if any
        is wrong."""
        values: dict[str, Any] = {}
        errors: list[ValidationError] = []
        for name, item in self.fields.items():
            item.clear_error()
            if isinstance(item, ReadOnlyField):
                continue
            try:
                values.update(clean({name: item.value()}))
            except ValidationError as err:
                errors.append(err)
        self.funding.clear_error()
        shares: list[Share] = []
        try:
            shares = self.funding.shares()
        except ValidationError as err:
            errors.append(err)
        if errors:
            for err in reversed(errors):
                self.show_error(err)
            self._say(f"{len(errors)} field{'s' if len(errors) > 1 else ''} need attention: "
                      + "; ".join(f"{field_label(e.field)}: {e.reason}" for e in errors))
            return None
        return values, shares

    def pending_changes(self) -> tuple[dict[str, Any], list[Share] | None] | None:
        """What a save would send: the changed fields and the new funding (None if unchanged)."""
        cleaned = self._cleaned()
        if cleaned is None:
            return None
        values, shares = cleaned
        if self.detail is None:
            return values, shares
        original = self.detail.values
        changes = {name: value for name, value in values.items() if value != original.get(name)}
        before = sorted((f.funding_source_id, f.percent) for f in self.detail.funding)
        after = sorted((s.funding_source_id, s.percent) for s in shares)
        return changes, (shares if before != after else None)

    # -- saving --------------------------------------------------------------------------------
    def save(self) -> None:
        if self.busy or self.choices is None or self.db.read_only:
            return
        self._say("")
        pending = self.pending_changes()
        if pending is None:
            return
        changes, shares = pending
        actor = current_actor()
        if self.detail is None:
            values = {k: v for k, v in changes.items() if v is not None}
            if not values.get("capitalization_override_reason"):
                values.pop("capitalized", None)  # derived from the class threshold
            funding = shares or []
            work = lambda: create_asset(self.db, actor, values, funding)  # noqa: E731
        else:
            if not changes and shares is None:
                self._say("Nothing has changed.")
                return
            asset_id, version = self.detail.id, self.detail.version
            work = lambda: update_asset(self.db, actor, asset_id, version, changes, shares)  # noqa: E731
        self._busy(True)
        run_operation(self, work, self._saved, self._save_failed)

    def _busy(self, busy: bool) -> None:
        self.busy = busy
        self.save_button.setEnabled(not busy and not self.db.read_only)
        self.save_button.setText("Saving…" if busy else "Save")

    def _saved(self, result: int) -> None:
        self._busy(False)
        asset_id = result if self.detail is None else self.detail.id
        self.asset_id = asset_id
        self.saved.emit(asset_id)
        self.accept()

    def _save_failed(self, err: UserError) -> None:
        self._busy(False)
        if isinstance(err, ConflictError):
            self._conflict(err)
        elif isinstance(err, ValidationError):
            self.show_error(err)
        else:
            self._say(err.message)

    # -- conflicts -----------------------------------------------------------------------------
    def _conflict(self, err: ConflictError) -> None:
        self._say("Someone else saved this asset meanwhile; loading their version…")
        asset_id = err.entity_id

        def read() -> tuple[AssetDetail, dict[str, str], dict[str, str]]:
            return (asset_detail(self.db, asset_id), describe_values(self.db, err.mine),
                    describe_values(self.db, err.theirs))

        run_operation(self, read, lambda r: self._show_conflict(err, *r), self._save_failed)

    def _show_conflict(
        self, err: ConflictError, fresh: AssetDetail, mine: dict[str, str], theirs: dict[str, str]
    ) -> None:
        opened = dict(self.detail.values) if self.detail is not None else {}
        if self.detail is not None:
            opened["funding"] = [[f.funding_source_id, f"{f.percent:.2f}"] for f in self.detail.funding]
        # A real conflict: a field they changed too, to something other than yours. Fields only
        # you changed keep your value; fields only they changed keep theirs.
        rows = [
            ConflictRow(name, field_label(name), mine.get(name, "—"), theirs.get(name, "—"))
            for name in err.mine
            if _comparable(err.mine[name]) != _comparable(err.theirs.get(name))
            and _comparable(err.theirs.get(name)) != _comparable(opened.get(name))
        ]
        if not rows:  # they saved exactly what you did: nothing to choose
            self._apply_choices(err, fresh, mine, {})
            return
        who = f" by {err.changed_by}" if err.changed_by else ""
        dialog = ConflictDialog(
            rows, f"{fresh.tag} was saved{who} (version {err.current_version}) after you opened "
                  f"it (version {err.expected_version}). Nothing of yours has been saved yet.", self)
        dialog.resolved.connect(lambda choices: self._apply_choices(err, fresh, mine, choices))
        dialog.rejected.connect(lambda: self._say(
            "Not saved. Your changes are still here; Save again to compare once more."))
        self.conflict_dialog = dialog
        self._say("")
        dialog.open()

    def _apply_choices(
        self, err: ConflictError, fresh: AssetDetail, mine_text: dict[str, str], choices: dict[str, str]
    ) -> None:
        """Show their saved version, put back your values where you keep yours, and save again."""
        keep = {name: err.mine[name] for name in err.mine if choices.get(name, "mine") == "mine"}
        self._show_detail(fresh)
        for name, value in keep.items():
            if name == "funding":
                self.funding.set_shares([(int(s), Decimal(p)) for s, p in value])
            elif name in self.fields:
                self.fields[name].set_value(value, mine_text.get(name))
        self.conflict_dialog = None
        self.save()

    # -- delete, dispose, duplicate ------------------------------------------------------------
    def delete_or_dispose(self) -> None:
        if self.detail is None or self.db.read_only:
            return
        detail = self.detail
        if detail.deletable:
            self.prompts.confirm(
                self, "Delete asset",
                f"Delete {detail.tag} ({detail.values['description']})? Use this only for an "
                "asset entered by mistake; the deletion itself stays in the history.",
                lambda: self._delete(detail.id), yes="Delete")
            return
        dialog = DisposeDialog(detail.tag, self)
        dialog.chosen.connect(lambda *args: self._dispose(dialog, *args))
        self.dispose_dialog = dialog
        dialog.open()

    def _delete(self, asset_id: int) -> None:
        actor = current_actor()
        run_operation(self, lambda: delete_asset(self.db, actor, asset_id),
                      lambda _r: (self.deleted.emit(asset_id), self.accept()), self._save_failed)

    def _dispose(self, dialog: DisposeDialog, disposed_on, method, proceeds: str, note: str) -> None:  # noqa: ANN001
        assert self.detail is not None
        asset_id, version = self.detail.id, self.detail.version
        actor = current_actor()

        def done(_version: int) -> None:
            dialog.accept()
            self.saved.emit(asset_id)
            self.accept()

        def failed(err: UserError) -> None:
            if isinstance(err, ValidationError):
                dialog.show_error(f"{field_label(err.field)}: {err.reason}")
            else:
                dialog.show_error(err.message)

        run_operation(self, lambda: dispose_asset(
            self.db, actor, asset_id, version, disposed_on=disposed_on, method=method,
            proceeds=proceeds or "0", note=note or None), done, failed)

    def duplicate(self) -> AssetEditor | None:
        """A new-asset editor holding this one's values, without tag and serial."""
        if self.detail is None:
            return None
        values = {k: v for k, v in self.detail.values.items()
                  if k not in ("tag", "serial", *READ_ONLY_FIELDS, "capitalized")}
        if values.get("status") is AssetStatus.DISPOSED:
            values["status"] = AssetStatus.IN_SERVICE
        copy = AssetEditor(
            self.db, None, initial=values, initial_labels=self.detail.labels,
            initial_funding=[(f.funding_source_id, f.percent) for f in self.detail.funding],
            prompts=self.prompts, parent=self.parentWidget(),
        )
        copy.setWindowTitle(f"New asset like {self.detail.tag}")
        self.duplicated.emit(copy)
        copy.show()
        return copy


def _comparable(value: Any) -> Any:
    if hasattr(value, "value"):
        return value.value
    return value
