"""The import wizard: files → mapping → new names → conflicts → preview → result (with Undo).

``ImportWizard`` holds what the pages share: the chosen files with their mappings,
the plan options, the current preview and the result. Messages go through
``prompts`` so tests replace them instead of clicking dialogs.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QSize, Signal
from PySide6.QtWidgets import QMessageBox, QWidget, QWizard

from desktop.importing.pages import (
    ConflictsPage,
    FilesPage,
    MappingPage,
    PreviewPage,
    ReferencesPage,
    ResultPage,
)
from desktop.operations import run_task
from models import importing
from models.actor import current_actor
from models.database import Database
from models.errors import UserError


class Prompts:
    """How the wizard talks to the user; tests put a recorder in its place."""

    def __init__(self, parent: QWidget) -> None:
        self.parent = parent

    def error(self, message: str) -> None:
        QMessageBox.warning(self.parent, "Import", message)

    def info(self, message: str) -> None:
        QMessageBox.information(self.parent, "Import", message)

    def confirm(self, message: str) -> bool:
        answer = QMessageBox.question(self.parent, "Import", message)
        return answer == QMessageBox.StandardButton.Yes


class ImportWizard(QWizard):
    imported = Signal()  # the register changed (an import or its undo)

    FILES, MAPPING, REFERENCES, CONFLICTS, PREVIEW, RESULT = range(6)

    def __init__(self, db: Database, parent: QWidget | None = None, actor: str | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.actor = actor or current_actor()
        self.sources: list[importing.SourceFile] = []
        self.options = importing.PlanOptions()
        self.plan: importing.ImportPlan | None = None
        self.result: importing.ImportResult | None = None
        self.prompts = Prompts(self)
        self.setWindowTitle("Import spreadsheets")
        self.setWizardStyle(QWizard.WizardStyle.ClassicStyle)
        self.setOption(QWizard.WizardOption.NoBackButtonOnLastPage, True)
        self.setOption(QWizard.WizardOption.NoCancelButtonOnLastPage, True)
        self.files_page = FilesPage()
        self.mapping_page = MappingPage()
        self.references_page = ReferencesPage()
        self.conflicts_page = ConflictsPage()
        self.preview_page = PreviewPage()
        self.result_page = ResultPage()
        for page_id, page in enumerate((self.files_page, self.mapping_page, self.references_page,
                                        self.conflicts_page, self.preview_page, self.result_page)):
            self.setPage(page_id, page)
        self.preview_page.setButtonText(QWizard.WizardButton.NextButton, "Import")
        self.result_page.setFinalPage(True)
        self.setMinimumSize(QSize(900, 620))

    def sizeHint(self) -> QSize:
        return QSize(1000, 680)

    def rebuild_plan(self, page: QWidget, on_done: Callable[[importing.ImportPlan], None]) -> None:
        """The preview for the current files and choices (built off the UI thread when stale)."""
        if self.plan is not None:
            on_done(self.plan)
            return
        sources, options = list(self.sources), self.options

        def work(progress: Any) -> importing.ImportPlan:
            return importing.build_plan(self.db, sources, options, progress)

        def done(plan: importing.ImportPlan) -> None:
            self.plan = plan
            on_done(plan)

        run_task(page, "Preparing the preview", work, done, lambda err: self.show_error(err.message))

    def show_error(self, message: str) -> None:
        self.prompts.error(message)

    def show_info(self, message: str) -> None:
        self.prompts.info(message)

    def confirm(self, message: str) -> bool:
        return self.prompts.confirm(message)

    def changed(self) -> None:
        self.imported.emit()

    def accept(self) -> None:
        if self.result is not None:
            self.changed()
        super().accept()


def open_import_wizard(parent: QWidget | None, db: Database, paths: list[str] | None = None) -> ImportWizard:
    """The wizard for File ▸ Import…, shown (not modal); ``paths`` preselects files."""
    if db.read_only:
        raise UserError(db.read_only_reason or "This database is read-only.")
    wizard = ImportWizard(db, parent)
    if paths:
        wizard.files_page.add_paths(paths)
    wizard.show()
    return wizard
