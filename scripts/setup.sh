#!/usr/bin/env bash
# Creates .venv and installs the pinned requirements (runtime, or dev with "dev").
set -euo pipefail
cd "$(dirname "$0")/.."
want=${1:-runtime}
req=requirements.txt
[ "$want" = dev ] && req=requirements-dev.txt
if [ ! -x .venv/bin/python ]; then
  python3 -m venv .venv
fi
stamp=".venv/.installed-$(sha256sum "$req" requirements.txt | sha256sum | cut -c1-16)"
if [ ! -f "$stamp" ]; then
  .venv/bin/pip install --quiet --disable-pip-version-check -r "$req"
  touch "$stamp"
fi
