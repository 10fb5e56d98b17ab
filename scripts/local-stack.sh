#!/usr/bin/env bash
# The local stack on loopback: a real Kubernetes 1.20 control plane (etcd, API server, controller-manager, scheduler;
# built once from Debian's source package), Azurite, the Karpenter dev CRDs with the node simulator
# (src/Kaito.NodeSimulator) standing in for GPU nodes and the kubelet, and `kaito run` (the control plane). The
# simulator runs a real Kaito.Runtime process on the tiny test model behind each inference pod, so the quick-start
# Workspaces answer /chat: the script applies them, waits until WORKSPACEREADY is True and asks one of them.
#   scripts/local-stack.sh        build, start (or reuse a running stack), apply examples/, show the workspaces and a /chat answer
#   scripts/local-stack.sh stop   stop everything it started, runtime processes included
# State, logs and the model live in ${KAITO_LOCAL_STATE:-.run/local}. Ctrl-C or a failed start stops everything.
# Every process of the stack carries KAITO_LOCAL_STACK=<state folder> in its environment; `stop` ends any left over.
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
cd "$repo"
state=${KAITO_LOCAL_STATE:-$repo/.run/local}
mkdir -p "$state"
state=$(cd "$state" && pwd)
export KAITO_KUBE_STATE="$state/kube"
marker="KAITO_LOCAL_STACK=$state"
log() { echo "[local] $*" >&2; }
sudo_if() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

alive() { [ -f "$state/$1.pid" ] && kill -0 "$(cat "$state/$1.pid")" 2>/dev/null; }

# TERM, up to 15 s to finish (the simulator stops its runtime processes), then KILL its process group (setsid below).
stop_pidfile() {
  local file="$state/$1.pid" pid
  [ -f "$file" ] || return 0
  pid=$(cat "$file")
  if kill -TERM "$pid" 2>/dev/null; then
    for _ in $(seq 1 150); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  fi
  kill -KILL -- "-$pid" 2>/dev/null || true
  rm -f "$file"
}

# Processes whose environment carries the marker (what the stack started), however they were left behind.
stack_pids() {
  local dir
  for dir in /proc/[0-9]*; do
    [ "${dir#/proc/}" = "$$" ] && continue
    { tr '\0' '\n' < "$dir/environ"; } 2>/dev/null | grep -qxF "$marker" && echo "${dir#/proc/}"
  done
  return 0
}

stop_stack() {
  stop_pidfile kaito
  stop_pidfile servicebus-broker
  stop_pidfile node-simulator
  bash scripts/kube/stop.sh
  bash scripts/azurite/stop.sh --dir "$state/azurite"
  local left
  left=$(stack_pids)
  if [ -n "$left" ]; then
    log "ending leftover processes: $(echo $left)"
    kill -KILL $left 2>/dev/null || true
  fi
}

if [ "${1:-}" = stop ]; then
  stop_stack
  log "stopped"; exit 0
fi

. "$repo/scripts/lib/free-port.sh"

# A failed start or Ctrl-C leaves nothing running; a successful run leaves the stack up.
trap 'exit 130' INT TERM
trap 'rc=$?; if [ "$rc" != 0 ]; then log "stopping what was started (exit $rc)"; stop_stack; fi' EXIT

if ! command -v kubectl >/dev/null; then
  log "installing kubectl (Debian's kubernetes-client, same 1.20 as the API server)"
  sudo_if apt-get update -qq && sudo_if apt-get install -y -qq kubernetes-client >/dev/null
fi

log "building the kaito command, the node simulator, the runtime and the tiny test model"
for project in src/Kaito.Silo src/Kaito.NodeSimulator src/Kaito.Runtime src/Kaito.ServiceBusBroker tests/Kaito.Runtime.TestModel; do
  dotnet build "$project" -m:1 -v q -nologo >/dev/null
done
bin=bin/Debug/net10.0
kaito="$repo/src/Kaito.Silo/$bin/kaito"
model="$state/model"
[ -f "$model/genai_config.json" ] || "$repo/tests/Kaito.Runtime.TestModel/$bin/Kaito.Runtime.TestModel" "$model" >/dev/null

if alive kaito && alive node-simulator && [ -f "$KAITO_KUBE_STATE/apiserver.pid" ] \
   && kill -0 "$(cat "$KAITO_KUBE_STATE/apiserver.pid")" 2>/dev/null; then
  log "already running: reusing it"
  kubeconfig="$KAITO_KUBE_STATE/kubeconfig"
  export KUBECONFIG="$kubeconfig"
