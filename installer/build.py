"""Build a release: the one-folder bundle, its smoke test, then the Windows installer.

    uv run --group build python installer/build.py [--skip-bundle] [--require-installer]

1. PyInstaller builds ``dist/CommonGround`` from ``installer/commonground.spec``.
2. The frozen programs must pass ``--self-test`` (offscreen): a bundle that lacks a module,
   a migration or a resource fails here, not on a clerk's desk.
3. The bundle's size is reported (target: under 250 MB unpacked).
4. Where ``makensis`` is found (NSIS on Windows; also on Linux, where it only checks that the
   script compiles), ``installer/commonground.nsi`` makes ``dist/CommonGround-<version>-setup.exe``.

The Windows CI workflow (.github/workflows/windows.yml) runs exactly this script.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

from version_info import read_version, version_tuple  # noqa: E402

SPEC = HERE / "commonground.spec"
NSI = HERE / "commonground.nsi"
DIST = ROOT / "dist"
WORK = ROOT / "build" / "pyinstaller"
BUNDLE = DIST / "CommonGround"
SIZE_TARGET_MB = 250
SELF_TEST_TIMEOUT = 600
IS_WINDOWS = sys.platform == "win32"
EXE = ".exe" if IS_WINDOWS else ""


class BuildFailed(Exception):
    pass


def build_bundle() -> float:
    started = time.perf_counter()
    command = [sys.executable, "-m", "PyInstaller", "--noconfirm", "--clean", "--log-level", "WARN",
               "--distpath", str(DIST), "--workpath", str(WORK), str(SPEC)]
    _run(command, "PyInstaller")
    for name in ("CommonGround", "commonground-cli"):
        if not (BUNDLE / f"{name}{EXE}").is_file():
            raise BuildFailed(f"PyInstaller finished but {BUNDLE / (name + EXE)} is missing")
    return time.perf_counter() - started


def smoke_test(version: str) -> float:
    """Run the frozen programs: the version must match, and the self-test must pass."""
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    env.pop("COMMONGROUND_HOME", None)  # the self-test makes its own temporary home
    cli = BUNDLE / f"commonground-cli{EXE}"
    shown = subprocess.run([str(cli), "--version"], capture_output=True, text=True, env=env, timeout=120)
    if shown.returncode != 0 or shown.stdout.strip() != f"Common Ground {version}":
        raise BuildFailed(f"`commonground-cli --version` said {shown.stdout.strip()!r} "
                          f"(exit {shown.returncode}), not 'Common Ground {version}'\n{shown.stderr}")
    started = time.perf_counter()
    result = subprocess.run([str(cli), "--self-test"], capture_output=True, text=True, env=env,
                            timeout=SELF_TEST_TIMEOUT)
    seconds = time.perf_counter() - started
    sys.stdout.write(result.stdout)
    if result.returncode != 0:
        sys.stderr.write(result.stderr)
        raise BuildFailed(f"the frozen program's self-test failed (exit {result.returncode}); see above")
    if result.stderr.strip():  # a clean run says nothing on stderr; anything there is a problem
        sys.stderr.write(result.stderr)
        raise BuildFailed("the frozen program's self-test passed but wrote to stderr (above)")
    # The windowed program has no console on Windows: only its exit status speaks.
    app = subprocess.run([str(BUNDLE / f"CommonGround{EXE}"), "--self-test", "--step", "modules",
                          "--step", "window"], capture_output=True, text=True, env=env, timeout=SELF_TEST_TIMEOUT)
    if app.returncode != 0:
        raise BuildFailed(f"the windowed program's self-test failed (exit {app.returncode})\n{app.stdout}{app.stderr}")
    return seconds


def bundle_size_mb() -> float:
    total = sum(p.stat().st_size for p in BUNDLE.rglob("*") if p.is_file() and not p.is_symlink())
    return total / 1_048_576  # MB as Windows Explorer and du -h show them


def find_makensis() -> str | None:
    found = shutil.which("makensis")
    if found:
        return found
    if IS_WINDOWS:
        for base in (os.environ.get("ProgramFiles(x86)"), os.environ.get("ProgramFiles")):
            if base and (Path(base) / "NSIS" / "makensis.exe").is_file():
                return str(Path(base) / "NSIS" / "makensis.exe")
    return None


def build_installer(version: str, makensis: str) -> Path:
    """The installer, in dist/ on Windows; elsewhere a compile check of the script into build/."""
    target = (DIST if IS_WINDOWS else ROOT / "build" / "nsis-check") / f"CommonGround-{version}-setup.exe"
    target.parent.mkdir(parents=True, exist_ok=True)
    numbers = ".".join(str(n) for n in version_tuple(version))
    flag = "/" if IS_WINDOWS else "-"  # makensis on Linux takes -D as well as /D
    _run([makensis, "-V2", "-INPUTCHARSET", "UTF8", f"{flag}DVERSION={version}", f"{flag}DVERSION4={numbers}",
          f"{flag}DSOURCE_DIR={BUNDLE}", f"{flag}DOUT_FILE={target}",
          f"{flag}DICON={ROOT / 'resources' / 'icons' / 'commonground.ico'}",
          *([] if IS_WINDOWS else [f"{flag}DSCRIPT_CHECK"]), str(NSI)], "makensis")
    if not target.is_file():
        raise BuildFailed(f"makensis finished but {target} is missing")
    return target


def _run(command: list[str], what: str) -> None:
    print(f"$ {' '.join(command)}", flush=True)
    result = subprocess.run(command, cwd=ROOT)
    if result.returncode != 0:
        raise BuildFailed(f"{what} failed (exit {result.returncode})")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--skip-bundle", action="store_true", help="reuse dist/CommonGround as it is")
    parser.add_argument("--skip-installer", action="store_true", help="stop after the smoke test")
    parser.add_argument("--require-installer", action="store_true",
                        help="fail when makensis is missing (the Windows CI)")
    args = parser.parse_args(argv)
    version = read_version()
    version_tuple(version)  # refuse a version Windows cannot hold before spending minutes on a build
    print(f"Common Ground {version}: release build on {sys.platform}", flush=True)
    try:
        build_seconds = 0.0 if args.skip_bundle else build_bundle()
        if build_seconds:
            print(f"Bundle built in {build_seconds:.0f} s", flush=True)
        test_seconds = smoke_test(version)
        size = bundle_size_mb()
        print(f"Self-test of the frozen program: passed in {test_seconds:.1f} s")
        print(f"Bundle size: {size:.0f} MB unpacked, as Windows Explorer and du count it (1 MB = 1,048,576 "
              f"bytes; {size * 1.048576:.0f} million bytes) ({BUNDLE})")
        if size > SIZE_TARGET_MB:
            print(f"warning: the bundle is over the {SIZE_TARGET_MB} MB target", file=sys.stderr)
        if args.skip_installer:
            return 0
        makensis = find_makensis()
        if makensis is None:
            if args.require_installer:
                raise BuildFailed("makensis (NSIS) was not found; install NSIS 3 to build the installer")
            print("makensis not found: no installer built (install NSIS 3 to make one)")
            return 0
        installer = build_installer(version, makensis)
        what = "Installer" if IS_WINDOWS else "Installer script compiles (Linux check, not for use)"
        print(f"{what}: {installer} ({installer.stat().st_size / 1_000_000:.0f} MB)")
    except (BuildFailed, subprocess.TimeoutExpired) as err:
        print(f"build failed: {err}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
