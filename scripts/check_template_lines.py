"""Fails when a template line runs past 160 characters (pre-commit hook; CI runs it too)."""

import sys
from pathlib import Path

LIMIT = 160


def main(paths: list[str]) -> int:
    too_long = [
        f"{path}:{number}: {len(line)} characters (at most {LIMIT})"
        for path in paths
        for number, line in enumerate(Path(path).read_text(encoding="utf-8").splitlines(), 1)
        if len(line) > LIMIT
    ]
    print("\n".join(too_long), end="\n" if too_long else "")
    return 1 if too_long else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
