#!/usr/bin/env bash
# Regenerates bundle/ (the OLM bundle: ClusterServiceVersion, CRD, metadata/annotations.yaml) from
# deploy/, crds/, examples/, the chart's Chart.yaml and the hand-written deploy/olm/csv-base.yaml
# (src/test/java/.../install/OlmBundle.java). OlmBundleTest fails until this has been run after a
# change to any of them; run hack/update-crds.sh first when the api package changed.
set -euo pipefail
cd "$(dirname "$0")/.."
./mvnw -B -q -ntp test-compile org.codehaus.mojo:exec-maven-plugin:3.6.4:java \
  -Dexec.mainClass=dev.dbmigration.operator.install.OlmBundle -Dexec.classpathScope=test
git status --short bundle/
