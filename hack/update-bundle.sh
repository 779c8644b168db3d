#!/usr/bin/env bash
# Regenerates bundle/ (the OLM bundle: ClusterServiceVersion, CRD, metadata/annotations.yaml) from
# deploy/, crds/, examples/, the chart's Chart.yaml and the hand-written deploy/olm/csv-base.yaml
# (operator/src/test/java/.../install/OlmBundle.java). OlmBundleTest fails until this has been run after a
# change to any of them; run hack/update-crds.sh first when the api package changed.
set -euo pipefail
cd "$(dirname "$0")/.."
# The operator module's test classes, run from the repository's root (where bundle/ is).
./mvnw -B -q -ntp test-compile -pl operator -am
./mvnw -B -q -ntp org.codehaus.mojo:exec-maven-plugin:3.6.4:java -pl operator \
  -Dexec.mainClass=dev.dbmigration.operator.install.OlmBundle -Dexec.classpathScope=test
git status --short bundle/
