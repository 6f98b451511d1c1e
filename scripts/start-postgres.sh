#!/usr/bin/env bash
# Start a throwaway PostgreSQL server on 127.0.0.1 for the test suite and print its URL.
# Usage: eval "$(scripts/start-postgres.sh [DATADIR] [PORT])"   (sets NEWSTRACE_TEST_PG)
set -euo pipefail
DATA="${1:-/tmp/newstrace-pg}"
PORT="${2:-54329}"
BIN="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)"
if [ -z "$BIN" ]; then
  echo "PostgreSQL server binaries not found (apt-get install postgresql)" >&2
  exit 1
fi
if ! id postgres >/dev/null 2>&1; then
  useradd --system --home "$DATA" postgres
fi
if [ ! -s "$DATA/PG_VERSION" ]; then
  rm -rf "$DATA"
  mkdir -p "$DATA"
  chown postgres "$DATA"
  su postgres -s /bin/sh -c "'$BIN/initdb' -D '$DATA' -A trust -U postgres" >/dev/null
fi
if ! su postgres -s /bin/sh -c "'$BIN/pg_ctl' -D '$DATA' status" >/dev/null 2>&1; then
  su postgres -s /bin/sh -c "'$BIN/pg_ctl' -D '$DATA' -l '$DATA/server.log' -w \
    -o \"-c listen_addresses=127.0.0.1 -p $PORT -k /tmp -c fsync=off\" start" >/dev/null
fi
echo "export NEWSTRACE_TEST_PG=postgresql://postgres@127.0.0.1:$PORT/postgres"
