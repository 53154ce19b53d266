"""The register's filter panel: site, building, room, class, status, condition, department,
funding source, device type, capitalized vs controlled, assigned, federal funding, acquisition
dates and a cost range. It edits a ``RegisterFilter``; the register runs it."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal
from typing import Any

from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from desktop.operations import run_operation
from models.database import Database
from models.errors import UserError
from models.money import parse_money
from models.queries.register import FilterChoices, Option, RegisterFilter, rooms_in


class ChoiceList(QListWidget):
    """A short list of check boxes; nothing ticked means "any"."""

    changed = Signal()

    def __init__(self, name: str, parent: QWidget | None = None, rows: int = 5) -> None:
        super().__init__(parent)
        self.setObjectName(name)
        self._rows = rows
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.itemChanged.connect(lambda _item: self.changed.emit())

    def set_options(self, options: list[Option], checked: tuple[Any, ...] = ()) -> None:
        self.blockSignals(True)
        self.clear()
        for option in options:
            item = QListWidgetItem(option.label)
            item.setData(Qt.ItemDataRole.UserRole, option.key)
            item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked if option.key in checked else Qt.CheckState.Unchecked)
            item.setToolTip(option.label)
            self.addItem(item)
        self.blockSignals(False)
        shown = min(max(self.count(), 1), self._rows)
        self.setFixedHeight(shown * (self.fontMetrics().height() + 6) + 2 * self.frameWidth() + 2)

    def checked(self) -> tuple[Any, ...]:
        return tuple(
            self.item(i).data(Qt.ItemDataRole.UserRole)
            for i in range(self.count())
            if self.item(i).checkState() == Qt.CheckState.Checked
        )

    def set_checked(self, keys: tuple[Any, ...]) -> None:
        self.blockSignals(True)
        for i in range(self.count()):
            item = self.item(i)
            on = item.data(Qt.ItemDataRole.UserRole) in keys
            item.setCheckState(Qt.CheckState.Checked if on else Qt.CheckState.Unchecked)
        self.blockSignals(False)

    def check(self, key: Any, on: bool = True) -> None:
        """Tick one entry, as a user would (emits ``changed``)."""
        for i in range(self.count()):
            if self.item(i).data(Qt.ItemDataRole.UserRole) == key:
                self.item(i).setCheckState(Qt.CheckState.Checked if on else Qt.CheckState.Unchecked)
                return
        raise KeyError(key)


def _tri_state(name: str, any_text: str, yes: str, no: str) -> QComboBox:
    box = QComboBox()
    box.setObjectName(name)
    box.addItem(any_text, None)
    box.addItem(yes, True)
    box.addItem(no, False)
    return box


class OptionalDate(QWidget):
    """A date that can be left out: a check box turns it on."""

    changed = Signal()

    def __init__(self, name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName(name)
        self.enabled = QCheckBox()
        self.edit = QDateEdit()
        self.edit.setCalendarPopup(True)
        self.edit.setDate(QDate.currentDate())
        self.edit.setEnabled(False)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.enabled)
        layout.addWidget(self.edit, 1)
        self.enabled.toggled.connect(self.edit.setEnabled)
        self.enabled.toggled.connect(lambda _on: self.changed.emit())
        self.edit.dateChanged.connect(lambda _d: self.changed.emit() if self.enabled.isChecked() else None)

    def value(self) -> date | None:
        if not self.enabled.isChecked():
            return None
        return self.edit.date().toPython()

    def set_value(self, day: date | None) -> None:
        self.blockSignals(True)
        self.enabled.setChecked(day is not None)
        if day is not None:
            self.edit.setDate(QDate(day.year, day.month, day.day))
        self.blockSignals(False)


class FilterPanel(QScrollArea):
    """Emits ``changed`` with each edit that leaves a valid filter; a bad amount shows its
    message next to the field and changes nothing."""

    changed = Signal()

    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.setObjectName("registerFilters")
        self.setWidgetResizable(True)
        self.setMinimumWidth(200)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self._loading = False
        self._room_generation = 0
        body = QWidget()
        layout = QVBoxLayout(body)
        layout.setContentsMargins(8, 8, 8, 8)
        layout.setSpacing(4)
        self.sites = ChoiceList("filterSites")
        self.buildings = ChoiceList("filterBuildings")
        self.rooms = ChoiceList("filterRooms", rows=6)
        self.rooms_hint = QLabel("Tick a site or building to choose rooms.")
        self.rooms_hint.setObjectName("hint")
        self.rooms_hint.setWordWrap(True)
        self.classes = ChoiceList("filterClasses")
        self.statuses = ChoiceList("filterStatuses")
        self.conditions = ChoiceList("filterConditions")
        self.departments = ChoiceList("filterDepartments")
        self.funding = ChoiceList("filterFunding")
        self.device_types = ChoiceList("filterDeviceTypes")
        self.capitalized = _tri_state("filterCapitalized", "Capitalized and controlled", "Capitalized only", "Controlled only")
        self.assigned = _tri_state("filterAssigned", "Assigned or not", "Assigned to a person", "Unassigned")
        self.federal = _tri_state("filterFederal", "Any funding", "Federal funding", "No federal funding")
        self.acquired_from = OptionalDate("filterAcquiredFrom")
        self.acquired_to = OptionalDate("filterAcquiredTo")
        self.cost_min = QLineEdit()
        self.cost_min.setObjectName("filterCostMin")
        self.cost_min.setPlaceholderText("from $")
        self.cost_max = QLineEdit()
        self.cost_max.setObjectName("filterCostMax")
        self.cost_max.setPlaceholderText("to $")
        self.cost_error = QLabel("")
        self.cost_error.setObjectName("error")
        self.cost_error.setWordWrap(True)
        self.cost_error.hide()
        self.clear_button = QPushButton("Clear filters")
        self.clear_button.setObjectName("clearFilters")

        for title, widget in (
            ("Site", self.sites), ("Building", self.buildings), ("Room", self.rooms_hint),
            (None, self.rooms), ("Class", self.classes), ("Status", self.statuses),
            ("Condition", self.conditions), ("Department", self.departments),
            ("Funding source", self.funding), ("Device type", self.device_types),
        ):
            if title:
                layout.addWidget(_heading(title))
            layout.addWidget(widget)
        form = QFormLayout()
        form.setContentsMargins(0, 6, 0, 0)
        form.addRow("Books", self.capitalized)
        form.addRow("Assigned", self.assigned)
        form.addRow("Funding", self.federal)
        form.addRow("Acquired from", self.acquired_from)
        form.addRow("Acquired to", self.acquired_to)
        costs = QHBoxLayout()
        costs.addWidget(self.cost_min)
        costs.addWidget(QLabel("–"))
        costs.addWidget(self.cost_max)
        form.addRow("Cost", costs)
        layout.addLayout(form)
        layout.addWidget(self.cost_error)
        layout.addWidget(self.clear_button)
        layout.addStretch(1)
        self.setWidget(body)
        self.rooms.hide()

        for widget in (self.classes, self.statuses, self.conditions, self.departments,
                       self.funding, self.device_types, self.rooms, self.acquired_from, self.acquired_to):
            widget.changed.connect(self._edited)
        self.sites.changed.connect(self._places_changed)
        self.buildings.changed.connect(self._places_changed)
        for box in (self.capitalized, self.assigned, self.federal):
            box.currentIndexChanged.connect(lambda _i: self._edited())
        self.cost_min.editingFinished.connect(self._edited)
        self.cost_max.editingFinished.connect(self._edited)
        self.clear_button.clicked.connect(self.clear)
        self._choices: FilterChoices | None = None

    # -- choices ---------------------------------------------------------------------------
    def set_choices(self, choices: FilterChoices) -> None:
        self._choices = choices
        self.sites.set_options(choices.sites)
        self.buildings.set_options(choices.buildings)
        self.classes.set_options(choices.classes)
        self.statuses.set_options(choices.statuses, ())
        self.conditions.set_options(choices.conditions)
        self.departments.set_options(choices.departments)
        self.funding.set_options(choices.funding_sources)
        self.device_types.set_options(choices.device_types)

    def _places_changed(self) -> None:
        sites = self.sites.checked()
        if self._choices is not None:
            kept = self.buildings.checked()
            shown = [b for b in self._choices.buildings if not sites or b.parent in sites]
            self.buildings.set_options(shown, tuple(k for k in kept if any(b.key == k for b in shown)))
        self._load_rooms()
        self._edited()

    def _load_rooms(self, checked: tuple[Any, ...] = ()) -> None:
        sites, buildings = self.sites.checked(), self.buildings.checked()
        self._room_generation += 1
        generation = self._room_generation
        if not sites and not buildings:
            self.rooms.set_options([])
            self.rooms.hide()
            self.rooms_hint.show()
            return

        def done(options: list[Option]) -> None:
            if generation != self._room_generation:
                return
            keep = checked or self.rooms.checked()
            self.rooms.set_options(options, tuple(keep))
            self.rooms_hint.hide()
            self.rooms.show()

        run_operation(self, lambda: rooms_in(self.db, site_ids=sites, building_ids=buildings), done,
                      lambda err: self.rooms_hint.setText(err.message))

    # -- the filter ------------------------------------------------------------------------
    def _edited(self) -> None:
        if self._loading:
            return
        try:
            self._costs()
        except UserError as err:
            self.cost_error.setText(err.message)
            self.cost_error.show()
            return
        self.cost_error.hide()
        self.changed.emit()

    def _costs(self) -> tuple[Decimal | None, Decimal | None]:
        values = []
        for label, edit in (("Cost from", self.cost_min), ("Cost to", self.cost_max)):
            text = edit.text().strip()
            if not text:
                values.append(None)
                continue
            try:
                amount = parse_money(text)
            except ValueError as err:
                raise UserError(f"{label}: {err}") from None
            if amount < 0:
                raise UserError(f"{label}: a cost cannot be negative")
            values.append(amount)
        low, high = values
        if low is not None and high is not None and low > high:
            raise UserError("Cost: the lower amount is above the upper one")
        return low, high

    def apply_to(self, flt: RegisterFilter) -> RegisterFilter:
        """``flt`` with this panel's choices (the search text is kept). Raises ``UserError``
        for a bad amount."""
        low, high = self._costs()
        return replace(
            flt,
            site_ids=self.sites.checked(),
            building_ids=self.buildings.checked(),
            room_ids=self.rooms.checked(),
            class_ids=self.classes.checked(),
            statuses=self.statuses.checked(),
            conditions=self.conditions.checked(),
            department_ids=self.departments.checked(),
            funding_source_ids=self.funding.checked(),
            device_types=self.device_types.checked(),
            capitalized=self.capitalized.currentData(),
            assigned=self.assigned.currentData(),
            federal=self.federal.currentData(),
            acquired_from=self.acquired_from.value(),
            acquired_to=self.acquired_to.value(),
            cost_min=low,
            cost_max=high,
        )

    def set_filter(self, flt: RegisterFilter) -> None:
        """Show ``flt`` in the panel without emitting ``changed``."""
        self._loading = True
        try:
            self.sites.set_checked(flt.site_ids)
            if self._choices is not None:
                shown = [b for b in self._choices.buildings if not flt.site_ids or b.parent in flt.site_ids]
                self.buildings.set_options(shown, flt.building_ids)
            self.classes.set_checked(flt.class_ids)
            self.statuses.set_checked(flt.statuses)
            self.conditions.set_checked(flt.conditions)
            self.departments.set_checked(flt.department_ids)
            self.funding.set_checked(flt.funding_source_ids)
            self.device_types.set_checked(flt.device_types)
            for box, value in ((self.capitalized, flt.capitalized), (self.assigned, flt.assigned),
                               (self.federal, flt.federal)):
                box.setCurrentIndex(box.findData(value) if value is not None else 0)
            self.acquired_from.set_value(flt.acquired_from)
            self.acquired_to.set_value(flt.acquired_to)
            self.cost_min.setText("" if flt.cost_min is None else f"{flt.cost_min:.2f}")
            self.cost_max.setText("" if flt.cost_max is None else f"{flt.cost_max:.2f}")
            self.cost_error.hide()
            self._load_rooms(flt.room_ids)
        finally:
            self._loading = False

    def clear(self) -> None:
        self.set_filter(RegisterFilter())
        self.changed.emit()


def _heading(text: str) -> QLabel:
    label = QLabel(text)
    label.setObjectName("filterHeading")
    return label
