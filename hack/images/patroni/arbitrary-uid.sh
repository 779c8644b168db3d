# Sourced by the entrypoints. OpenShift's restricted SCC runs the container with an arbitrary UID
# (group 0) that /etc/passwd does not know, and PostgreSQL's initdb and postgres refuse to run as
# a user they cannot look up. nss_wrapper gives that UID a passwd entry from a file in /tmp,
# without making the image's /etc/passwd writable.
if ! getent passwd "$(id -u)" >/dev/null 2>&1; then
  { grep -v '^postgres:' /etc/passwd
    echo "postgres:x:$(id -u):$(id -g):PostgreSQL administrator:/var/lib/postgresql:/bin/bash"
  } > /tmp/nss-passwd
  export NSS_WRAPPER_PASSWD=/tmp/nss-passwd NSS_WRAPPER_GROUP=/etc/group
  export LD_PRELOAD=/usr/lib/x86_64-linux-gnu/libnss_wrapper.so
fi
