#!/usr/bin/env bash
# Writes the configuration files of containerd, the CNI bridge, the kubelet and kube-proxy into
# $DBM_CLUSTER_DIR/etc (rewritten by every up; they are derived from env.sh alone).
#   hack/cluster/configs.sh    (up.sh calls it)
set -euo pipefail
. "$(dirname "$0")/env.sh"

etc="$state/etc"
pki="$state/pki"
mkdir -p "$etc" "$state/cni/net.d"

# containerd 1.6 with everything under the state directory (root, state, socket, runc's root,
# network namespaces); only the shims' sockets go to /run/containerd/s, which 1.6 hard-codes.
# restrict_oom_score_adj: this machine lacks CAP_SYS_RESOURCE, so runc may not lower a
# container's oom_score_adj below containerd's own; without it every sandbox fails to start.
# sandbox_image: the locally built pause image (no registry to pull one from).
cat > "$etc/containerd.toml" <<EOF
version = 2
root = "$state/containerd/root"
state = "$state/containerd/state"
disabled_plugins = ["io.containerd.snapshotter.v1.aufs", "io.containerd.snapshotter.v1.btrfs",
  "io.containerd.snapshotter.v1.zfs", "io.containerd.snapshotter.v1.devmapper",
  "io.containerd.tracing.processor.v1.otlp"]

[grpc]
  address = "$containerd_sock"
[ttrpc]
  address = "$containerd_sock.ttrpc"
[debug]
  address = ""
[metrics]
  address = ""

[plugins."io.containerd.internal.v1.opt"]
  path = "$state/containerd/opt"

[plugins."io.containerd.grpc.v1.cri"]
  sandbox_image = "localhost/pause:1.0"
  restrict_oom_score_adj = true
  netns_mounts_under_state_dir = true
  stream_server_address = "127.0.0.1"
  [plugins."io.containerd.grpc.v1.cri".containerd]
    snapshotter = "overlayfs"
    default_runtime_name = "runc"
    [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc]
      runtime_type = "io.containerd.runc.v2"
      [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc.options]
        SystemdCgroup = false
        Root = "$state/containerd/runc"
  [plugins."io.containerd.grpc.v1.cri".cni]
    bin_dir = "/usr/lib/cni"
    conf_dir = "$state/cni/net.d"
    max_conf_num = 1
EOF

# One bridge for the one node, addresses from the node's pod CIDR (the controller-manager
# allocates 198.18.0.0/24 to the first node). No ipMasq: nothing in the cluster talks to the
# outside world, and the host reaches pods directly through the bridge.
cat > "$state/cni/net.d/10-dbm-bridge.conflist" <<EOF
{
  "cniVersion": "1.0.0",
  "name": "dbm-cluster",
  "plugins": [
    {
      "type": "bridge",
      "bridge": "$bridge",
      "isGateway": true,
      "ipMasq": false,
      "hairpinMode": true,
      "ipam": {
        "type": "host-local",
        "dataDir": "$state/cni/networks",
        "ranges": [[{"subnet": "$node_pod_cidr", "gateway": "$node_pod_gateway"}]],
        "routes": [{"dst": "0.0.0.0/0"}]
      }
    }
  ]
}
EOF

# Pods get this resolv.conf: the cluster has no DNS, and no pod should send queries to the
# host's resolvers (an empty file makes lookups of other names fail at once).
echo "# dbm-cluster: no cluster DNS; pods reach each other and Services by IP" > "$etc/resolv.conf"

# The kubelet: cgroup v1 with cgroupfs (no systemd here), swap and cgroup v1 tolerated,
# authenticated and authorised API (webhook, client CA), a serving certificate the API server
# verifies, no read-only port, all its files under the state directory. Image GC is effectively
# off: imported images cannot be pulled back from any registry. Eviction only near exhaustion.
cat > "$etc/kubelet.yaml" <<EOF
apiVersion: kubelet.config.k8s.io/v1beta1
kind: KubeletConfiguration
address: $node_ip
port: $kubelet_port
readOnlyPort: 0
healthzBindAddress: 127.0.0.1
healthzPort: $kubelet_healthz_port
authentication:
  anonymous:
    enabled: false
  webhook:
    enabled: true
  x509:
    clientCAFile: $pki/ca.crt
authorization:
  mode: Webhook
tlsCertFile: $pki/kubelet-server.crt
tlsPrivateKeyFile: $pki/kubelet-server.key
containerRuntimeEndpoint: unix://$containerd_sock
imageServiceEndpoint: unix://$containerd_sock
cgroupDriver: cgroupfs
failCgroupV1: false
failSwapOn: false
podLogsDir: $state/pod-logs
volumePluginDir: $state/volume-plugins
resolvConf: $etc/resolv.conf
clusterDomain: cluster.local
imageGCHighThresholdPercent: 100
imageGCLowThresholdPercent: 99
imageMinimumGCAge: 876000h
evictionHard:
  memory.available: 100Mi
  nodefs.available: 1%
  nodefs.inodesFree: 1%
  imagefs.available: 1%
evictionPressureTransitionPeriod: 10s
serializeImagePulls: false
maxPods: 110
EOF

# kube-proxy in iptables mode. Conntrack: maxPerCore 0 and zero timeouts leave the host's
# conntrack sysctls alone; no localhost NodePorts, so route_localnet stays as it is.
cat > "$etc/kube-proxy.yaml" <<EOF
apiVersion: kubeproxy.config.k8s.io/v1alpha1
kind: KubeProxyConfiguration
clientConnection:
  kubeconfig: $state/kube-proxy.kubeconfig
hostnameOverride: $node_name
mode: iptables
clusterCIDR: $cluster_cidr
healthzBindAddress: 127.0.0.1:$proxy_healthz_port
metricsBindAddress: 127.0.0.1:$proxy_metrics_port
nodePortAddresses: [primary]
iptables:
  localhostNodePorts: false
conntrack:
  maxPerCore: 0
  min: 0
  tcpEstablishedTimeout: 0s
  tcpCloseWaitTimeout: 0s
  udpTimeout: 0s
  udpStreamTimeout: 0s
EOF
