#!/usr/bin/env bash
# Load benchmark: builds Release, generates (or reuses) a statewide and a one-district database, starts the
# built web app on 127.0.0.1 against each, and measures the baseline, the key pages and the rating save.
# Prints the results table and the budgets (pass/fail); exits non-zero when a budget is missed.
#
#   bench/run.sh                 one run (about 6 minutes once the databases exist)
#   bench/run.sh --runs 3        three runs, medians reported
#   bench/run.sh --fresh         regenerate both databases first
#   BENCH_DURATION=10 BENCH_CONNECTIONS=32 bench/run.sh
#   bench/run.sh --workshop      the workshop load instead (10, 40 and 100 workshops of 25 participants, statewide database;
#                                BENCH_WORKSHOPS=10,40,70,100 BENCH_DURATION=20 to change the levels or the window)
set -euo pipefail
cd "$(dirname "$0")/.."

runs=1; fresh=0; workshop=0
while [ $# -gt 0 ]; do
  case "$1" in
    --runs) runs=$2; shift 2 ;;
    --fresh) fresh=1; shift ;;
    --workshop) workshop=1; shift ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
data=${BENCH_DATA:-bench/data}
duration=${BENCH_DURATION:-10}
connections=${BENCH_CONNECTIONS:-32}
seed=${BENCH_SEED:-2026}

echo "== build (Release)"
dotnet build MicipPlanner.sln -c Release -nologo -v quiet
bench="dotnet bench/MicipPlanner.Bench/bin/Release/net10.0/MicipPlanner.Bench.dll"
web=src/MicipPlanner.Web/bin/Release/net10.0/MicipPlanner.Web.dll

mkdir -p "$data" bench/results
generate() { # name districts
  local db="$data/$1.db"
  if [ "$fresh" = 1 ] || [ ! -f "$db.manifest.json" ] || [ ! -f "$db" ]; then
    rm -f "$db" "$db-wal" "$db-shm" "$db.manifest.json"
    echo "== generate $1 ($2 districts, seed $seed)"
    $bench generate --out "$db" --districts "$2" --seed "$seed"
  else
    echo "== reuse $db (bench/run.sh --fresh regenerates)"
  fi
}
generate statewide 900

stamp=$(date -u +%Y%m%dT%H%M%SZ)
if [ "$workshop" = 1 ]; then
  # Writes workshops, seat accounts and ratings into the statewide database; --fresh starts again from the generated state.
  echo "== workshop load"
  exec $bench workshop --web "$web" --db "$data/statewide.db" --workshops "${BENCH_WORKSHOPS:-10,40,100}" \
    --duration "${BENCH_DURATION:-20}" --results "bench/results/$stamp-workshop.json"
fi
generate one-district 1

files=()
for i in $(seq "$runs"); do
  echo "== load run $i of $runs"
  file="bench/results/$stamp-$i.json"
  $bench load --web "$web" --db "$data/one-district.db" --db "$data/statewide.db" \
    --connections "$connections" --duration "$duration" --results "$file" --no-table || true
  [ -f "$file" ] || { echo "run $i produced no results" >&2; exit 1; }
  files+=("$file")
done
echo
$bench summarize "${files[@]}"
