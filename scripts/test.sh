#!/usr/bin/env bash
# Runs the whole test suite: installs what it needs, starts PostgreSQL and an S3 server (s3rver) on
# loopback, passes their addresses to the tests, and stops them afterwards, whatever happens.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
scripts/install-deps.sh test

work="$(mktemp -d /tmp/process-optimizer-test.XXXXXX)"
chmod 755 "$work"
pg_bin=/usr/lib/postgresql/15/bin
s3_pid=""
cleanup() {
  local rc=$?
  # A failed run keeps what the server saw: errors, cancelled statements and lock waits, each with its database.
  if [ "$rc" -ne 0 ] && [ -f "$work/pg/server.log" ]; then
    echo "--- PostgreSQL server log: errors and lock waits ---" >&2
    grep -E "ERROR|still waiting|deadlock" -A 2 "$work/pg/server.log" | tail -n 300 >&2 || true
  fi
  [ -n "$s3_pid" ] && kill "$s3_pid" 2>/dev/null || true
  [ -f "$work/pg/postmaster.pid" ] && runuser -u postgres -- "$pg_bin/pg_ctl" -D "$work/pg" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT

free_port() { /usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

# PostgreSQL refuses to run as root: the cluster belongs to the postgres user.
mkdir -p "$work/pg"
chown postgres:postgres "$work/pg"
runuser -u postgres -- "$pg_bin/initdb" -D "$work/pg" -A trust -U postgres >/dev/null
pg_port="$(free_port)"
runuser -u postgres -- "$pg_bin/pg_ctl" -D "$work/pg" -l "$work/pg/server.log" -w \
  -o "-c listen_addresses=127.0.0.1 -p $pg_port -k $work/pg -c log_lock_waits=on -c log_line_prefix='%m [%p] %d '" start >/dev/null
export PROCESS_OPTIMIZER_TEST_POSTGRES="Host=127.0.0.1;Port=$pg_port;Username=postgres;Database=postgres"

s3_port="$(free_port)"
mkdir -p "$work/s3"
node tools/s3rver/node_modules/s3rver/bin/s3rver.js -d "$work/s3" -a 127.0.0.1 -p "$s3_port" --silent &
s3_pid=$!
for _ in $(seq 50); do
  (exec 3<>"/dev/tcp/127.0.0.1/$s3_port") 2>/dev/null && break
  sleep 0.1
done
export PROCESS_OPTIMIZER_TEST_S3="http://127.0.0.1:$s3_port"

# Tests that need a server fail, never skip, when it is missing.
export PROCESS_OPTIMIZER_TEST_REQUIRE_SERVERS=1
dotnet test ProcessOptimizer.slnx -c Release "$@"
