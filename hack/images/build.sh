#!/usr/bin/env bash
# Builds the real cluster's images with no registry and no Docker engine, each a docker-archive
# tarball cached by a hash of its inputs under ${DBM_CACHE_DIR:-~/.cache/database-migration-operator}/images:
#   pause-<hash>.tar     localhost/pause:1.0          the pod sandbox (hack/images/pause)
#   wps-api-<hash>.tar   localhost/wps-api:build-1    base + examples/alembic at /app/bootstrap,
#                                                     operator/src/test/resources/alembic-failing at
#                                                     /app/failing, alembic-gated at /app/gated;
#                                                     USER 10001:0, WORKDIR /app
#                        localhost/wps-api:build-2    build-1 + operator/src/test/resources/e2e/wps-api-build-2/*.py
#                                                     in /app/bootstrap/migrations/versions
#                        localhost/wps-api:root       build-1 without USER (runs as root)
#                        localhost/wps-api:drift      build-1 + alembic 1.13 from PyPI in /opt/alembic
#                                                     (hack/images/drift/requirements.txt, on
#                                                     PYTHONPATH and PATH): `alembic check`
#                        build-1 also holds operator/src/test/resources/alembic-heads at /app/heads,
#                        alembic-drift at /app/drift and alembic-locking at /app/locking
#   patroni-<hash>.tar   localhost/patroni:3.0.2      base + postgresql-15, patroni; USER 999
#   liquibase-<hash>.tar localhost/liquibase-billing:1 base + a jlink'd JRE of the build's JDK, the
#                                                     real Liquibase CLI (Maven Central, via the
#                                                     wrapper), operator/src/test/resources/liquibase
#                                                     at /liquibase/changelog; USER 10001:0
# The three wps-api tags share their layers, and wps-api and patroni share the base layer.
#
#   hack/images/build.sh [NAME...]            build what is missing of the images NAME (pause,
#                                             wps-api, patroni; default all); print their
#                                             tarballs, one per line
#   hack/images/build.sh --import [NAME...]   the same, then import them into the running cluster
#                                             (hack/cluster/import-image.sh; hack/cluster/up.sh
#                                             does this itself)
# Root is needed (debootstrap, chroot, overlay mount). The base takes ~5 min cold, Patroni ~2 min.
set -euo pipefail
# Steps run in $(...) too: let a failure there end the build, not mark the step done.
shopt -s inherit_errexit
cd "$(dirname "$0")/../.."
images=hack/images
cache=${DBM_CACHE_DIR:-$HOME/.cache/database-migration-operator}/images
python=/usr/bin/python3   # the system Python: its standard library is all the packer needs
import=false
[ "${1:-}" = --import ] && import=true && shift
names=("$@")
[ ${#names[@]} -gt 0 ] || names=(pause wps-api patroni liquibase)

mkdir -p "$cache"
# One build at a time per cache (two Maven runs may call this together).
exec 9>"$cache/.lock"
flock 9

# hash FILE_OR_DIR... [-- STRING...]: a short hash of the files' paths (relative to the repo) and
# contents, and of any extra strings.
hash() {
  local files=() extra=()
  while [ $# -gt 0 ] && [ "$1" != -- ]; do files+=("$1"); shift; done
  [ $# -gt 0 ] && shift && extra=("$@")
  { find "${files[@]}" -type f -not -name '*.pyc' -print0 | LC_ALL=C sort -z | xargs -0 sha256sum
    printf '%s\n' "${extra[@]}"; } | sha256sum | cut -c1-16
}

# Steps cache their output in $cache/NAME-KEY, complete once it holds .done (a step cut short is
# redone next time). step NAME KEY prints the directory and returns 0 if it still has to be built.
step() {
  local dir="$cache/$1-$2"
  echo "$dir"
  [ -f "$dir/.done" ] && return 1
  rm -rf "$dir"
  mkdir -p "$dir"
}
done_step() { touch "$1/.done"; echo "images: $(basename "$1") built in $((SECONDS - $2)) s" >&2; }

packer=$(hash $images/docker-archive.py)
layer() { "$python" $images/docker-archive.py layer "$@"; }

# archive NAME SPEC_JSON: the docker-archive $cache/NAME-<hash of spec>.tar, written unless it
# exists; prints its path.
archive() {
  local name=$1 spec=$2 key out t=$SECONDS
  key=$(printf '%s' "$spec" | sha256sum | cut -c1-16)
  out="$cache/$name-$key.tar"
  if [ ! -f "$out" ]; then
    printf '%s' "$spec" > "$cache/$name.spec.json"
    "$python" $images/docker-archive.py image "$out" "$cache/$name.spec.json"
    echo "images: $name archive written in $((SECONDS - t)) s ($(du -h "$out" | cut -f1))" >&2
  fi
  echo "$out"
}

# pause: a static Go binary, alone in its layer.
pause() {
  local dir t=$SECONDS
  if dir=$(step pause "$(hash $images/pause -- "$(go version)" "$packer")"); then
    mkdir -p "$dir/rootfs"
    (cd $images/pause && CGO_ENABLED=0 go build -trimpath -ldflags "-s -w" -o "$dir/rootfs/pause" .)
    chmod 0755 "$dir/rootfs/pause"
    chown -R 0:0 "$dir/rootfs"
    layer "$dir/rootfs" "$dir/layer.tar" --clamp-mtime
    done_step "$dir" "$t"
  fi
  archive pause "$(cat <<EOF
{"images": [{"tags": ["localhost/pause:1.0"], "layers": ["$dir/layer.tar"],
  "config": {"User": "65535:65535", "Entrypoint": ["/pause"]}}]}
EOF
)"
}

# The base root filesystem (debootstrap from the mirror apt uses here, one-line or deb822
# sources), kept as a directory for the Patroni chroot, and its layer. Sets base_key, base_rootfs
# and base_layer.
base() {
  local mirror dir t=$SECONDS
  [ -z "${base_layer:-}" ] || return 0
  mirror=$(for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list /etc/apt/sources.list.d/*.sources; do
             if [ -f "$f" ]; then grep -E '^(deb |URIs:)' "$f" || true; fi
           done | tr ' ' '\n' | grep -E '^https?://' | grep -v security | head -1 || true)
  [ -n "$mirror" ] || { echo "images: no Debian mirror found in /etc/apt/sources*" >&2; exit 1; }
  base_key=$(hash $images/base.sh -- "$mirror")
  if dir=$(step base "$base_key"); then
    $images/base.sh "$dir/rootfs" "$mirror"
    done_step "$dir" "$t"
  fi
  base_rootfs=$dir/rootfs
  t=$SECONDS
  if dir=$(step base-layer "$(hash $images/base.sh -- "$mirror" "$packer")"); then
    layer "$base_rootfs" "$dir/layer.tar"
    done_step "$dir" "$t"
  fi
  base_layer=$dir/layer.tar
}

# wps-api: the application layers are committed files, owned by root:0, every file readable
# (OpenShift's arbitrary UID is in group 0) and writable by no one but root; mtimes clamped, so the
# same commit gives the same layer digests on every machine.
wps_api() {
  local dir t=$SECONDS
  base
  if dir=$(step wps-api-layers "$(hash examples/alembic operator/src/test/resources/alembic-failing \
      operator/src/test/resources/alembic-gated operator/src/test/resources/alembic-heads \
      operator/src/test/resources/alembic-drift operator/src/test/resources/alembic-locking \
      operator/src/test/resources/e2e/wps-api-build-2 -- "$packer")"); then
    mkdir -p "$dir/app/app" "$dir/build-2/app/bootstrap/migrations/versions"
    cp -r examples/alembic "$dir/app/app/bootstrap"
    cp -r operator/src/test/resources/alembic-failing "$dir/app/app/failing"
    cp -r operator/src/test/resources/alembic-gated "$dir/app/app/gated"
    cp -r operator/src/test/resources/alembic-heads "$dir/app/app/heads"
    cp -r operator/src/test/resources/alembic-drift "$dir/app/app/drift"
    cp -r operator/src/test/resources/alembic-locking "$dir/app/app/locking"
    cp operator/src/test/resources/e2e/wps-api-build-2/*.py "$dir/build-2/app/bootstrap/migrations/versions/"
    for d in "$dir/app" "$dir/build-2"; do
      find "$d" -name __pycache__ -prune -exec rm -rf {} +
      chown -R 0:0 "$d"
      find "$d" -type d -exec chmod 0755 {} +
      find "$d" -type f -exec chmod 0644 {} +
    done
    layer "$dir/app" "$dir/app.tar" --clamp-mtime
    layer "$dir/build-2" "$dir/build-2.tar" --clamp-mtime
    done_step "$dir" "$t"
  fi
  # The drift variant's layer: a newer alembic from PyPI (pip, the package registry) beside
  # Debian's, first on PYTHONPATH and PATH. Cached by its pinned requirements.
  local drift t2=$SECONDS
  if drift=$(step wps-api-drift "$(hash $images/drift -- "$packer")"); then
    mkdir -p "$drift/layer/opt/alembic/bin"
    "$python" -m pip install --quiet --root-user-action=ignore --no-deps --no-compile --disable-pip-version-check \
      --target "$drift/layer/opt/alembic/lib" -r $images/drift/requirements.txt >&2
    cat > "$drift/layer/opt/alembic/bin/alembic" <<'PY'
#!/usr/bin/python3
import sys
from alembic.config import main
sys.exit(main())
PY
    find "$drift/layer" -name __pycache__ -prune -exec rm -rf {} +
    chown -R 0:0 "$drift/layer"
    find "$drift/layer" -type d -exec chmod 0755 {} +
    find "$drift/layer" -type f -exec chmod 0644 {} +
    chmod 0755 "$drift/layer/opt/alembic/bin/alembic"
    layer "$drift/layer" "$drift/layer.tar" --clamp-mtime
    done_step "$drift" "$t2"
  fi
  # config [USER [PATH_PREFIX PYTHONPATH]]: without USER the image runs as root (the "root" tag).
  config() {
    cat <<EOF
{"Env": ["PATH=${2:-}/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", "LANG=C.UTF-8",
         "PYTHONDONTWRITEBYTECODE=1", "PYTHONUNBUFFERED=1", "HOME=/tmp"${3:+, \"PYTHONPATH=$3\"}],
 "WorkingDir": "/app", "Cmd": ["python3", "-m", "http.server", "8080"],
 "ExposedPorts": {"8080/tcp": {}}${1:+, \"User\": \"$1\"}}
EOF
  }
  archive wps-api "$(cat <<EOF
{"images": [
 {"tags": ["localhost/wps-api:build-1"], "layers": ["$base_layer", "$dir/app.tar"],
  "config": $(config 10001:0)},
 {"tags": ["localhost/wps-api:build-2"], "layers": ["$base_layer", "$dir/app.tar", "$dir/build-2.tar"],
  "config": $(config 10001:0)},
 {"tags": ["localhost/wps-api:root"], "layers": ["$base_layer", "$dir/app.tar"],
  "config": $(config)},
 {"tags": ["localhost/wps-api:drift"], "layers": ["$base_layer", "$dir/app.tar", "$drift/layer.tar"],
  "config": $(config 10001:0 /opt/alembic/bin: /opt/alembic/lib)}]}
EOF
)"
}

# patroni: the overlay upper directory of an apt install on the base, as a layer.
patroni() {
  local dir upper t=$SECONDS
  base
  if dir=$(step patroni "$(hash $images/patroni.sh $images/patroni -- "$base_key")"); then
    $images/patroni.sh "$base_rootfs" "$dir/upper"
    done_step "$dir" "$t"
  fi
  upper=$dir/upper
  t=$SECONDS
  if dir=$(step patroni-layer "$(hash $images/patroni.sh $images/patroni -- "$base_key" "$packer")"); then
    layer "$upper" "$dir/layer.tar"
    done_step "$dir" "$t"
  fi
  archive patroni "$(cat <<EOF
{"images": [{"tags": ["localhost/patroni:3.0.2"], "layers": ["$base_layer", "$dir/layer.tar"],
  "config": {"User": "999",
             "Env": ["PATH=/usr/lib/postgresql/15/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
                     "LANG=C.UTF-8", "PGDATA=/var/lib/postgresql/data/pgdata"],
             "WorkingDir": "/var/lib/postgresql", "Cmd": ["patroni-entrypoint"],
             "ExposedPorts": {"5432/tcp": {}, "8008/tcp": {}}}}]}
EOF
)"
}

# liquibase: the Liquibase engine's real tool as a team's migration image carries it. The JRE is
# a jlink of the JDK that builds the project (the base is the same Debian), the jars come from
# Maven Central through the wrapper (offline from ~/.m2 when there), the changelog is LiquibaseIT's.
LIQUIBASE_JARS="org.liquibase:liquibase-core:4.33.0 info.picocli:picocli:4.7.7
  org.yaml:snakeyaml:2.4 com.opencsv:opencsv:5.11.2 org.apache.commons:commons-text:1.13.1
  org.apache.commons:commons-lang3:3.17.0 org.apache.commons:commons-collections4:4.5.0
  commons-io:commons-io:2.19.0 javax.xml.bind:jaxb-api:2.3.1 org.postgresql:postgresql:42.7.8"
liquibase() {
  local dir java_home t=$SECONDS
  base
  java_home=$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")
  if dir=$(step liquibase-layer "$(hash operator/src/test/resources/liquibase -- "$packer" \
      "$LIQUIBASE_JARS" "$("$java_home/bin/java" -version 2>&1)")"); then
    mkdir -p "$dir/rootfs/opt/liquibase/lib" "$dir/rootfs/usr/local/bin" "$dir/rootfs/liquibase"
    "$java_home/bin/jlink" --add-modules java.se,jdk.unsupported,jdk.crypto.ec,jdk.zipfs \
      --strip-debug --no-man-pages --no-header-files --compress=2 --output "$dir/rootfs/opt/java"
    for coordinates in $LIQUIBASE_JARS; do
      ./mvnw -q -B -ntp dependency:copy -Dartifact="$coordinates" \
        -DoutputDirectory="$dir/rootfs/opt/liquibase/lib" >&2
    done
    cat > "$dir/rootfs/usr/local/bin/liquibase" <<'SH'
#!/bin/sh
exec /opt/java/bin/java -cp '/opt/liquibase/lib/*' liquibase.integration.commandline.LiquibaseCommandLine "$@"
SH
    cp -r operator/src/test/resources/liquibase "$dir/rootfs/liquibase/changelog"
    chown -R 0:0 "$dir/rootfs"
    find "$dir/rootfs/liquibase" "$dir/rootfs/opt/liquibase" -type d -exec chmod 0755 {} +
    find "$dir/rootfs/liquibase" "$dir/rootfs/opt/liquibase" -type f -exec chmod 0644 {} +
    chmod 0755 "$dir/rootfs/usr/local/bin/liquibase"
    layer "$dir/rootfs" "$dir/layer.tar" --clamp-mtime
    done_step "$dir" "$t"
  fi
  archive liquibase "$(cat <<EOF
{"images": [{"tags": ["localhost/liquibase-billing:1"], "layers": ["$base_layer", "$dir/layer.tar"],
  "config": {"User": "10001:0",
             "Env": ["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
                     "LANG=C.UTF-8", "HOME=/tmp"],
             "WorkingDir": "/liquibase/changelog", "Cmd": ["liquibase", "--version"]}}]}
EOF
)"
}

archives=()
for name in "${names[@]}"; do
  case "$name" in
    pause) archives+=("$(pause)") ;;
    wps-api) base; archives+=("$(wps_api)") ;;
    patroni) base; archives+=("$(patroni)") ;;
    liquibase) base; archives+=("$(liquibase)") ;;
    *) echo "images: unknown image $name (pause, wps-api, patroni, liquibase)" >&2; exit 2 ;;
  esac
done
flock -u 9

if $import; then
  hack/cluster/import-image.sh "${archives[@]}"
fi
printf '%s\n' "${archives[@]}"
