"""The input widgets of the asset editor. Each knows how to show a stored value, hand back
what the user entered (as text the services clean), and show a message under itself."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from decimal import Decimal
from typing import Any

from PySide6.QtCore import QDate, QStringListModel, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QCompleter,
    QDateEdit,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from desktop.format import money_text
from desktop.operations import run_operation
from models.errors import ValidationError
from models.queries.choices import Choice

NO_DATE = QDate(1850, 1, 1)


class Field(QWidget):
    """An input with its validation message underneath."""

    edited = Signal()

    def __init__(self, name: str, editor: QWidget, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.name = name
        self.editor = editor
        self.editor.setObjectName(f"field_{name}")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(editor)
        self.error = QLabel("")
        self.error.setObjectName("fieldError")
        self.error.setWordWrap(True)
        self.error.setStyleSheet("color: #b3261e;")
        self.error.hide()
        layout.addWidget(self.error)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Maximum)

    def show_error(self, message: str) -> None:
        self.error.setText(message)
        self.error.show()
        self.editor.setProperty("invalid", True)
        self.editor.setStyleSheet("border: 1px solid #b3261e;")

    def clear_error(self) -> None:
        self.error.hide()
        self.error.setText("")
        self.editor.setStyleSheet("")

    @property
    def error_text(self) -> str:
        return self.error.text() if self.error.isVisibleTo(self) else ""

    def set_read_only(self, read_only: bool) -> None:
        self.editor.setEnabled(not read_only)

    # Subclasses: value() -> what the service gets; set_value(value, label)
    def value(self) -> Any:
        raise NotImplementedError

    def set_value(self, value: Any, label: str | None = None) -> None:
        raise NotImplementedError


class TextField(Field):
    def __init__(self, name: str, *, placeholder: str = "", max_length: int = 0) -> None:
        line = QLineEdit()
        line.setPlaceholderText(placeholder)
        if max_length:
            line.setMaxLength(max_length + 50)  # longer input is refused with a message, not cut
        super().__init__(name, line)
        line.editingFinished.connect(self.edited)

    def value(self) -> str | None:
        text = self.editor.text().strip()
        return text or None

    def set_value(self, value: Any, label: str | None = None) -> None:
        self.editor.setText("" if value is None else str(value))


class MoneyField(TextField):
    def __init__(self, name: str) -> None:
        super().__init__(name, placeholder="$0.00")
        self.editor.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)

    def set_value(self, value: Any, label: str | None = None) -> None:
        self.editor.setText("" if value is None else money_text(Decimal(value)))


class NotesField(Field):
    def __init__(self, name: str, *, height: int = 90) -> None:
        box = QPlainTextEdit()
        box.setFixedHeight(height)
        super().__init__(name, box)
        box.textChanged.connect(self.edited)

    def value(self) -> str | None:
        return self.editor.toPlainText().strip() or None

    def set_value(self, value: Any, label: str | None = None) -> None:
        self.editor.setPlainText("" if value is None else str(value))


class FlagField(Field):
    def __init__(self, name: str, text: str) -> None:
        box = QCheckBox(text)
        super().__init__(name, box)
        box.toggled.connect(self.edited)

    def value(self) -> bool:
        return self.editor.isChecked()

    def set_value(self, value: Any, label: str | None = None) -> None:
        self.editor.setChecked(bool(value))


class DateField(Field):
    """A date as the OS shows it, with a calendar; optional dates can be left empty ("—")."""

    def __init__(self, name: str, *, required: bool = False) -> None:
        edit = QDateEdit()
        edit.setCalendarPopup(True)
        edit.setMinimumDate(NO_DATE)
        edit.setMaximumDate(QDate(2200, 12, 31))
        self.required = required
        if not required:
            edit.setSpecialValueText("—")
        super().__init__(name, edit)
        edit.dateChanged.connect(self.edited)
        self.set_value(None)

    def value(self) -> date | None:
        chosen = self.editor.date()
        if chosen == NO_DATE:
            return None
        return date(chosen.year(), chosen.month(), chosen.day())

    def set_value(self, value: Any, label: str | None = None) -> None:
        if value is None:
            self.editor.setDate(NO_DATE if not self.required else QDate.currentDate())
        else:
            self.editor.setDate(QDate(value.year, value.month, value.day))


class ChoiceField(Field):
    """A short fixed list (status, class, department...); ``optional`` adds "—" for none."""

    def __init__(self, name: str, choices: Sequence[Choice] = (), *, optional: bool = False,
                 none_text: str = "—") -> None:
        combo = QComboBox()
        self.none_text = none_text
        combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        combo.setMinimumContentsLength(24)
        self.optional = optional
        super().__init__(name, combo)
        self.set_choices(choices)
        combo.currentIndexChanged.connect(self.edited)

    def set_choices(self, choices: Sequence[Choice]) -> None:
        combo: QComboBox = self.editor
        current = self.value() if combo.count() else None
        combo.blockSignals(True)
        combo.clear()
        if self.optional:
            combo.addItem(self.none_text, None)
        for choice in choices:
            combo.addItem(choice.label, choice.key)
        combo.blockSignals(False)
        if current is not None:
            self.set_value(current)

    def value(self) -> Any:
        return self.editor.currentData()

    def set_value(self, value: Any, label: str | None = None) -> None:
        combo: QComboBox = self.editor
        index = combo.findData(value)
        if index < 0 and value is not None:
            combo.addItem(label or str(value), value)  # e.g. a retired code still on old records
            index = combo.count() - 1
        combo.setCurrentIndex(max(index, 0))


class LookupField(Field):
    """A record from a long list (room, person, model, parent asset): type to search, pick one.

    The search runs off the UI thread through ``search(text)``; until the user picks an
    entry the typed text is not a value, and ``value()`` says so by naming the field.
    """

    def __init__(self, name: str, search: Callable[[str], list[Choice]], *, noun: str) -> None:
        line = QLineEdit()
        article = "an" if noun[:1].lower() in "aeiou" else "a"
        line.setPlaceholderText(f"Type to find {article} {noun}…")
        line.setClearButtonEnabled(True)
        super().__init__(name, line)
        self.noun = noun
        self.search = search
        self.key: Any = None
        self.label = ""
        self.found: dict[str, Any] = {}
        self.model = QStringListModel(self)
        self.completer = QCompleter(self.model, self)
        self.completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.completer.setFilterMode(Qt.MatchFlag.MatchContains)
        self.completer.setMaxVisibleItems(12)
        line.setCompleter(self.completer)
        self.completer.activated[str].connect(self.pick_label)
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(150)
        self.timer.timeout.connect(self._look_up)
        line.textEdited.connect(lambda _text: self.timer.start())
        line.editingFinished.connect(self._finished)
        self.searches = 0

    def _look_up(self) -> None:
        text = self.editor.text()
        self.searches += 1
        ticket = self.searches
        run_operation(self, lambda: self.search(text), lambda found: self._found(ticket, found))

    def _found(self, ticket: int, found: list[Choice]) -> None:
        if ticket != self.searches:
            return  # a later keystroke's search is on its way
        self.found = {c.label: c.key for c in found}
        self.model.setStringList(list(self.found))
        if self.editor.hasFocus() and found:
            self.completer.complete()

    def pick_label(self, label: str) -> None:
        if label in self.found:
            self.key = self.found[label]
            self.label = label
            self.editor.setText(label)
            self.clear_error()
            self.edited.emit()

    def _finished(self) -> None:
        text = self.editor.text().strip()
        if text in self.found and text != self.label:
            self.pick_label(text)
        elif not text and self.key is not None:
            self.key, self.label = None, ""
            self.edited.emit()

    def value(self) -> Any:
        text = self.editor.text().strip()
        if not text:
            return None
        if text != self.label:
            if text in self.found:
                self.pick_label(text)
                return self.key
            raise ValidationError(self.name, f"'{text}' is not a {self.noun}; pick one from the list")
        return self.key

    def set_value(self, value: Any, label: str | None = None) -> None:
        self.key = value
        self.label = (label or str(value)) if value is not None else ""
        self.editor.setText(self.label)


class ReadOnlyField(Field):
    """A value changed only through its own action (assignment, disposal)."""

    def __init__(self, name: str) -> None:
        label = QLabel("—")
        label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        super().__init__(name, label)
        self._value: Any = None

    def value(self) -> Any:
        return self._value

    def set_value(self, value: Any, label: str | None = None) -> None:
        self._value = value
        self.editor.setText(label or ("—" if value is None else str(value)))

    def set_read_only(self, read_only: bool) -> None:
        pass
