#!/usr/bin/env bash
# Imports docker-archive tarballs into the running cluster's containerd (namespace k8s.io, where
# the kubelet looks), unpacked for its overlayfs snapshotter; pods then use the archive's tags
# with imagePullPolicy Never or IfNotPresent. An archive already imported unchanged (same path,
# size and mtime, and its tags still present) is skipped.
#   hack/cluster/import-image.sh FILE...
# e.g. hack/cluster/import-image.sh operator/target/jib-image.tar
#        (tag ghcr.io/dbmigration/database-migration-operator:0.1.0)
set -euo pipefail
. "$(dirname "$0")/env.sh"

[ $# -gt 0 ] || { echo "usage: $0 FILE..." >&2; exit 2; }
if [ ! -S "$containerd_sock" ] || [ -z "$(pid_of containerd)" ]; then
  log "the cluster's containerd is not running ($containerd_sock); start it with hack/cluster/up.sh"
  exit 1
fi
mkdir -p "$state/imported"
present=$(ctr_k8s images list -q)

for file in "$@"; do
  [ -f "$file" ] || { log "no such file: $file"; exit 1; }
  file=$(readlink -f "$file")
  # The marker holds the fingerprint of what was imported and its tags (reading them from the
  # archive means reading it to its end, where manifest.json is).
  marker="$state/imported/$(echo "$file" | sha256sum | cut -c1-16)"
  fingerprint="$file $(stat -c '%s %Y' "$file")"
  same=false tags=
  if [ "$(head -n 1 "$marker" 2>/dev/null)" = "$fingerprint" ]; then
    same=true tags=$(tail -n +2 "$marker")
  fi
  [ -n "$tags" ] || tags=$(tar -xOf "$file" manifest.json | /usr/bin/python3 -c \
    'import json, sys; print("\n".join(t for m in json.load(sys.stdin) for t in m.get("RepoTags") or []))')
  if $same && [ -z "$(comm -23 <(sort -u <<<"$tags") <(sort -u <<<"$present"))" ]; then
    printf '%s\n%s\n' "$fingerprint" "$tags" > "$marker"
    log "already imported: $(basename "$file") ($(echo $tags))"
    continue
  fi
  t=$SECONDS
  ctr_k8s images import "$file" >/dev/null
  printf '%s\n%s\n' "$fingerprint" "$tags" > "$marker"
  log "imported $(basename "$file") in $((SECONDS - t)) s: $(echo $tags)"
done
