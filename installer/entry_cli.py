"""The console ``commonground-cli`` program of the bundle: scripted commands, or ``--self-test``."""

import sys


def main() -> int:
    args = sys.argv[1:]
    if "--self-test" in args:
        from desktop.selftest import main as self_test

        return self_test(args)
    from desktop.cli import main as commonground

    return commonground(args)


if __name__ == "__main__":
    sys.exit(main())
