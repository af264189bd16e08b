#!/usr/bin/env bash
# Starts (or stops) a throwaway PostgreSQL 15 cluster on a loopback port, for tests and benches.
#   scripts/pg15-cluster.sh start DIR PORT   → prints the admin URL
#   scripts/pg15-cluster.sh stop DIR
# By default the cluster trades durability for speed (fsync, synchronous_commit and
# full_page_writes off), which suits tests. PG_DURABLE=1 keeps PostgreSQL's durable defaults
# (for benchmarks); PG_OPTIONS adds server options ("-c shared_buffers=1GB …").
set -euo pipefail
cmd=${1:?start|stop}; dir=${2:?data directory}
bin=/usr/lib/postgresql/15/bin
run() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
case "$cmd" in
  start)
    port=${3:?port}
    if [ ! -s "$dir/PG_VERSION" ]; then
      mkdir -p "$dir"; [ "$(id -u)" = 0 ] && chown postgres:postgres "$dir"
      run "$bin/initdb" -D "$dir" -U postgres --auth=trust --encoding=UTF8 --locale=C.UTF-8 >/dev/null
    fi
    fast="-c fsync=off -c synchronous_commit=off -c full_page_writes=off"
    [ "${PG_DURABLE:-0}" = 1 ] && fast=""
    run "$bin/pg_ctl" -D "$dir" -l "$dir/server.log" -w -o "-p $port -k /tmp -c listen_addresses=127.0.0.1 $fast -c max_connections=200 ${PG_OPTIONS:-}" start >/dev/null
    echo "postgres://postgres@127.0.0.1:$port/postgres"
    ;;
  stop)
    run "$bin/pg_ctl" -D "$dir" -m fast -w stop >/dev/null || true
    ;;
esac
