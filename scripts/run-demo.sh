#!/usr/bin/env bash
# Sets up what is missing, then runs the app on SQLite with the demo districts at http://127.0.0.1:5080.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/setup.sh
url=${MICIP_URL:-http://127.0.0.1:5080}
cat <<INFO

MICIP Planner starts at $url  (Ctrl+C stops it)
Demo accounts, all with the password Demo-Pass-2026!
  admin@example.org          administrator
  facilitator@example.org    facilitator of both demo districts
  leader@example.org         Lakeshore key leader
  member@example.org         Lakeshore district team member
  building1@example.org … building4@example.org   Lakeshore building teams
  pineridge@example.org      Pine Ridge key leader
A demo workshop runs in Lakeshore: join it at $url/join with the code the log prints
("Demo workshop running in Lakeshore: … type the code …").

INFO
export ASPNETCORE_ENVIRONMENT=Development
exec dotnet run --project src/MicipPlanner.Web --no-launch-profile --urls "$url" -- --seed-demo
