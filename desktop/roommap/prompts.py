"""The questions the map asks the user, in one object that tests replace."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QInputDialog,
    QLineEdit,
    QMessageBox,
    QWidget,
)

from models.queries.roommap import MapRoom
from models.schema.vocab import RoomType

NEW_ROOM = -1


class Prompts:
    def __init__(self, parent: QWidget) -> None:
        self.parent = parent

    def choose_room(self, rooms: list[MapRoom]) -> int | None:
        """Which room a drawn outline is: one of ``rooms`` (id), NEW_ROOM, or None (cancel)."""
        labels = [f"{r.label}" + ("" if r.outline is None else "  (has an outline: replace it)")
                  for r in rooms] + ["New room…"]
        text, ok = QInputDialog.getItem(self.parent, "Which room is this?",
                                        "Link the outline to the room:", labels, 0, False)
        if not ok:
            return None
        index = labels.index(text)
        return NEW_ROOM if index == len(rooms) else rooms[index].id

    def room_details(self, number: str = "", name: str = "", room_type: str = "classroom",
                     title: str = "New room") -> tuple[str, str, str] | None:
        dialog = QDialog(self.parent)
        dialog.setWindowTitle(title)
        form = QFormLayout(dialog)
        number_edit = QLineEdit(number)
        name_edit = QLineEdit(name)
        kind = QComboBox()
        for value in RoomType:
            kind.addItem(value.value.replace("_", " ").capitalize(), value.value)
        kind.setCurrentIndex(max(0, kind.findData(room_type)))
        form.addRow("Number", number_edit)
        form.addRow("Name", name_edit)
        form.addRow("Type", kind)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(dialog.accept)
        buttons.rejected.connect(dialog.reject)
        form.addRow(buttons)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return None
        return number_edit.text(), name_edit.text(), kind.currentData()

    def open_image(self) -> str | None:
        path, _ = QFileDialog.getOpenFileName(self.parent, "Import a floor plan", "",
                                              "Plan images (*.png *.jpg *.jpeg)")
        return path or None

    def save_path(self, title: str, suggested: str) -> str | None:
        path, _ = QFileDialog.getSaveFileName(self.parent, title, suggested, "PDF (*.pdf)")
        return path or None

    def confirm(self, title: str, text: str) -> bool:
        answer = QMessageBox.question(self.parent, title, text)
        return answer == QMessageBox.StandardButton.Yes

    def unsaved(self) -> str:
        """'save', 'discard' or 'cancel' for unsaved map changes."""
        box = QMessageBox(QMessageBox.Icon.Question, "Unsaved changes",
                          "This floor has changes that are not saved.", parent=self.parent)
        save = box.addButton("Save", QMessageBox.ButtonRole.AcceptRole)
        discard = box.addButton("Discard", QMessageBox.ButtonRole.DestructiveRole)
        box.addButton(QMessageBox.StandardButton.Cancel)
        box.exec()
        clicked = box.clickedButton()
        return "save" if clicked is save else "discard" if clicked is discard else "cancel"

    def error(self, text: str) -> None:
        QMessageBox.warning(self.parent, "Room maps", text)

    def info(self, text: str) -> None:
        QMessageBox.information(self.parent, "Room maps", text)
