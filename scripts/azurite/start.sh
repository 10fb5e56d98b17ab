#!/usr/bin/env bash
# Starts Azurite in memory on loopback and waits until its three ports accept connections.
#   scripts/azurite/start.sh [--blob-port N] [--queue-port N] [--table-port N] [--dir DIR] [--owner-pid PID]
# With --owner-pid, Azurite is stopped when that process ends (a test run that starts its own Azurite).
# Defaults: ports 20000-20002, DIR=.run/azurite. Writes DIR/azurite.pid, DIR/azurite.log and DIR/connection-string,
# and prints the connection string (the explicit devstoreaccount1 form) as the last line of stdout:
#   export KAITO_TEST_STORAGE="$(scripts/azurite/start.sh | tail -n1)"
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
blob=20000 queue=20001 table=20002 dir="$root/.run/azurite" owner=""
while [[ $# -gt 0 ]]; do
  case "$1" in
    --blob-port) blob="$2"; shift 2 ;;
    --queue-port) queue="$2"; shift 2 ;;
    --table-port) table="$2"; shift 2 ;;
    --dir) dir="$2"; shift 2 ;;
    --owner-pid) owner="$2"; shift 2 ;;
    *) echo "azurite/start.sh: unknown argument $1" >&2; exit 2 ;;
  esac
done
"$here/install.sh"
mkdir -p "$dir"
if [[ -f "$dir/azurite.pid" ]] && kill -0 "$(cat "$dir/azurite.pid")" 2>/dev/null; then
  echo "azurite/start.sh: already running (pid $(cat "$dir/azurite.pid")); stop it first" >&2
  exit 1
fi

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
for p in "$blob" "$queue" "$table"; do
  if port_open "$p"; then echo "azurite/start.sh: port $p is already in use" >&2; exit 1; fi
done

# The bin is a node script, so $! is the node process itself. setsid: it outlives the caller's process group.
setsid "$root/.tools/azurite/node_modules/.bin/azurite" --silent --disableTelemetry --inMemoryPersistence \
  --blobHost 127.0.0.1 --queueHost 127.0.0.1 --tableHost 127.0.0.1 \
  --blobPort "$blob" --queuePort "$queue" --tablePort "$table" >"$dir/azurite.log" 2>&1 < /dev/null &
pid=$!
echo "$pid" >"$dir/azurite.pid"

deadline=$((SECONDS + 60))
for p in "$blob" "$queue" "$table"; do
  until port_open "$p"; do
    if ! kill -0 "$pid" 2>/dev/null; then
      echo "azurite/start.sh: Azurite exited; log:" >&2; cat "$dir/azurite.log" >&2; rm -f "$dir/azurite.pid"; exit 1
    fi
    if (( SECONDS > deadline )); then
      echo "azurite/start.sh: port $p not open after 60 s" >&2; kill "$pid" 2>/dev/null || true; rm -f "$dir/azurite.pid"; exit 1
    fi
    sleep 0.2
  done
done

if [[ -n "$owner" ]]; then
  # A watchdog outside the caller's process group: when the owner dies, however it dies, Azurite goes too.
  setsid bash -c 'while kill -0 "$0" 2>/dev/null && kill -0 "$1" 2>/dev/null; do sleep 1; done; kill "$1" 2>/dev/null; rm -f "$2"' \
    "$owner" "$pid" "$dir/azurite.pid" >/dev/null 2>&1 < /dev/null &
fi

key="Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw=="
conn="DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=$key;BlobEndpoint=http://127.0.0.1:$blob/devstoreaccount1;QueueEndpoint=http://127.0.0.1:$queue/devstoreaccount1;TableEndpoint=http://127.0.0.1:$table/devstoreaccount1;"
echo "$conn" >"$dir/connection-string"
echo "azurite/start.sh: Azurite pid $pid on 127.0.0.1:$blob/$queue/$table" >&2
echo "$conn"
