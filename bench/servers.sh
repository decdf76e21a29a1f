#!/usr/bin/env bash
# The same loads on the three ways to run the app, in one run on one commit: one process on SQLite (the embedded
# default), one process on PostgreSQL, and two instances behind nginx on that PostgreSQL database.
#   key pages and saves (load), reads while others save (mixed), and the workshop scenario (W = 10, 40, 100)
# PostgreSQL is a throwaway server on 127.0.0.1 (scripts/postgres-test-server.sh), filled by the generator from the
# same seed as the SQLite files, so every district, person and record has the same key on both; it is stopped at the
# end. The loads that write get their own copy of the data (a copied file, or CREATE DATABASE … TEMPLATE).
#
#   bench/servers.sh                      about 25 minutes; results in bench/results/<time>-servers-*.json
#   BENCH_INSTANCES=3 bench/servers.sh    a cluster of three instead of two
#   BENCH_WORKSHOPS=10,40 BENCH_DURATION=8 BENCH_PORT=6190 bench/servers.sh
set -euo pipefail
cd "$(dirname "$0")/.."

data=${BENCH_DATA:-bench/data}
duration=${BENCH_DURATION:-8}
instances=${BENCH_INSTANCES:-2}
workshops=${BENCH_WORKSHOPS:-10,40,100}
seed=${BENCH_SEED:-2026}
port=${BENCH_PORT:-6190}   # one process on this port; nginx on the next hundred, its instances after it
cluster_port=$((port + 100))
stamp=$(date -u +%Y%m%dT%H%M%SZ)
out="bench/results/$stamp-servers"

echo "== build (Release)"
dotnet build MicipPlanner.sln -c Release -nologo -v quiet
bench="dotnet bench/MicipPlanner.Bench/bin/Release/net10.0/MicipPlanner.Bench.dll"
web=src/MicipPlanner.Web/bin/Release/net10.0/MicipPlanner.Web.dll
mkdir -p "$data" bench/results

if [ ! -f "$data/statewide.db" ] || [ ! -f "$data/statewide.db.manifest.json" ]; then
  rm -f "$data/statewide.db"*
  echo "== generate the SQLite statewide database"
  $bench generate --out "$data/statewide.db" --districts 900 --seed "$seed"
fi

server=$(./scripts/postgres-test-server.sh start)
pg_dir=$(sed -n 's/^MICIP_PG_DIR=//p' <<<"$server")
pg=$(sed -n "s/^MICIP_TEST_POSTGRES='\(.*\)'$/\1/p" <<<"$server")
cleanup() {
  ./scripts/postgres-test-server.sh stop "$pg_dir"
  rm -f "$data/pg-statewide.manifest.json"
}
trap cleanup EXIT
pg_port=$(cat "$pg_dir/port")
copy_database() { # name of the copy; the generated database is its template
  psql -q -h 127.0.0.1 -p "$pg_port" -U postgres -d postgres -c "CREATE DATABASE $1 TEMPLATE bench_statewide"
}

echo "== generate the PostgreSQL statewide database (same seed)"
$bench generate --out "$data/pg-statewide" --districts 900 --seed "$seed" --provider PostgreSQL --connection "$pg;Database=bench_statewide"
psql -q -h 127.0.0.1 -p "$pg_port" -U postgres -d bench_statewide -c "VACUUM ANALYZE"

# Key pages and saves: the statewide data on each of the three.
echo "== load: SQLite, one process"
$bench load --web "$web" --db "$data/statewide.db" --duration "$duration" --port "$port" --results "$out-load-sqlite.json" --no-table || true
echo "== load: PostgreSQL, one process"
copy_database bench_load_one
$bench load --web "$web" --db "$data/pg-statewide" --connection "$pg;Database=bench_load_one" --duration "$duration" \
  --port "$port" --results "$out-load-postgres.json" --no-table || true
echo "== load: PostgreSQL, $instances instances behind nginx"
copy_database bench_load_cluster
$bench load --web "$web" --db "$data/pg-statewide" --connection "$pg;Database=bench_load_cluster" --instances "$instances" \
  --duration "$duration" --port "$cluster_port" --results "$out-load-cluster.json" --no-table || true

# Reads while others save, in district 1.
cp "$data/statewide.db" "$data/statewide-mixed.db"
cp "$data/statewide.db.manifest.json" "$data/statewide-mixed.db.manifest.json"
echo "== mixed: SQLite, one process"
$bench mixed --web "$web" --db "$data/statewide-mixed.db" --rounds 1 --duration "$duration" --port "$port" --results "$out-mixed-sqlite.json" || true
copy_database bench_mixed_one
echo "== mixed: PostgreSQL, one process"
$bench mixed --web "$web" --db "$data/pg-statewide" --connection "$pg;Database=bench_mixed_one" --rounds 1 --duration "$duration" \
  --port "$port" --results "$out-mixed-postgres.json" || true
copy_database bench_mixed_cluster
echo "== mixed: PostgreSQL, $instances instances behind nginx"
$bench mixed --web "$web" --db "$data/pg-statewide" --connection "$pg;Database=bench_mixed_cluster" --instances "$instances" --rounds 1 \
  --duration "$duration" --port "$cluster_port" --results "$out-mixed-cluster.json" || true
rm -f "$data/statewide-mixed.db"*

# The workshop scenario: W workshops of 25 participants joining by code.
cp "$data/statewide.db" "$data/statewide-workshop.db"
cp "$data/statewide.db.manifest.json" "$data/statewide-workshop.db.manifest.json"
echo "== workshop: SQLite, one process"
$bench workshop --web "$web" --db "$data/statewide-workshop.db" --workshops "$workshops" --duration "$((duration + 7))" \
  --port "$port" --results "$out-workshop-sqlite.json" || true
copy_database bench_workshop_one
echo "== workshop: PostgreSQL, one process"
$bench workshop --web "$web" --db "$data/pg-statewide" --connection "$pg;Database=bench_workshop_one" --workshops "$workshops" \
  --duration "$((duration + 7))" --port "$port" --results "$out-workshop-postgres.json" || true
copy_database bench_workshop_cluster
echo "== workshop: PostgreSQL, $instances instances behind nginx"
$bench workshop --web "$web" --db "$data/pg-statewide" --connection "$pg;Database=bench_workshop_cluster" --instances "$instances" \
  --workshops "$workshops" --duration "$((duration + 7))" --port "$cluster_port" --results "$out-workshop-cluster.json" || true
rm -f "$data/statewide-workshop.db"*

echo
# One table per run (each names its database and shape); the budgets apply to the SQLite run only.
for f in "$out"-load-*.json; do $bench summarize "$f" || true; done
for f in "$out"-mixed-*.json; do $bench summarize-mixed "$f"; done
for f in "$out"-workshop-*.json; do $bench summarize-workshop "$f"; done
