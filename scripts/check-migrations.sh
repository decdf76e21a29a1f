#!/usr/bin/env bash
# Fails when any provider's migrations lag behind the model, and generates the SQL Server and PostgreSQL
# idempotent scripts (no server needed) to prove they build.
set -euo pipefail
cd "$(dirname "$0")/.."
dotnet tool restore >/dev/null
mkdir -p artifacts
for provider in Sqlite SqlServer PostgreSql; do
  echo "Checking $provider migrations against the model"
  dotnet ef migrations has-pending-model-changes \
    --project "src/MicipPlanner.Migrations.$provider" \
    --startup-project "src/MicipPlanner.Migrations.$provider" \
    --context AppDbContext --no-build --configuration "${1:-Debug}" -- --Database:Provider "$provider"
done
for provider in SqlServer PostgreSql; do
  script="artifacts/$(tr '[:upper:]' '[:lower:]' <<<"$provider")-idempotent.sql"
  dotnet ef migrations script --idempotent \
    --project "src/MicipPlanner.Migrations.$provider" \
    --startup-project "src/MicipPlanner.Migrations.$provider" \
    --context AppDbContext --no-build --configuration "${1:-Debug}" \
    --output "$script" -- --Database:Provider "$provider"
  echo "$provider idempotent script: $script ($(wc -l < "$script") lines)"
done
