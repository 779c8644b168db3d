#!/usr/bin/env bash
# Runs the operator.
#   hack/run.sh [--namespaces=a,b]   against the current kube context (or in-cluster config):
#                                    installs/updates the CRD with kubectl, runs until Ctrl-C
#   hack/run.sh local [FILE]         without a cluster: a real kube-apiserver and PostgreSQL on
#                                    this machine run one migration of examples/alembic for real
# Builds the jar when it is missing or older than the sources.
set -euo pipefail
cd "$(dirname "$0")/.."

jar=target/database-migration-operator.jar
if [ ! -f "$jar" ] || [ -n "$(find src pom.xml -newer "$jar" -type f -print -quit)" ]; then
  ./mvnw -B -q -ntp -DskipTests package
fi

if [ "${1:-}" = local ]; then
  hack/install-deps.sh
  KUBE_API_TEST_DIR=$(hack/kube-binaries/build.sh)
  export KUBE_API_TEST_DIR
  exec java -jar "$jar" "$@"
fi

if command -v kubectl >/dev/null 2>&1; then
  kubectl apply --server-side --force-conflicts -k crds/
fi
exec java -jar "$jar" "$@"
