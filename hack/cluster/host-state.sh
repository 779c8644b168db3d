#!/usr/bin/env bash
# Prints the parts of the host's state the cluster touches, normalised for diffing: take one
# snapshot before hack/cluster/up.sh and one after hack/cluster/down.sh, and `diff` them.
#   hack/cluster/host-state.sh > /tmp/before; up.sh; …; down.sh; hack/cluster/host-state.sh > /tmp/after
# Covers processes of the cluster's kinds, mounts, network links, addresses and routes, iptables
# (IPv4 and IPv6, without counters), cgroup directories, every sysctl except counters and random
# values, and the host paths containerd/kubelet/CNI would use by default.
set -euo pipefail
. "$(dirname "$0")/env.sh"

section() { echo; echo "## $1"; }

section processes
# the cluster's own: its state directory on their command line, or inside its pod cgroups (other
# kube-apiservers and etcds on this machine, e.g. the kube-api-test tier's, do not count)
for p in /proc/[0-9]*; do
  cmd=$({ tr '\0' ' ' < "$p/cmdline"; } 2>/dev/null) || continue
  if [[ "$cmd" == *"$state/"* ]] || grep -qs kubepods "$p/cgroup"; then
    cat "$p/comm" 2>/dev/null || true
  fi
done | sort | uniq -c
section mounts
awk '{ print $5, $9 }' /proc/self/mountinfo | sort
section links
ip -o link show | awk -F': ' '{ print $2 }' | sort
section addresses
ip -o addr show | awk '{ print $2, $3, $4 }' | sort
section routes
{ ip -4 route show table all; ip -6 route show table all; } | sort
for family in iptables ip6tables; do
  section "$family"
  { "$family-save" 2>/dev/null || true; } | { grep -v '^#' || true; } | sed 's/\[[0-9]*:[0-9]*\]//'
done
section cgroups
# (process_api/* are the sandbox's own per-command cgroups, not the cluster's)
find /sys/fs/cgroup -mindepth 2 -maxdepth 3 -type d -not -path "*/process_api/*" | sort
section sysctls
# counters, random and time-varying values would differ between any two snapshots
sysctl -a 2>/dev/null | grep -Ev '^(fs\.(dentry-state|file-nr|inode-nr|inode-state|quota\.)|kernel\.(random\.|ns_last_pid|pty\.nr|tainted)|net\.netfilter\.nf_conntrack_count|vm\.stat_interval|fs\.binfmt_misc|kernel\.sched_domain|net\.ipv6\.conf\.[^.]+\.stable_secret)' | sort || true
section paths
for p in /run/containerd /run/runc /var/lib/cni /etc/cni /opt/cni /var/lib/kubelet /var/log/pods \
         /var/log/containers /etc/kubernetes /var/lib/containerd /opt/containerd /run/netns; do
  [ -e "$p" ] && echo "exists $p" || echo "absent $p"
done
