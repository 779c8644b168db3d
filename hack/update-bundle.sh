#!/usr/bin/env bash
# Regenerates bundle/ (the OLM bundle: ClusterServiceVersion, CRD, metadata/annotations.yaml) from
# deploy/, crds/, examples/, the chart's Chart.yaml and the hand-written deploy/olm/csv-base.yaml
# (operator/src/test/java/.../install/OlmBundle.java). OlmBundleTest fails until this has been run after a
# change to any of them; run hack/update-crds.sh first when the api package changed.
set -euo pipefail
cd "$(dirname "$0")/.."
# The operator module's test classes, run from the repository's root (where bundle/ is).
# The class path comes from the same reactor build (-am), so the local-kit module the tests use
# need not be installed in ~/.m2: a `-pl operator` run on its own cannot resolve it.
./mvnw -B -q -ntp test-compile dependency:build-classpath -pl operator -am \
  -Dmdep.includeScope=test -Dmdep.outputFile=target/test-classpath.txt
java -cp "operator/target/test-classes:operator/target/classes:$(cat operator/target/test-classpath.txt)" \
  dev.dbmigration.operator.install.OlmBundle
git status --short bundle/
