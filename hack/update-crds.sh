#!/usr/bin/env bash
# Regenerates crds/ from the Java classes (fabric8 crd-generator) and refreshes the Helm chart's
# copy (Helm installs CRDs only from the chart's own crds/ directory) and the OLM bundle
# (hack/update-bundle.sh). CrdDriftTest, ChartCrdDriftTest and OlmBundleTest fail until this has
# been run after a change to the api package.
# crds/kustomization.yaml (written by hand) must list every generated file; InstallFilesTest checks.
set -euo pipefail
cd "$(dirname "$0")/.."
chart_crds=helm/database-migration-operator/crds
./mvnw -B -q -ntp -DskipTests process-classes -pl operator -am
cp operator/target/classes/META-INF/fabric8/*.yml crds/
rm -f "$chart_crds"/*.yml
cp crds/*.yml "$chart_crds"/
git status --short crds/ "$chart_crds"/
# The OLM bundle carries the CRD too (and its fields as descriptors): OlmBundleTest checks it.
hack/update-bundle.sh
