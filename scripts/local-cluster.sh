#!/usr/bin/env bash
# docker-compose.yml's topology as processes on this machine, on loopback, configured through the same
# COORDINATOR_* variables: two supervisor-capable seeds (node1, node2), two workers (node3, node4), the
# local PostgreSQL as the journal, TLS with mutual authentication (certificates from make-certs.sh).
#
#   scripts/local-cluster.sh start [--no-build] [--new-run]
#        build (Debug; --no-build: use the newest Debug or Release build there is, building only if there is
#        none), start PostgreSQL, make certificates, start the nodes, wait until all four are Up members. The
#        run is hocon/digits.conf (run id "digits"): starting again continues it if it is unfinished; once it
#        is over, --new-run trains a new one (digits-2, digits-3, ...). If a node exits before all are Up,
#        the nodes this start started are stopped again.
#   scripts/local-cluster.sh status               each node: running or not, Up or not
#   scripts/local-cluster.sh logs NODE            follow a node's log
#   scripts/local-cluster.sh stop [NODE...]       SIGTERM (the node leaves the cluster), wait for it to exit
#
# Everything lives under out/local-cluster/: logs/NODE.log, NODE.pid, NODE.up (health file), certs/, shared/
# (run folders: `coordinator history out/local-cluster/shared/digits` reads the run from PostgreSQL, with
# PGPASSWORD=coordinator), runs/ (the run configurations of --new-run).
set -euo pipefail
cd "$(dirname "$0")/.."

root=$PWD/out/local-cluster
started=()   # the nodes this start started (stopped again if the start fails)
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

# The newest build of the executable, Debug or Release (with or without a runtime identifier); none: "".
coordinator_dll() {
  local dll
  dll=$(ls -t src/Coordinator.Cli/bin/{Debug,Release}/net10.0/*/coordinator.dll src/Coordinator.Cli/bin/{Debug,Release}/net10.0/coordinator.dll \
    2>/dev/null | head -n 1 || true)
  [ -n "$dll" ] && echo "$PWD/$dll"
  return 0
}

build() {
  echo "building src/Coordinator.Cli"
  dotnet build src/Coordinator.Cli --nologo -v quiet >"$root/logs/build.log" 2>&1 || { cat "$root/logs/build.log" >&2; exit 1; }
}

# A node is running when its pid file names a live process that is this node's `coordinator node` (a pid
# file left by a node that ended, whose number the system gave to another process since, does not count).
running() {
  local pid
  [ -f "$root/$1.pid" ] || return 1
  pid=$(cat "$root/$1.pid")
  kill -0 "$pid" 2>/dev/null && grep -qa "coordinator.dll" "/proc/$pid/cmdline" 2>/dev/null
}

# The run's status from its summary.json ("" while it has none: new, or unfinished).
run_status() {
  local summary="$root/shared/$1/summary.json"
  [ -f "$summary" ] && sed -n 's/^ *"status": *"\([a-z]*\)".*/\1/p' "$summary" | head -n 1
  return 0
}

# The run to start: hocon/digits.conf; with --new-run, once "digits" is over, a copy under a new name.
run_config() {
  local new_run=$1 id=digits n=1
  if [ "$new_run" -eq 1 ]; then
    while case "$(run_status "$id")" in completed|stopped) true ;; *) false ;; esac; do n=$((n + 1)); id="digits-$n"; done
  fi
  if [ "$id" = digits ]; then echo "$PWD/hocon/digits.conf"; return; fi
  mkdir -p "$root/runs"
  sed "s|\"\.\./data/|\"$PWD/data/|" hocon/digits.conf >"$root/runs/$id.conf"
  echo "$root/runs/$id.conf"
}

start_node() {
  local name=$1 role=$2 port=$3 dll=$4 run=$5
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
      COORDINATOR_RUN="$run"
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
  started+=("$name")
  echo "$name: started ($role, 127.0.0.1:$port, pid $!, log $root/logs/$name.log)"
}

# On a failed start: stop the nodes this start started (the others were running before it), then exit 1.
abandon() {
  if [ ${#started[@]} -gt 0 ]; then
    echo "stopping the nodes this start started: ${started[*]}" >&2
    stop "${started[@]}" >&2
  fi
  exit 1
}

start() {
  local build=1 new_run=0
  for arg in "$@"; do
    case "$arg" in
      --no-build) build=0 ;;
      --new-run) new_run=1 ;;
      *) echo "error: start takes --no-build and --new-run, not $arg" >&2; exit 2 ;;
    esac
  done
  mkdir -p "$root/logs" "$root/shared" "$root/certs"
  # What a previous start left: pid and health files of nodes that are not running any more.
  while read -r name _ _; do
    running "$name" || rm -f "$root/$name.pid" "$root/$name.up"
  done < <(nodes)

  local run id
  run=$(run_config "$new_run")
  id=$(basename "$run" .conf)
  case "$(run_status "$id")" in
    completed|stopped)
      echo "error: the run \"$id\" is over ($root/shared/$id/summary.json: $(run_status "$id")); the nodes would find it" >&2
      echo "       over and stop. Train a new run with: $0 start --new-run" >&2
      exit 1 ;;
  esac

  local dll
  if [ "$build" -eq 1 ]; then build; fi
  dll=$(coordinator_dll)
  if [ -z "$dll" ]; then
    echo "no build of src/Coordinator.Cli (Debug or Release) found"
    build
    dll=$(coordinator_dll)
  fi
  echo "executable: $dll"
  echo "PostgreSQL: $(scripts/postgres.sh start)"
  scripts/postgres.sh role coordinator coordinator coordinator
  COORDINATOR_TLS_PASSWORD="$tls_password" scripts/make-certs.sh "$root/certs" $(nodes | awk '{print $1}') >/dev/null

  echo "run $id: $run"
  started=()
  while read -r name role port; do start_node "$name" "$role" "$port" "$dll" "$run"; done < <(nodes)

  echo "waiting for every node to be an Up member (up to 2 minutes)"
  for _ in $(seq 1 240); do
    local up=0 total=0
    while read -r name _ _; do
      total=$((total + 1))
      [ -f "$root/$name.up" ] && up=$((up + 1))
      running "$name" || { echo "error: $name exited; its log:" >&2; tail -n 20 "$root/logs/$name.log" >&2; abandon; }
    done < <(nodes)
    if [ "$up" -eq "$total" ]; then
      echo "cluster up: $total nodes, run $id (stop with: $0 stop; the run's timeline: coordinator history $root/shared/$id)"
      return
    fi
    sleep 0.5
  done
  echo "error: not every node became Up within 2 minutes; see $root/logs/" >&2
  status >&2
  abandon
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
  *) echo "usage: $0 start [--no-build] [--new-run] | status | logs NODE | stop [NODE...]" >&2; exit 2 ;;
esac
