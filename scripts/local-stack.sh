#!/usr/bin/env bash
# The local stack on loopback: a real Kubernetes 1.20 control plane (API server, controller-manager, scheduler; built
# once from Debian's source package), Azurite, the Karpenter dev CRDs with the node simulator (src/Kaito.NodeSimulator)
# standing in for GPU nodes and the kubelet, `kaito run` (the control plane), and the quick-start Workspaces applied
# through kubectl until WORKSPACEREADY is True.
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

log "building the kaito command and the node simulator"
dotnet build src/Kaito.Silo -m:1 -v q -nologo
dotnet build src/Kaito.NodeSimulator -m:1 -v q -nologo
kaito="$repo/src/Kaito.Silo/bin/Debug/net10.0/kaito"

kubeconfig=$(bash scripts/kube/start.sh | tail -1)
export KUBECONFIG="$kubeconfig"
if [ -f scripts/azurite/start.sh ]; then
  storage=$(bash scripts/azurite/start.sh | tail -1)
  log "Azurite: $storage"
fi

log "installing the Karpenter dev CRDs; starting the node simulator (simulated GPU nodes and kubelet)"
kubectl apply -f deploy/dev/karpenter-crds.yaml >/dev/null
# scripts/kube/stop.sh stops both (it reads their pid files from the same state folder).
"$repo/src/Kaito.NodeSimulator/bin/Debug/net10.0/kaito-node-simulator" --kubeconfig "$kubeconfig" \
  >"$KAITO_KUBE_STATE/node-simulator.log" 2>&1 &
echo $! > "$KAITO_KUBE_STATE/node-simulator.pid"

log "starting kaito run (installs the Workspace CRD; log: $KAITO_KUBE_STATE/kaito.log)"
# --webhook: the admission webhooks, registered by URL on loopback (https://127.0.0.1:9443), certificates kept in .run/webhook.
"$kaito" run --kubeconfig "$kubeconfig" --storage "$storage" --provisioner nodeclaim \
  --webhook true --webhook-mode url --webhook-cert-dir "$repo/.run/webhook" >"$KAITO_KUBE_STATE/kaito.log" 2>&1 &
echo $! > "$KAITO_KUBE_STATE/kaito.pid"
for i in $(seq 1 120); do
  grep -q "CRD bridge running" "$KAITO_KUBE_STATE/kaito.log" 2>/dev/null && break
  kill -0 "$(cat "$KAITO_KUBE_STATE/kaito.pid")" 2>/dev/null || { cat "$KAITO_KUBE_STATE/kaito.log" >&2; exit 1; }
  [ "$i" = 120 ] && { log "kaito run did not start within 60 s"; tail -20 "$KAITO_KUBE_STATE/kaito.log" >&2; exit 1; }
  sleep 0.5
done

log "validating and applying the quick-start Workspaces"
"$kaito" validate -f examples/
kubectl apply -f examples/
kubectl wait --for=condition=WorkspaceSucceeded workspace --all --timeout=180s >/dev/null
kubectl get workspace

cat <<MSG

The local stack is up.
  export KUBECONFIG=$kubeconfig
  kubectl get workspace            # wk and wks work too
  kubectl get nodeclaims,nodes,deploy,svc,pods   # GPU nodes and pods are simulated
  tail -f $KAITO_KUBE_STATE/kaito.log
  $kaito validate -f my-workspace.yaml
  scripts/local-stack.sh stop
MSG
