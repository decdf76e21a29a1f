#!/usr/bin/env bash
# Adds a migration with the same name to every provider's migration project (SQLite, SQL Server, PostgreSQL).
# Usage: scripts/add-migration.sh NAME
set -euo pipefail
name=${1:?usage: scripts/add-migration.sh NAME}
cd "$(dirname "$0")/.."
dotnet tool restore >/dev/null
for provider in Sqlite SqlServer PostgreSql; do
  dotnet ef migrations add "$name" \
    --project "src/MicipPlanner.Migrations.$provider" \
    --startup-project "src/MicipPlanner.Migrations.$provider" \
    --context AppDbContext -- --Database:Provider "$provider"
done
