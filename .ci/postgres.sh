#!/usr/bin/env bash
# Start a PostgreSQL server on loopback for the database tests and print its URL.
# Used by .ci/run; a developer (as root, Debian/Ubuntu) can run it too:
#   export CSOFFICE_TEST_PG_URL=$(bash .ci/postgres.sh)
set -euo pipefail
if ! command -v pg_ctlcluster >/dev/null 2>&1; then
  apt-get install -y -qq --no-install-recommends postgresql >/dev/null
fi
version=$(ls /usr/lib/postgresql | sort -n | tail -1)
if ! pg_lsclusters -h | grep -q "^${version} main"; then
  pg_createcluster "$version" main >/dev/null
fi
pg_ctlcluster "$version" main start >/dev/null 2>&1 || true
for _ in $(seq 1 30); do
  pg_isready -q -h 127.0.0.1 -p 5432 && break
  sleep 1
done
su postgres -c "psql -q -v ON_ERROR_STOP=1" >/dev/null <<'SQL'
DO $$ BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'csoffice') THEN
    CREATE ROLE csoffice LOGIN PASSWORD 'csoffice' CREATEDB;
  END IF;
END $$;
SQL
su postgres -c "psql -tAc \"SELECT 1 FROM pg_database WHERE datname='csoffice_test'\"" | grep -q 1 \
  || su postgres -c "createdb -O csoffice csoffice_test"
echo "postgresql://csoffice:csoffice@127.0.0.1:5432/csoffice_test"
