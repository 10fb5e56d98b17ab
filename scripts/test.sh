#!/usr/bin/env bash
# The whole test suite, from a fresh Debian machine with the .NET SDK: installs what the tests need (Kubernetes 1.20
# kube-apiserver, kube-controller-manager and kube-scheduler built once from Debian's source package into ~/.cache,
# kubectl from Debian, Azurite from npm), starts them on loopback, runs every test project, stops them. The end-to-end
# tests start clusters of their own with the same scripts. Results (TRX) land in ${KAITO_TEST_RESULTS:-artifacts/test-results}.
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
cd "$repo"
results=${KAITO_TEST_RESULTS:-$repo/artifacts/test-results}
rm -rf "$results"; mkdir -p "$results"
log() { echo "[test] $*" >&2; }

cleanup() {
  bash scripts/kube/stop.sh || true
  if [ -x scripts/azurite/stop.sh ] || [ -f scripts/azurite/stop.sh ]; then bash scripts/azurite/stop.sh || true; fi
}
trap cleanup EXIT

sudo_if() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }
if ! command -v kubectl >/dev/null; then
  log "installing kubectl (Debian's kubernetes-client, 1.20 like the API server)"
  sudo_if apt-get update -qq && sudo_if env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq kubernetes-client >/dev/null
fi

export KAITO_KUBE_STATE="$repo/.run/test-kube"
KAITO_TEST_KUBECONFIG=$(bash scripts/kube/start.sh | tail -1)
export KAITO_TEST_KUBECONFIG

if [ -f scripts/azurite/start.sh ]; then
  # start.sh prints the connection string on its last line
  KAITO_TEST_STORAGE=$(bash scripts/azurite/start.sh | tail -1)
  export KAITO_TEST_STORAGE
fi

# The end-to-end run of scripts/local-stack.sh (the README's first command, about a minute) is part of the suite;
# KAITO_TEST_LOCAL_STACK=0 leaves it out of a quick local run.
export KAITO_TEST_LOCAL_STACK="${KAITO_TEST_LOCAL_STACK:-1}"

log "building"
dotnet build Kaito.slnx -m:1 -v q -nologo
log "running tests"
# One project at a time: the machine has 2 cores, and each project gets its own results file.
status=0
for project in tests/*/*.Tests.csproj; do
  name=$(basename "$project" .csproj)
  log "$name"
  dotnet test "$project" --no-build -v q -nologo --logger "trx;LogFileName=$name.trx" --results-directory "$results" || status=1
done
exit $status
