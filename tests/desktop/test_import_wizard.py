"""The import wizard on the three sample files against the demo district: every page,
the import, and its undo. Set CG_SCREENSHOTS=DIR to keep a PNG of each page."""

import os
from pathlib import Path

from sqlalchemy import func, select

from desktop.importing.wizard import ImportWizard, open_import_wizard
from models.schema import Asset, ImportBatch

DATA = Path(__file__).resolve().parents[1] / "data"
SAMPLES = [str(DATA / n) for n in ("it_devices.csv", "finance_fixed_assets.xlsx", "facilities_rooms.csv")]


class Recorder:
    def __init__(self):
        self.errors, self.infos = [], []

    def error(self, message):
        self.errors.append(message)

    def info(self, message):
        self.infos.append(message)

    def confirm(self, message):
        return True


def _shot(wizard, tmp_path, name):
    # The page's background work is over once its progress dialog is gone.
    from PySide6.QtWidgets import QApplication, QProgressDialog

    for _ in range(50):
        if not wizard.findChildren(QProgressDialog):
            break
        QApplication.processEvents()
    folder = Path(os.environ.get("CG_SCREENSHOTS") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"import-{name}.png"
    assert wizard.grab().save(str(path))
    return path


def _count(db):
    with db.reading() as s:
        return s.scalar(select(func.count()).select_from(Asset))


def test_wizard_walks_the_sample_files_through_import_and_undo(qtbot, demo_db, tmp_path):
    before = _count(demo_db)
    wizard = open_import_wizard(None, demo_db, SAMPLES)
    qtbot.addWidget(wizard)
    wizard.prompts = prompts = Recorder()
    wizard.resize(1000, 680)
    qtbot.waitExposed(wizard)
    _shot(wizard, tmp_path, "1-files")
    assert wizard.files_page.files.count() == 3

    wizard.next()
    qtbot.waitUntil(lambda: wizard.currentId() == ImportWizard.MAPPING, timeout=20_000)
    assert wizard.mapping_page.tabs.count() == 3
    _shot(wizard, tmp_path, "2-mapping")
    wizard.mapping_page.tabs.setCurrentIndex(1)
    _shot(wizard, tmp_path, "2b-mapping-finance")

    wizard.next()
    qtbot.waitUntil(lambda: wizard.plan is not None, timeout=20_000)
    assert wizard.references_page.locations.rowCount() == 2
    _shot(wizard, tmp_path, "3-references")

    wizard.next()
    qtbot.waitUntil(lambda: wizard.currentId() == ImportWizard.CONFLICTS and wizard.plan is not None, timeout=20_000)
    assert wizard.conflicts_page.conflicts.rowCount() == len(wizard.plan.conflicts) > 0
    _shot(wizard, tmp_path, "4-conflicts")

    wizard.next()
    qtbot.waitUntil(lambda: wizard.currentId() == ImportWizard.PREVIEW and wizard.plan is not None, timeout=20_000)
    page = wizard.preview_page
    assert "10 new assets, 4 updated" in page.counts.text()
    assert page.rejected.rowCount() == len(wizard.plan.rejected)
    assert _count(demo_db) == before  # the preview wrote nothing
    _shot(wizard, tmp_path, "5-preview")

    wizard.next()
    qtbot.waitUntil(lambda: wizard.currentId() == ImportWizard.RESULT, timeout=30_000)
    assert _count(demo_db) == before + 10
    _shot(wizard, tmp_path, "6-result")

    with qtbot.waitSignal(wizard.imported, timeout=30_000):
        wizard.result_page.undo.click()
    assert _count(demo_db) == before
    with demo_db.reading() as s:
        assert s.get(ImportBatch, wizard.result.batch_id).undone_at is not None
    _shot(wizard, tmp_path, "7-undone")
    assert prompts.errors == []
    wizard.close()


def test_a_broken_file_is_reported_and_the_wizard_stays_on_the_files(qtbot, db, tmp_path):
    broken = tmp_path / "broken.xlsx"
    broken.write_bytes(b"PK\x03\x04 nope")
    wizard = ImportWizard(db)
    qtbot.addWidget(wizard)
    wizard.prompts = prompts = Recorder()
    wizard.files_page.add_paths([str(broken)])
    wizard.show()
    wizard.next()
    qtbot.waitUntil(lambda: bool(prompts.errors), timeout=10_000)
    assert "broken.xlsx" in prompts.errors[-1] and "not a readable workbook" in prompts.errors[-1]
    assert wizard.currentId() == ImportWizard.FILES
