# Sourced by bench/run.sh and bench/lighthouse.sh: a throwaway SQLite database with the
# prepared data set (bench/prepare.py), served by gunicorn with production settings on
# 127.0.0.1:$BENCH_PORT. Defines $work (removed on exit), $base and get KEY (prepared values).
work=$(mktemp -d)
trap 'kill $(cat "$work/gunicorn.pid" 2>/dev/null) 2>/dev/null || true; rm -rf "$work"' EXIT
export SQLITE_PATH="$work/bench.sqlite3" DEBUG=0 HTTPS=off ALLOWED_HOSTS=127.0.0.1
export SECRET_KEY="bench-$(head -c 24 /dev/urandom | base64)"
export WEB_CONCURRENCY=${WEB_CONCURRENCY:-2} ACCESS_LOG=off LOG_LEVEL=warning
export BIND="127.0.0.1:$BENCH_PORT"
base="http://$BIND"

.venv/bin/python manage.py migrate --noinput -v0
.venv/bin/python manage.py collectstatic --noinput -v0
.venv/bin/python bench/prepare.py "$work" > "$work/data.json"
get() { .venv/bin/python -c "import json; print(json.load(open('$work/data.json'))['$1'])"; }

.venv/bin/gunicorn -c gunicorn.conf.py --pid "$work/gunicorn.pid" --daemon
for _ in $(seq 50); do curl -fs "$base/healthz" >/dev/null && break; sleep 0.2; done
