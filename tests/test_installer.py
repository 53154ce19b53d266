"""The release build's parts: one version everywhere, the spec's contents, the entry
programs, and an installer script that never touches the user's data."""

from __future__ import annotations

import ast
import importlib
import os
import pkgutil
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
INSTALLER = ROOT / "installer"
sys.path.insert(0, str(INSTALLER))

import version_info  # noqa: E402

from desktop import __version__  # noqa: E402


@pytest.mark.parametrize(
    ("version", "numbers"),
    [("0.1.0", (0, 1, 0, 0)), ("1.2", (1, 2, 0, 0)), ("2.3.4.5", (2, 3, 4, 5)),
     ("1.4.0rc2", (1, 4, 0, 0)), ("3.0.1.dev7", (3, 0, 1, 0)), ("1.0.0+district", (1, 0, 0, 0))],
)
def test_windows_gets_four_numbers_from_the_version(version, numbers) -> None:
    assert version_info.version_tuple(version) == numbers


@pytest.mark.parametrize("version", ["", "v1.0", "release", "1.70000.0"])
def test_a_version_windows_cannot_hold_is_refused_by_name(version) -> None:
    with pytest.raises(ValueError, match=re.escape(repr(version))):
        version_info.version_tuple(version)


def test_the_version_resource_carries_the_package_version() -> None:
    assert version_info.read_version() == __version__
    text = version_info.version_resource(__version__, internal_name="CommonGround", file_name="CommonGround.exe")
    tree = ast.parse(text, mode="eval")  # PyInstaller evaluates it as one expression
    assert isinstance(tree.body, ast.Call) and tree.body.func.id == "VSVersionInfo"
    numbers = version_info.version_tuple(__version__)
    assert f"filevers={numbers}" in text and f"prodvers={numbers}" in text
    assert f"StringStruct('ProductVersion', '{__version__}')" in text
    assert "StringStruct('OriginalFilename', 'CommonGround.exe')" in text


def test_pyinstaller_reads_the_version_resource(tmp_path: Path) -> None:
    versioninfo = pytest.importorskip("PyInstaller.utils.win32.versioninfo")
    path = version_info.write_version_resource(tmp_path / "v.txt", "4.5.6", internal_name="commonground-cli",
                                               file_name="commonground-cli.exe")
    loaded = versioninfo.load_version_info_from_text_file(str(path))
    assert loaded.ffi.fileVersionMS == (4 << 16) | 5 and loaded.ffi.fileVersionLS == 6 << 16
    assert "commonground-cli.exe" in str(loaded)


# -- the spec ---------------------------------------------------------------------------------


class _Recorder:
    def __init__(self, *args, **kwargs) -> None:
        self.args, self.kwargs = args, kwargs
        self.scripts = [("pyiboot01_bootstrap", "x", "PYSOURCE"), ("entry_app", "y", "PYSOURCE")]
        self.pure, self.binaries = [], []
        self.datas = [(dest, src, "DATA") for src, dest in kwargs.get("datas", [])]


@pytest.fixture(scope="module")
def spec() -> dict:
    """Run the spec with PyInstaller's build classes replaced by recorders."""
    pytest.importorskip("PyInstaller.utils.hooks")
    made: dict[str, list[_Recorder]] = {"Analysis": [], "EXE": [], "COLLECT": []}

    def recorder(kind):
        def make(*args, **kwargs):
            item = _Recorder(*args, **kwargs)
            made.setdefault(kind, []).append(item)
            return item
        return make

    namespace = {"SPECPATH": str(INSTALLER), "__file__": str(INSTALLER / "commonground.spec"),
                 "Analysis": recorder("Analysis"), "PYZ": recorder("PYZ"), "EXE": recorder("EXE"),
                 "COLLECT": recorder("COLLECT")}
    saved_path = list(sys.path)
    try:
        exec(compile((INSTALLER / "commonground.spec").read_text(), "commonground.spec", "exec"), namespace)
    finally:
        sys.path[:] = saved_path
    return {**namespace, "made": made}


