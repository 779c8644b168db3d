#!/usr/bin/env bash
# What the cluster changes on the host outside its state directory, recorded before it starts
# and put back after it stops.
#   hack/cluster/host.sh record    (up.sh) remembers the sysctls below and which of the host
#                                  paths below exist, unless a record is already there (after a
#                                  crash the first record is still the truth)
#   hack/cluster/host.sh restore   (down.sh) sets the sysctls back, removes the paths that did
#                                  not exist, and drops the record
# The sysctls are those the kubelet (kernel tunables: overcommit, panic), the CNI bridge
# (forwarding, and with it accept_redirects) and kube-proxy may set; a diff of `sysctl -a`
# before up and after down (hack/cluster/host-state.sh) found no others.
set -euo pipefail
. "$(dirname "$0")/env.sh"

record="$state/host"
sysctls=(vm.overcommit_memory vm.panic_on_oom kernel.panic kernel.panic_on_oops
         kernel.keys.root_maxkeys kernel.keys.root_maxbytes
         net.ipv4.conf.all.route_localnet net.bridge.bridge-nf-call-iptables
         net.bridge.bridge-nf-call-ip6tables net.netfilter.nf_conntrack_max
         net.ipv6.conf.all.forwarding net.ipv6.conf.default.forwarding)
# Paths containerd, runc and CNI create outside the state directory.
paths=(/run/containerd /var/lib/cni /etc/cni /opt/cni /var/lib/kubelet /var/log/pods
       /var/log/containers /etc/kubernetes /run/runc)

case "${1:-}" in
  record)
    [ -f "$record/sysctl" ] && exit 0
    mkdir -p "$record"
    {
      # net.ipv4.ip_forward first: writing it resets every interface's forwarding flag, which
      # the lines after it then set back one by one.
      sysctl -e net.ipv4.ip_forward
      for k in "${sysctls[@]}"; do sysctl -e "$k"; done
      # every interface setting of the interfaces there are now: forwarding flips some of them
      # (accept_redirects) as a side effect
      sysctl -a 2>/dev/null | grep -E '^net\.ipv[46]\.conf\.' | grep -v stable_secret || true
    } | sed 's/ = /=/' > "$record/sysctl.tmp"
    for p in "${paths[@]}"; do [ -e "$p" ] || echo "$p"; done > "$record/absent-paths"
    # the iptables tables there are (kube-proxy and the kubelet create nat, filter and mangle)
    { iptables-save | sed -n 's/^\*/ip /p'; ip6tables-save | sed -n 's/^\*/ip6 /p'; } > "$record/tables"
    mv "$record/sysctl.tmp" "$record/sysctl"
    ;;
  restore)
    [ -f "$record/sysctl" ] || exit 0
    # one read of them all, then a write for each that differs (in the record's order)
    declare -A now
    while IFS='=' read -r key value; do now[$key]=$value; done < <(sysctl -a 2>/dev/null | sed 's/ = /=/')
    while IFS='=' read -r key value; do
      [ -n "${now[$key]+set}" ] || continue   # an interface that is gone
      if [ "${now[$key]}" != "$value" ]; then
        sysctl -q -w "$key=$value" || log "could not restore $key=$value"
        # ip_forward rewrites the interfaces' settings: read them again
        [ "$key" != net.ipv4.ip_forward ] \
          || while IFS='=' read -r k v; do now[$k]=$v; done < <(sysctl -a 2>/dev/null | sed 's/ = /=/')
      fi
    done < "$record/sysctl"
    while read -r p; do
      if [ -n "$p" ] && [ -e "$p" ]; then
        # only what is left once everything is stopped and unmounted; never a mount point
        if grep -q " ${p}[/ ]" /proc/self/mountinfo; then
          log "not removing $p: something is still mounted below it"
        else
          rm -rf "$p"
        fi
      fi
    done < "$record/absent-paths"
    # Tables that did not exist and are empty again (hack/cluster/iptables-clean.sh ran): only
    # nft can delete a table of the nf_tables backend.
    for family in ip ip6; do
      save=iptables-save; [ "$family" = ip ] || save=ip6tables-save
      for table in $($save | sed -n 's/^\*//p'); do
        grep -qx "$family $table" "$record/tables" && continue
        if ! $save -t "$table" | grep -Ev '^(#|\*|COMMIT$|:[A-Z]+ ACCEPT )' | grep -q .; then
          nft delete table "$family" "$table"
        fi
      done
    done
    rm -rf "$record"
    ;;
  *) echo "usage: $0 record|restore" >&2; exit 2 ;;
esac
