"""Printing the map through the system print dialog: the same page as the PDF (title, the
floor scaled to fit, the legend), painted with QPainter onto the printer."""

from __future__ import annotations

from PySide6.QtCore import QMarginsF, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QPageLayout, QPageSize, QPainter
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import QWidget

from desktop.roommap.scene import FloorScene
from models.roommap.overlay import LegendEntry


def paint_page(painter: QPainter, page: QRectF, scene: FloorScene, title: str, subtitle: str,
               legend_title: str, legend: list[LegendEntry]) -> None:
    painter.save()
    font = QFont()
    font.setPointSizeF(14)
    font.setBold(True)
    painter.setFont(font)
    metrics_height = painter.fontMetrics().height()
    painter.drawText(QRectF(page.left(), page.top(), page.width(), metrics_height),
                     Qt.AlignmentFlag.AlignLeft, title)
    font.setPointSizeF(9)
    font.setBold(False)
    painter.setFont(font)
    line = painter.fontMetrics().height()
    painter.drawText(QRectF(page.left(), page.top() + metrics_height + 2, page.width(), line),
                     Qt.AlignmentFlag.AlignLeft, subtitle)
    top = page.top() + metrics_height + line + 12
    legend_width = page.width() * 0.2
    target = QRectF(page.left(), top, page.width() - legend_width - 12, page.bottom() - top)
    scene.render(painter, target, scene.sceneRect(), Qt.AspectRatioMode.KeepAspectRatio)
    x = target.right() + 12
    y = top
    font.setBold(True)
    painter.setFont(font)
    painter.drawText(QRectF(x, y, legend_width, line), Qt.AlignmentFlag.AlignLeft, legend_title)
    font.setBold(False)
    painter.setFont(font)
    for entry in legend:
        y += line + 4
        painter.fillRect(QRectF(x, y + 2, line * 1.3, line - 4), QColor(entry.colour))
        painter.drawRect(QRectF(x, y + 2, line * 1.3, line - 4))
        painter.drawText(QRectF(x + line * 1.6, y, legend_width - line * 1.6, line),
                         Qt.AlignmentFlag.AlignLeft, entry.label)
    painter.restore()


def print_floor(parent: QWidget, scene: FloorScene, title: str, subtitle: str,
                legend_title: str, legend: list[LegendEntry], printer: QPrinter | None = None) -> bool:
    """Ask for a printer (unless one is given) and print the floor on one landscape Letter page."""
    if printer is None:
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setPageLayout(QPageLayout(QPageSize(QPageSize.PageSizeId.Letter),
                                          QPageLayout.Orientation.Landscape, QMarginsF(12, 12, 12, 12),
                                          QPageLayout.Unit.Millimeter))
        dialog = QPrintDialog(printer, parent)
        if dialog.exec() != QPrintDialog.DialogCode.Accepted:
            return False
    painter = QPainter()
    if not painter.begin(printer):
        return False
    try:
        page = QRectF(printer.pageLayout().paintRectPixels(printer.resolution()))
        page.moveTo(0, 0)
        paint_page(painter, page, scene, title, subtitle, legend_title, legend)
    finally:
        painter.end()
    return True
