#!/usr/bin/env bash
# The local PostgreSQL server (Debian's packages), for CI (.ci/run) and scripts/local-cluster.sh.
#
#   scripts/postgres.sh start                       install (as root, if missing) and start the server; waits until
#                                                   it accepts connections; prints "started" or "already running"
#   scripts/postgres.sh role NAME PASSWORD [DB]     a login role that may create databases (and DB, owned by it)
#   scripts/postgres.sh stop                        stop the server
set -euo pipefail

as_postgres() {
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else sudo -u postgres "$@"; fi
}

# The newest cluster Debian's postgresql-common knows of: "VERSION NAME".
cluster() { pg_lsclusters --no-header 2>/dev/null | awk '{print $1, $2}' | sort -V | tail -n 1; }

start() {
  if ! command -v pg_ctlcluster >/dev/null || ! ls /usr/lib/postgresql/*/bin/postgres >/dev/null 2>&1; then
    [ "$(id -u)" -eq 0 ] || { echo "error: PostgreSQL is not installed; as root: apt-get install -y postgresql" >&2; exit 1; }
    echo "installing PostgreSQL (apt-get install postgresql)" >&2
    apt-get update -qq >&2
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >&2
  fi
  if [ -z "$(cluster)" ]; then
    version=$(ls /usr/lib/postgresql | sort -V | tail -n 1)
    as_postgres pg_createcluster "$version" main >&2
  fi
  read -r version name <<<"$(cluster)"
  if pg_lsclusters --no-header | awk -v v="$version" -v n="$name" '$1 == v && $2 == n {print $4}' | grep -q online; then
    echo "already running"
  else
    # pg_ctlcluster as root runs the server as its owner (postgres).
    if [ "$(id -u)" -eq 0 ]; then pg_ctlcluster "$version" "$name" start >&2; else sudo pg_ctlcluster "$version" "$name" start >&2; fi
    echo "started"
  fi
  for _ in $(seq 1 60); do
    pg_isready -q -h 127.0.0.1 && return 0
    sleep 0.5
  done
  echo "error: PostgreSQL $version/$name did not accept connections on 127.0.0.1" >&2
  exit 1
}

role() {
  local name=$1 password=$2 db=${3:-}
  [[ $name =~ ^[a-z_][a-z0-9_]*$ ]] || { echo "error: role name '$name': lowercase letters, digits and _" >&2; exit 2; }
  as_postgres psql -v ON_ERROR_STOP=1 -qAt -v name="$name" -v password="$password" <<'SQL'
SELECT format('CREATE ROLE %I LOGIN CREATEDB PASSWORD %L', :'name', :'password')
  WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = :'name') \gexec
SELECT format('ALTER ROLE %I LOGIN CREATEDB PASSWORD %L', :'name', :'password') \gexec
SQL
  if [ -n "$db" ]; then
    as_postgres psql -v ON_ERROR_STOP=1 -qAt -v name="$name" -v db="$db" <<'SQL'
SELECT format('CREATE DATABASE %I OWNER %I', :'db', :'name')
  WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = :'db') \gexec
SQL
  fi
}

stop() {
  read -r version name <<<"$(cluster)"
  [ -n "${version:-}" ] || return 0
  if [ "$(id -u)" -eq 0 ]; then pg_ctlcluster "$version" "$name" stop || true; else sudo pg_ctlcluster "$version" "$name" stop || true; fi
}

case "${1:-}" in
  start) start ;;
  role) shift; [ $# -ge 2 ] || { echo "usage: $0 role NAME PASSWORD [DB]" >&2; exit 2; }; role "$@" ;;
  stop) stop ;;
  *) echo "usage: $0 start | role NAME PASSWORD [DB] | stop" >&2; exit 2 ;;
esac
