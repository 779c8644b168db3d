#!/usr/bin/env bash
# Prints the last lines of each cluster component's log (default 40), for a failed test run.
#   hack/cluster/logs.sh [LINES]
set -euo pipefail
. "$(dirname "$0")/env.sh"
lines=${1:-40}
for log in "$state"/logs/*.log; do
  [ -f "$log" ] || continue
  echo "===== $log (last $lines lines)"
  tail -n "$lines" "$log"
done