else
  stop_stack 2>/dev/null  # whatever a previous run left half-started
  kubeconfig=$(env "$marker" bash scripts/kube/start.sh | tail -1)
  export KUBECONFIG="$kubeconfig"
  storage=$(env "$marker" bash scripts/azurite/start.sh --dir "$state/azurite" \
    --blob-port "$(free_port)" --queue-port "$(free_port)" --table-port "$(free_port)" | tail -1)

  log "installing the Karpenter dev CRDs; starting the node simulator (GPU nodes, kubelet, a runtime per inference pod)"
  kubectl apply -f deploy/dev/karpenter-crds.yaml >/dev/null
  env "$marker" setsid "$repo/src/Kaito.NodeSimulator/$bin/kaito-node-simulator" --kubeconfig "$kubeconfig" \
    --serve-runtime --runtime-model "$model" --runtime-command "$repo/src/Kaito.Runtime/$bin/Kaito.Runtime" \
    --runtime-log-dir "$state/runtimes" --runtime-state-dir "$state/kubelet" >"$state/node-simulator.log" 2>&1 </dev/null &
  echo $! > "$state/node-simulator.pid"

  # The local Service Bus stand-in (docs/servicebus.md): requests queue in, status topic out.
  sb_port=$(free_port)
  env "$marker" setsid "$repo/src/Kaito.ServiceBusBroker/$bin/kaito-servicebus-broker" --port "$sb_port" \
    --queues workspace-requests --topics workspace-status >"$state/servicebus-broker.log" 2>&1 </dev/null &
  echo $! > "$state/servicebus-broker.pid"
  servicebus="Endpoint=sb://127.0.0.1:$sb_port;SharedAccessKeyName=local;SharedAccessKey=local;UseDevelopmentEmulator=true"
  echo "$servicebus" > "$state/servicebus.connection"

  # --webhook: the admission webhooks, registered by URL on loopback, certificates kept in the state folder.
  log "starting kaito run (installs the Workspace CRD, serves the admission webhooks; log: $state/kaito.log)"
  : >"$state/kaito.log"  # empty now: the wait below must not find the line an earlier run wrote
  env "$marker" setsid "$kaito" run --kubeconfig "$kubeconfig" --storage "$storage" --provisioner nodeclaim \
    --silo-port "$(free_port)" --gateway-port "$(free_port)" \
    --webhook true --webhook-mode url --webhook-port "$(free_port)" --webhook-cert-dir "$state/webhook" \
    --servicebus "$servicebus" --servicebus-queue workspace-requests --servicebus-status-topic workspace-status \
    >"$state/kaito.log" 2>&1 </dev/null &
  echo $! > "$state/kaito.pid"
  for i in $(seq 1 120); do
    grep -q "CRD bridge running" "$state/kaito.log" 2>/dev/null && break
    alive kaito || { tail -20 "$state/kaito.log" >&2; exit 1; }
    [ "$i" = 120 ] && { log "kaito run did not start within 60 s"; tail -20 "$state/kaito.log" >&2; exit 1; }
    sleep 0.5
  done
fi

log "validating and applying the quick-start Workspaces"
"$kaito" validate -f examples/ >/dev/null
kubectl apply -f examples/ >/dev/null
if ! kubectl wait --for=condition=WorkspaceSucceeded workspace --all --timeout=300s >/dev/null; then
  kubectl get workspace >&2
  tail -20 "$state/kaito.log" "$state/node-simulator.log" >&2
  exit 1
fi

# Service -> Endpoints -> pod -> the runtime's loopback address the simulator wrote on it.
service=workspace-phi-3-mini
pod=
for _ in $(seq 1 300); do
  pod=$(kubectl get endpoints "$service" -o jsonpath='{.subsets[0].addresses[0].targetRef.name}' 2>/dev/null || true)
  [ -n "$pod" ] && break
  sleep 0.1
done
[ -n "$pod" ] || { log "service $service has no endpoints"; exit 1; }
endpoint=$(kubectl get pod "$pod" -o jsonpath='{.metadata.annotations.kaito\.sh/local-endpoint}')
chat=$(curl -sS --fail-with-body -X POST "$endpoint/chat" -H 'Content-Type: application/json' \
  -d '{"prompt": "abc", "generate_kwargs": {"do_sample": false}}')

kubectl get workspace
cat <<MSG

POST $endpoint/chat  (service $service -> pod $pod; kaito.sh/local-endpoint)
{"prompt": "abc", "generate_kwargs": {"do_sample": false}}
$chat

The local stack is up. Try next:
  export KUBECONFIG=$kubeconfig
  kubectl get workspace                              # wk and wks work too
  kubectl get nodeclaims,nodes,deploy,svc,pods       # GPU nodes and the kubelet are simulated
  kubectl get pods -o custom-columns=POD:.metadata.name,ENDPOINT:.metadata.annotations.kaito\\.sh/local-endpoint
  curl -s $endpoint/v1/chat/completions -H 'Content-Type: application/json' \\
    -d '{"model": "phi-3-mini-4k-instruct", "messages": [{"role": "user", "content": "abc"}], "max_tokens": 8}'
  tail -f $state/kaito.log $state/runtimes/*.log
  $kaito validate -f my-workspace.yaml
  scripts/local-stack.sh stop
MSG
