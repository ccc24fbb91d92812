"""Composition root: parse arguments, find paths, build and wire objects."""

import sys


def main(argv: list[str] | None = None) -> int:
    """Entry point of ``routine-player``."""
    return 0


if __name__ == "__main__":
    sys.exit(main())
