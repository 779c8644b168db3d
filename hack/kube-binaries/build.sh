#!/usr/bin/env bash
# Builds kube-apiserver, kubectl and etcd from the Go module proxy (never from a release page)
# and lays them out where fabric8's kube-api-test looks for them in offline mode:
#   $KUBE_API_TEST_DIR/k8s/<version>-linux-<arch>/{etcd,kube-apiserver,kubectl}
# The result is cached outside the repository, keyed by the modules' go.sum, so a warm run
# only checks a stamp. Prints the directory's parent (the value for KUBE_API_TEST_DIR).
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
k8s_version=$(sed -n 's/^require k8s.io\/kubernetes v//p' "$here/kubernetes/go.mod")
etcd_version=$(sed -n 's/^require go.etcd.io\/etcd\/server\/v3 v//p' "$here/etcd/go.mod")
arch=$(go env GOARCH)
root=${KUBE_API_TEST_DIR:-${DBM_CACHE_DIR:-$HOME/.cache/database-migration-operator}/kube-api-test}
target="$root/k8s/$k8s_version-linux-$arch"
stamp=$(cat "$here"/kubernetes/go.sum "$here"/etcd/go.sum "$here/build.sh" | sha256sum | cut -c1-16)

if [ -f "$target/.stamp" ] && [ "$(cat "$target/.stamp")" = "$stamp" ] \
   && [ -x "$target/kube-apiserver" ] && [ -x "$target/etcd" ] && [ -x "$target/kubectl" ]; then
  echo "kube binaries v$k8s_version (etcd v$etcd_version) cached in $target" >&2
  echo "$root"
  exit 0
fi

echo "building kube-apiserver and kubectl v$k8s_version, etcd v$etcd_version into $target" >&2
work=$(mktemp -d "${TMPDIR:-/tmp}/kube-binaries.XXXXXX")
trap 'rm -rf "$work"' EXIT
start=$SECONDS

# Without these stamps the binaries report v0.0.0, which kube-apiserver's compatibility-version
# logic and kubectl's version skew check both reject.
pkg=k8s.io/component-base/version
cgo=k8s.io/client-go/pkg/version
minor=$(echo "$k8s_version" | cut -d. -f2)
ldflags="-s -w"
for p in $pkg $cgo; do
  ldflags="$ldflags -X $p.gitVersion=v$k8s_version -X $p.gitMajor=1 -X $p.gitMinor=$minor"
  ldflags="$ldflags -X $p.gitTreeState=clean -X $p.buildDate=1970-01-01T00:00:00Z"
done

export CGO_ENABLED=0 GOFLAGS=-mod=mod
(cd "$here/kubernetes" && go build -trimpath -ldflags "$ldflags" -o "$work/" \
   k8s.io/kubernetes/cmd/kube-apiserver k8s.io/kubernetes/cmd/kubectl)
(cd "$here/etcd" && go build -trimpath -ldflags "-s -w" -o "$work/etcd" go.etcd.io/etcd/server/v3)

mkdir -p "$target"
for b in kube-apiserver kubectl etcd; do mv -f "$work/$b" "$target/$b"; done
echo "$stamp" > "$target/.stamp"
echo "kube binaries built in $((SECONDS - start)) s" >&2
echo "$root"
