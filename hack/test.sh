#!/usr/bin/env bash
# The test command: installs and starts what the real tiers need, then runs every tier.
#   hack/test.sh                 # unit, mock-server and real-API-server/PostgreSQL tiers, and
#                                # the container image (built and run)
#   hack/test.sh -Dit.test=X     # extra Maven arguments pass through
set -euo pipefail
cd "$(dirname "$0")/.."

hack/install-deps.sh

start=$SECONDS
kube_api_test_dir=$(hack/kube-binaries/build.sh)
echo "kube binaries step: $((SECONDS - start)) s" >&2

# The ecosystem's own validators, built from their Go modules (cached like the kube binaries):
# AlertRulesIT runs promtool on the chart's alert rules, OlmBundleIT the Operator Framework's
# bundle validators on bundle/; each prints the tool's command and output into this log.
start=$SECONDS
promtool=$(hack/go-tools/build.sh promtool)
olm_validate=$(hack/go-tools/build.sh olm-validate)
echo "validators step (promtool, olm-validate): $((SECONDS - start)) s" >&2

if [ -z "${TEST_JDBC_URL:-}" ]; then
  eval "$(hack/test-postgres.sh start | sed 's/^/export /; s/=\(.*\)$/="\1"/')"
  trap 'hack/test-postgres.sh stop "$TEST_POSTGRES_DIR"' EXIT
fi

# The reliability suite appends its scenario rows here as they end; start each run afresh.
rm -f target/reliability-summary.md
status=0
# -Pimage: the container image tarball (target/jib-image.tar) is built in package, so that
# ContainerImageIT checks and runs the image this very build made.
./mvnw -B -ntp verify -Pimage -Dkube.api.test.dir="$kube_api_test_dir" \
  -Dpromtool.bin="$promtool" -Dolm-validate.bin="$olm_validate" "$@" || status=$?
if [ -f target/reliability-summary.md ]; then
  echo "reliability scenarios (target/reliability-summary.md):"
  cat target/reliability-summary.md
fi
exit "$status"
