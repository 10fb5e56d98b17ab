#!/usr/bin/env bash
# The local stack on loopback: a real Kubernetes 1.20 API server (built once from Debian's source package), Azurite,
# the Workspace CRD, the Karpenter dev CRDs with the node simulator (src/Kaito.NodeSimulator) standing in for GPU nodes,
# and the quick-start Workspaces applied through kubectl.
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

log "installing the Karpenter dev CRDs; starting the node simulator (simulated GPU nodes and kubelet)"
kubectl apply -f deploy/dev/karpenter-crds.yaml >/dev/null
simulator_pid="$KAITO_KUBE_STATE/node-simulator.pid"
if ! { [ -f "$simulator_pid" ] && kill -0 "$(cat "$simulator_pid")" 2>/dev/null; }; then
  dotnet build src/Kaito.NodeSimulator -m:1 -v q -nologo
  # scripts/kube/stop.sh stops it (it reads node-simulator.pid from the same state folder).
  "$repo/src/Kaito.NodeSimulator/bin/Debug/net10.0/kaito-node-simulator" --kubeconfig "$kubeconfig" \
    >"$KAITO_KUBE_STATE/node-simulator.log" 2>&1 &
  echo $! > "$simulator_pid"
fi

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