def _modules_under(package: str) -> set[str]:
    module = importlib.import_module(package)
    return {f"{package}.{info.name}" for info in pkgutil.iter_modules(module.__path__)}


def test_two_programs_share_one_folder_windowed_and_console(spec) -> None:
    exes = spec["made"]["EXE"]
    assert [(e.kwargs["name"], e.kwargs["console"]) for e in exes] == [
        ("CommonGround", False), ("commonground-cli", True)]
    assert all(e.kwargs["upx"] is False for e in exes)
    assert all(e.kwargs["icon"][0].endswith("commonground.ico") for e in exes)
    assert all(Path(e.kwargs["version"]).read_text().count(__version__) >= 2 for e in exes)
    (collect,) = spec["made"]["COLLECT"]
    assert collect.args[:2] == tuple(exes) and collect.kwargs["name"] == "CommonGround"
    cli_boot, cli_pyz, cli_scripts = exes[1].args[:3]
    assert cli_scripts[-1][0] == "entry_cli" and cli_scripts[-1][1].endswith("entry_cli.py")
    # The console program carries no module archive of its own: before PyInstaller's bootstrap it
    # points the importer at the app's (the ~20 MB archive is stored once).
    assert cli_pyz.args == ([],) and exes[0].args[0].args == (spec["a"].pure,)
    assert [name for name, _path, _kind in cli_boot] == ["shared_pyz"]


@pytest.mark.parametrize(("dest", "kept"), [
    ("PySide6/Qt/plugins/platforms/libqxcb.so", True),
    ("PySide6/Qt/plugins/platforms/libqwayland.so", True),
    ("PySide6/Qt/plugins/platforms/libqoffscreen.so", True),
    ("PySide6/Qt/plugins/platforms/libqvnc.so", False),
    ("PySide6/Qt/plugins/platforms/libqeglfs.so", False),
    ("PySide6\\plugins\\platforms\\qwindows.dll", True),
    ("PySide6\\plugins\\platforms\\qdirect2d.dll", False),
    ("PySide6\\plugins\\styles\\qmodernwindowsstyle.dll", True),
    ("PySide6/Qt/plugins/imageformats/libqjpeg.so", True),  # floor plans
    ("PySide6/Qt/plugins/imageformats/libqico.so", True),
    ("PySide6/Qt/plugins/imageformats/libqsvg.so", True),
    ("PySide6/Qt/plugins/imageformats/libqtiff.so", False),
    ("PySide6/Qt/plugins/printsupport/libcupsprintersupport.so", True),
    ("PySide6/Qt/plugins/platformthemes/libqgtk3.so", True),
    ("PySide6/Qt/plugins/platforminputcontexts/libibusplatforminputcontextplugin.so", True),
    ("PySide6/Qt/plugins/wayland-shell-integration/libxdg-shell.so", True),
    ("PySide6/Qt/plugins/wayland-shell-integration/libivi-shell.so", False),
    ("PySide6/Qt/plugins/tls/libqopensslbackend.so", False),
    ("PySide6/Qt/lib/libQt6Gui.so.6", True),
    ("PySide6/Qt/lib/libQt6PrintSupport.so.6", True),
    ("opengl32sw.dll", False),
])
def test_the_bundle_keeps_the_qt_plugins_the_app_uses(spec, dest, kept) -> None:
    assert spec["kept_binary"](dest) is kept


def test_the_bundle_keeps_matplotlibs_default_fonts(spec) -> None:
    keep = spec["kept_matplotlib_data"]
    for name in ("DejaVuSans.ttf", "DejaVuSans-Bold.ttf", "DejaVuSansMono.ttf", "LastResortHE-Regular.ttf"):
        assert keep(f"matplotlib/mpl-data/fonts/ttf/{name}"), name
    assert keep("matplotlib/mpl-data/matplotlibrc") and keep("matplotlib/mpl-data/stylelib/classic.mplstyle")
    assert not keep("matplotlib/mpl-data/sample_data/goog.npz")
    assert not keep("matplotlib/mpl-data/fonts/ttf/STIXGeneral.ttf")


