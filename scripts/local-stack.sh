#!/usr/bin/env bash
# The local stack on loopback: a real Kubernetes 1.20 API server (built once from Debian's source package), Azurite,
# the Workspace CRD, and the quick-start Workspaces applied through kubectl.
#   scripts/local-stack.sh        install what is missing, start, apply the examples, show `kubectl get workspace`
#   scripts/local-stack.sh stop   stop everything it started
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
cd "$repo"
export KAITO_KUBE_STATE="$repo/.run/kube"
log() { echo "[local] $*" >&2; }
sudo_if() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

if [ "${1:-}" = stop ]; then
  bash scripts/kube/stop.sh
  [ -f scripts/azurite/stop.sh ] && bash scripts/azurite/stop.sh
  log "stopped"; exit 0
fi

if ! command -v kubectl >/dev/null; then
  log "installing kubectl (Debian's kubernetes-client, same 1.20 as the API server)"
  sudo_if apt-get update -qq && sudo_if apt-get install -y -qq kubernetes-client >/dev/null
fi

log "building the kaito command"
dotnet build src/Kaito.Silo -m:1 -v q -nologo
kaito="$repo/src/Kaito.Silo/bin/Debug/net10.0/kaito"

kubeconfig=$(bash scripts/kube/start.sh | tail -1)
export KUBECONFIG="$kubeconfig"
if [ -f scripts/azurite/start.sh ]; then
  storage=$(bash scripts/azurite/start.sh | tail -1)
  log "Azurite: $storage"
fi

log "installing the Workspace CRD"
"$kaito" crds | kubectl apply -f -
kubectl wait --for=condition=Established crd/workspaces.kaito.sh --timeout=60s >/dev/null

log "validating and applying the quick-start Workspaces"
"$kaito" validate -f examples/
kubectl apply -f examples/
kubectl get workspace

cat <<MSG

The local stack is up.
  export KUBECONFIG=$kubeconfig
  kubectl get workspace            # wk and wks work too
  $kaito validate -f my-workspace.yaml
  scripts/local-stack.sh stop
MSG
