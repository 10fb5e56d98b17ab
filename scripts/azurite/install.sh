#!/usr/bin/env bash
# Installs Azurite (pinned in scripts/azurite/package-lock.json) under .tools/azurite with `npm ci`.
# Idempotent: does nothing when the pinned version is already there.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
dest="$root/.tools/azurite"
bin="$dest/node_modules/.bin/azurite"
if [[ -x "$bin" ]] && cmp -s "$here/package-lock.json" "$dest/package-lock.json"; then
  exit 0
fi
if ! command -v npm >/dev/null; then
  # A fresh Debian machine has no Node.js: take Debian's (Azurite asks for a newer Node in its engines field,
  # but runs on it; npm prints a warning).
  echo "azurite/install.sh: installing Debian's nodejs and npm" >&2
  if [ "$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq nodejs npm >/dev/null
  else sudo apt-get update -qq && sudo apt-get install -y -qq nodejs npm >/dev/null; fi
fi
mkdir -p "$dest"
cp "$here/package.json" "$here/package-lock.json" "$dest/"
echo "azurite/install.sh: npm ci into $dest (about a minute the first time)" >&2
(cd "$dest" && npm ci --no-audit --no-fund --loglevel=error >&2)
[[ -x "$bin" ]] || { echo "azurite/install.sh: $bin missing after npm ci" >&2; exit 1; }
