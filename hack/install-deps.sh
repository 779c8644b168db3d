#!/usr/bin/env bash
# Installs the Debian packages the test tiers run for real: PostgreSQL 15, alembic and psycopg2.
# Only what is missing is installed, so a warm machine spends a dpkg query on this.
#   hack/install-deps.sh            the API and PostgreSQL tiers, and `hack/run.sh local`
#   hack/install-deps.sh cluster    the real single-node cluster (hack/cluster/up.sh): containerd
#                                   and runc, the CNI plugins, iptables and conntrack for
#                                   kube-proxy (nft to drop the tables it created), debootstrap
#                                   for the images, openssl for the PKI
set -euo pipefail

packages=(postgresql-15 postgresql-client-15 alembic python3-psycopg2)
if [ "${1:-}" = cluster ]; then
  packages=(containerd runc containernetworking-plugins iptables nftables conntrack debootstrap openssl
            iproute2 procps util-linux python3 ca-certificates)
fi
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

echo "installing ${missing[*]}" >&2
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
