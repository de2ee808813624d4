#!/usr/bin/env bash
# Throughput of the student pages, the answer flow and the teacher results page as ratios
# against /healthz, measured in the same run under gunicorn with production settings.
# Signed-in pages rotate students (bench/rotate.lua: every request is the next student's), and
# the answer POST sends first answers only, each on a fresh attempt; the class page is measured
# while the class is quiet and while its students answer (one answer a second).
# Usage: bash bench/run.sh [seconds per URL]   (needs wrk: apt-get install wrk)
# DATABASE_URL=postgres://…/an-empty-database (and REDIS_URL) run it on PostgreSQL (+ Redis).
set -euo pipefail
cd "$(dirname "$0")/.."
duration=${1:-8}
command -v wrk >/dev/null || { echo "wrk is missing: apt-get install wrk" >&2; exit 2; }
bash scripts/setup.sh runtime

BENCH_PORT=8765
# The site as served, plus the two "ceiling" pages of bench/ceiling (see below).
export DJANGO_SETTINGS_MODULE=bench.ceiling.settings
source bench/serve.sh
teacher="sessionid=$(get teacher_session)"
rps() { # url cookie [lua]
  local args=(-t1 -c8 "-d${duration}s" --latency)
  [ -n "${2:-}" ] && args+=(-H "Cookie: $2")
  [ -n "${3:-}" ] && args+=(-s "$3")
  wrk "${args[@]}" "$base$1" | awk '/Requests\/sec/ {print $2}'
}
# Each page must answer 200 (or the answer POST its 302) before it is measured.
check() {
  local args=(-s -o /dev/null -w '%{http_code}')
  [ -n "${2:-}" ] && args+=(-H "Cookie: $2")
  code=$(curl "${args[@]}" "$base$1")
  [ "$code" = 200 ] || { echo "$1 answered $code" >&2; exit 1; }
}

healthz=$(rps /healthz)
fail=0
report="bench/results/latest$([ -n "${DATABASE_URL:-}" ] && echo -postgresql || true).md"
mkdir -p bench/results
database=$([ -n "${DATABASE_URL:-}" ] && echo PostgreSQL || echo SQLite)$([ -n "${REDIS_URL:-}" ] && echo " + Redis" || true)
{
  echo "# Benchmark $(date -u +%Y-%m-%dT%H:%MZ), $database, ${WEB_CONCURRENCY} gunicorn workers, wrk 1 thread 8 connections, ${duration}s each"
  echo
  echo "| page | req/s | ratio to /healthz | target | what was sent |"
  echo "|---|---|---|---|---|"
  echo "| /healthz | $healthz | 1.00 | | |"
} > "$report"
row() { # label req/s target notes (target "-": a ceiling, reported only)
  local ratio; ratio=$(awk -v a="$2" -v b="$healthz" 'BEGIN { printf "%.2f", a / b }')
  if [ "$3" = - ]; then
    echo "| $1 | $2 | $ratio | (the most a signed-in page can reach) | $4 |" >> "$report"
    return
  fi
  local ok; ok=$(awk -v a="$ratio" -v t="$3" 'BEGIN { print (a >= t) ? "ok" : "BELOW" }')
  [ "$ok" = ok ] || fail=1
  echo "| $1 | $2 | $ratio | ≥ $3 $ok | $4 |" >> "$report"
}
measure() { # label url cookie target: one URL, one cookie
  check "$2" "$3"
  row "$1" "$(rps "$2" "$3")" "$4" ""
}
rotating() { # label lines-file target: each request the next line's student (bench/rotate.lua)
  local out lines requests errors repeats
  out=$(BENCH_LINES="$work/$2" wrk -t1 -c8 "-d${duration}s" -s bench/rotate.lua "$base/")
  read -r lines requests errors < <(awk '/^rotate:/ {print $3, $5, $7}' <<<"$out")
  [ "$errors" = 0 ] || fail=1
  if [ "$2" = answers.txt ]; then # first answers: a request beyond the attempts is a repeat
    repeats=$(( requests > lines ? requests - lines : 0 ))
    notes="$requests answers on $lines fresh attempts; repeats $repeats; errors $errors"
  else
    notes="$requests requests, $lines students in turn; errors $errors"
  fi
  row "$1" "$(awk '/Requests\/sec/ {print $2}' <<<"$out")" "$3" "$notes"
}

# What any signed-in page can reach (bench/ceiling): the same students in turn on a response
# that only loads the session and user, and on the site's layout around an empty page.
awk -F'\t' '{print $1 "\t/bench/bare/"}' "$work/intro.txt" > "$work/bare.txt"
awk -F'\t' '{print $1 "\t/bench/layout/"}' "$work/intro.txt" > "$work/layout.txt"
rotating "ceiling: signed in, no template (students in turn)" bare.txt -
rotating "ceiling: signed in, layout only (students in turn)" layout.txt -
measure "home /" / "" 0.5
measure "/learn/" /learn/ "" 0.5
measure "topic page" "/learn/$(get topic)/" "" 0.5
measure "/scenarios/" /scenarios/ "" 0.5
measure "scenario intro (visitor)" "/scenarios/$(get scenario)/" "" 0.5
rotating "scenario intro (students in turn)" intro.txt 0.35
rotating "play page (students in turn)" play.txt 0.35
rotating "/progress/ (students in turn)" progress.txt 0.35
rotating "first-answer POST (fresh attempts)" answers.txt 0.30
check "$(get class_url)" "$teacher"
measure "class page 40 × 20, quiet (teacher)" "$(get class_url)" "$teacher" 0.25
# The class's students answer, one a second, while the teacher's page is measured.
( while IFS=$'\t' read -r cookie path body; do
    curl -s -o /dev/null -H "Cookie: $cookie" -H "Content-Type: application/x-www-form-urlencoded" \
      --data "$body" "$base$path"; sleep 1
  done < "$work/class-answers.txt" ) &
answering=$!
measure "class page 40 × 20, answers arriving (teacher)" "$(get class_url)" "$teacher" 0.15
kill "$answering" 2>/dev/null || true
cat "$report"
exit $fail
