# shellcheck shell=bash disable=SC2034  # sourced: the variables are used by the scripts that source it
# Settings and helpers shared by hack/cluster/*.sh (sourced, never run). Every setting can be
# overridden from the environment.
#
#   DBM_CLUSTER_DIR        all of the cluster's state: data, PKI, configs, logs, images in
#                          containerd's store (default /var/lib/dbm-cluster)
#   DBM_CACHE_DIR          build caches (default ~/.cache/database-migration-operator)
#   DBM_CLUSTER_NODE_IP    the address pods reach the API server at (default: the address of the
#                          interface of the default route)
#   DBM_CLUSTER_NODE_NAME  (default: the host name, lower case)
#
# Fixed, unusual ports, so that the cluster can run beside the kube-api-test tier's apiservers
# (random ports in the ephemeral range): API server 16443 (all addresses: the host uses
# 127.0.0.1, pods the node IP), etcd 23791/23801, controller-manager 16257, scheduler 16259,
# kubelet 16250 (+ healthz 16248), kube-proxy healthz 16256 and metrics 16249 (all but the API
# server and the kubelet on 127.0.0.1).
# Addresses from 198.18.0.0/15 (reserved for benchmarking, so no test traffic ever names a private
# range): pods 198.18.0.0/16 (this node 198.18.0.0/24), Services 198.19.0.0/16.

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
state=${DBM_CLUSTER_DIR:-/var/lib/dbm-cluster}
state=${state%/}
# down.sh --purge deletes it, and everything below it is wiped and unmounted: an absolute path
# of its own, never / or a system directory
case "$state" in
  /?*/?*) ;;
  *) echo "cluster: DBM_CLUSTER_DIR must be an absolute path at least two levels deep, not '$state'" >&2; exit 2 ;;
esac
cache=${DBM_CACHE_DIR:-$HOME/.cache/database-migration-operator}
node_name=${DBM_CLUSTER_NODE_NAME:-$(hostname | tr '[:upper:]' '[:lower:]')}
if [ -z "${DBM_CLUSTER_NODE_IP:-}" ]; then
  default_dev=$(ip -4 route show default | awk '{ for (i = 1; i < NF; i++) if ($i == "dev") { print $(i + 1); exit } }')
  node_ip=$(ip -4 -o addr show dev "$default_dev" scope global | awk '{ split($4, a, "/"); print a[1]; exit }')
else
  node_ip=$DBM_CLUSTER_NODE_IP
fi

api_port=16443
etcd_port=23791
etcd_peer_port=23801
kcm_port=16257
scheduler_port=16259
kubelet_port=16250
kubelet_healthz_port=16248
proxy_healthz_port=16256
proxy_metrics_port=16249
cluster_cidr=198.18.0.0/16
node_pod_cidr=198.18.0.0/24
node_pod_gateway=198.18.0.1
service_cidr=198.19.0.0/16
api_service_ip=198.19.0.1
bridge=cni0

k8s_version=$(sed -n 's/^require k8s.io\/kubernetes v//p' "$repo/hack/kube-binaries/kubernetes/go.mod")
# where hack/kube-binaries/build.sh puts them (it honours KUBE_API_TEST_DIR too)
api_bin="${KUBE_API_TEST_DIR:-$cache/kube-api-test}/k8s/$k8s_version-linux-amd64"   # etcd, kube-apiserver, kubectl
node_bin="$cache/kube-node/$k8s_version-linux-amd64"          # the other four
kubeconfig="$state/admin.kubeconfig"
containerd_sock="$state/containerd/containerd.sock"
components=(etcd kube-apiserver kube-controller-manager kube-scheduler containerd kubelet kube-proxy)

log() { echo "cluster: $*" >&2; }

kubectl() { "$api_bin/kubectl" --kubeconfig "$kubeconfig" "$@"; }

# ctr against this cluster's containerd. The socket is tested first: without it ctr waits ~10 s
# for a connection before failing.
ctr_k8s() {
  [ -S "$containerd_sock" ] || return 1
  command ctr --address "$containerd_sock" --namespace k8s.io "$@"
}

# pid_of NAME: the pid of our running component NAME, or nothing. A pid file alone is not
# trusted: the process must still run the binary we started (pids get reused).
pid_of() {
  local f="$state/run/$1.pid" pid exe
  [ -f "$f" ] || return 0
  pid=$(cat "$f")
  exe=$(readlink "/proc/$pid/exe" 2>/dev/null) || return 0
  [ "$(basename "${exe% (deleted)}")" = "$1" ] && echo "$pid"
  return 0
}

# alive PID: the process runs. A zombie counts as gone: our daemons' parent is init here, which
# reaps them only a second or more after they exit.
alive() { [ -d "/proc/$1" ] && ! grep -qs '^State:.*Z' "/proc/$1/status"; }

# wait_until SECONDS WHAT COMMAND...: polls COMMAND until it succeeds; on timeout says what it
# waited for and fails. The short sleep is the polling interval, not the wait.
wait_until() {
  local limit=$1 what=$2 deadline=$((SECONDS + $1))
  shift 2
  until "$@" >/dev/null 2>&1; do
    if [ "$SECONDS" -ge "$deadline" ]; then
      log "timed out after ${limit} s waiting for $what"
      return 1
    fi
    sleep 0.25
  done
}
