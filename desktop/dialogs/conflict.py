"""Someone saved the asset while you were editing it: yours and theirs side by side, and a
choice per field. Nothing is saved until every field has a choice."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QRadioButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

MINE = "mine"
THEIRS = "theirs"


@dataclass(frozen=True)
class ConflictRow:
    field: str
    label: str
    mine: str
    theirs: str


class ConflictDialog(QDialog):
    """``resolved`` carries {field: "mine" | "theirs"}; closing it cancels the save."""

    resolved = Signal(dict)

    def __init__(self, rows: list[ConflictRow], message: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Someone else changed this asset")
        self.setObjectName("conflictDialog")
        self.rows = rows
        layout = QVBoxLayout(self)
        intro = QLabel(message + "\n\nFor each field, keep your value or take the one now saved. "
                       "Fields only they changed keep their value.")
        intro.setWordWrap(True)
        layout.addWidget(intro)
        grid_host = QWidget()
        grid = QGridLayout(grid_host)
        grid.setHorizontalSpacing(16)
        for column, title in enumerate(["Field", "Yours", "Saved by them", "Keep"]):
            heading = QLabel(f"<b>{title}</b>")
            grid.addWidget(heading, 0, column)
        self.groups: dict[str, QButtonGroup] = {}
        self.buttons: dict[str, dict[str, QRadioButton]] = {}
        for index, row in enumerate(rows, 1):
            grid.addWidget(QLabel(row.label), index, 0)
            mine = QLabel(row.mine)
            theirs = QLabel(row.theirs)
            for label in (mine, theirs):
                label.setWordWrap(True)
                label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
                label.setMaximumWidth(260)
            grid.addWidget(mine, index, 1)
            grid.addWidget(theirs, index, 2)
            choice = QHBoxLayout()
            group = QButtonGroup(self)
            keep_mine = QRadioButton("Mine")
            take_theirs = QRadioButton("Theirs")
            keep_mine.setObjectName(f"mine_{row.field}")
            take_theirs.setObjectName(f"theirs_{row.field}")
            group.addButton(keep_mine)
            group.addButton(take_theirs)
            group.buttonToggled.connect(self._update)
            choice.addWidget(keep_mine)
            choice.addWidget(take_theirs)
            grid.addLayout(choice, index, 3)
            self.groups[row.field] = group
            self.buttons[row.field] = {MINE: keep_mine, THEIRS: take_theirs}
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(grid_host)
        scroll.setMinimumHeight(min(80 + 36 * len(rows), 420))
        layout.addWidget(scroll, 1)
        shortcuts = QHBoxLayout()
        all_mine = QPushButton("Keep all mine")
        all_theirs = QPushButton("Take all theirs")
        all_mine.clicked.connect(lambda: self.choose_all(MINE))
        all_theirs.clicked.connect(lambda: self.choose_all(THEIRS))
        shortcuts.addWidget(all_mine)
        shortcuts.addWidget(all_theirs)
        shortcuts.addStretch(1)
        layout.addLayout(shortcuts)
        self.box = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.save_button = self.box.addButton("Save my choices", QDialogButtonBox.ButtonRole.AcceptRole)
        self.box.accepted.connect(self._accept)
        self.box.rejected.connect(self.reject)
        layout.addWidget(self.box)
        self.resize(760, 200 + 40 * min(len(rows), 8))
        self._update()

    def choose(self, field: str, which: str) -> None:
        self.buttons[field][which].setChecked(True)

    def choose_all(self, which: str) -> None:
        for field in self.buttons:
            self.choose(field, which)

    def choices(self) -> dict[str, str | None]:
        result: dict[str, str | None] = {}
        for field, buttons in self.buttons.items():
            result[field] = next((which for which, b in buttons.items() if b.isChecked()), None)
        return result

    def _update(self, *_args: object) -> None:
        undecided = [f for f, which in self.choices().items() if which is None]
        self.save_button.setEnabled(not undecided)
        self.save_button.setToolTip("Choose mine or theirs for every field first" if undecided else "")

    def _accept(self) -> None:
        choices = self.choices()
        if any(which is None for which in choices.values()):
            return
        self.accept()
        self.resolved.emit(choices)
