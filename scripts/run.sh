#!/usr/bin/env bash
# One command from a fresh clone to the site on http://127.0.0.1:8000 (SQLite, plain http).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh runtime

# A per-checkout secret for local runs; production sets SECRET_KEY itself.
if [ -z "${SECRET_KEY:-}" ]; then
  [ -f .secret_key ] || .venv/bin/python -c "import secrets; print(secrets.token_urlsafe(50))" > .secret_key
  SECRET_KEY=$(cat .secret_key)
  export SECRET_KEY
fi
export HTTPS=${HTTPS:-off}
export ALLOWED_HOSTS=${ALLOWED_HOSTS:-127.0.0.1,localhost}

.venv/bin/python manage.py migrate --noinput
.venv/bin/python manage.py collectstatic --noinput -v0
for pack in content/*.json; do
  [ -e "$pack" ] && .venv/bin/python manage.py import_content "$pack"
done
if .venv/bin/python manage.py help seed_demo >/dev/null 2>&1; then
  .venv/bin/python manage.py seed_demo --force
fi
echo "Serving on http://127.0.0.1:8000 (Ctrl+C to stop)"
exec .venv/bin/gunicorn -c gunicorn.conf.py
