#!/usr/bin/env bash
# docker-compose.yml's topology as processes on this machine, on loopback, configured through the same
# COORDINATOR_* variables: two supervisor-capable seeds (node1, node2), two workers (node3, node4), the
# local PostgreSQL as the journal, TLS with mutual authentication (certificates from make-certs.sh).
#
#   scripts/local-cluster.sh start [--no-build]   build, start PostgreSQL, make certificates, start the nodes,
#                                                 wait until all four are Up members
#   scripts/local-cluster.sh status               each node: running or not, Up or not
#   scripts/local-cluster.sh logs NODE            follow a node's log
#   scripts/local-cluster.sh stop [NODE...]       SIGTERM (the node leaves the cluster), wait for it to exit
#
# Everything lives under out/local-cluster/: logs/NODE.log, NODE.pid, NODE.up (health file), certs/, shared/.
set -euo pipefail
cd "$(dirname "$0")/.."

root=$PWD/out/local-cluster
seeds=127.0.0.1:4053,127.0.0.1:4054
journal="Host=127.0.0.1;Port=5432;Database=coordinator;Username=coordinator;Password=coordinator"
tls_password=${COORDINATOR_TLS_PASSWORD:-change-me}

# name role port: the same nodes and roles as docker-compose.yml; ports differ because all share 127.0.0.1.
nodes() {
  cat <<'NODES'
node1 supervisor 4053
node2 supervisor 4054
node3 worker 4055
node4 worker 4056
NODES
}

coordinator_dll() {
  local dll
  dll=$(ls src/Coordinator.Cli/bin/Debug/net10.0/*/coordinator.dll src/Coordinator.Cli/bin/Debug/net10.0/coordinator.dll 2>/dev/null | head -n 1 || true)
  [ -n "$dll" ] || { echo "error: src/Coordinator.Cli is not built (run: $0 start, without --no-build)" >&2; exit 1; }
  echo "$PWD/$dll"
}

running() { [ -f "$root/$1.pid" ] && kill -0 "$(cat "$root/$1.pid")" 2>/dev/null; }

start_node() {
  local name=$1 role=$2 port=$3 dll=$4
  if running "$name"; then
    echo "$name: already running (pid $(cat "$root/$name.pid"))"
    return
  fi
  local settings=(
    COORDINATOR_ROLES="$role"
    COORDINATOR_HOST=127.0.0.1
    COORDINATOR_PORT="$port"
    COORDINATOR_SEEDS="$seeds"
    COORDINATOR_TLS=on
    COORDINATOR_TLS_CERT="$root/certs/$name.pfx"
    COORDINATOR_TLS_CA="$root/certs/ca.crt"
    COORDINATOR_TLS_PASSWORD="$tls_password"
    COORDINATOR_FAILURE_TIMEOUT=10s
    COORDINATOR_DOWN_AFTER=15s
    COORDINATOR_HEALTH_FILE="$root/$name.up"
    COORDINATOR_LOG_LEVEL=WARNING
  )
  if [ "$role" = supervisor ]; then
    settings+=(
      COORDINATOR_RUN="$PWD/hocon/digits.conf"
      COORDINATOR_SHARED="$root/shared"
      COORDINATOR_JOURNAL="$journal"
    )
  fi
  (
    # Only these settings: none inherited from the calling shell.
    for v in $(compgen -e | grep '^COORDINATOR_' || true); do unset "$v"; done
    export "${settings[@]}"
    exec dotnet "$dll" node
  ) >"$root/logs/$name.log" 2>&1 &
  echo $! >"$root/$name.pid"
  echo "$name: started ($role, 127.0.0.1:$port, pid $!, log $root/logs/$name.log)"
}

start() {
  local build=1
  [ "${1:-}" = --no-build ] && build=0
  mkdir -p "$root/logs" "$root/shared" "$root/certs"
  if [ "$build" -eq 1 ]; then
    echo "building src/Coordinator.Cli"
    dotnet build src/Coordinator.Cli --nologo -v quiet >"$root/logs/build.log" 2>&1 || { cat "$root/logs/build.log" >&2; exit 1; }
  fi
  local dll
  dll=$(coordinator_dll)
  echo "PostgreSQL: $(scripts/postgres.sh start)"
  scripts/postgres.sh role coordinator coordinator coordinator
  COORDINATOR_TLS_PASSWORD="$tls_password" scripts/make-certs.sh "$root/certs" $(nodes | awk '{print $1}') >/dev/null

  while read -r name role port; do start_node "$name" "$role" "$port" "$dll"; done < <(nodes)

  echo "waiting for every node to be an Up member (up to 2 minutes)"
  for _ in $(seq 1 240); do
    local up=0 total=0
    while read -r name _ _; do
      total=$((total + 1))
      [ -f "$root/$name.up" ] && up=$((up + 1))
      running "$name" || { echo "error: $name exited; its log:" >&2; tail -n 20 "$root/logs/$name.log" >&2; exit 1; }
    done < <(nodes)
    if [ "$up" -eq "$total" ]; then
      echo "cluster up: $total nodes (stop with: $0 stop)"
      return
    fi
    sleep 0.5
  done
  echo "error: not every node became Up within 2 minutes; see $root/logs/" >&2
  status
  exit 1
}

status() {
  while read -r name role port; do
    local state="stopped"
    if running "$name"; then
      state="running (pid $(cat "$root/$name.pid"))"
      [ -f "$root/$name.up" ] && state="$state, Up member" || state="$state, not (yet) a member"
    fi
    echo "$name ($role, 127.0.0.1:$port): $state"
  done < <(nodes)
}

stop() {
  local names=("$@")
  [ ${#names[@]} -gt 0 ] || mapfile -t names < <(nodes | awk '{print $1}')
  for name in "${names[@]}"; do
    if running "$name"; then kill -TERM "$(cat "$root/$name.pid")"; echo "$name: SIGTERM (leaving the cluster)"; fi
  done
  for name in "${names[@]}"; do
    [ -f "$root/$name.pid" ] || continue
    local pid
    pid=$(cat "$root/$name.pid")
    for _ in $(seq 1 120); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
    if kill -0 "$pid" 2>/dev/null; then
      echo "$name: still running after 60 s; SIGKILL" >&2
      kill -KILL "$pid" 2>/dev/null || true
    else
      echo "$name: stopped"
    fi
    rm -f "$root/$name.pid"
  done
}

case "${1:-}" in
  start) shift; start "$@" ;;
  status) status ;;
  logs) [ -n "${2:-}" ] || { echo "usage: $0 logs NODE" >&2; exit 2; }; tail -n +1 -f "$root/logs/$2.log" ;;
  stop) shift; stop "$@" ;;
  *) echo "usage: $0 start [--no-build] | status | logs NODE | stop [NODE...]" >&2; exit 2 ;;
esac
