#!/usr/bin/env bash
# Regenerates crds/ from the Java classes (fabric8 crd-generator); CrdDriftTest fails until this
# has been run after a change to the api package.
set -euo pipefail
cd "$(dirname "$0")/.."
./mvnw -B -q -ntp -DskipTests process-classes
cp target/classes/META-INF/fabric8/*.yml crds/
git status --short crds/
