#!/usr/bin/env bash
# Stops what start.sh started and removes its data.
set -uo pipefail
repo=$(cd "$(dirname "$0")/../.." && pwd)
state=${KAITO_KUBE_STATE:-$repo/.run/kube}
for name in scheduler controller-manager apiserver etcd; do
  pid=$(cat "$state/$name.pid" 2>/dev/null) || continue
  kill "$pid" 2>/dev/null
  for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  kill -9 "$pid" 2>/dev/null
done
[ -f "$state/etcd.data" ] && rm -rf "$(cat "$state/etcd.data")"
rm -rf "$state"
exit 0
