#!/usr/bin/env bash
# Starts a throwaway PostgreSQL 15 cluster on loopback for the test suite and prints the
# TEST_JDBC_URL that reaches it; `hack/test-postgres.sh stop DIR` stops and removes it.
# Debian's own cluster is left alone: the suite owns nothing it did not create.
set -euo pipefail

bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
[ -x "$bin/initdb" ] || { echo "no PostgreSQL server binaries under /usr/lib/postgresql" >&2; exit 1; }

as_owner() {
  # initdb refuses to run as root, so root hands the cluster to the postgres user.
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

if [ "${1:-start}" = stop ]; then
  dir=$2
  as_owner "$bin/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null 2>&1 || true
  rm -rf "$dir"
  exit 0
fi

dir=$(mktemp -d "${TMPDIR:-/tmp}/dbm-test-postgres.XXXXXX")
chmod 755 "$dir"
[ "$(id -u)" -eq 0 ] && chown postgres "$dir"
port=${TEST_POSTGRES_PORT:-$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')}
password=$(head -c 18 /dev/urandom | base64 | tr -dc 'A-Za-z0-9')
echo "$password" > "$dir/pwfile"
[ "$(id -u)" -eq 0 ] && chown postgres "$dir/pwfile"
as_owner "$bin/initdb" -D "$dir/data" -U postgres --pwfile="$dir/pwfile" -A scram-sha-256 >/dev/null
rm -f "$dir/pwfile"
as_owner "$bin/pg_ctl" -D "$dir/data" -w -l "$dir/server.log" \
  -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c max_connections=200 -c fsync=off" start >/dev/null
echo "PostgreSQL $("$bin/postgres" --version | awk '{print $3}') on 127.0.0.1:$port (dir $dir)" >&2
echo "TEST_POSTGRES_DIR=$dir"
echo "TEST_JDBC_URL=jdbc:postgresql://127.0.0.1:$port/postgres?user=postgres&password=$password"
