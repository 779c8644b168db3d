#!/usr/bin/env bash
# Installs the Debian packages the test tiers run for real: PostgreSQL 15, alembic and psycopg2.
# Only what is missing is installed, so a warm machine spends a dpkg query on this.
set -euo pipefail

packages=(postgresql-15 postgresql-client-15 alembic python3-psycopg2)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

echo "installing ${missing[*]}" >&2
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
