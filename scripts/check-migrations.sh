#!/usr/bin/env bash
# Fails when either provider's migrations lag behind the model, and generates the SQL Server
# idempotent script (no server needed) to prove it builds.
set -euo pipefail
cd "$(dirname "$0")/.."
dotnet tool restore >/dev/null
mkdir -p artifacts
for provider in Sqlite SqlServer; do
  echo "Checking $provider migrations against the model"
  dotnet ef migrations has-pending-model-changes \
    --project "src/MicipPlanner.Migrations.$provider" \
    --startup-project "src/MicipPlanner.Migrations.$provider" \
    --context AppDbContext --no-build --configuration "${1:-Debug}" -- --Database:Provider "$provider"
done
dotnet ef migrations script --idempotent \
  --project src/MicipPlanner.Migrations.SqlServer \
  --startup-project src/MicipPlanner.Migrations.SqlServer \
  --context AppDbContext --no-build --configuration "${1:-Debug}" \
  --output artifacts/sqlserver-idempotent.sql -- --Database:Provider SqlServer
echo "SQL Server idempotent script: artifacts/sqlserver-idempotent.sql ($(wc -l < artifacts/sqlserver-idempotent.sql) lines)"
