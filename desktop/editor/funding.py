"""Who paid for an asset: funding sources and their shares, which must add up to 100%."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal, InvalidOperation

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QVBoxLayout,
    QWidget,
)

from models.errors import ValidationError
from models.queries.choices import FundingChoice
from models.services.assets import Share

HUNDRED = Decimal("100.00")


class FundingEditor(QWidget):
    """Rows of (funding source, percent) with a running total."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.sources: list[FundingChoice] = []
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.table = QTableWidget(0, 2)
        self.table.setObjectName("fundingTable")
        self.table.setHorizontalHeaderLabels(["Funding source", "Share (%)"])
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Fixed)
        header.resizeSection(1, 110)
        self.table.setMinimumHeight(150)
        layout.addWidget(self.table)
        buttons = QHBoxLayout()
        self.add_button = QPushButton("Add source")
        self.remove_button = QPushButton("Remove selected")
        self.add_button.clicked.connect(lambda: self.add_row())
        self.remove_button.clicked.connect(self.remove_selected)
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.remove_button)
        buttons.addStretch(1)
        self.total_label = QLabel("")
        self.total_label.setObjectName("fundingTotal")
        buttons.addWidget(self.total_label)
        layout.addLayout(buttons)
        self.error = QLabel("")
        self.error.setObjectName("fieldError")
        self.error.setStyleSheet("color: #b3261e;")
        self.error.setWordWrap(True)
        self.error.hide()
        layout.addWidget(self.error)
        self._update_total()

    def set_sources(self, sources: Sequence[FundingChoice]) -> None:
        self.sources = list(sources)

    def add_row(self, source_id: int | None = None, percent: Decimal | None = None) -> None:
        row = self.table.rowCount()
        self.table.insertRow(row)
        combo = QComboBox()
        for source in self.sources:
            suffix = " (federal)" if source.is_federal else ""
            combo.addItem(source.label + suffix, source.key)
        if source_id is not None:
            index = combo.findData(source_id)
            combo.setCurrentIndex(max(index, 0))
        elif row == 0 and percent is None:
            percent = HUNDRED
        combo.currentIndexChanged.connect(self._edited)
        share = QLineEdit("" if percent is None else f"{percent:.2f}")
        share.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        share.textEdited.connect(self._edited)
        self.table.setCellWidget(row, 0, combo)
        self.table.setCellWidget(row, 1, share)
        self._edited()

    def remove_selected(self) -> None:
        rows = sorted({index.row() for index in self.table.selectedIndexes()}, reverse=True)
        if not rows and self.table.rowCount():
            rows = [self.table.currentRow() if self.table.currentRow() >= 0 else self.table.rowCount() - 1]
        for row in rows:
            self.table.removeRow(row)
        self._edited()

    def set_shares(self, shares: Sequence[tuple[int, Decimal]]) -> None:
        self.table.setRowCount(0)
        for source_id, percent in shares:
            self.add_row(source_id, percent)
        self._update_total()

    def rows(self) -> list[tuple[int, str]]:
        out = []
        for row in range(self.table.rowCount()):
            combo: QComboBox = self.table.cellWidget(row, 0)
            share: QLineEdit = self.table.cellWidget(row, 1)
            out.append((combo.currentData(), share.text().strip()))
        return out

    def shares(self) -> list[Share]:
        """The rows as shares; a ValidationError on "funding" names what is wrong."""
        result = []
        for number, (source_id, text) in enumerate(self.rows(), 1):
            if source_id is None:
                raise ValidationError("funding", f"row {number} has no funding source")
            try:
                percent = Decimal(text.rstrip("%").strip())
            except InvalidOperation:
                raise ValidationError("funding", f"row {number}: '{text}' is not a percentage") from None
            if not percent.is_finite() or percent <= 0 or percent > 100:
                raise ValidationError("funding", f"row {number}: a share must be more than 0% and at most 100%")
            result.append(Share(source_id, percent.quantize(Decimal("0.01"))))
        total = sum((s.percent for s in result), Decimal("0.00"))
        if result and total != HUNDRED:
            raise ValidationError("funding", f"the shares add up to {total:.2f}%, not 100%")
        return result

    def total(self) -> Decimal | None:
        total = Decimal("0.00")
        for _source, text in self.rows():
            try:
                total += Decimal(text.rstrip("%").strip() or "0")
            except InvalidOperation:
                return None
        return total

    def _edited(self, *_args: object) -> None:
        self._update_total()
        self.changed.emit()

    def _update_total(self) -> None:
        total = self.total()
        if not self.table.rowCount():
            self.total_label.setText("No funding recorded")
            self.total_label.setStyleSheet("")
            return
        if total is None:
            self.total_label.setText("Total: not a number")
        else:
            self.total_label.setText(f"Total: {total:.2f}%")
        ok = total == HUNDRED
        self.total_label.setStyleSheet("" if ok else "color: #b3261e; font-weight: bold;")
        federal = Decimal("0.00")
        federal_ids = {s.key for s in self.sources if s.is_federal}
        for source_id, text in self.rows():
            if source_id in federal_ids:
                try:
                    federal += Decimal(text.rstrip("%").strip() or "0")
                except InvalidOperation:
                    pass
        if federal and total is not None:
            self.total_label.setText(self.total_label.text() + f" · federal share {federal:.2f}%")

    def show_error(self, message: str) -> None:
        self.error.setText(message)
        self.error.show()

    def clear_error(self) -> None:
        self.error.hide()
        self.error.setText("")

    @property
    def error_text(self) -> str:
        return self.error.text() if self.error.isVisibleTo(self) else ""

    def set_read_only(self, read_only: bool) -> None:
        self.table.setEnabled(not read_only)
        self.add_button.setEnabled(not read_only)
        self.remove_button.setEnabled(not read_only)
