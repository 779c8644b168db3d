#!/usr/bin/env bash
# Starts a real single-node Kubernetes on this machine: etcd, kube-apiserver, kube-controller-manager,
# kube-scheduler, containerd (+ runc, CNI bridge), kubelet and kube-proxy, all built or installed
# from package registries, all state in one directory (hack/cluster/env.sh lists the settings),
# and imports the test images (hack/images/build.sh --import).
#
#   hack/cluster/up.sh     prints KUBECONFIG=<path> as its last line on stdout (all else goes to
#                          stderr) once the node is Ready, the default ServiceAccount exists and a
#                          pod has run. On a running cluster: a quick check (and an import of
#                          images that changed since) that reprints it.
#                          After a crash or a half-finished run: cleans up (down.sh) and starts
#                          afresh (a new etcd; images and PKI are kept).
#   DBM_CLUSTER_IMAGES=pause hack/cluster/up.sh    import only the pause image
#
# Logs: $DBM_CLUSTER_DIR/logs/<component>.log (the previous run's in logs/previous/).
# Stop it with hack/cluster/down.sh. Root is required (mounts, cgroups, iptables).
set -euo pipefail
. "$(dirname "$0")/env.sh"
cd "$repo"
[ "$(id -u)" -eq 0 ] || { log "must run as root"; exit 1; }

trap '[ $? -eq 0 ] || log "up failed; the logs are in $state/logs; hack/cluster/down.sh cleans up (up does it too)"' EXIT
mkdir -p "$state"
# One up or down at a time (two test runs may start together).
exec 8>"$state/.lock"
flock 8
start=$SECONDS

node_ready() {
  [ "$(kubectl get node "$node_name" -o jsonpath='{.status.conditions[?(@.type=="Ready")].status}' 2>/dev/null)" = True ]
}
all_running() {
  for c in "${components[@]}"; do [ -n "$(pid_of "$c")" ] || return 1; done
}
# healthy: every process runs, the API server is ready and the node Ready. A running cluster under
# load (a test run's pods starting) can miss a node heartbeat or a readyz: while every process
# lives, give it a minute before calling it broken, for a cluster torn down is every user's run lost.
healthy() {
  all_running || return 1
  local deadline=$((SECONDS + 60))
  until kubectl get --raw /readyz >/dev/null 2>&1 && node_ready; do
    all_running && [ "$SECONDS" -lt "$deadline" ] || return 1
    sleep 1
  done
}
# import_images: builds what changed (cached) and imports it; the sandbox needs pause before the
# kubelet starts any pod.
import_images() {
  if [ "${DBM_CLUSTER_IMAGES:-all}" = pause ]; then
    hack/images/build.sh --import pause >/dev/null
  else
    hack/images/build.sh --import >/dev/null
  fi
}

# kubectl (the health check's) comes with the API server's binaries: a warm check costs 0.04 s
hack/kube-binaries/build.sh >/dev/null
if healthy; then
  log "already running (state $state)"
  # the checkout's images may have changed since the cluster started
  import_images
  echo "KUBECONFIG=$kubeconfig"
  exit 0
fi

# Packages and binaries first: nothing is touched if one of them is missing.
hack/install-deps.sh cluster
hack/kube-binaries/build.sh node >/dev/null

# Leftovers of an earlier run (a crash, a killed up): clean them as down does.
if compgen -G "$state/run/*.pid" >/dev/null || ip link show "$bridge" >/dev/null 2>&1 \
   || grep -q " $state/" /proc/self/mountinfo || compgen -G "/sys/fs/cgroup/*/kubepods" >/dev/null; then
  log "cleaning up an earlier run"
  DBM_CLUSTER_LOCKED=1 hack/cluster/down.sh
fi

hack/cluster/host.sh record
# Fresh data each time; containerd's root (the imported images), the PKI and the logs stay.
for d in etcd kubelet pod-logs volume-plugins cni/networks containerd/state containerd/runc run; do
  rm -rf "${state:?}/$d"
