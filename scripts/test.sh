#!/usr/bin/env bash
# Runs every test project and prints one closing line "N passed, N failed" over all of them.
# Extra arguments go to each `dotnet test` (e.g. --no-build).
set -uo pipefail
cd "$(dirname "$0")/.."
config=${CONFIGURATION:-Release}
results=$(mktemp -d)
failed_runs=0
for project in tests/*/*.csproj; do
  name=$(basename "$project" .csproj)
  echo "== $name"
  dotnet test "$project" -c "$config" -nologo "$@" \
    --logger "trx;LogFileName=$name.trx" --results-directory "$results" || failed_runs=$((failed_runs + 1))
done
passed=0; failed=0
for trx in "$results"/*.trx; do
  [ -f "$trx" ] || continue
  counters=$(grep -o '<Counters [^>]*>' "$trx" | head -1)
  p=$(sed -n 's/.* passed="\([0-9]*\)".*/\1/p' <<<"$counters"); f=$(sed -n 's/.* failed="\([0-9]*\)".*/\1/p' <<<"$counters")
  passed=$((passed + ${p:-0})); failed=$((failed + ${f:-0}))
done
# A project that could not run at all counts as a failure rather than vanishing from the total.
expected=$(ls tests/*/*.csproj | wc -l); got=$(ls "$results"/*.trx 2>/dev/null | wc -l)
[ "$got" -lt "$expected" ] && failed=$((failed + expected - got))
rm -rf "$results"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ] && [ "$failed_runs" -eq 0 ]
