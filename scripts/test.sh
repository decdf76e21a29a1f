#!/usr/bin/env bash
# Runs every test project and prints one closing line "N passed, N failed" over all of them.
# When PostgreSQL is installed, the Web integration suite runs a second time against a throwaway PostgreSQL server
# (scripts/postgres-test-server.sh), leaving out the tests about SQLite itself, and the cluster tests run two instances
# behind nginx on the same server (scripts/run-cluster.sh); SKIP_POSTGRES=1 skips both.
# Extra arguments go to each `dotnet test` (e.g. --no-build).
set -uo pipefail
cd "$(dirname "$0")/.."
config=${CONFIGURATION:-Release}
results=$(mktemp -d)
failed_runs=0
expected=$(($(ls tests/*/*.csproj | wc -l) - 1))
for project in tests/*/*.csproj; do
  name=$(basename "$project" .csproj)
  [ "$name" = MicipPlanner.ClusterTests ] && continue # needs the PostgreSQL server below
  echo "== $name"
  dotnet test "$project" -c "$config" -nologo "$@" \
    --logger "trx;LogFileName=$name.trx" --results-directory "$results" || failed_runs=$((failed_runs + 1))
done

postgres_dir=""
stop_postgres() { [ -n "$postgres_dir" ] && ./scripts/postgres-test-server.sh stop "$postgres_dir"; postgres_dir=""; }
trap stop_postgres EXIT
trap "exit 130" INT TERM
if [ "${SKIP_POSTGRES:-}" = "1" ]; then
  echo "== MicipPlanner.Web.Tests on PostgreSQL and MicipPlanner.ClusterTests: skipped (SKIP_POSTGRES=1)"
elif ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
  echo "== MicipPlanner.Web.Tests on PostgreSQL and MicipPlanner.ClusterTests: skipped (PostgreSQL is not installed; scripts/setup.sh installs it)"
else
  echo "== MicipPlanner.Web.Tests on PostgreSQL"
  expected=$((expected + 2))
  if server=$(./scripts/postgres-test-server.sh start); then
    postgres_dir=$(sed -n 's/^MICIP_PG_DIR=//p' <<<"$server")
    connection=$(sed -n "s/^MICIP_TEST_POSTGRES='\(.*\)'$/\1/p" <<<"$server")
    MICIP_TEST_POSTGRES="$connection" dotnet test tests/MicipPlanner.Web.Tests/MicipPlanner.Web.Tests.csproj -c "$config" -nologo "$@" \
      --filter "Database!=SqliteOnly" \
      --logger "trx;LogFileName=MicipPlanner.Web.Tests.PostgreSQL.trx" --results-directory "$results" || failed_runs=$((failed_runs + 1))
    echo "== MicipPlanner.ClusterTests (two instances behind nginx, on PostgreSQL)"
    MICIP_TEST_POSTGRES="$connection" dotnet test tests/MicipPlanner.ClusterTests/MicipPlanner.ClusterTests.csproj -c "$config" -nologo "$@" \
      --logger "trx;LogFileName=MicipPlanner.ClusterTests.trx" --results-directory "$results" || failed_runs=$((failed_runs + 1))
    stop_postgres
  else
    echo "PostgreSQL test server did not start"
    failed_runs=$((failed_runs + 1))
  fi
fi

passed=0; failed=0
for trx in "$results"/*.trx; do
  [ -f "$trx" ] || continue
  counters=$(grep -o '<Counters [^>]*>' "$trx" | head -1)
  p=$(sed -n 's/.* passed="\([0-9]*\)".*/\1/p' <<<"$counters"); f=$(sed -n 's/.* failed="\([0-9]*\)".*/\1/p' <<<"$counters")
  passed=$((passed + ${p:-0})); failed=$((failed + ${f:-0}))
done
# A run that could not happen at all counts as a failure rather than vanishing from the total.
got=$(ls "$results"/*.trx 2>/dev/null | wc -l)
[ "$got" -lt "$expected" ] && failed=$((failed + expected - got))
rm -rf "$results"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ] && [ "$failed_runs" -eq 0 ]
