#!/usr/bin/env bash
# Benchmark of the operator's own cost on a real kube-apiserver whose namespaces look like real
# pull-request environments, against the floor measured in the same run (a plain client creating
# Jobs while it watches them).
#   hack/bench.sh                        # N = 100, 1000 and 3000, 60 s idle window: docs/benchmarks.md
#   hack/bench.sh --before=REF           # the same, and the operator built from git REF beside it
#   hack/bench.sh 50 --idle-seconds=10   # the short CI mode: target/bench/benchmarks.md
#   hack/bench.sh 1000 --trace           # also split create → Job into stages (JOSDK metrics)
# The operator runs in a JVM of its own (heap and RSS are its alone), with the flags and the
# environment of the container image (the Jib entrypoint in pom.xml; for --before, that commit's
# pom.xml) under the Deployment's 512 MiB memory limit. BENCH_OPERATOR_JAVA_OPTS adds flags, e.g.
#   BENCH_OPERATOR_JAVA_OPTS='-XX:StartFlightRecording=filename=target/bench/op.jfr'
#   (with -XX:NativeMemoryTracking=summary its memory breakdown goes to target/bench/nmt-*.txt)
# The operator's JVM has the image's class path: the operator's classes and runtime dependencies
# (for --before, REF's runnable jar), plus the benchmark's driver (OperatorProcess).
# --before=REF builds REF's jar once (git archive into target/bench/before-SHA, ./mvnw package,
# offline) and runs the same harness against it, per N before this tree's operator.
# Only the plain full run (no N given, not under CI=true) writes docs/benchmarks.md; anything
# else writes target/bench/benchmarks.md, or BENCH_DOC. docs/benchmarks-notes.md (the profile's
# findings, by hand) is appended. One kube-apiserver per N and build; all offline.
set -euo pipefail
cd "$(dirname "$0")/.."

command="hack/bench.sh${*:+ $*}"
sizes=()
idle=60
trace=()
before=
for arg in "$@"; do
  case "$arg" in
    --idle-seconds=*) idle=${arg#--idle-seconds=} ;;
    --trace) trace=(--trace) ;;
    --before=*) before=${arg#--before=} ;;
    ''|*[!0-9]*) echo "usage: hack/bench.sh [N...] [--idle-seconds=S] [--trace] [--before=REF]" >&2; exit 2 ;;
    *) sizes+=("$arg") ;;
  esac
done
doc=target/bench/benchmarks.md
if [ ${#sizes[@]} -eq 0 ]; then
  sizes=(100 1000 3000)
  [ "${CI:-}" = true ] || doc=docs/benchmarks.md
fi
doc=${BENCH_DOC:-$doc}

KUBE_API_TEST_DIR=$(hack/kube-binaries/build.sh)
export KUBE_API_TEST_DIR

out=target/bench
mkdir -p "$out"
# The operator module and what it is built on; its test classpath, the last module's, wins.
./mvnw -B -q -ntp test-compile org.apache.maven.plugins:maven-dependency-plugin:3.7.0:build-classpath \
  -pl operator -am -Dmdep.includeScope=test -Dmdep.outputFile="$PWD/$out/classpath.txt"
# The runs use a copy of the classes, so that a build while they run cannot change them midway.
classes=$out/classes
rm -rf "$classes" && mkdir -p "$classes"
cp -r operator/target/classes "$classes/main" && cp -r operator/target/test-classes "$classes/test"
cp="$classes/main:$classes/test:$(cat "$out/classpath.txt")"
# The operator's own JVM gets what its image has: its classes and runtime dependencies only.
# (test-compile again, a no-op: without a phase the reactor cannot hand local-kit's classes on.)
./mvnw -B -q -ntp test-compile org.apache.maven.plugins:maven-dependency-plugin:3.7.0:build-classpath \
  -pl operator -am -Dmdep.includeScope=runtime -Dmdep.outputFile="$PWD/$out/classpath-runtime.txt"
operator_cp="$classes/main:$(cat "$out/classpath-runtime.txt")"
java -version > "$out/java-version.txt" 2>&1

before_args=()
if [ -n "$before" ]; then
  sha=$(git rev-parse --verify "$before^{commit}")
  src=$out/before-$sha
  if [ ! -f "$src/operator/target/database-migration-operator.jar" ]; then
    echo "bench: building the operator of $before ($sha) in $src" >&2
    rm -rf "$src" && mkdir -p "$src"
    git archive "$sha" | tar -x -C "$src"
    (cd "$src" && ./mvnw -B -q -ntp -o -DskipTests package -pl operator -am)
  fi
  before_args=(--label=before --operator-classpath="$src/operator/target/database-migration-operator.jar"
    --image-pom="$src/operator/pom.xml")
fi

run() {
  local n=$1 label=$2
  shift 2
  rm -f "$out/result-$label-$n.properties"
  java -cp "$cp" \
    -Dlog4j2.configurationFile=operator/src/test/resources/log4j2-bench.xml \
    -Dbench.log="$out/harness-$label-$n.log" \
    -Dcrd.dir="$classes/main/META-INF/fabric8" \
    dev.dbmigration.operator.bench.OperatorBench \
    --n="$n" --idle-seconds="$idle" --out="$out/result-$label-$n.properties" "$@"
  results+=("$out/result-$label-$n.properties")
}

results=()
for n in "${sizes[@]}"; do
  if [ ${#before_args[@]} -gt 0 ]; then
    run "$n" before "${before_args[@]}"
  fi
  run "$n" after --label=after --operator-classpath="$operator_cp" ${trace[@]+"${trace[@]}"}
done

# What a profile showed about the misses is written by hand; the report carries it along.
notes=()
[ ! -f docs/benchmarks-notes.md ] || notes=(--notes=docs/benchmarks-notes.md)
java -cp "$cp" dev.dbmigration.operator.bench.BenchReport \
  --command="$command" --java-version-file="$out/java-version.txt" --doc="$doc" \
  ${before:+--before-ref="$before ($(git rev-parse --short "$before^{commit}"))"} \
  ${notes[@]+"${notes[@]}"} "${results[@]}"
