"""Boot script of ``commonground-cli``: import the Python modules from ``CommonGround``'s archive.

The two programs of the bundle run the same Python modules, but PyInstaller appends a
copy of the ~20 MB module archive (PYZ) to each executable and cannot share one
(pyinstaller/pyinstaller#8424). So ``commonground-cli`` is built with an empty archive,
and this script, which the bootloader runs *before* PyInstaller's own bootstrap, points
the bootstrap at the archive inside the ``CommonGround`` executable next to it.

The bootloader passes the archive's location to the bootstrap in ``sys._pyinstaller_pyz``
as ``"<file>?<offset>"``; we find the offset the way the bootloader does: the package
cookie near the end of the file, then the ``z`` entry of its table of contents. Offsets
count from the file's start, so a signature appended to the .exe does not move them.

Only built-in modules, ``base_library.zip`` and the bootloader's own modules (``struct``)
can be imported here: the import machinery for the archive is not set up yet.
"""

import os
import struct
import sys

_COOKIE_MAGIC = b"MEI\014\013\012\013\016"
_COOKIE_FORMAT = "!8sIIII64s"  # magic, package length, TOC offset, TOC length, Python version, libpython name
_ENTRY_FORMAT = "!IIIIBc"  # entry length, offset, length, uncompressed length, compressed?, typecode


def _pyz_location(executable: str) -> str:
    cookie_size = struct.calcsize(_COOKIE_FORMAT)
    entry_size = struct.calcsize(_ENTRY_FORMAT)
    with open(executable, "rb") as file:
        file.seek(0, os.SEEK_END)
        end = file.tell()
        window = min(end, 64 * 1024)  # the cookie is the archive's last part (before any signature)
        file.seek(end - window)
        tail = file.read(window)
        at = tail.rfind(_COOKIE_MAGIC)
        if at < 0:
            raise RuntimeError(f"{executable} holds no PyInstaller archive")
        cookie_start = end - window + at
        _magic, package_length, toc_offset, toc_length, _pyvers, _lib = struct.unpack(
            _COOKIE_FORMAT, tail[at:at + cookie_size])
        package_start = cookie_start + cookie_size - package_length
        file.seek(package_start + toc_offset)
        toc = file.read(toc_length)
    position = 0
    while position < len(toc):
        length, offset, _size, _full, _compressed, typecode = struct.unpack(
            _ENTRY_FORMAT, toc[position:position + entry_size])
        if typecode == b"z":
            return f"{executable}?{package_start + offset}"
        position += length
    raise RuntimeError(f"{executable} holds no module archive (PYZ)")


def _use_the_apps_archive() -> None:
    name = "CommonGround.exe" if sys.platform == "win32" else "CommonGround"
    app = os.path.join(os.path.dirname(sys._MEIPASS), name)  # _internal's parent holds both programs
    try:
        sys._pyinstaller_pyz = _pyz_location(app)
    except (OSError, RuntimeError, struct.error) as err:
        raise SystemExit(f"commonground-cli: cannot load Common Ground's modules from {app} ({err}); "
                         "reinstall Common Ground") from None


if hasattr(sys, "_MEIPASS"):  # run by the bootloader; imported by a test, it only defines the functions
    _use_the_apps_archive()
    del _use_the_apps_archive, _pyz_location  # the entry script runs in the same namespace
