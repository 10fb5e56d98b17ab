#!/usr/bin/env bash
# Starts a real etcd + kube-apiserver + kube-controller-manager + kube-scheduler (Kubernetes 1.20, built by
# build-apiserver.sh) on loopback, with no kubelet: src/Kaito.NodeSimulator plays the nodes and the kubelet.
# The Karpenter CRDs are not installed here (deploy/dev/karpenter-crds.yaml): tests and the local stack apply them.
# Writes $STATE/kubeconfig and $STATE/env (export KUBECONFIG=...), prints the kubeconfig path on its last line.
# STATE defaults to <repo>/.run/kube. Stop with scripts/kube/stop.sh.
# KAITO_KUBE_CONTROLLERS=false starts etcd and the API server alone: for tests that write object status themselves.
# KAITO_KUBE_APISERVER_ARGS adds flags to kube-apiserver (e.g. an audit log for counting requests by client).
set -euo pipefail
repo=$(cd "$(dirname "$0")/../.." && pwd)
state=${KAITO_KUBE_STATE:-$repo/.run/kube}
log() { echo "[kube] $*" >&2; }

bin=$("$repo/scripts/kube/build-apiserver.sh" | tail -1)
command -v etcd >/dev/null || { log "etcd missing (apt-get install etcd-server)"; exit 1; }
if [ -f "$state/apiserver.pid" ] && kill -0 "$(cat "$state/apiserver.pid")" 2>/dev/null; then
  log "already running"; echo "$state/kubeconfig"; exit 0
fi
rm -rf "$state"; mkdir -p "$state/certs"
# A failed start leaves nothing running.
trap 'rc=$?; [ "$rc" = 0 ] || KAITO_KUBE_STATE="$state" bash "$repo/scripts/kube/stop.sh"' EXIT

. "$repo/scripts/lib/free-port.sh"
etcd_client=$(free_port); etcd_peer=$(free_port); api_port=$(free_port)
data=$( [ -w /dev/shm ] && mktemp -d /dev/shm/kaito-etcd.XXXXXX || mktemp -d /tmp/kaito-etcd.XXXXXX )
echo "$data" > "$state/etcd.data"

etcd --name kaito --data-dir "$data" \
  --listen-client-urls "http://127.0.0.1:$etcd_client" --advertise-client-urls "http://127.0.0.1:$etcd_client" \
  --listen-peer-urls "http://127.0.0.1:$etcd_peer" --initial-advertise-peer-urls "http://127.0.0.1:$etcd_peer" \
  --initial-cluster "kaito=http://127.0.0.1:$etcd_peer" --logger zap --log-level warn >"$state/etcd.log" 2>&1 &
echo $! > "$state/etcd.pid"

openssl genrsa -out "$state/certs/sa.key" 2048 2>/dev/null
openssl rsa -in "$state/certs/sa.key" -pubout -out "$state/certs/sa.pub" 2>/dev/null
token=$(head -c 16 /dev/urandom | od -An -tx1 | tr -d ' \n')
echo "$token,admin,admin-uid,system:masters" > "$state/certs/tokens.csv"

for _ in $(seq 1 100); do curl -sf "http://127.0.0.1:$etcd_client/health" >/dev/null && break; sleep 0.1; done

"$bin/kube-apiserver" --etcd-servers="http://127.0.0.1:$etcd_client" --bind-address=127.0.0.1 \
  --advertise-address=127.0.0.1 --secure-port="$api_port" --insecure-port=0 --cert-dir="$state/certs" \
  --token-auth-file="$state/certs/tokens.csv" --authorization-mode=RBAC --service-cluster-ip-range=10.0.0.0/24 \
  --service-account-issuer=https://kubernetes.default.svc --service-account-key-file="$state/certs/sa.pub" \
  --service-account-signing-key-file="$state/certs/sa.key" --api-audiences=https://kubernetes.default.svc \
  --disable-admission-plugins=ServiceAccount --allow-privileged=true --endpoint-reconciler-type=none \
  ${KAITO_KUBE_APISERVER_ARGS:-} >"$state/apiserver.log" 2>&1 &
echo $! > "$state/apiserver.pid"

for i in $(seq 1 600); do
  if curl -skf -H "Authorization: Bearer $token" "https://127.0.0.1:$api_port/readyz" >/dev/null 2>&1; then break; fi
  kill -0 "$(cat "$state/apiserver.pid")" 2>/dev/null || { tail -20 "$state/apiserver.log" >&2; exit 1; }
  [ "$i" = 600 ] && { log "kube-apiserver not ready after 60 s"; tail -20 "$state/apiserver.log" >&2; exit 1; }
  sleep 0.1
