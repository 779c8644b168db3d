#!/usr/bin/env bash
# Removes what kube-proxy, the kubelet and the CNI plugins put into iptables, IPv4 and IPv6: the
# KUBE-* and CNI-* chains and every rule that jumps to them, leaving all other rules alone.
# Each affected table is saved, filtered and restored as a whole (iptables-restore replaces a
# table atomically), which also drops chains whose rules point at each other. A table the cluster
# created from nothing (absent before up, per hack/cluster/host.sh) and left empty is deleted.
#   hack/cluster/iptables-clean.sh    (down.sh calls it)
set -euo pipefail
. "$(dirname "$0")/env.sh"

ours='(KUBE-|CNI-)'
for family in iptables ip6tables; do
  command -v "$family-save" >/dev/null || continue
  for table in $("$family-save" 2>/dev/null | sed -n 's/^\*//p'); do
    dump=$("$family-save" -t "$table")
    if grep -Eq -- "^:$ours|-[jg] $ours" <<<"$dump"; then
      grep -Ev -- "^:$ours|^-A $ours|-[jg] $ours" <<<"$dump" | "$family-restore" -T "$table"
    fi
  done
done
