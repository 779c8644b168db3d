#!/usr/bin/env bash
# Runs the operator, or local mode.
#   hack/run.sh [--namespaces=a,b]   the operator against the current kube context (or the
#                                    in-cluster config): installs/updates the CRD with kubectl,
#                                    runs until Ctrl-C (e.g. against hack/cluster/up.sh's cluster:
#                                    KUBECONFIG=/var/lib/dbm-cluster/admin.kubeconfig hack/run.sh)
#   hack/run.sh local [FILE] [--jdbc-url=URL] [--project-dir=DIR]
#                                    local mode, no cluster: the real operator on a real
#                                    kube-apiserver of this machine runs FILE's migration (default
#                                    examples/patroni-pr-environment.yaml) with the real alembic of
#                                    DIR (default examples/alembic) against the database URL names,
#                                    continuing from its state, or a throwaway embedded PostgreSQL
# Builds the jars when they are missing or older than the sources.
set -euo pipefail
cd "$(dirname "$0")/.."

operator_jar=operator/target/database-migration-operator.jar
local_jar=local/target/database-migration-operator-local.jar
stale() {
  [ ! -f "$1" ] || [ -n "$(find operator/src local/src local-kit/src pom.xml operator/pom.xml \
    local/pom.xml local-kit/pom.xml -newer "$1" -type f -print -quit)" ]
}

if [ "${1:-}" = local ]; then
  shift
  if stale "$local_jar"; then
    ./mvnw -B -q -ntp -DskipTests package -pl local -am
  fi
  hack/install-deps.sh
  KUBE_API_TEST_DIR=$(hack/kube-binaries/build.sh)
  export KUBE_API_TEST_DIR
  exec java -jar "$local_jar" "$@"
fi

if stale "$operator_jar"; then
  ./mvnw -B -q -ntp -DskipTests package -pl operator -am
fi
if command -v kubectl >/dev/null 2>&1; then
  kubectl apply --server-side --force-conflicts -k crds/
fi
exec java -jar "$operator_jar" "$@"
