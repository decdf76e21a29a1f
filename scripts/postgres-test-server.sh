#!/usr/bin/env bash
# A throwaway PostgreSQL server for the tests: a new cluster in a temporary folder, listening on 127.0.0.1 only, on a
# free port, with durability turned off (nothing in it outlives the run).
#   eval "$(scripts/postgres-test-server.sh start)"   # sets MICIP_PG_DIR and MICIP_TEST_POSTGRES
#   scripts/postgres-test-server.sh stop "$MICIP_PG_DIR"
# PostgreSQL refuses to run as root, so as root the server runs as the postgres user (Debian's package creates it).
set -euo pipefail

bin_dir() {
  local dir
  dir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
  [ -n "$dir" ] && [ -x "$dir/initdb" ] || { echo "PostgreSQL is not installed (no /usr/lib/postgresql/*/bin/initdb)" >&2; exit 1; }
  echo "$dir"
}

as_server_user() {
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

start() {
  local bin dir port attempt
  bin=$(bin_dir)
  dir=$(mktemp -d "${TMPDIR:-/tmp}/micip-postgres.XXXXXX")
  [ "$(id -u)" -eq 0 ] && chown postgres: "$dir"
  as_server_user "$bin/initdb" -D "$dir/data" -U postgres --auth=trust --encoding=UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 \
    || { cat "$dir/initdb.log" >&2; exit 1; }
  for attempt in 1 2 3 4 5; do
    port=$((20000 + RANDOM % 40000))
    port_in_use "$port" && continue
    if as_server_user "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 start -o \
      "-p $port -c listen_addresses=127.0.0.1 -c unix_socket_directories=$dir -c max_connections=300 -c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
      >/dev/null; then
      echo "$port" >"$dir/port"
      echo "MICIP_PG_DIR=$dir"
      echo "MICIP_TEST_POSTGRES='Host=127.0.0.1;Port=$port;Username=postgres'"
      return 0
    fi
  done
  tail -20 "$dir/server.log" >&2 || true
  echo "PostgreSQL did not start" >&2
  exit 1
}

stop() {
  local dir=${1:?usage: postgres-test-server.sh stop DIR}
  [ -d "$dir/data" ] && as_server_user "$(bin_dir)/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null 2>&1 || true
  rm -rf "$dir"
}

case "${1:-}" in
  start) start ;;
  stop) stop "${2:-}" ;;
  *) echo "usage: $0 start | stop DIR" >&2; exit 2 ;;
esac
