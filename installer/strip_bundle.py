"""Linux bundle: strip the symbol tables from the shared libraries, then check that each still loads.

Called from ``commonground.spec`` after COLLECT. Symbol tables (``.symtab``) and debug
information are for debuggers; the dynamic linker uses only ``.dynsym``, which
``strip --strip-unneeded`` keeps. libpython alone goes from 23 MB to 6 MB; Cython modules
(SQLAlchemy, fontTools, kiwisolver, Pillow) and the interpreter's lib-dynload shrink
likewise (~55 MB in all). Only files that carry a symbol table or debug information are
touched.

Not stripped, on purpose:

* the two programs (their module archive is appended to the ELF file: strip would cut it off);
* the libraries in a wheel's ``*.libs`` folder (numpy.libs/OpenBLAS, pillow.libs,
  psycopg_binary.libs): auditwheel renamed and rewrote them with patchelf, and PyInstaller's
  ``strip=True`` produced an OpenBLAS that no longer loaded. (They are nearly stripped anyway.)

Then every stripped file is loaded with ``dlopen`` in a separate process: a library that strip
damaged fails the build here, not on a clerk's desk. Last, every Qt library that a kept file links
to must be present (the spec leaves some Qt libraries out).
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

ELF_MAGIC = b"\x7fELF"

# Runs in a child process: dlopen each file (lazy binding, as Python imports an extension).
_LOAD_CHECK = """
import ctypes, os, sys
failed = []
for path in sys.stdin.read().splitlines():
    try:
        ctypes.CDLL(path, mode=os.RTLD_LAZY | os.RTLD_LOCAL)
    except OSError as err:
        failed.append(f"{path}: {err}")
print("\\n".join(failed), flush=True)
os._exit(1 if failed else 0)  # no interpreter shutdown with foreign libraries loaded
"""


def _is_elf(path: Path) -> bool:
    with open(path, "rb") as file:
        return file.read(4) == ELF_MAGIC


def _readelf(readelf: str, *args: str) -> str:
    return subprocess.run([readelf, *args], capture_output=True, text=True, check=False).stdout


def strip_bundle(bundle: Path) -> None:
    strip, readelf = shutil.which("strip"), shutil.which("readelf")
    if strip is None or readelf is None:
        print("strip_bundle: binutils (strip, readelf) not found: the bundle is left unstripped")
        return
    internal = bundle / "_internal"
    before = after = 0
    needed: dict[Path, list[str]] = {}
    stripped: list[Path] = []
    for path in sorted(internal.rglob("*")):
        if path.is_symlink() or not path.is_file() or not _is_elf(path):
            continue
        needed[path] = re.findall(r"\(NEEDED\)\s+Shared library: \[([^\]]+)\]", _readelf(readelf, "-d", str(path)))
        if any(part.endswith(".libs") for part in path.relative_to(internal).parts):
            continue  # auditwheel/patchelf-made: see the module's docstring
        sections = _readelf(readelf, "-S", "-W", str(path))
        if ".symtab" not in sections and ".debug_" not in sections:
            continue  # nothing to strip: leave the file as the wheel made it
        size = path.stat().st_size
        subprocess.run([strip, "--strip-unneeded", str(path)], check=True)
        before, after = before + size, after + path.stat().st_size
        stripped.append(path)
    print(f"strip_bundle: {len(stripped)} shared libraries stripped, {before / 1e6:.0f} MB to {after / 1e6:.0f} MB")
    # libpython cannot be loaded into a running Python; the programs load it in the smoke test.
    _check_loadable([path for path in stripped if not path.name.startswith("libpython")])
    _check_qt_libraries(internal, needed)


def _elf_files(internal: Path) -> list[Path]:
    return [path for path in sorted(internal.rglob("*"))
            if path.is_file() and not path.is_symlink() and _is_elf(path)]


def drop_private_dependencies(bundle: Path, plugin: str) -> None:
    """Remove the shared libraries that only ``plugin`` (a Qt plugin file name) links to, directly or
    through each other; keep the plugin. Extension modules, Qt plugins and libpython are the roots
    from which everything else in the bundle is reached."""
    readelf = shutil.which("readelf")
    if readelf is None:
        print("drop_private_dependencies: readelf not found: nothing removed")
        return
    internal = bundle / "_internal"
    files = _elf_files(internal)
    by_name: dict[str, Path] = {}
    for path in sorted(internal.rglob("*")):  # names as the dynamic linker sees them, links included
        if path.is_file():
            by_name.setdefault(path.name, path.resolve())
    links = {path.resolve(): [by_name[name] for name in re.findall(
                 r"\(NEEDED\)\s+Shared library: \[([^\]]+)\]", _readelf(readelf, "-d", str(path)))
                 if name in by_name] for path in files}

    def reached(roots: set[Path]) -> set[Path]:
        seen, stack = set(), list(roots)
        while stack:
            path = stack.pop()
            if path not in seen:
                seen.add(path)
                stack.extend(links.get(path, ()))
        return seen

    roots = {path.resolve() for path in files
             if ".cpython-" in path.name or path.name.endswith(".abi3.so") or "plugins" in path.parts
             or path.name.startswith("libpython")}
    private = reached(roots) - reached({root for root in roots if root.name != plugin})
    private = {path for path in private if path.name != plugin}
    size = sum(path.stat().st_size for path in private)
    for link in list(internal.rglob("*")):
        if link.is_symlink() and link.resolve() in private:
            link.unlink()
    for path in private:
        path.unlink()
    print(f"drop_private_dependencies: removed {len(private)} libraries ({size / 1e6:.1f} MB) that only "
          f"{plugin} links to: {', '.join(sorted(path.name for path in private))}")


def _check_loadable(paths: list[Path]) -> None:
    result = subprocess.run([sys.executable, "-c", _LOAD_CHECK], input="\n".join(map(str, paths)),
                            capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise SystemExit(f"strip_bundle: stripped libraries that no longer load:\n{result.stdout}{result.stderr}")


def _check_qt_libraries(internal: Path, needed: dict[Path, list[str]]) -> None:
    """Every Qt library that a kept library or plugin links to must be in the bundle: a guard
    against the spec leaving out a Qt library that something still needs."""
    present = {path.name for path in internal.rglob("*")}
    missing = sorted({f"{name} (needed by {path.relative_to(internal)})"
                      for path, names in needed.items() for name in names
                      if name.startswith("libQt6") and name not in present})
    if missing:
        raise SystemExit("the bundle lacks Qt libraries that it links to: " + "; ".join(missing))
