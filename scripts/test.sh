#!/usr/bin/env bash
# The README's test command: all the set-up the tests need on a fresh Debian 12 machine, then
# `dotnet test Coordinator.sln` (extra arguments are passed on, e.g. --filter). .ci/run runs this.
#
# The cluster tests (tests/Coordinator.Cluster.Tests) need openssl (scripts/make-certs.sh), Docker (below)
# and PostgreSQL (the journal): Debian's packages, installed if missing, the server started (and stopped again at the end
# if it was not running), a role that may create databases (each test makes its own database). They fail,
# with the reason, if the server cannot be reached.
set -uo pipefail
cd "$(dirname "$0")/.."

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

apt_install() {
  [ "$(id -u)" -eq 0 ] || { echo "warning: not root, cannot install $*; the tests that need it will fail saying so" >&2; return 1; }
  apt-get update -qq >&2 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >&2
}

command -v openssl >/dev/null || apt_install openssl
# The compose tests (tests/Coordinator.Cluster.Tests/Compose): Debian's Docker engine, docker-compose and
# debootstrap (the local base image). The tests start and stop their own dockerd; COORDINATOR_TEST_DOCKER=skip
# skips them (never in CI).
if [ "${COORDINATOR_TEST_DOCKER:-}" != skip ]; then
  missing=()
  for tool in dockerd:docker.io docker-compose:docker-compose debootstrap:debootstrap; do
    PATH=$PATH:/usr/sbin:/sbin command -v "${tool%%:*}" >/dev/null || missing+=("${tool#*:}")
  done
  [ ${#missing[@]} -eq 0 ] || apt_install "${missing[@]}"
fi

cleanup=()
on_exit() { for c in "${cleanup[@]}"; do eval "$c" >/dev/null 2>&1 || true; done; }
trap on_exit EXIT

if [ -z "${COORDINATOR_TEST_POSTGRES:-}" ]; then
  if pg_state=$(scripts/postgres.sh start); then
    [ "$pg_state" = started ] && cleanup+=("scripts/postgres.sh stop")
    scripts/postgres.sh role coordinator_test coordinator_test || echo "warning: the PostgreSQL test role could not be made" >&2
  else
    echo "warning: PostgreSQL could not be started; the journal tests will fail saying so" >&2
  fi
  export COORDINATOR_TEST_POSTGRES="Host=127.0.0.1;Port=5432;Username=coordinator_test;Password=coordinator_test;Database=postgres"
fi

dotnet test Coordinator.sln "$@"
