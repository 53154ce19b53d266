"""The import wizard's pages: files, mapping, new locations and classes, conflicts, preview, result.

Every step that reads files or the database runs off the UI thread through
``run_task``; the pages only show what ``models.importing`` returns.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
    QWizardPage,
)

from desktop.operations import run_operation, run_task
from models import importing
from models.errors import UserError
from models.importing.mapping import FIELDS, Department
from models.importing.plan import FIELD_LABELS
from models.importing.reading import excel_column

if TYPE_CHECKING:
    from desktop.importing.wizard import ImportWizard

DEPARTMENTS = list(Department)


def _table(headers: list[str]) -> QTableWidget:
    table = QTableWidget(0, len(headers))
    table.setHorizontalHeaderLabels(headers)
    table.verticalHeader().setVisible(False)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setWordWrap(False)
    table.horizontalHeader().setStretchLastSection(True)
    return table


def _fill(table: QTableWidget, rows: list[list[str]], limit: int = 2000) -> None:
    table.setRowCount(min(len(rows), limit))
    for r, row in enumerate(rows[:limit]):
        for c, value in enumerate(row):
            item = QTableWidgetItem(value)
            item.setToolTip(value)
            table.setItem(r, c, item)
    table.resizeColumnsToContents()
    for c in range(table.columnCount() - 1):
        table.setColumnWidth(c, max(90, min(table.columnWidth(c), 260)))
    table.horizontalHeader().setStretchLastSection(True)


class _Page(QWizardPage):
    def wiz(self) -> ImportWizard:
        return self.wizard()  # type: ignore[return-value]

    def fail(self, err: UserError) -> None:
        self.wiz().show_error(err.message)


# -- 1. files ------------------------------------------------------------------------------------


class FilesPage(_Page):
    def __init__(self) -> None:
        super().__init__()
        self.setTitle("Choose the files")
        self.setSubTitle("One file, or the same district's files from IT, Finance and Facilities together: "
                         "they are matched by tag and serial and shown as one preview.")
        self.files = QListWidget()
        self.files.setMinimumHeight(140)
        add = QPushButton("Add files…")
        remove = QPushButton("Remove")
        add.clicked.connect(self._choose)
        remove.clicked.connect(self._remove)
        buttons = QHBoxLayout()
        buttons.addWidget(add)
        buttons.addWidget(remove)
        buttons.addStretch()
        self.sheet = QComboBox()
        self.sheet.setToolTip("The sheet of the selected workbook to read")
        self.sheet.currentTextChanged.connect(self._sheet_chosen)
        self.files.currentRowChanged.connect(self._selected)
        form = QFormLayout()
        form.addRow("Sheet of the selected workbook:", self.sheet)
        layout = QVBoxLayout(self)
        layout.addWidget(self.files)
        layout.addLayout(buttons)
        layout.addLayout(form)
        self.sheets: dict[str, str | None] = {}
        self.read_done = False

    def add_paths(self, paths: list[str]) -> None:
        for path in paths:
            if path in self.sheets:
                continue
            self.sheets[path] = None
            item = QListWidgetItem(Path(path).name)
            item.setData(Qt.ItemDataRole.UserRole, path)
            item.setToolTip(path)
            self.files.addItem(item)
        self.read_done = False
        self.completeChanged.emit()
        if self.files.currentRow() < 0 and self.files.count():
            self.files.setCurrentRow(0)

    def _choose(self) -> None:
        paths, _ = QFileDialog.getOpenFileNames(self, "Files to import", "",
                                                "Spreadsheets (*.csv *.txt *.tsv *.xlsx *.xlsm);;All files (*)")
        self.add_paths(paths)

    def _remove(self) -> None:
        row = self.files.currentRow()
        if row >= 0:
            item = self.files.takeItem(row)
            self.sheets.pop(item.data(Qt.ItemDataRole.UserRole), None)
            self.read_done = False
            self.completeChanged.emit()

    def _selected(self, row: int) -> None:
        self.sheet.blockSignals(True)
        self.sheet.clear()
        if row >= 0:
            path = self.files.item(row).data(Qt.ItemDataRole.UserRole)
            if Path(path).suffix.lower() in (".xlsx", ".xlsm"):
                try:
                    names = importing.sheet_names(path)
                except UserError as err:
                    names = []
                    self.fail(err)
                self.sheet.addItems(names)
                if self.sheets.get(path):
                    self.sheet.setCurrentText(self.sheets[path] or "")
        self.sheet.setEnabled(self.sheet.count() > 0)
        self.sheet.blockSignals(False)

    def _sheet_chosen(self, name: str) -> None:
        row = self.files.currentRow()
        if row >= 0 and name:
            self.sheets[self.files.item(row).data(Qt.ItemDataRole.UserRole)] = name
            self.read_done = False

    def isComplete(self) -> bool:
        return self.files.count() > 0

    def validatePage(self) -> bool:
        if self.read_done:
            return True
        wizard = self.wiz()
        chosen = dict(self.sheets)
        db = wizard.db

        def work(progress: Any) -> list[importing.SourceFile]:
            found = []
            for n, (path, sheet) in enumerate(chosen.items()):
                progress.step(n, len(chosen), f"Reading {Path(path).name}…")
                found.append(importing.prepare_source(db, path, sheet))
            return found

        def done(sources: list[importing.SourceFile]) -> None:
            wizard.sources = sources
            self.read_done = True
            wizard.next()

        run_task(self, "Reading the files", work, done, self.fail)
        return False


# -- 2. mapping -----------------------------------------------------------------------------------


class MappingPage(_Page):
    def __init__(self) -> None:
        super().__init__()
        self.setTitle("Match the columns")
        self.setSubTitle("Each column's register field was proposed from its header and what it holds. "
                         "Change any; save the mapping to reuse it for this source next time.")
        self.tabs = QTabWidget()
        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs)
        self.combos: list[list[QComboBox]] = []
        self.departments: list[QComboBox] = []
        self.names: list[QLineEdit] = []

    def initializePage(self) -> None:
        self.tabs.clear()
        self.combos, self.departments, self.names = [], [], []
        for index, source in enumerate(self.wiz().sources):
            self.tabs.addTab(self._file_tab(index, source), source.table.name)

    def _file_tab(self, index: int, source: importing.SourceFile) -> QWidget:
        table, mapping = source.table, source.mapping
        widget = QWidget()
        layout = QVBoxLayout(widget)
        about = [f"Header on row {table.header_row}"]
        if table.encoding:
            about.append(f"read as {table.encoding}")
        if table.delimiter:
            about.append("separated by " + {"\t": "tabs", ",": "commas", ";": "semicolons", "|": "pipes"}[table.delimiter])
        info = QLabel("; ".join(about) + ". " + " ".join(table.notes))
        info.setWordWrap(True)
        layout.addWidget(info)
        top = QHBoxLayout()
        department = QComboBox()
        for d in DEPARTMENTS:
            department.addItem(d.label, d)
        department.setCurrentIndex(DEPARTMENTS.index(mapping.department))
        department.currentIndexChanged.connect(lambda _i, n=index, c=department: self._department(n, c))
        top.addWidget(QLabel("Comes from:"))
        top.addWidget(department)
        top.addSpacing(24)
        name = QLineEdit(mapping.source or "")
        name.setPlaceholderText("source name")
        save = QPushButton("Save mapping")
        save.clicked.connect(lambda _c=False, n=index: self._save(n))
        top.addWidget(QLabel("Save as:"))
        top.addWidget(name, 1)
        top.addWidget(save)
        layout.addLayout(top)
        grid = _table(["Column", "Header", "Examples", "Imported as", "Why"])
        sample = table.sample(4)
        grid.setRowCount(len(mapping.headers))
        combos = []
        for row, header in enumerate(mapping.headers):
            examples = ", ".join(importing.normalise.cell_text(r[row]) or "" for r in sample
                                 if row < len(r) and r[row] not in (None, ""))[:80]
            for col, text in enumerate((excel_column(row), header, examples)):
                grid.setItem(row, col, QTableWidgetItem(text))
            combo = QComboBox()
            combo.addItem("(not imported)", None)
            for field in FIELDS:
                combo.addItem(field.label, field.key)
            combo.setCurrentIndex(max(0, combo.findData(mapping.fields[row])))
            combo.currentIndexChanged.connect(lambda _i, n=index, r=row: self._field(n, r))
            grid.setCellWidget(row, 3, combo)
            grid.setItem(row, 4, QTableWidgetItem(mapping.reasons.get(row, "")))
            combos.append(combo)
        grid.resizeColumnsToContents()
        grid.setColumnWidth(2, min(grid.columnWidth(2), 300))
        grid.setColumnWidth(3, 190)
        layout.addWidget(grid)
        self.combos.append(combos)
        self.departments.append(department)
        self.names.append(name)
        return widget

    def _department(self, index: int, combo: QComboBox) -> None:
        self.wiz().sources[index].mapping.department = combo.currentData()

    def _field(self, index: int, row: int) -> None:
        mapping = self.wiz().sources[index].mapping
        mapping.set(row, self.combos[index][row].currentData())
        for other, combo in enumerate(self.combos[index]):  # one column per field
            combo.blockSignals(True)
            combo.setCurrentIndex(max(0, combo.findData(mapping.fields[other])))
            combo.blockSignals(False)

    def _save(self, index: int) -> None:
        wizard = self.wiz()
        source = wizard.sources[index]
        name = self.names[index].text().strip()
        source.mapping.source = name

        def saved(_result: object) -> None:
            wizard.show_info(f"The mapping was saved as '{name}'.")

        run_operation(self, lambda: importing.save_mapping(wizard.db, wizard.actor, name, source.mapping),
                      saved, self.fail)

    def validatePage(self) -> bool:
        for source in self.wiz().sources:
            if source.mapping.column_of("tag") is None and source.mapping.column_of("serial") is None:
                self.wiz().show_error(f"{source.table.name}: map a column to Tag or Serial, so its rows can "
                                      "be matched to assets.")
                return False
        self.wiz().plan = None
        return True


# -- 3. locations, models and classes --------------------------------------------------------------


class ReferencesPage(_Page):
    def __init__(self) -> None:
        super().__init__()
        self.setTitle("New locations, models and classes")
        self.setSubTitle("Names in the files that the register does not have. Create the locations and "
                         "models, and say which class each unknown class name stands for.")
        self.create_locations = QCheckBox("Create the missing locations (sites, buildings and rooms)")
        self.create_models = QCheckBox("Create the missing models in the catalog")
        self.locations = _table(["Location", "Rows"])
        self.models = _table(["Model", "Rows"])
        self.classes = _table(["Class name in the files", "Rows", "Stands for"])
        layout = QVBoxLayout(self)
        layout.addWidget(self.create_locations)
        layout.addWidget(self.locations)
        layout.addWidget(self.create_models)
        layout.addWidget(self.models)
        layout.addWidget(QLabel("Class names the register does not know:"))
        layout.addWidget(self.classes)
        self.class_combos: dict[str, QComboBox] = {}

    def initializePage(self) -> None:
        wizard = self.wiz()
        wizard.rebuild_plan(self, self._show)

    def _show(self, plan: importing.ImportPlan) -> None:
        unknowns = plan.unknowns
        _fill(self.locations, [[" / ".join(p for p in key[1:] if p), str(n)]
                               for key, n in sorted(unknowns.locations.items())])
        _fill(self.models, [[f"{key[1]} {key[2]}", str(n)] for key, n in sorted(unknowns.models.items())])
        self.classes.setRowCount(len(unknowns.classes))
        self.class_combos = {}
        assert plan.catalog is not None
        for row, (name, count) in enumerate(sorted(unknowns.classes.items())):
            self.classes.setItem(row, 0, QTableWidgetItem(name))
            self.classes.setItem(row, 1, QTableWidgetItem(str(count)))
            combo = QComboBox()
            combo.addItem("(reject these rows)", None)
            for class_id, label in sorted(plan.catalog.class_label.items(), key=lambda item: item[1]):
                combo.addItem(label, class_id)
            self.classes.setCellWidget(row, 2, combo)
            self.class_combos[name] = combo
        self.classes.resizeColumnsToContents()
        self.classes.setColumnWidth(2, 240)
        self.create_locations.setEnabled(bool(unknowns.locations))
        self.create_models.setEnabled(bool(unknowns.models))

    def validatePage(self) -> bool:
        options = self.wiz().options
        options.create_locations = self.create_locations.isChecked()
        options.create_models = self.create_models.isChecked()
        from models.importing.normalise import name_key

        options.class_aliases = {name_key(name): combo.currentData()
                                 for name, combo in self.class_combos.items() if combo.currentData()}
        self.wiz().plan = None
        return True


# -- 4. conflicts ----------------------------------------------------------------------------------


class ConflictsPage(_Page):
    def __init__(self) -> None:
        super().__init__()
        self.setTitle("Conflicts between the files")
        self.setSubTitle("Where the files disagree about an asset, the rule picks a value (Finance wins "
                         "cost and dates, Facilities the room, IT serial, model and assignment). "
                         "Change a field's rule, or pick the value for one asset.")
        self.rules = QTableWidget(0, 2)
        self.rules.setHorizontalHeaderLabels(["Field", "Who wins"])
        self.rules.verticalHeader().setVisible(False)
        self.rules.setMaximumHeight(150)
        self.rules.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        self.rules.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Fixed)
        self.rules.setColumnWidth(1, 220)
        self.conflicts = _table(["Asset", "Field", "Value used", "Why"])
        layout = QVBoxLayout(self)
        layout.addWidget(self.rules)
        layout.addWidget(self.conflicts)
        self.rule_combos: dict[str, QComboBox] = {}
        self.choice_combos: dict[tuple[str, str], QComboBox] = {}

    def initializePage(self) -> None:
        self.wiz().rebuild_plan(self, self._show)

    def _show(self, plan: importing.ImportPlan) -> None:
        fields = sorted({c.field for c in plan.conflicts}, key=lambda f: FIELD_LABELS.get(f, f))
        self.rules.setRowCount(len(fields))
        self.rule_combos = {}
        for row, field in enumerate(fields):
            self.rules.setItem(row, 0, QTableWidgetItem(FIELD_LABELS.get(field, field)))
            combo = QComboBox()
            combo.addItem("the usual rule", None)
            for d in DEPARTMENTS:
                combo.addItem(d.label, d)
            chosen = self.wiz().options.field_rules.get(field)
            combo.setCurrentIndex(max(0, combo.findData(chosen)) if chosen else 0)
            self.rules.setCellWidget(row, 1, combo)
            self.rule_combos[field] = combo
        self.conflicts.setRowCount(len(plan.conflicts))
        self.choice_combos = {}
        for row, conflict in enumerate(plan.conflicts[:2000]):
            self.conflicts.setItem(row, 0, QTableWidgetItem(conflict.key))
            self.conflicts.setItem(row, 1, QTableWidgetItem(FIELD_LABELS.get(conflict.field, conflict.field)))
            combo = QComboBox()
            for candidate in conflict.candidates:
                combo.addItem(f"{plan.display(conflict.field, candidate.value)} — {candidate.department.label}, "
                              f"row {candidate.row}")
            combo.setCurrentIndex(conflict.chosen)
            self.conflicts.setCellWidget(row, 2, combo)
            self.conflicts.setItem(row, 3, QTableWidgetItem(conflict.why))
            self.choice_combos[(conflict.key, conflict.field)] = combo
        self.conflicts.resizeColumnsToContents()
        self.conflicts.setColumnWidth(2, 360)

    def validatePage(self) -> bool:
        options = self.wiz().options
        options.field_rules = {f: c.currentData() for f, c in self.rule_combos.items() if c.currentData()}
        plan = self.wiz().plan
        original = {(c.key, c.field): c.chosen for c in plan.conflicts} if plan else {}
        options.decisions.update({key: combo.currentIndex() for key, combo in self.choice_combos.items()
                                  if combo.currentIndex() != original.get(key)})
        self.wiz().plan = None
        return True


# -- 5. preview ------------------------------------------------------------------------------------


class PreviewPage(_Page):
    def __init__(self) -> None:
        super().__init__()
        self.setTitle("Preview")
        self.setSubTitle("Nothing has been written yet. Import writes all of this in one go, or nothing.")
        self.counts = QLabel()
        self.counts.setWordWrap(True)
        font = self.counts.font()
        font.setPointSizeF(font.pointSizeF() * 1.15)
        font.setBold(True)
        self.counts.setFont(font)
        self.tabs = QTabWidget()
        self.rejected = _table(["File", "Row", "Column", "Why"])
        self.flagged = _table(["File", "Row", "Column", "Left out because"])
        self.changes = _table(["Asset", "Field", "Now", "After the import"])
        self.new = _table(["Tag", "Description", "Cost", "Location", "From"])
        for widget, label in ((self.rejected, "Rejected rows"), (self.flagged, "Values left out"),
                              (self.changes, "Changes"), (self.new, "New assets")):
            self.tabs.addTab(widget, label)
        layout = QVBoxLayout(self)
        layout.addWidget(self.counts)
        layout.addWidget(self.tabs)
        self.committed = False

    def initializePage(self) -> None:
        self.committed = False
        self.wiz().rebuild_plan(self, self._show)

    def _show(self, plan: importing.ImportPlan) -> None:
        c = plan.counts
        self.counts.setText(f"{plan.rows_read:,} rows read: {c['new']:,} new assets, {c['updated']:,} updated, "
                            f"{c['unchanged']:,} unchanged, {c['rejected']:,} rows rejected; "
                            f"{len(plan.conflicts):,} conflicts decided.")
        _fill(self.rejected, [[r.file, str(r.row), r.column, r.reason] for r in plan.rejected])
        _fill(self.flagged, [[r.file, str(r.row), r.column, r.reason] for r in plan.flagged])
        rows = []
        for planned in plan.updated[:2000]:
            for name, value in planned.values.items():
                old = (planned.before or {}).get(name)
                shown_old = (plan.display("funding", tuple(old)) if old else "") if name == "funding" \
                    else plan.display(name, old)
                rows.append([planned.key, FIELD_LABELS.get(name, name), shown_old, plan.display(name, value)])
        _fill(self.changes, rows)
        _fill(self.new, [[p.key, p.values.get("description", ""), plan.display("cost", p.values.get("cost")),
                          plan.display("location", p.values.get("location")),
                          ", ".join(sorted({plan.file_name(f) for f, _ in p.rows}))] for p in plan.new])
        self.tabs.setTabText(0, f"Rejected rows ({c['rejected']:,})")
        self.tabs.setTabText(1, f"Values left out ({len(plan.flagged):,})")
        self.tabs.setTabText(2, f"Changes ({c['updated']:,})")
        self.tabs.setTabText(3, f"New assets ({c['new']:,})")
        self.completeChanged.emit()

    def isComplete(self) -> bool:
        plan = self.wiz().plan if self.wizard() else None
        return bool(plan and (plan.new or plan.updated))

    def validatePage(self) -> bool:
        if self.committed:
            return True
        wizard = self.wiz()
        plan = wizard.plan
        assert plan is not None

        def done(result: importing.ImportResult) -> None:
            wizard.result = result
            self.committed = True
            wizard.next()

        def cancelled() -> None:
            wizard.show_info("The import was cancelled; nothing was written.")

        run_task(self, "Importing", lambda progress: importing.commit_plan(wizard.db, wizard.actor, plan, progress),
                 done, self.fail, cancelled)
        return False


# -- 6. result -----------------------------------------------------------------------------------


class ResultPage(_Page):
    def __init__(self) -> None:
        super().__init__()
        self.setTitle("Imported")
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.undo = QPushButton("Undo this import")
        self.undo.clicked.connect(self._undo)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        row = QHBoxLayout()
        row.addWidget(self.undo)
        row.addStretch()
        layout.addLayout(row)
        layout.addStretch()

    def initializePage(self) -> None:
        result = self.wiz().result
        assert result is not None
        self.summary.setText(
            f"{result.created:,} new assets were added and {result.updated:,} were updated "
            f"({result.unchanged:,} unchanged, {result.rejected:,} rows rejected).\n\n"
            f"The import is recorded as batch {result.batch_id} in the change history. Undo takes "
            "all of it back, as long as nobody has changed its assets since."
        )
        self.undo.setEnabled(True)

    def _undo(self) -> None:
        wizard = self.wiz()
        result = wizard.result
        assert result is not None
        if not wizard.confirm("Undo the import? The assets it added are removed and the fields it changed "
                              "get their earlier values back."):
            return

        def done(undone: importing.UndoResult) -> None:
            self.undo.setEnabled(False)
            self.summary.setText(self.summary.text() + f"\n\nUndone: {undone.deleted:,} assets removed, "
                                 f"{undone.restored:,} restored to their earlier values.")
            wizard.changed()

        run_task(self, "Undoing the import",
                 lambda progress: importing.undo_import(wizard.db, wizard.actor, result.batch_id, progress),
                 done, self.fail)


Prompt = Callable[[str], bool]
__all__ = ["ConflictsPage", "FilesPage", "MappingPage", "PreviewPage", "ReferencesPage", "ResultPage",
           "QMessageBox"]