done
mkdir -p "$state"/{etcd,kubelet,pod-logs,volume-plugins,cni/networks,containerd,run,logs}
chmod 0700 "$state/etcd"
if compgen -G "$state/logs/*.log" >/dev/null; then
  rm -rf "$state/logs/previous"; mkdir -p "$state/logs/previous"; mv "$state"/logs/*.log "$state/logs/previous/"
fi
hack/cluster/pki.sh
hack/cluster/configs.sh
pki="$state/pki"

# launch NAME ARGS...: starts our binary NAME in its own session (a Ctrl-C or a killed caller
# does not take it down), logging to logs/NAME.log, pid in run/NAME.pid.
launch() {
  local name=$1 bin
  shift
  case "$name" in
    etcd|kube-apiserver) bin="$api_bin/$name" ;;
    containerd) bin=$(command -v containerd) ;;
    *) bin="$node_bin/$name" ;;
  esac
  (
    # The daemon must inherit none of its caller's files: an inherited lock (hack/test.sh's fd 9,
    # up/down's, or fd 3 of a `flock LOCKFILE hack/cluster/up.sh` caller) would be held by the
    # daemon for the whole life of the cluster, and every later run would wait for it for ever.
    for fd in /proc/$BASHPID/fd/*; do
      fd=${fd##*/}
      if [ "$fd" -gt 2 ]; then eval "exec $fd>&-"; fi
    done
    exec setsid "$bin" "$@" >>"$state/logs/$name.log" 2>&1 </dev/null
  ) &
  echo $! > "$state/run/$name.pid"
  # until the child has exec'd, /proc/PID/exe is still bash or setsid
  wait_until 10 "$name to start" bash -c "[ \"\$(readlink /proc/$!/exe)\" = '$bin' ]"
}
# running NAME: fails (with the log's tail) when NAME has died, so waits end early.
running() {
  [ -n "$(pid_of "$1")" ] && return 0
  log "$1 exited; the end of $state/logs/$1.log:"
  tail -n 30 "$state/logs/$1.log" >&2
  return 1
}
# await SECONDS NAME WHAT CMD...: polls CMD while NAME keeps running.
await() {
  local limit=$1 name=$2 what=$3 deadline=$((SECONDS + $1))
  shift 3
  until "$@" >/dev/null 2>&1; do
    running "$name" || exit 1
    if [ "$SECONDS" -ge "$deadline" ]; then
      log "timed out after $limit s waiting for $what; the end of $state/logs/$name.log:"
      tail -n 30 "$state/logs/$name.log" >&2
      exit 1
    fi
    sleep 0.25
  done
}

# kube-apiserver: MutatingAdmissionPolicy (beta, off by default in 1.34) lets the tests assign pods
# an arbitrary UID per namespace, as OpenShift's restricted-v2 SCC does.
# etcd: single member on loopback. --unsafe-no-fsync: a throwaway test store, made anew by every up.
launch etcd --name dbm --data-dir "$state/etcd" \
  --listen-client-urls "http://127.0.0.1:$etcd_port" --advertise-client-urls "http://127.0.0.1:$etcd_port" \
  --listen-peer-urls "http://127.0.0.1:$etcd_peer_port" --initial-advertise-peer-urls "http://127.0.0.1:$etcd_peer_port" \
  --initial-cluster "dbm=http://127.0.0.1:$etcd_peer_port" --unsafe-no-fsync --log-level warn
await 30 etcd "etcd" bash -c "exec 3<>/dev/tcp/127.0.0.1/$etcd_port"

launch kube-apiserver --etcd-servers "http://127.0.0.1:$etcd_port" \
  --bind-address 0.0.0.0 --secure-port "$api_port" --advertise-address "$node_ip" \
  --service-cluster-ip-range "$service_cidr" \
  --tls-cert-file "$pki/apiserver.crt" --tls-private-key-file "$pki/apiserver.key" \
  --client-ca-file "$pki/ca.crt" \
  --kubelet-client-certificate "$pki/apiserver-kubelet-client.crt" \
  --kubelet-client-key "$pki/apiserver-kubelet-client.key" \
  --kubelet-certificate-authority "$pki/ca.crt" --kubelet-preferred-address-types InternalIP \
  --service-account-issuer https://kubernetes.default.svc.cluster.local \
  --service-account-key-file "$pki/sa.pub" --service-account-signing-key-file "$pki/sa.key" \
  --authorization-mode Node,RBAC --enable-admission-plugins NodeRestriction \
  --requestheader-client-ca-file "$pki/front-proxy-ca.crt" --requestheader-allowed-names front-proxy-client \
  --requestheader-username-headers X-Remote-User --requestheader-group-headers X-Remote-Group \
  --requestheader-extra-headers-prefix X-Remote-Extra- \
  --proxy-client-cert-file "$pki/front-proxy-client.crt" --proxy-client-key-file "$pki/front-proxy-client.key" \
  --feature-gates MutatingAdmissionPolicy=true --runtime-config admissionregistration.k8s.io/v1beta1=true \
  --profiling=false
