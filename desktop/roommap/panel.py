"""The side panel: the clicked room's summary and its assets. Rows can be dragged onto
another room of the map to move them (pending until Save)."""

from __future__ import annotations

from PySide6.QtCore import QAbstractTableModel, QMimeData, QModelIndex, Qt, Signal
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QLabel, QTableView, QVBoxLayout, QWidget

from desktop.format import money_text
from desktop.roommap.items import MIME_ASSETS
from models.queries.roommap import RoomAsset

HEADERS = ("Tag", "Description", "Serial", "Condition", "Cost")


class RoomAssetsModel(QAbstractTableModel):
    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.assets: list[RoomAsset] = []
        self.pending: dict[int, str] = {}  # asset id -> "to room 104"

    def show_assets(self, assets: list[RoomAsset], pending: dict[int, str] | None = None) -> None:
        self.beginResetModel()
        self.assets = list(assets)
        self.pending = dict(pending or {})
        self.endResetModel()

    def rowCount(self, parent=QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(self.assets)

    def columnCount(self, parent=QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(HEADERS)

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):  # noqa: N802
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return HEADERS[section]
        return None

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        asset = self.assets[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            description = asset.description
            if asset.id in self.pending:
                description = f"{description} → {self.pending[asset.id]} (not saved)"
            return (asset.tag, description, asset.serial or "", asset.condition.capitalize(),
                    money_text(asset.cost))[index.column()]
        if role == Qt.ItemDataRole.UserRole:
            return asset.id
        if role == Qt.ItemDataRole.TextAlignmentRole and index.column() == 4:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ToolTipRole:
            return f"{asset.tag}: {asset.description}"
        return None

    def flags(self, index):
        base = super().flags(index)
        return base | Qt.ItemFlag.ItemIsDragEnabled if index.isValid() else base

    def mimeTypes(self) -> list[str]:  # noqa: N802
        return [MIME_ASSETS]

    def mimeData(self, indexes) -> QMimeData:  # noqa: N802
        ids = sorted({self.assets[i.row()].id for i in indexes if i.isValid()})
        return asset_mime(ids)

    def supportedDragActions(self):  # noqa: N802
        return Qt.DropAction.MoveAction


def asset_mime(asset_ids: list[int]) -> QMimeData:
    mime = QMimeData()
    mime.setData(MIME_ASSETS, ",".join(str(i) for i in asset_ids).encode("ascii"))
    return mime


class RoomPanel(QWidget):
    asset_activated = Signal(int)  # double-click or Enter on a row: open the asset

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.title = QLabel("Click a room to see what it holds")
        self.title.setObjectName("heading")
        self.title.setWordWrap(True)
        self.summary = QLabel("")
        self.summary.setWordWrap(True)
        self.model = RoomAssetsModel(self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.setDragEnabled(True)
        self.table.setDragDropMode(QAbstractItemView.DragDropMode.DragOnly)
        self.table.setDefaultDropAction(Qt.DropAction.MoveAction)
        self.table.verticalHeader().hide()
        self.table.setAlternatingRowColors(True)
        self.table.activated.connect(lambda index: self.asset_activated.emit(self.model.assets[index.row()].id))
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setDefaultSectionSize(72)
        header.setStretchLastSection(False)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.hint = QLabel("Double-click an asset to open it. Drag assets onto another room to move "
                           "them; Save writes the moves.")
        self.hint.setWordWrap(True)
        self.hint.setObjectName("subtitle")
        layout.addWidget(self.title)
        layout.addWidget(self.summary)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.hint)
        self.room_id: int | None = None

    def show_room(self, room_id: int, title: str, summary: str, assets: list[RoomAsset],
                  pending: dict[int, str] | None = None) -> None:
        self.room_id = room_id
        self.title.setText(title)
        self.summary.setText(summary)
        self.model.show_assets(assets, pending)
        self.table.resizeColumnToContents(0)
        self.table.resizeColumnToContents(2)
        self.table.resizeColumnToContents(3)
        self.table.resizeColumnToContents(4)

    def clear(self) -> None:
        self.room_id = None
        self.title.setText("Click a room to see what it holds")
        self.summary.setText("")
        self.model.show_assets([])

    def select_asset(self, asset_id: int) -> None:
        for row, asset in enumerate(self.model.assets):
            if asset.id == asset_id:
                self.table.selectRow(row)
                self.table.scrollTo(self.model.index(row, 0))
                return
