#!/usr/bin/env bash
# kubectl (the one hack/kube-binaries/build.sh built) against the cluster of hack/cluster/up.sh.
#   hack/cluster/kubectl.sh get pods -A
set -euo pipefail
. "$(dirname "$0")/env.sh"
exec "$api_bin/kubectl" --kubeconfig "$kubeconfig" "$@"
