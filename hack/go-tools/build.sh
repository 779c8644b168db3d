#!/usr/bin/env bash
# Builds one of the ecosystem's own validators from the Go module proxy (never from a release
# page), as hack/kube-binaries/build.sh builds the Kubernetes binaries:
#   hack/go-tools/build.sh promtool       # Prometheus' promtool: `check rules`, `test rules`
#   hack/go-tools/build.sh olm-validate   # the Operator Framework's bundle validators (main.go)
# Each tool is a module under hack/go-tools/<tool>/ that pins its upstream release in go.mod and
# go.sum. The binary is cached outside the repository, keyed by a hash of that module's files and
# this script, so a warm run only checks a stamp. Prints the binary's path.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
tool=${1:?usage: $0 promtool|olm-validate}
module="$here/$tool"
[ -f "$module/go.mod" ] || { echo "no Go tool module $module" >&2; exit 2; }

case "$tool" in
  promtool)
    version=$(sed -n 's/^require github.com\/prometheus\/prometheus v//p' "$module/go.mod")
    package=github.com/prometheus/prometheus/cmd/promtool
    # remove_all_sd leaves out Prometheus' service-discovery plugins (AWS, Azure, GCE,
    # Kubernetes, ...), which rule checks and rule unit tests never use: a quarter fewer packages.
    tags=remove_all_sd
    ldflags="-s -w -X github.com/prometheus/common/version.Version=$version"
    ;;
  olm-validate)
    version=$(sed -n 's/^require github.com\/operator-framework\/api v//p' "$module/go.mod")
    package=.
    tags=""
    ldflags="-s -w"
    ;;
  *)
    echo "unknown tool $tool" >&2
    exit 2
    ;;
esac

target="${DBM_CACHE_DIR:-$HOME/.cache/database-migration-operator}/$tool"
stamp=$(cat "$module"/go.mod "$module"/go.sum "$module"/*.go "$here/build.sh" | sha256sum | cut -c1-16)

if [ -f "$target/.stamp" ] && [ "$(cat "$target/.stamp")" = "$stamp" ] && [ -x "$target/$tool" ]; then
  echo "$tool ($version) cached in $target" >&2
  echo "$target/$tool"
  exit 0
fi

echo "building $tool ($version) into $target" >&2
work=$(mktemp -d "${TMPDIR:-/tmp}/go-tools.XXXXXX")
trap 'rm -rf "$work"' EXIT
start=$SECONDS

# -buildvcs=false: olm-validate's main sits in this repository, whose commit would otherwise be
# stamped into the binary (and git asked for it); the binary depends on the module's files only.
export CGO_ENABLED=0 GOFLAGS=-mod=mod
(cd "$module" && go build -trimpath -buildvcs=false -tags "$tags" -ldflags "$ldflags" \
   -o "$work/$tool" "$package")

mkdir -p "$target"
mv -f "$work/$tool" "$target/$tool"
echo "$stamp" > "$target/.stamp"
echo "$tool built in $((SECONDS - start)) s" >&2
echo "$target/$tool"
