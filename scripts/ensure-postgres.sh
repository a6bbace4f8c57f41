#!/usr/bin/env bash
# Makes sure a PostgreSQL server answers on 127.0.0.1:5432 for the server's integration
# tests: starts an installed cluster, or installs Debian's postgresql (as root) with trust
# auth on loopback and a `test` database. Without one, the tests run on SQLite only and
# say so loudly, except with CI=true, where this fails.
set -euo pipefail

up() { (exec 3<>/dev/tcp/127.0.0.1/5432) 2>/dev/null; }
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo -n "$@"; fi; }
wait_up() { for _ in $(seq 1 30); do up && return 0; sleep 1; done; return 1; }

up && exit 0

if [ "$(id -u)" = 0 ] || sudo -n true 2>/dev/null; then
  if ! ls /etc/postgresql/*/main >/dev/null 2>&1; then
    echo "postgres: installing Debian's postgresql"
    as_root apt-get update -qq
    DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq postgresql
  fi
  version=$(ls /etc/postgresql | sort -V | tail -n 1)
  hba=/etc/postgresql/$version/main/pg_hba.conf
  if ! grep -q '^host all all 127.0.0.1/32 trust' "$hba"; then
    as_root sed -i '1i host all all 127.0.0.1/32 trust' "$hba"
  fi
  as_root pg_ctlcluster --skip-systemctl-redirect "$version" main start || true
  if wait_up; then
    as_root su postgres -c "psql -h 127.0.0.1 -tAc \"SELECT 1 FROM pg_database WHERE datname='test'\"" | grep -q 1 ||
      as_root su postgres -c "createdb -h 127.0.0.1 test"
    exit 0
  fi
fi

if [ "${CI:-}" = true ]; then
  echo "postgres: no PostgreSQL on 127.0.0.1:5432 and none could be started; CI requires it" >&2
  exit 1
fi
echo "postgres: WARNING: no PostgreSQL on 127.0.0.1:5432; the PostgreSQL half of the server tests will be SKIPPED" >&2
