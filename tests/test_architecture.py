"""The arrows point one way: models/ and reports/ never reach for Qt or desktop/."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FORBIDDEN = ("PySide6", "desktop", "shiboken6")


def imported_modules(path: Path) -> list[tuple[int, str]]:
    """Every module a file imports, at any depth (inside functions too), with its line."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.append((node.lineno, node.module))
        elif (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute | ast.Name)
            and (node.func.attr if isinstance(node.func, ast.Attribute) else node.func.id)
            in ("import_module", "__import__")
            and node.args
            and isinstance(node.args[0], ast.Constant)
            and isinstance(node.args[0].value, str)
        ):
            found.append((node.lineno, node.args[0].value))
    return found


def forbidden_imports(package: str) -> list[str]:
    problems = []
    for path in sorted((ROOT / package).rglob("*.py")):
        for line, module in imported_modules(path):
            if module.split(".")[0] in FORBIDDEN:
                problems.append(f"{path.relative_to(ROOT)}:{line} imports {module}")
    return problems


@pytest.mark.parametrize("package", ["models", "reports"])
def test_domain_and_reports_do_not_import_qt_or_desktop(package):
    assert (ROOT / package / "__init__.py").is_file()
    assert forbidden_imports(package) == []


def test_the_import_check_catches_every_form(tmp_path):
    sample = tmp_path / "sample.py"
    sample.write_text(
        "import PySide6.QtCore\n"
        "from desktop.cli import main\n"
        "def later():\n"
        "    from PySide6 import QtWidgets\n"
        "    import importlib; importlib.import_module('desktop.app')\n"
        "import desktopish\n"
        "from . import desktop\n"
    )
    names = [module for _, module in imported_modules(sample)]
    assert [n for n in names if n.split(".")[0] in FORBIDDEN] == [
        "PySide6.QtCore",
        "desktop.cli",
        "PySide6",
        "desktop.app",
    ]


def test_scripted_commands_do_not_load_qt():
    script = (
        "import sys\n"
        "from desktop.cli import build_parser\n"
        "parser = build_parser()\n"
        "parser.parse_args(['history', 'verify', '--db', 'x.sqlite3'])\n"
        "loaded = sorted(m for m in sys.modules if m.split('.')[0] in ('PySide6', 'shiboken6'))\n"
        "print(loaded)\n"
        "assert 'desktop.commands.depreciation' in sys.modules\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"


# What desktop/ may take from SQLAlchemy: the types that name a database (an address, an
# engine handed back by models). Queries, sessions and SQL text stay in models/.
DESKTOP_SQLALCHEMY_ALLOWED = {("sqlalchemy.engine", "URL"), ("sqlalchemy", "Engine"), ("sqlalchemy.engine", "Engine")}


def test_the_ui_runs_no_sql_of_its_own():
    problems = []
    for path in sorted((ROOT / "desktop").rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for node in ast.walk(tree):
            if isinstance(node, ast.Import) and any(a.name.split(".")[0] == "sqlalchemy" for a in node.names):
                problems.append(f"{path.relative_to(ROOT)}:{node.lineno} imports sqlalchemy")
            elif isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[0] == "sqlalchemy":
                for alias in node.names:
                    if (node.module, alias.name) not in DESKTOP_SQLALCHEMY_ALLOWED:
                        problems.append(f"{path.relative_to(ROOT)}:{node.lineno} imports {alias.name} from {node.module}")
    assert problems == []
