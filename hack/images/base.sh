#!/usr/bin/env bash
# Makes the base root filesystem of the test images in DIR: Debian bookworm (minbase) with
# python3, alembic and psycopg2, from the mirror this machine's apt already uses (no image
# registry is reachable), slimmed of what no container reads (docs, man pages, translations,
# apt's package lists and caches, the host's devices).
#   hack/images/base.sh DIR MIRROR
# build.sh calls it and caches DIR by a hash of this file and MIRROR.
set -euo pipefail

dir=${1:?usage: base.sh DIR MIRROR}
[ "$dir" != / ] || { echo "base.sh: refusing to build into /" >&2; exit 2; }
mirror=${2:?usage: base.sh DIR MIRROR}

rm -rf "$dir"
mkdir -p "$dir"
# debootstrap's progress goes to stderr: stdout is for the caller's result.
debootstrap --variant=minbase --include=python3,alembic,python3-psycopg2 \
  bookworm "$dir" "$mirror" >&2

# Slimming. The packages stay registered with dpkg; only files nothing at run time reads go.
rm -rf "$dir"/usr/share/doc/* "$dir"/usr/share/man/* "$dir"/usr/share/info/* \
       "$dir"/usr/share/locale/* "$dir"/usr/share/lintian "$dir"/usr/share/common-licenses \
       "$dir"/var/cache/debconf/*-old "$dir"/var/lib/dpkg/*-old
# apt and dpkg expect their directories to exist (a later `apt-get install` in a chroot of
# this tree, for the Patroni image): empty them, keep them.
find "$dir"/var/lib/apt/lists "$dir"/var/cache/apt "$dir"/var/log -type f -delete
# The host's identity and devices: the runtime provides /dev, and the kubelet mounts
# /etc/hosts, /etc/hostname and /etc/resolv.conf into every container.
rm -rf "$dir"/dev/* "$dir"/etc/hostname "$dir"/etc/resolv.conf "$dir"/etc/machine-id
: > "$dir/etc/machine-id"
echo "base root filesystem: $(du -sh "$dir" | cut -f1)" >&2
