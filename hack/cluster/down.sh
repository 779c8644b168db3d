#!/usr/bin/env bash
# Stops the single-node cluster of hack/cluster/up.sh and leaves the host as it found it: every
# process stopped (pods first), mounts under the state directory and /run/containerd gone, the
# cni0 bridge and its veths deleted, the KUBE-* and CNI-* iptables chains (IPv4 and IPv6)
# removed, the kubepods cgroups removed, the sysctls put back (hack/cluster/host.sh).
# Kept in the state directory for the next up: the PKI, the kubeconfigs, the logs and
# containerd's image store (images need no re-import). Safe to run at any time, also after a
# crash or half an up; up.sh runs it before starting again.
#   hack/cluster/down.sh            stop and clean up
#   hack/cluster/down.sh --purge    also delete the state directory (images included)
set -euo pipefail
. "$(dirname "$0")/env.sh"

[ -d "$state" ] || exit 0
# One up or down at a time (up.sh, which holds the lock already, says so when it calls this).
if [ -z "${DBM_CLUSTER_LOCKED:-}" ]; then
  exec 8>"$state/.lock"
  flock 8
fi
start=$SECONDS

# stop NAME [SECONDS]: SIGTERM, poll until it is gone, SIGKILL after SECONDS (default 15).
stop() {
  local pid deadline
  pid=$(pid_of "$1")
  if [ -n "$pid" ]; then
    kill -TERM "$pid" 2>/dev/null || true
    deadline=$((SECONDS + ${2:-15}))
    while alive "$pid" && [ "$SECONDS" -lt "$deadline" ]; do sleep 0.1; done
    if alive "$pid"; then
      log "$1 did not stop on SIGTERM; killing it"
      kill -KILL "$pid" 2>/dev/null || true
      while alive "$pid"; do sleep 0.1; done
    fi
  fi
  rm -f "$state/run/$1.pid"
}

# 1. Nothing may recreate pods or touch the network while the node goes away.
stop kube-controller-manager
stop kube-scheduler
stop kubelet
stop kube-proxy

# 2. Every container and sandbox, through containerd while it runs: kill the tasks, delete them and
#    the containers (and their snapshots). Images stay in its store.
if [ -n "$(pid_of containerd)" ] && ctr_k8s version >/dev/null 2>&1; then
  for id in $(ctr_k8s tasks list -q 2>/dev/null); do
    ctr_k8s tasks kill -a -s SIGKILL "$id" >/dev/null 2>&1 || true
  done
  for id in $(ctr_k8s tasks list -q 2>/dev/null); do
    ctr_k8s tasks delete -f "$id" >/dev/null 2>&1 || true
  done
  for id in $(ctr_k8s containers list -q 2>/dev/null); do
    ctr_k8s containers delete "$id" >/dev/null 2>&1 || true
  done
fi
stop containerd

# 3. Whatever survived (containerd was already dead, or a task would not die): every process in
#    our cgroups, and the shims that serve our containerd's socket (found by the state path on
#    their command line, which is ours alone).
our_shims() {
  local exe p cmd
  for p in /proc/[0-9]*; do
    exe=$(readlink "$p/exe" 2>/dev/null) || continue
    case "$(basename "$exe")" in containerd-shim*) ;; *) continue ;; esac
    cmd=$({ tr '\0' ' ' < "$p/cmdline"; } 2>/dev/null) || continue
    [[ "$cmd" == *"-address $containerd_sock "* ]] && basename "$p"
  done
  return 0
}
kubepods_cgroups() { find /sys/fs/cgroup/*/kubepods -depth -type d 2>/dev/null || true; }
for _ in 1 2 3; do
  pids=$( { for d in $(kubepods_cgroups); do cat "$d/cgroup.procs" 2>/dev/null; done
            our_shims; } | sort -u)
  [ -n "$pids" ] || break
  kill -KILL $pids 2>/dev/null || true
  for p in $pids; do while alive "$p"; do sleep 0.05; done; done
done

# 4. The control plane last, so that the steps above could still use it.
stop kube-apiserver
stop etcd

# 5. Mounts below the state directory and /run/containerd (netns, shm, overlay rootfs, secret and
#    projected volumes), deepest first.
for m in $(awk '{ print $5 }' /proc/self/mountinfo | grep -E "^($state|/run/containerd)/" | sort -r); do
  umount "$m" 2>/dev/null || umount -l "$m" 2>/dev/null || log "could not unmount $m"
done

# 6. The network: veths still on the bridge (their peers' namespaces are gone by now), the bridge,
#    and the iptables chains of kube-proxy, the kubelet and the CNI plugins, in IPv4 and IPv6.
for veth in $(ip -o link show master "$bridge" 2>/dev/null | awk -F': ' '{ print $2 }' | cut -d@ -f1); do
  ip link delete "$veth" 2>/dev/null || true
done
ip link delete "$bridge" 2>/dev/null || true
"$(dirname "$0")/iptables-clean.sh"

# 7. cgroups, deepest first (empty now).
for d in $(kubepods_cgroups); do rmdir "$d" 2>/dev/null || log "could not remove cgroup $d"; done

# 8. sysctls and the host paths that did not exist before up.
"$(dirname "$0")/host.sh" restore

rm -rf "$state/run"
if [ "${1:-}" = --purge ]; then
  rm -rf "$state"
  log "purged $state"
fi
log "down in $((SECONDS - start)) s"
