#!/usr/bin/env bash
# Several instances of the app behind nginx (round robin, no sticky sessions) on one PostgreSQL database, all on
# 127.0.0.1: the way an ISD or the state runs it, on one machine.
#
#   scripts/run-cluster.sh                        builds, starts a throwaway PostgreSQL server, a throwaway Redis (the
#                                                 live updates' backplane), two instances with the demo districts and
#                                                 nginx on http://127.0.0.1:8080; Ctrl-C stops it all
#   scripts/run-cluster.sh start DIR [options]    the same in the background; DIR receives url, instance-N.pid,
#                                                 instance-N.port, instance-N.log and nginx's files
#   scripts/run-cluster.sh stop DIR               stops what `start DIR` started
#
# Options: --instances N (2)  --port P (8080 in the foreground, a free port with start)
#          --connection "Host=…;Port=…;Username=…;Database=…" (default: a throwaway server, stopped with the rest)
#          --redis "host:port" (default: a throwaway redis-server on loopback; none when it is not installed)
#          --no-redis (no backplane: a screen hears only saves made on its own instance)
#          --no-demo (an empty database)  --no-build (reuse artifacts/cluster-app if there)
#          --configuration Release|Debug (Release)
# The instances start at the same moment, as after a rolling restart; the first start on an empty database is safe
# (migrations, roles, the first data-protection key and the demo data are made once, under a lock in the database).
# Each answer through nginx names the instance that served it in the X-Upstream header.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)

usage() { sed -n '2,20p' "$0" >&2; exit 2; }
port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
free_port() {
  local port
  while :; do
    port=$((20000 + RANDOM % 40000))
    port_in_use "$port" || { echo "$port"; return; }
  done
}

stop() {
  local dir=${1:?usage: run-cluster.sh stop DIR} pid
  [ -f "$dir/nginx.pid" ] && kill "$(cat "$dir/nginx.pid")" 2>/dev/null || true
  for pidfile in "$dir"/instance-*.pid; do
    [ -f "$pidfile" ] || continue
    pid=$(cat "$pidfile")
    kill -TERM "$pid" 2>/dev/null || true
  done
  for pidfile in "$dir"/instance-*.pid; do
    [ -f "$pidfile" ] || continue
    pid=$(cat "$pidfile")
    for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$pid" 2>/dev/null || true
  done
  [ -f "$dir/postgres-dir" ] && ./scripts/postgres-test-server.sh stop "$(cat "$dir/postgres-dir")"
  rm -f "$dir/postgres-dir"
  if [ -f "$dir/redis.pid" ]; then
    pid=$(cat "$dir/redis.pid")
    kill "$pid" 2>/dev/null || true
    # redis-server writes its log as it shuts down: wait, so that whoever removes the folder next finds it done.
    for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  fi
  rm -f "$dir/redis.pid"
}

