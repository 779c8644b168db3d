#!/usr/bin/env bash
# Runs the operator against the current kube context (or the in-cluster config in a pod):
# builds the jar when it is missing or older than the sources, installs or updates the CRD,
# then runs until Ctrl-C. Arguments go to the operator, e.g. --namespaces=wps-pr-1234.
set -euo pipefail
cd "$(dirname "$0")/.."

jar=target/database-migration-operator.jar
if [ ! -f "$jar" ] || [ -n "$(find src pom.xml -newer "$jar" -type f -print -quit)" ]; then
  ./mvnw -B -q -ntp -DskipTests package
fi
if command -v kubectl >/dev/null 2>&1; then
  kubectl apply --server-side --force-conflicts -f crds/
fi
exec java -jar "$jar" "$@"
