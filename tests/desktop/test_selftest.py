"""The self-test the frozen program runs: it passes on a working build and names what is broken."""

from __future__ import annotations

import importlib.abc
import importlib.util
import io
import os
import sys

import pytest
from PySide6.QtCore import qWarning

from desktop import selftest
from desktop.selftest import STEP_KEYS, Step, StepFailed, run_self_test, run_steps
from desktop.views.planned import built_view

# Everything the self-test checks that exists today, whoever is still building the rest.
ALWAYS_BUILT = ["modules", "resources", "migrations", "database", "window", "barcodes", "charts"]


def _components_present() -> dict[str, bool]:
    return {
        "register": built_view("register") is not None,
        "depreciation": built_view("depreciation") is not None,
        "room_sheet": importlib.util.find_spec("reports.room_sheet") is not None,
    }


def _run(steps=None, **kwargs) -> tuple[int, str]:
    out = io.StringIO()
    code = run_self_test(steps, out=out, **kwargs)
    return code, out.getvalue()


def test_every_step_of_the_built_app_passes_and_leaves_nothing_behind(qapp, tmp_path) -> None:
    home_before = os.environ.get("COMMONGROUND_HOME")
    present = _components_present()
    results = run_steps([s for s in selftest.STEPS], out=io.StringIO(), keep=tmp_path / "kept")
    by_key = {r.key: r for r in results}
    assert list(by_key) == list(STEP_KEYS)
    for key in ALWAYS_BUILT:
        assert by_key[key].passed, f"{key}: {by_key[key].message}"
    for key, built in present.items():
        if built:
            assert by_key[key].passed, f"{key}: {by_key[key].message}"
        else:  # the lead must see what a release would lack
            assert not by_key[key].passed
            assert by_key[key].message.startswith("not built yet: ")
    assert by_key["database"].message.startswith(f"{selftest.DEMO_ASSETS} assets")
    assert os.environ.get("COMMONGROUND_HOME") == home_before
    assert (tmp_path / "kept" / "main-window.png").read_bytes()[:4] == b"\x89PNG"


def test_the_whole_self_test_passes_only_when_every_component_is_built(qapp) -> None:
    code, report = _run()
    if all(_components_present().values()):
        assert code == 0, report
        assert "Self-test passed: 10 steps" in report
    else:
        assert code == 1
        assert "Self-test FAILED" in report and "not built yet" in report


def test_a_missing_barcode_module_fails_the_self_test_naming_it(qapp, monkeypatch) -> None:
    # A module PyInstaller left out: importing it fails exactly as None in sys.modules makes it fail.
    monkeypatch.setitem(sys.modules, "reportlab.graphics.barcode.code128", None)
    code, report = _run(["modules", "barcodes"])
    assert code == 1
    assert "FAIL bundled modules" in report
    assert "cannot import reportlab.graphics.barcode.code128" in report
    assert "FAIL barcodes" in report  # drawing a Code 128 barcode needs it too
    assert "Self-test FAILED: 2 of 2 steps (bundled modules, barcodes)" in report


class _Blocker(importlib.abc.MetaPathFinder):
    """Behaves like a bundle that lacks ``name``: no finder can find it."""

    def __init__(self, name: str) -> None:
        self.name = name

    def find_spec(self, fullname, path=None, target=None):
        if fullname == self.name:
            raise ModuleNotFoundError(f"No module named '{fullname}'", name=fullname)
        return None


def test_a_matplotlib_backend_left_out_of_the_bundle_is_named(qapp, monkeypatch) -> None:
    name = "matplotlib.backends.backend_svg"
    monkeypatch.delitem(sys.modules, name, raising=False)
    monkeypatch.setattr(sys, "meta_path", [_Blocker(name), *sys.meta_path])
    code, report = _run(["modules", "charts"])
    assert code == 1
    assert f"cannot import {name}" in report
    assert "FAIL charts" in report


def test_a_qt_warning_fails_the_step_it_happened_in(qapp) -> None:
    steps = [
        Step("quiet", "a quiet step", lambda ctx: "fine"),
        Step("noisy", "a noisy step", lambda ctx: qWarning("QPainter::begin: Paint device returned engine == 0")),
    ]
    results = run_steps(steps, out=io.StringIO())
    assert results[0].passed
    assert not results[1].passed
    assert results[1].message == "Qt warning: QPainter::begin: Paint device returned engine == 0"


def test_an_error_or_a_python_warning_fails_its_step_with_a_plain_message(qapp) -> None:
    import warnings

    def broken(ctx):
        raise KeyError("tag")

    def warns(ctx):
        warnings.warn("this API is going away", DeprecationWarning, stacklevel=1)

    def refuses(ctx):
        raise StepFailed("the room sheet does not show the asset tag CG-1")

    results = run_steps([Step("a", "broken", broken), Step("b", "warns", warns), Step("c", "refuses", refuses)],
                        out=io.StringIO())
    assert [r.passed for r in results] == [False, False, False]
    assert results[0].message.startswith("KeyError: 'tag' (at test_selftest.py:")
    assert results[1].message.startswith("Python warning: DeprecationWarning: this API is going away")
    assert results[2].message == "the room sheet does not show the asset tag CG-1"


def test_steps_needing_the_database_say_so_when_it_could_not_be_made(qapp, monkeypatch) -> None:
    def no_database(path):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(selftest, "_make_demo_database", no_database)
    code, report = _run(["database", "window"])
    assert code == 1
    assert "FAIL demo database" in report and "No space left on device" in report
    assert "needs the demo database, which could not be made" in report


def test_an_unknown_step_is_refused() -> None:
    code, report = _run(["registr"])
    assert code == 2
    assert "no step named registr" in report


def test_the_engine_check_knows_the_published_answer() -> None:
    from models.depreciation import Convention, DepreciationInputs, Method, schedule

    years = schedule(DepreciationInputs(method=Method.STRAIGHT_LINE, convention=Convention.FULL_MONTH,
                                        **selftest.KNOWN_SCHEDULE)).fiscal_years
    assert [p.depreciation_cents for p in years] == [225_000] * 10  # SLN(30000, 7500, 10)


@pytest.mark.parametrize("argv", [["--self-test", "--step", "nope"]])
def test_the_command_line_rejects_a_wrong_step_name(argv, capsys) -> None:
    with pytest.raises(SystemExit) as stop:
        selftest.main(argv)
    assert stop.value.code == 2
    assert "invalid choice: 'nope'" in capsys.readouterr().err