def test_modules_the_database_layer_needs_are_not_excluded(spec) -> None:
    assert not {"ssl", "_ssl", "_hashlib"} & set(spec["excludes"])  # psycopg_binary imports ssl


BUNDLE = ROOT / "dist" / "CommonGround"


@pytest.mark.skipif(not (BUNDLE / "_internal").is_dir(), reason="no bundle built (installer/build.py)")
def test_the_cli_finds_the_module_archive_inside_the_app_as_the_bootloader_does() -> None:
    readers = pytest.importorskip("PyInstaller.archive.readers")
    import shared_pyz

    app = BUNDLE / ("CommonGround.exe" if sys.platform == "win32" else "CommonGround")
    archive = readers.CArchiveReader(str(app))
    offset = archive._start_offset + archive.toc["PYZ.pyz"][0]
    assert shared_pyz._pyz_location(str(app)) == f"{app}?{offset}"


def test_everything_loaded_by_name_is_a_hidden_import(spec) -> None:
    hidden = set(spec["hiddenimports"])
    for package in ("desktop.views", "desktop.commands", "reportlab.graphics.barcode"):
        assert _modules_under(package) <= hidden, package
    assert "desktop.selftest" in hidden
    for backend in ("backend_agg", "backend_pdf", "backend_svg", "backend_qtagg"):
        assert f"matplotlib.backends.{backend}" in hidden
    excluded = set(spec["excludes"])
    assert not {name for name in hidden if name in excluded or name.split(".")[0] in excluded}
    assert {"tkinter", "pytest", "hypothesis", "PySide6.QtWebEngineCore", "PySide6.QtQuick"} <= excluded


def test_data_files_hold_the_migrations_resources_and_reportlab_fonts(spec) -> None:
    dests = {(Path(src).name, dest.replace("\\", "/")) for src, dest in spec["datas"]}
    for revision in (ROOT / "models" / "migrations" / "versions").glob("*.py"):
        assert (revision.name, "models/migrations/versions") in dests
    assert ("env.py", "models/migrations") in dests and ("script.py.mako", "models/migrations") in dests
    for name, folder in (("app.qss", "resources/styles"), ("commonground.ico", "resources/icons"),
                         ("commonground.png", "resources/icons"), ("depreciation.md", "resources/help")):
        assert (name, folder) in dests
    assert not any(name.endswith(".py") for name, folder in dests if folder.startswith("resources"))
    assert any(folder.startswith("reportlab/fonts") for _name, folder in dests)
    assert any(folder.startswith("commonground-") and folder.endswith(".dist-info") for _n, folder in dests)


# -- the entry programs -----------------------------------------------------------------------


def _env(tmp_path: Path) -> dict[str, str]:
    return {**os.environ, "COMMONGROUND_HOME": str(tmp_path), "QT_QPA_PLATFORM": "offscreen"}


def test_the_cli_entry_hands_commands_to_commonground(tmp_path: Path) -> None:
    result = subprocess.run([sys.executable, str(INSTALLER / "entry_cli.py"), "--version"],
                            capture_output=True, text=True, timeout=60, env=_env(tmp_path), cwd=ROOT)
    assert result.returncode == 0 and result.stdout.strip() == f"Common Ground {__version__}"


