#!/usr/bin/env bash
# The test command: installs and starts what the real tiers need, then runs every tier.
#   hack/test.sh                 # unit, real-API-server/PostgreSQL and real-cluster tiers, the
#                                # ecosystem's validators, and the container image (built, run,
#                                # and installed in the cluster)
#   hack/test.sh -Dit.test=X     # extra Maven arguments pass through (-De2e.test=Y: the
#                                # real-cluster tier's classes)
# The real single-node cluster (hack/cluster/up.sh) is started for the run and stopped after it,
# leaving the machine as it was; DBM_KEEP_CLUSTER=1 leaves it running for the next run.
set -euo pipefail
cd "$(dirname "$0")/.."

# One run at a time on a machine: runs share the one cluster, and each stops it when it ends.
exec 9>/var/lock/dbm-e2e.lock
if ! flock -n 9; then
  echo "another hack/test.sh is running on this machine; waiting for it to end" >&2
  flock 9
fi

hack/install-deps.sh
hack/install-deps.sh cluster

start=$SECONDS
kube_api_test_dir=$(hack/kube-binaries/build.sh)
hack/kube-binaries/build.sh node >/dev/null
echo "kube binaries step: $((SECONDS - start)) s" >&2
kube_version=$(sed -n 's/^require k8s.io\/kubernetes v//p' hack/kube-binaries/kubernetes/go.mod)
kubectl="$kube_api_test_dir/k8s/$kube_version-linux-$(go env GOARCH)/kubectl"

# The ecosystem's own validators, built from their Go modules (cached like the kube binaries):
# AlertRulesIT runs promtool on the chart's alert rules, OlmBundleIT the Operator Framework's
# bundle validators on bundle/; each prints the tool's command and output into this log.
start=$SECONDS
promtool=$(hack/go-tools/build.sh promtool)
olm_validate=$(hack/go-tools/build.sh olm-validate)
echo "validators step (promtool, olm-validate): $((SECONDS - start)) s" >&2

cleanup() {
  if [ -n "${TEST_POSTGRES_DIR:-}" ]; then
    hack/test-postgres.sh stop "$TEST_POSTGRES_DIR"
  fi
  if [ -n "${started_cluster:-}" ] && [ "${DBM_KEEP_CLUSTER:-}" != 1 ]; then
    hack/cluster/down.sh || true
  fi
}
trap cleanup EXIT
if [ -z "${TEST_JDBC_URL:-}" ]; then
  eval "$(hack/test-postgres.sh start | sed 's/^/export /; s/=\(.*\)$/="\1"/')"
fi

start=$SECONDS
started_cluster=1
kubeconfig=$(hack/cluster/up.sh | tail -n 1 | sed -n 's/^KUBECONFIG=//p')
[ -n "$kubeconfig" ] || { echo "hack/cluster/up.sh printed no KUBECONFIG" >&2; exit 1; }
echo "cluster step (images, up): $((SECONDS - start)) s" >&2

# The suites append their scenario rows here as they end; start each run afresh.
rm -f target/reliability-summary.md target/e2e-summary.md
status=0
# -Pimage: the container image tarball (operator/target/jib-image.tar) is built in package, so that
# ContainerImageIT checks and runs the image this very build made, and the real-cluster tier
# (-Pe2e) installs it.
./mvnw -B -ntp verify -Pimage,e2e -Dkube.api.test.dir="$kube_api_test_dir" \
  -Dpromtool.bin="$promtool" -Dolm-validate.bin="$olm_validate" \
  -De2e.kubeconfig="$kubeconfig" -De2e.kubectl="$kubectl" "$@" || status=$?
for summary in target/reliability-summary.md target/e2e-summary.md; do
  if [ -f "$summary" ]; then
    echo "scenarios ($summary):"
    cat "$summary"
  fi
done
if [ "$status" -ne 0 ]; then
  hack/cluster/logs.sh 40 >&2 || true
fi
exit "$status"