start() {
  local dir=$1; shift
  local instances=2 port="" connection="" demo=true build=1 configuration=Release redis="" use_redis=1
  while [ $# -gt 0 ]; do
    case "$1" in
      --instances) instances=$2; shift 2 ;;
      --port) port=$2; shift 2 ;;
      --connection) connection=$2; shift 2 ;;
      --redis) redis=$2; shift 2 ;;
      --no-redis) use_redis=0; shift ;;
      --no-demo) demo=false; shift ;;
      --no-build) build=0; shift ;;
      --configuration) configuration=$2; shift 2 ;;
      *) usage ;;
    esac
  done
  command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ] || { echo "nginx is not installed (scripts/setup.sh installs it)" >&2; exit 1; }
  local nginx_bin
  nginx_bin=$(command -v nginx || echo /usr/sbin/nginx)
  mkdir -p "$dir/nginx-temp"
  # nginx's workers run as an unprivileged user when started as root: they need to reach the temp folder.
  chmod 755 "$dir"; chmod 777 "$dir/nginx-temp"

  # Published as for a server (style sheets and scripts with their compressed copies), into artifacts/.
  local app="$root/artifacts/cluster-app"
  if [ "$build" = 1 ] || [ ! -f "$app/MicipPlanner.Web.dll" ]; then
    dotnet publish src/MicipPlanner.Web -c "$configuration" -o "$app" -nologo -v quiet >/dev/null
  fi
  local web="$app/MicipPlanner.Web.dll"

  if [ -z "$connection" ]; then
    local server
    server=$(./scripts/postgres-test-server.sh start)
    sed -n 's/^MICIP_PG_DIR=//p' <<<"$server" >"$dir/postgres-dir"
    connection="$(sed -n "s/^MICIP_TEST_POSTGRES='\(.*\)'$/\1/p" <<<"$server");Database=micip_planner"
  fi
  [ -n "$port" ] || port=$(free_port)
  echo "http://127.0.0.1:$port" >"$dir/url"

  # The live updates' backplane: a message sent by one instance reaches the screens connected to the others.
  if [ "$use_redis" = 1 ] && [ -z "$redis" ]; then
    if command -v redis-server >/dev/null 2>&1; then
      local redis_port
      redis_port=$(free_port)
      redis-server --bind 127.0.0.1 --port "$redis_port" --save "" --appendonly no --daemonize yes \
        --pidfile "$dir/redis.pid" --logfile "$dir/redis.log" --dir "$dir" >/dev/null
      for _ in $(seq 1 50); do [ -s "$dir/redis.pid" ] && port_in_use "$redis_port" && break; sleep 0.1; done
      redis="127.0.0.1:$redis_port"
    else
      echo "redis-server is not installed (scripts/setup.sh installs it): live updates reach only screens on the instance that saved" >&2
    fi
  fi
  [ "$use_redis" = 1 ] || redis=""
  echo "$redis" >"$dir/redis"

  local upstreams="" i instance_port
  for i in $(seq 1 "$instances"); do
    instance_port=$(free_port)
    echo "$instance_port" >"$dir/instance-$i.port"
    upstreams+="    server 127.0.0.1:$instance_port max_fails=1 fail_timeout=5s;"$'\n'
    # Started one after the other without waiting: they meet on the empty database together.
    (
      cd "$(dirname "$web")"
      export ASPNETCORE_ENVIRONMENT=Production ASPNETCORE_URLS="http://127.0.0.1:$instance_port"
      export Database__Provider=PostgreSQL ConnectionStrings__PostgreSQL="$connection"
      # nginx forwards plain HTTP on loopback here; in production it terminates TLS and says so in X-Forwarded-Proto.
      export Security__RequireHttps=false Security__TrustedProxies__0=127.0.0.1
      export App__PublicUrl="http://127.0.0.1:$port" Demo__Seed=$demo
      [ -z "$redis" ] || export Redis__Configuration="$redis"
      exec dotnet "$web"
    ) >"$dir/instance-$i.log" 2>&1 &
    echo $! >"$dir/instance-$i.pid"
  done

  local conf
  conf=$(<scripts/cluster-nginx.conf)
  conf=${conf//@DIR@/$dir}
  conf=${conf//@PORT@/$port}
  conf=${conf//@UPSTREAMS@/${upstreams%$'\n'}}
  printf '%s\n' "$conf" >"$dir/nginx.conf"
  "$nginx_bin" -q -e "$dir/nginx-error.log" -c "$dir/nginx.conf" -p "$dir"

  for i in $(seq 1 "$instances"); do
    instance_port=$(cat "$dir/instance-$i.port")
    for attempt in $(seq 1 240); do
      if curl -fsS -o /dev/null "http://127.0.0.1:$instance_port/healthz/ready" 2>/dev/null; then break; fi
      if ! kill -0 "$(cat "$dir/instance-$i.pid")" 2>/dev/null; then
        echo "instance $i stopped while starting:" >&2; tail -30 "$dir/instance-$i.log" >&2; stop "$dir"; exit 1
      fi
      [ "$attempt" = 240 ] && { echo "instance $i was not ready after 120 s:" >&2; tail -30 "$dir/instance-$i.log" >&2; stop "$dir"; exit 1; }
      sleep 0.5
    done
  done
  echo "MICIP Planner: $instances instances behind nginx at $(cat "$dir/url") (PostgreSQL: ${connection%%;Password=*}; Redis: ${redis:-none})"
}

case "${1:-}" in
  start) [ -n "${2:-}" ] || usage; dir=$2; shift 2; mkdir -p "$dir"; start "$(cd "$dir" && pwd)" "$@" ;;
  stop) [ -n "${2:-}" ] || usage; stop "$2" ;;
  ""|--*)
    dir=$(mktemp -d "${TMPDIR:-/tmp}/micip-cluster.XXXXXX")
    trap 'stop "$dir"; rm -rf "$dir"' EXIT
    trap 'exit 130' INT TERM
    args=("$@")
    has_port=0
    for a in "${args[@]}"; do [ "$a" = "--port" ] && has_port=1; done
    [ "$has_port" = 1 ] || args+=(--port 8080)
    start "$dir" "${args[@]}"
    echo "Demo accounts as in the README (password Demo-Pass-2026!). Logs: $dir/instance-N.log. Ctrl-C stops it all."
    while :; do sleep 3600; done
    ;;
  *) usage ;;
esac