def test_the_cli_entry_runs_the_self_test(tmp_path: Path) -> None:
    result = subprocess.run([sys.executable, str(INSTALLER / "entry_cli.py"), "--self-test", "--step", "migrations",
                             "--step", "barcodes"], capture_output=True, text=True, timeout=120,
                            env=_env(tmp_path), cwd=ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Self-test passed: 2 steps" in result.stdout
    assert result.stderr == ""


def test_the_windowed_entry_without_a_console_writes_to_the_log(tmp_path: Path, monkeypatch) -> None:
    import entry_app

    monkeypatch.setenv("COMMONGROUND_HOME", str(tmp_path))
    monkeypatch.setattr(sys, "stdout", None)
    monkeypatch.setattr(sys, "stderr", None)
    monkeypatch.setattr(sys, "argv", ["CommonGround.exe", "--version"])
    with pytest.raises(SystemExit) as stop:
        entry_app.main()
    sys.stdout.close()  # the log file the entry opened in place of the console
    assert stop.value.code == 0
    log = tmp_path / "logs" / "commonground-console.log"
    assert log.read_text(encoding="utf-8").strip() == f"Common Ground {__version__}"


# -- the installer script ---------------------------------------------------------------------

NSI = (INSTALLER / "commonground.nsi").read_text(encoding="utf-8")


def test_the_installer_removes_only_its_own_files() -> None:
    """Upgrade and uninstall delete program files and shortcuts, never the user's data folders."""
    targets = re.findall(r'^\s*(?:RMDir|Delete)\s+(?:/r\s+|/REBOOTOK\s+)?"([^"]+)"', NSI, re.MULTILINE)
    assert targets, "the script removes nothing?"
    for target in targets:
        assert target.startswith(("$INSTDIR\\", "$SMPROGRAMS\\", "$DESKTOP\\")) or target == "$INSTDIR", target
    assert not re.search(r"RMDir\s+/r\s+\"\$INSTDIR\"", NSI)  # never the whole folder, recursively
    assert "APPDATA" not in "".join(line for line in NSI.splitlines() if not line.lstrip().startswith(";"))


def test_the_installer_offers_both_install_modes_and_keeps_the_previous_folder() -> None:
    for needed in ("!define MULTIUSER_INSTALLMODE_COMMANDLINE", "MULTIUSER_INSTALLMODE_INSTDIR_REGISTRY_KEY",
                   "MULTIUSER_INSTALLMODE_DEFAULT_REGISTRY_KEY", "WriteUninstaller", 'Section /o "Desktop shortcut"',
                   "$SMPROGRAMS\\${PRODUCT}.lnk", "QuietUninstallString", 'VIProductVersion "${VERSION4}"'):
        assert needed in NSI, needed


@pytest.mark.skipif(shutil.which("makensis") is None, reason="NSIS (makensis) is not installed")
def test_the_installer_script_compiles(tmp_path: Path) -> None:
    bundle = tmp_path / "CommonGround"
    (bundle / "_internal").mkdir(parents=True)
    for name in ("CommonGround.exe", "commonground-cli.exe", "_internal/base_library.zip"):
        (bundle / name).write_bytes(b"stand-in")
    out = tmp_path / "setup.exe"
    numbers = ".".join(map(str, version_info.version_tuple(__version__)))
    result = subprocess.run(
        ["makensis", "-V2", "-INPUTCHARSET", "UTF8", f"-DVERSION={__version__}", f"-DVERSION4={numbers}",
         f"-DSOURCE_DIR={bundle}", f"-DOUT_FILE={out}", f"-DICON={ROOT / 'resources/icons/commonground.ico'}",
         str(INSTALLER / "commonground.nsi")],
        capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
    assert out.read_bytes()[:2] == b"MZ"


def test_the_installer_script_refuses_to_build_without_the_version() -> None:
    if shutil.which("makensis") is None:
        pytest.skip("NSIS (makensis) is not installed")
    result = subprocess.run(["makensis", "-V1", str(INSTALLER / "commonground.nsi")],
                            capture_output=True, text=True, timeout=60)
    assert result.returncode != 0
    assert "Build with installer/build.py" in result.stdout + result.stderr


def test_commonground_itself_runs_the_self_test(tmp_path: Path) -> None:
    """`uv run commonground --self-test` takes the same path as the bundle's programs."""
    result = subprocess.run([sys.executable, "-m", "desktop.cli", "--self-test", "--step", "modules"],
                            capture_output=True, text=True, timeout=120, env=_env(tmp_path), cwd=ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Self-test passed: 1 step" in result.stdout
