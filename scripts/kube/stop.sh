#!/usr/bin/env bash
# Stops what start.sh started and removes its data.
set -uo pipefail
repo=$(cd "$(dirname "$0")/../.." && pwd)
state=${KAITO_KUBE_STATE:-$repo/.run/kube}
# TERM, then KILL after 5 s; the Kubernetes processes together, etcd after them.
stop_all() {
  local pids=() pid name
  for name in "$@"; do
    pid=$(cat "$state/$name.pid" 2>/dev/null) && kill "$pid" 2>/dev/null && pids+=("$pid")
  done
  [ ${#pids[@]} -gt 0 ] || return 0
  for _ in $(seq 1 50); do
    local alive=
    for pid in "${pids[@]}"; do kill -0 "$pid" 2>/dev/null && alive=1; done
    [ -z "$alive" ] && return 0
    sleep 0.1
  done
  kill -9 "${pids[@]}" 2>/dev/null
}
# kaito and node-simulator, when a caller keeps their pid files in this state folder (scripts/local-stack.sh keeps its own).
stop_all kaito
stop_all node-simulator scheduler controller-manager apiserver
stop_all etcd
[ -f "$state/etcd.data" ] && rm -rf "$(cat "$state/etcd.data")"
rm -rf "$state"
exit 0