done

cat > "$state/kubeconfig" <<KC
apiVersion: v1
kind: Config
clusters:
- name: kaito-local
  cluster:
    server: https://127.0.0.1:$api_port
    certificate-authority-data: $(base64 -w0 < "$state/certs/apiserver.crt")
users:
- name: admin
  user:
    token: $token
contexts:
- name: kaito-local
  context: {cluster: kaito-local, user: admin}
current-context: kaito-local
KC
echo "export KUBECONFIG=$state/kubeconfig" > "$state/env"
log "kube-apiserver ready on https://127.0.0.1:$api_port"

if [ "${KAITO_KUBE_CONTROLLERS:-true}" = false ]; then
  echo "$state/kubeconfig"
  exit 0
fi

# Controllers (Deployment -> ReplicaSet -> Pod, Jobs, endpoints, garbage collection, namespace deletion) and the
# scheduler (binds pods to the simulated nodes). No serving ports: both only talk to the API server.
kc="$state/kubeconfig"
"$bin/kube-controller-manager" --kubeconfig="$kc" --authentication-kubeconfig="$kc" --authorization-kubeconfig="$kc" \
  --leader-elect=false --port=0 --secure-port=0 --bind-address=127.0.0.1 \
  --service-account-private-key-file="$state/certs/sa.key" --root-ca-file="$state/certs/apiserver.crt" \
  --use-service-account-credentials=false --kube-api-qps="${KAITO_KUBE_CONTROLLER_QPS:-20}" --kube-api-burst="${KAITO_KUBE_CONTROLLER_BURST:-30}" \
  --controllers='*,-nodeipam,-nodelifecycle,-cloud-node-lifecycle,-route,-service,-persistentvolume-binder,-attachdetach,-ttl,-bootstrapsigner,-tokencleaner' \
  >"$state/controller-manager.log" 2>&1 &
echo $! > "$state/controller-manager.pid"
"$bin/kube-scheduler" --kubeconfig="$kc" --authentication-kubeconfig="$kc" --authorization-kubeconfig="$kc" \
  --leader-elect=false --port=0 --secure-port=0 --bind-address=127.0.0.1 >"$state/scheduler.log" 2>&1 &
echo $! > "$state/scheduler.pid"

api() { curl -sk -H "Authorization: Bearer $token" -H 'Content-Type: application/json' "$@"; }
# The scheduler is up once it has judged a pod: one that fits no node gets PodScheduled=False.
probe=/api/v1/namespaces/kube-system/pods/kaito-scheduler-probe
probe_pod='{"apiVersion":"v1","kind":"Pod","metadata":{"name":"kaito-scheduler-probe"},
  "spec":{"nodeSelector":{"kaito.sh/no-such-node":"true"},"containers":[{"name":"probe","image":"probe"}]}}'
cm_up=; sched_up=
for i in $(seq 1 300); do
  for name in controller-manager scheduler; do
    kill -0 "$(cat "$state/$name.pid")" 2>/dev/null || { log "kube-$name exited"; tail -20 "$state/$name.log" >&2; exit 1; }
  done
  # The controller-manager is up once the service account controller has created the default account.
  [ -n "$cm_up" ] || { api -f -o /dev/null "https://127.0.0.1:$api_port/api/v1/namespaces/default/serviceaccounts/default" && cm_up=1; }
  if [ -z "$sched_up" ]; then
    seen=$(api "https://127.0.0.1:$api_port$probe")
    case "$seen" in
      *'"PodScheduled"'*) sched_up=1 ;;
      *'"NotFound"'*) api -o /dev/null -X POST "https://127.0.0.1:$api_port/api/v1/namespaces/kube-system/pods" -d "$probe_pod" ;;
    esac
  fi
  [ -n "$cm_up" ] && [ -n "$sched_up" ] && break
  [ "$i" = 300 ] && { log "controller-manager ($cm_up) / scheduler ($sched_up) not up after 30 s"; exit 1; }
  sleep 0.1
done
api -o /dev/null -X DELETE "https://127.0.0.1:$api_port$probe?gracePeriodSeconds=0"
log "kube-controller-manager and kube-scheduler running"
echo "$state/kubeconfig"
