#!/usr/bin/env bash
# PostgreSQL for the tests' `postgres` project (vitest.config.mts): the machine's own server,
# installed from Debian's packages when missing, started, and waited for. Idempotent: a server
# already running is reused. Prints the URL for TEST_DATABASE_URL on stdout; the rest goes to
# stderr. Needs root (apt-get, and runuser to reach the server as its `postgres` user).
#
#   export TEST_DATABASE_URL=$(bash scripts/db/pg-test-server.sh)
#   npx vitest run --project postgres
#
# The tests create and drop databases named proofsheet_test_* on it. A fresh Debian cluster
# accepts TCP logins by password only, so the `postgres` role gets the password `postgres`
# (through the local socket, where Debian trusts the OS user): a throwaway CI server only.
set -euo pipefail

port="${PG_TEST_PORT:-5432}"
if ! command -v pg_ctlcluster >/dev/null 2>&1; then
  echo "Installing PostgreSQL from Debian's packages" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >&2
  apt-get install -y -qq --no-install-recommends postgresql >&2
fi

version="$(ls /etc/postgresql 2>/dev/null | sort -V | tail -n 1)"
if [ -z "$version" ]; then
  version="$(ls /usr/lib/postgresql | sort -V | tail -n 1)"
  pg_createcluster --port "$port" "$version" main >&2
fi
if ! pg_isready -q -h 127.0.0.1 -p "$port"; then
  pg_ctlcluster --skip-systemctl-redirect "$version" main start >&2 || true
fi
for _ in $(seq 1 60); do
  pg_isready -q -h 127.0.0.1 -p "$port" && break
  sleep 0.5
done
if ! pg_isready -h 127.0.0.1 -p "$port" >&2; then
  echo "PostgreSQL $version did not start on 127.0.0.1:$port (see /var/log/postgresql/)" >&2
  exit 1
fi
runuser -u postgres -- psql -q -p "$port" -c "ALTER ROLE postgres PASSWORD 'postgres'" >&2
echo "postgresql://postgres:postgres@127.0.0.1:${port}/postgres"
