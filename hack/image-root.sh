#!/usr/bin/env bash
# Assembles the container image's base filesystem under operator/target/image-root, for Jib to put on a
# `scratch` base (no registry is reachable, so there is no base image to pull): a jlinked Java 17
# runtime, the shared libraries it needs copied from this (Debian 12, glibc, x86-64) host, a
# non-root user, /tmp and CA certificates. Jib adds the application itself. Run by
# `./mvnw package -Pimage` after the shade plugin (jdeps reads the shaded jar); idempotent
# (rebuilds the directory from scratch every time).
#   hack/image-root.sh [JAR] [OUT_DIR]
set -euo pipefail
cd "$(dirname "$0")/.."

jar=${1:-operator/target/database-migration-operator.jar}
root=${2:-operator/target/image-root}

# The runtime is made from a JDK 17 (the jar's release), not whatever JDK happens to run Maven:
# $JAVA_HOME if it is a 17, else the jlink on PATH, else the host's /usr/lib/jvm/*17*.
java_home=
for candidate in "${JAVA_HOME:-}" \
    "$(dirname "$(dirname "$(readlink -f "$(command -v jlink || echo /nonexistent/bin/jlink)")")")" \
    /usr/lib/jvm/*17*; do
  if [ -n "$candidate" ] && [ -x "$candidate/bin/jlink" ] \
      && grep -q '^JAVA_VERSION="17' "$candidate/release" 2>/dev/null; then
    java_home=$candidate
    break
  fi
done
[ -n "$java_home" ] || { echo "image-root: no JDK 17 with jlink found (set JAVA_HOME)" >&2; exit 1; }
[ -d "$java_home/jmods" ] || { echo "image-root: $java_home has no jmods (Debian: openjdk-17-jmods)" >&2; exit 1; }
[ -f "$jar" ] || { echo "image-root: $jar not found; run the package phase first" >&2; exit 1; }

rm -rf "$root"
mkdir -p "$root"

# 1. The Java runtime: what jdeps finds in the jar, plus what it cannot see (service providers and
#    reflection): TLS elliptic curves for the API server, the health server's com.sun.net.httpserver
#    and JDBC.
found=$("$java_home/bin/jdeps" --print-module-deps --ignore-missing-deps --multi-release 17 "$jar")
modules=$(echo "$found,jdk.crypto.ec,jdk.httpserver,java.sql" | tr , '\n' | sort -u | paste -sd,)
echo "image-root: jlink --add-modules $modules" >&2
# java.desktop is there only for the java.beans classes (Jackson, log4j, commons-lang); its native
# AWT/sound/font libraries would drag X11, ALSA, FreeType and GLib into the image, so they stay out.
"$java_home/bin/jlink" --add-modules "$modules" \
  --exclude-files='/java.desktop/**.so' \
  --strip-debug --no-header-files --no-man-pages --compress=2 \
  --output "$root/opt/java"
# The JVM's own trust store, from the host's ca-certificates (Debian's jmod may ship an empty one).
if [ -f /etc/ssl/certs/java/cacerts ]; then
  cp /etc/ssl/certs/java/cacerts "$root/opt/java/lib/security/cacerts"
fi

# Class-data sharing: the archive of the JDK's own classes that a JDK ships and jlink leaves out.
# The JVM maps it at start instead of loading and verifying those classes one by one; hack/bench.sh
# measures the host's JDK, which has it too. Dumped by the runtime itself, from the class list
# jlink kept.
"$root/opt/java/bin/java" -Xshare:dump -Xlog:cds=off -Xlog:cds+dynamic=off > /dev/null

# 2. The shared libraries the runtime links against, at the paths the host's loader found them, and
#    the loader itself (/lib64/ld-linux-x86-64.so.2, the executables' PT_INTERP). Libraries inside
#    the runtime itself resolve through its $ORIGIN run paths.
libs=$(find "$root/opt/java" -type f \( -name '*.so' -o -path '*/bin/*' -o -name jspawnhelper \) \
  -exec ldd {} \; 2>/dev/null \
  | awk '$2 == "=>" && $3 ~ /^\// { print $3 } $1 ~ /^\// { print $1 }' \
  | grep -v "^$(readlink -f "$root")" | sort -u)
# glibc loads libgcc_s at run time (thread cancellation/unwinding) without a DT_NEEDED entry.
for extra in /lib/x86_64-linux-gnu/libgcc_s.so.1; do
  if [ -e "$extra" ]; then libs=$(printf '%s\n%s\n' "$libs" "$extra" | sort -u); fi
done
for lib in $libs; do
  case "$lib" in "$root"/*|*/opt/java/*) continue ;; esac
  mkdir -p "$root$(dirname "$lib")"
  cp -L "$lib" "$root$lib"
done

# 3. A non-root user (uid/gid 65532: runAsNonRoot can only check a numeric user; OpenShift replaces
#    it with the namespace's UID, which the image copes with as every file is world-readable),
#    name resolution from files, /tmp (an emptyDir in the Deployment) and the CA bundle.
mkdir -p "$root/etc/ssl/certs" "$root/tmp"
cat > "$root/etc/passwd" <<'EOF'
root:x:0:0:root:/root:/sbin/nologin
operator:x:65532:65532:operator:/tmp:/sbin/nologin
EOF
cat > "$root/etc/group" <<'EOF'
root:x:0:
operator:x:65532:
EOF
echo 'hosts: files dns' > "$root/etc/nsswitch.conf"
cp /etc/ssl/certs/ca-certificates.crt "$root/etc/ssl/certs/ca-certificates.crt"

# 4. The C.UTF-8 locale (400 KB, from libc-bin) that the image's LANG names: glibc builds in only
#    C/POSIX, and the JVM would then encode file names and its output in ASCII.
mkdir -p "$root/usr/lib/locale"
cp -r /usr/lib/locale/C.utf8 "$root/usr/lib/locale/C.utf8"

echo "image-root: $(du -sh "$root" | cut -f1) in $root" >&2
