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

# Single sign-on with the local test provider: ./scripts/run-demo.sh --with-test-provider (or MICIP_TEST_PROVIDER=1).
with_provider=${MICIP_TEST_PROVIDER:-0}
for arg in "$@"; do [ "$arg" = "--with-test-provider" ] && with_provider=1; done
if [ "$with_provider" = "1" ]; then
  provider_port=${MICIP_TEST_PROVIDER_PORT:-5090}
  dotnet build tools/MicipPlanner.TestIdentityProvider -c Release -nologo -v quiet
  # Started directly (not through dotnet run) so that stopping the demo stops exactly this process.
  dotnet tools/MicipPlanner.TestIdentityProvider/bin/Release/net10.0/MicipPlanner.TestIdentityProvider.dll \
    --port "$provider_port" --redirect-uri "$url/signin-oidc" --client-id micip-planner --client-secret demo-provider-secret &
  provider_pid=$!
  trap 'kill "$provider_pid" 2>/dev/null || true' EXIT
  export Authentication__Oidc__Authority="http://127.0.0.1:$provider_port/"
  export Authentication__Oidc__ClientId=micip-planner
  export Authentication__Oidc__ClientSecret=demo-provider-secret
  export Authentication__Oidc__DisplayName="Lakeshore ISD (test provider)"
  cat <<SSO
Single sign-on: the sign-in page offers "Sign in with Lakeshore ISD (test provider)", served by the
test identity provider at http://127.0.0.1:$provider_port (password Demo-Pass-2026! for everyone):
  leader@example.org         links to the key leader's account (the provider asserts multi-factor)
  member@example.org         links to the team member's account
  new.teacher@example.org    no account: invite this address first (Team & buildings), then sign in
  unverified@example.org     the provider does not vouch for this address: refused

SSO
  dotnet run --project src/MicipPlanner.Web --no-launch-profile --urls "$url" -- --seed-demo
  exit $?
fi
echo "Single sign-on with a local test provider: ./scripts/run-demo.sh --with-test-provider"
echo
exec dotnet run --project src/MicipPlanner.Web --no-launch-profile --urls "$url" -- --seed-demo
