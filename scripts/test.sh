#!/usr/bin/env bash
# One command from a fresh clone to the whole test suite (extra arguments go to pytest).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh dev
# Both cores by default (pytest-xdist); "-n 0" runs everything in one process.
exec .venv/bin/pytest -n "${TEST_WORKERS:-2}" "$@"
