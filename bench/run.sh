#!/usr/bin/env bash
# Throughput of the student pages, the answer flow and the teacher results page as ratios
# against /healthz, measured in the same run under gunicorn with production settings.
# Usage: bash bench/run.sh [seconds per URL]   (needs wrk: apt-get install wrk)
set -euo pipefail
cd "$(dirname "$0")/.."
duration=${1:-8}
command -v wrk >/dev/null || { echo "wrk is missing: apt-get install wrk" >&2; exit 2; }
bash scripts/setup.sh runtime

BENCH_PORT=8765
source bench/serve.sh
student="sessionid=$(get student_session); csrftoken=$(get csrf_cookie)"
teacher="sessionid=$(get teacher_session)"
export ANSWER_BODY="csrfmiddlewaretoken=$(get csrf_token)&step=$(get answer_step)&choice=$(get answer_choice)"
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
report="bench/results/latest.md"
mkdir -p bench/results
{
  echo "# Benchmark $(date -u +%Y-%m-%dT%H:%MZ), ${WEB_CONCURRENCY} gunicorn workers, wrk 1 thread 8 connections, ${duration}s each"
  echo
  echo "| page | req/s | ratio to /healthz | target |"
  echo "|---|---|---|---|"
  echo "| /healthz | $healthz | 1.00 | |"
} > "$report"
measure() { # label url cookie target [lua]
  [ -z "${5:-}" ] && check "$2" "$3"
  local r; r=$(rps "$2" "$3" "${5:-}")
  local ratio; ratio=$(awk -v a="$r" -v b="$healthz" 'BEGIN { printf "%.2f", a / b }')
  local ok; ok=$(awk -v a="$ratio" -v t="$4" 'BEGIN { print (a >= t) ? "ok" : "BELOW" }')
  [ "$ok" = ok ] || fail=1
  echo "| $1 | $r | $ratio | ≥ $4 $ok |" >> "$report"
}
measure "home /" / "" 0.5
measure "/learn/" /learn/ "" 0.5
measure "topic page" "/learn/$(get topic)/" "" 0.5
measure "/scenarios/" /scenarios/ "" 0.5
measure "scenario intro (visitor)" "/scenarios/$(get scenario)/" "" 0.5
measure "scenario intro (student)" "/scenarios/$(get scenario)/" "$student" 0.5
measure "play page (student)" "$(get play_url)" "$student" 0.5
measure "answer POST (student)" "$(get play_url)answer/" "$student" 0.5 bench/answer.lua
measure "/progress/ (student)" /progress/ "$student" 0.5
measure "class results, 40 × 20 (teacher)" "$(get class_url)" "$teacher" 0.25
cat "$report"
exit $fail
