#!/bin/sh
# The store and API tests also run against a real PostgreSQL server (issue 15): Debian's `postgresql`
# package, started by the tests themselves (test/support/postgres.ts) in a temporary folder on a free port.
# This only makes sure the binaries are there. PHT_PG_BIN may point at another PostgreSQL bin folder.
set -e
if [ -n "$PHT_PG_BIN" ] && [ -x "$PHT_PG_BIN/initdb" ]; then exit 0; fi
for dir in /usr/lib/postgresql/*/bin; do
  if [ -x "$dir/initdb" ] && [ -x "$dir/pg_ctl" ]; then exit 0; fi
done
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  echo "[pht] Installerer PostgreSQL fra Debian (apt-get install postgresql) ..."
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
  exit 0
fi
echo "[pht] Databasetestene trenger PostgreSQL 15 eller nyere. Installer det med: sudo apt-get install postgresql" >&2
echo "      (eller sett PHT_PG_BIN=/sti/til/postgresql/bin)" >&2
exit 1