await 60 kube-apiserver "the API server's /readyz" kubectl get --raw /readyz

launch kube-controller-manager --kubeconfig "$state/kube-controller-manager.kubeconfig" \
  --authentication-kubeconfig "$state/kube-controller-manager.kubeconfig" \
  --authorization-kubeconfig "$state/kube-controller-manager.kubeconfig" \
  --bind-address 127.0.0.1 --secure-port "$kcm_port" --leader-elect=false \
  --controllers '*' --use-service-account-credentials \
  --service-account-private-key-file "$pki/sa.key" --root-ca-file "$pki/ca.crt" \
  --cluster-signing-cert-file "$pki/ca.crt" --cluster-signing-key-file "$pki/ca.key" \
  --allocate-node-cidrs --cluster-cidr "$cluster_cidr" --node-cidr-mask-size 24 \
  --service-cluster-ip-range "$service_cidr" --profiling=false
launch kube-scheduler --kubeconfig "$state/kube-scheduler.kubeconfig" \
  --authentication-kubeconfig "$state/kube-scheduler.kubeconfig" \
  --authorization-kubeconfig "$state/kube-scheduler.kubeconfig" \
  --bind-address 127.0.0.1 --secure-port "$scheduler_port" --leader-elect=false --profiling=false

launch containerd --config "$state/etc/containerd.toml"
await 30 containerd "containerd's socket" ctr_k8s version
# Containers a crashed run left in containerd's store would be resurrected by its CRI plugin:
# delete them, and restart containerd so that the plugin forgets them too.
if [ -n "$(ctr_k8s containers list -q)" ]; then
  for id in $(ctr_k8s containers list -q); do ctr_k8s containers delete "$id" >/dev/null 2>&1 || true; done
  pid=$(pid_of containerd); kill -TERM "$pid"; while alive "$pid"; do sleep 0.1; done
  launch containerd --config "$state/etc/containerd.toml"
  await 30 containerd "containerd's socket" ctr_k8s version
fi

import_images

launch kubelet --config "$state/etc/kubelet.yaml" --kubeconfig "$state/kubelet.kubeconfig" \
  --root-dir "$state/kubelet" --cert-dir "$state/kubelet/pki" \
  --hostname-override "$node_name" --node-ip "$node_ip"
launch kube-proxy --config "$state/etc/kube-proxy.yaml"

await 90 kubelet "node $node_name to be Ready" node_ready
log "node $node_name Ready $((SECONDS - start)) s after start"
await 60 kube-controller-manager "the default ServiceAccount" kubectl -n default get serviceaccount default

# A pod must run: the scheduler, the kubelet, containerd, runc, CNI and the pause image together.
kubectl -n default delete pod dbm-cluster-smoke --ignore-not-found --wait=true >/dev/null
kubectl -n default apply -f - >/dev/null <<EOF
apiVersion: v1
kind: Pod
metadata:
  name: dbm-cluster-smoke
spec:
  restartPolicy: Never
  terminationGracePeriodSeconds: 0
  automountServiceAccountToken: false
  securityContext:
    runAsNonRoot: true
    seccompProfile: {type: RuntimeDefault}
  containers:
  - name: pause
    image: localhost/pause:1.0
    imagePullPolicy: Never
    securityContext:
      allowPrivilegeEscalation: false
      capabilities: {drop: [ALL]}
EOF
await 60 kubelet "a smoke-test pod to be Ready" kubectl -n default wait --for=condition=Ready pod/dbm-cluster-smoke --timeout=5s
kubectl -n default delete pod dbm-cluster-smoke --wait=true >/dev/null
for c in "${components[@]}"; do running "$c" || exit 1; done

log "up in $((SECONDS - start)) s (state $state, logs $state/logs)"
echo "KUBECONFIG=$kubeconfig"
