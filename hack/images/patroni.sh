#!/usr/bin/env bash
# Makes the Patroni image's own layer: Debian's postgresql-15, patroni and libnss-wrapper
# installed with apt in a chroot of the base root filesystem, plus the entrypoints in
# hack/images/patroni/. The chroot is an overlay mount on BASE_DIR, so UPPER_DIR ends up holding
# exactly what the install changed: the layer that goes on top of the shared base layer.
#   hack/images/patroni.sh BASE_DIR UPPER_DIR
# build.sh calls it and caches UPPER_DIR by a hash of the base, this file and hack/images/patroni/.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
base=${1:?usage: patroni.sh BASE_DIR UPPER_DIR}
upper=${2:?usage: patroni.sh BASE_DIR UPPER_DIR}
work=$(mktemp -d "${TMPDIR:-/tmp}/patroni-image.XXXXXX")
merged="$work/merged"
mkdir -p "$work/ovl" "$merged"
rm -rf "$upper"
mkdir -p "$upper"
# metacopy/redirect_dir/index off: every changed file is copied up whole, so the upper directory
# is a self-contained layer (a metadata-only copy-up would leave files without their data).
mount -t overlay overlay \
  -o "lowerdir=$base,upperdir=$upper,workdir=$work/ovl,metacopy=off,redirect_dir=off,index=off" "$merged"
trap 'umount "$merged" 2>/dev/null || true; rm -rf "$work"' EXIT

in_root() { chroot "$merged" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin \
  DEBIAN_FRONTEND=noninteractive LANG=C.UTF-8 "$@"; }

# No service may start inside the chroot (policy-rc.d 101 = "action forbidden"), and the
# postgresql-common postinst must not create a "main" cluster: initdb runs in the pod.
printf '#!/bin/sh\nexit 101\n' > "$merged/usr/sbin/policy-rc.d"
chmod 755 "$merged/usr/sbin/policy-rc.d"
mkdir -p "$merged/etc/postgresql-common"
echo "create_main_cluster = false" > "$merged/etc/postgresql-common/createcluster.conf"
# apt needs name resolution for the mirror and a few device nodes (the base has an empty /dev);
# both are removed afterwards.
cp /etc/resolv.conf "$merged/etc/resolv.conf"
devices=(null:1:3 zero:1:5 full:1:7 random:1:8 urandom:1:9)
for d in "${devices[@]}"; do
  IFS=: read -r name major minor <<<"$d"
  mknod -m 0666 "$merged/dev/$name" c "$major" "$minor"
done

# A fixed, numeric UID/GID for postgres (the package would pick the next free system id), so that
# the image's USER and the manifests can name it.
in_root groupadd --system --gid 999 postgres
in_root useradd --system --uid 999 --gid 999 --home-dir /var/lib/postgresql --no-create-home \
  --shell /bin/bash --comment "PostgreSQL administrator" postgres

in_root apt-get update -qq >&2
in_root apt-get install -y -qq --no-install-recommends postgresql-15 patroni libnss-wrapper >&2
in_root apt-get clean

# Slimming: PostgreSQL's LLVM JIT (llvmjit*.so, its bitcode, and the libLLVM/libz3 only it loads;
# jit stays off without them), docs, man pages, translations, apt lists, logs, and the snakeoil
# key ssl-cert generated at install (no private key is baked into the image).
rm -rf "$merged"/usr/lib/postgresql/15/lib/llvmjit* "$merged"/usr/lib/postgresql/15/lib/bitcode \
       "$merged"/usr/lib/x86_64-linux-gnu/libLLVM* "$merged"/usr/lib/x86_64-linux-gnu/libz3.so* \
       "$merged"/usr/share/doc/* "$merged"/usr/share/man/* "$merged"/usr/share/locale/* \
       "$merged"/usr/share/postgresql/15/man "$merged"/var/cache/debconf/*-old \
       "$merged"/var/lib/dpkg/*-old \
       "$merged"/etc/ssl/private/ssl-cert-snakeoil.key "$merged"/etc/ssl/certs/ssl-cert-snakeoil.pem
find "$merged"/var/lib/apt/lists "$merged"/var/cache/apt "$merged"/var/log -type f -delete
rm -f "$merged/usr/sbin/policy-rc.d" "$merged/etc/resolv.conf"
for d in "${devices[@]}"; do rm -f "$merged/dev/${d%%:*}"; done

# The entrypoints and Patroni's static configuration.
install -m 0755 "$here"/patroni/patroni-entrypoint "$here"/patroni/postgres-entrypoint \
  "$here"/patroni/patroni-post-bootstrap "$merged/usr/local/bin/"
install -d -m 0755 "$merged/usr/local/lib/dbm" "$merged/etc/patroni"
install -m 0644 "$here"/patroni/arbitrary-uid.sh "$merged/usr/local/lib/dbm/"
install -m 0644 "$here"/patroni/patroni.yml "$merged/etc/patroni/"
# The socket directory is writable by group 0 too: OpenShift runs the container with an arbitrary
# UID whose group is 0. Data lives in a volume mounted at /var/lib/postgresql/data.
install -d -o 999 -g 0 -m 2775 "$merged/run/postgresql" "$merged/var/lib/postgresql" \
  "$merged/var/lib/postgresql/data"

umount "$merged"
echo "patroni layer: $(du -sh "$upper" | cut -f1)" >&2
