"""The windowed ``CommonGround`` program of the bundle: the app, or ``--self-test``.

On Windows a windowed program has no console: anything it prints (``--help``,
``--version``, the self-test's report, a command's error) goes to
``commonground-console.log`` in the log folder instead of being lost.
"""

import sys


def main() -> int:
    if sys.stdout is None or sys.stderr is None:
        from models.paths import log_dir

        console = open(log_dir() / "commonground-console.log", "a", encoding="utf-8", buffering=1)  # noqa: SIM115
        sys.stdout = sys.stdout or console
        sys.stderr = sys.stderr or console
    from desktop.cli import main as commonground  # handles --self-test too (desktop/selftest.py)

    return commonground(sys.argv[1:])


if __name__ == "__main__":
    sys.exit(main())
