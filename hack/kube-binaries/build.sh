#!/usr/bin/env bash
# Builds Kubernetes components from the Go module proxy (never from a release page), cached
# outside the repository, keyed by the modules' go.sum and this script, so a warm run only checks
# a stamp.
#
#   hack/kube-binaries/build.sh        kube-apiserver, kubectl and etcd, laid out where fabric8's
#                                      kube-api-test looks for them in offline mode:
#                                        $KUBE_API_TEST_DIR/k8s/<version>-linux-<arch>/{etcd,kube-apiserver,kubectl}
#                                      prints that directory's parent (the value for KUBE_API_TEST_DIR)
#   hack/kube-binaries/build.sh node   kube-controller-manager, kube-scheduler, kubelet and
#                                      kube-proxy of the same pinned k8s.io/kubernetes, for the real
#                                      single-node cluster (hack/cluster/up.sh); prints their
#                                      directory. Separate so that `hack/run.sh local` and the API
#                                      tier never pay for the kubelet (~10 min cold on 2 cores).
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
what=${1:-api}
k8s_version=$(sed -n 's/^require k8s.io\/kubernetes v//p' "$here/kubernetes/go.mod")
etcd_version=$(sed -n 's/^require go.etcd.io\/etcd\/server\/v3 v//p' "$here/etcd/go.mod")
arch=$(go env GOARCH)
cache=${DBM_CACHE_DIR:-$HOME/.cache/database-migration-operator}

case "$what" in
  api)
    root=${KUBE_API_TEST_DIR:-$cache/kube-api-test}
    target="$root/k8s/$k8s_version-linux-$arch"
    binaries=(kube-apiserver kubectl etcd)
    stamp=$(cat "$here"/kubernetes/go.sum "$here"/etcd/go.sum "$here/build.sh" | sha256sum | cut -c1-16)
    print=$root ;;
  node)
    target="$cache/kube-node/$k8s_version-linux-$arch"
    binaries=(kube-controller-manager kube-scheduler kubelet kube-proxy)
    stamp=$(cat "$here"/kubernetes/go.sum "$here/build.sh" | sha256sum | cut -c1-16)
    print=$target ;;
  *) echo "usage: $0 [node]" >&2; exit 2 ;;
esac

cached=true
[ -f "$target/.stamp" ] && [ "$(cat "$target/.stamp")" = "$stamp" ] || cached=false
for b in "${binaries[@]}"; do [ -x "$target/$b" ] || cached=false; done
if $cached; then
  echo "kube binaries ($what) v$k8s_version cached in $target" >&2
  echo "$print"
  exit 0
fi

echo "building ${binaries[*]} (v$k8s_version, etcd v$etcd_version) into $target" >&2
work=$(mktemp -d "${TMPDIR:-/tmp}/kube-binaries.XXXXXX")
trap 'rm -rf "$work"' EXIT
start=$SECONDS

# Without these stamps the binaries report v0.0.0, which kube-apiserver's compatibility-version
# logic, kubectl's version skew check and the kubelet's node registration all reject.
pkg=k8s.io/component-base/version
cgo=k8s.io/client-go/pkg/version
minor=$(echo "$k8s_version" | cut -d. -f2)
ldflags="-s -w"
for p in $pkg $cgo; do
  ldflags="$ldflags -X $p.gitVersion=v$k8s_version -X $p.gitMajor=1 -X $p.gitMinor=$minor"
  ldflags="$ldflags -X $p.gitTreeState=clean -X $p.buildDate=1970-01-01T00:00:00Z"
done

# -trimpath makes rebuilds bit-identical; CGO_ENABLED=0 makes static binaries (the kubelet then
# uses Go's own DNS resolver and no cgo-only cAdvisor collectors, which this cluster does not need).
export CGO_ENABLED=0 GOFLAGS=-mod=mod
k8s_packages=()
for b in "${binaries[@]}"; do
  [ "$b" = etcd ] || k8s_packages+=("k8s.io/kubernetes/cmd/$b")
done
(cd "$here/kubernetes" && go build -trimpath -ldflags "$ldflags" -o "$work/" "${k8s_packages[@]}")
if [ "$what" = api ]; then
  (cd "$here/etcd" && go build -trimpath -ldflags "-s -w" -o "$work/etcd" go.etcd.io/etcd/server/v3)
fi

mkdir -p "$target"
for b in "${binaries[@]}"; do mv -f "$work/$b" "$target/$b"; done
echo "$stamp" > "$target/.stamp"
echo "kube binaries ($what) built in $((SECONDS - start)) s" >&2
echo "$print"
