#!/usr/bin/env bash
# One command from a fresh clone to the whole test suite (extra arguments go to pytest).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh dev
exec .venv/bin/pytest "$@"
