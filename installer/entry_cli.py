"""The console ``commonground-cli`` program of the bundle: scripted commands, or ``--self-test``."""

import sys


def main() -> int:
    from desktop.cli import main as commonground  # handles --self-test too (desktop/selftest.py)

    return commonground(sys.argv[1:])


if __name__ == "__main__":
    sys.exit(main())
