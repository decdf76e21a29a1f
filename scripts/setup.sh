#!/usr/bin/env bash
# Installs what is missing on a fresh Debian/Ubuntu machine that has the .NET SDK:
# Chromium and fonts (PDF handouts, browser tests), poppler (reading PDFs back), a Java runtime and the Nu HTML checker
# (the browser tests' HTML check), PostgreSQL (the Web suite's second run, on a throwaway server), nginx (the
# two-instance tests behind a load balancer), redis-server (the live updates' backplane between instances), and the
# local dotnet tools.
set -euo pipefail
cd "$(dirname "$0")/.."
need=()
command -v chromium >/dev/null 2>&1 || [ -x /usr/lib/chromium/chromium ] || need+=(chromium)
fc-list 2>/dev/null | grep -qi "Liberation Sans" || need+=(fonts-liberation)
command -v pdftoppm >/dev/null 2>&1 || need+=(poppler-utils)
command -v java >/dev/null 2>&1 || need+=(default-jre-headless)
command -v npm >/dev/null 2>&1 || need+=(npm)
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || need+=(postgresql)
command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ] || need+=(nginx-light)
command -v redis-server >/dev/null 2>&1 || need+=(redis-server)
if [ ${#need[@]} -gt 0 ]; then
  sudo_cmd=""
  [ "$(id -u)" -ne 0 ] && sudo_cmd="sudo"
  echo "Installing ${need[*]}"
  $sudo_cmd apt-get update -qq
  # RUNLEVEL=1: the packages' own services (a PostgreSQL cluster on 5432, nginx on port 80, Redis on 6379) are not started; the
  # scripts start their own servers on 127.0.0.1 when they need them.
  RUNLEVEL=1 DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq "${need[@]}" >/dev/null
fi
# The Nu HTML checker, pinned in tools/vnu/package-lock.json. Its install script (which would fetch a Java runtime) is
# skipped: Java comes from the operating system above.
if [ ! -f tools/vnu/node_modules/vnu-jar/build/dist/vnu.jar ]; then
  echo "Installing the Nu HTML checker (tools/vnu)"
  npm ci --prefix tools/vnu --ignore-scripts --no-audit --no-fund --loglevel=error >/dev/null
fi
dotnet tool restore >/dev/null
dotnet restore MicipPlanner.sln -nologo -v quiet
