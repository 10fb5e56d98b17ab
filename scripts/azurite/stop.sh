#!/usr/bin/env bash
# Stops the Azurite that start.sh started (by its pid file).   scripts/azurite/stop.sh [--dir DIR]
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
dir="$(cd "$here/../.." && pwd)/.run/azurite"
[[ "${1:-}" == "--dir" ]] && dir="$2"
pidfile="$dir/azurite.pid"
[[ -f "$pidfile" ]] || exit 0
pid="$(cat "$pidfile")"
if kill -0 "$pid" 2>/dev/null; then
  kill "$pid"
  for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  kill -0 "$pid" 2>/dev/null && kill -9 "$pid" 2>/dev/null || true
fi
rm -f "$pidfile"
