#!/usr/bin/env bash
# Fills the ${VAR} placeholders of a manifest template (operator/src/test/resources/e2e/*.yaml) from
# VAR=VALUE arguments and prints the result; a placeholder left without a value is an error.
# For trying the manifests by hand; the Java tests substitute them themselves.
#   hack/cluster/render.sh operator/src/test/resources/e2e/postgres-plain.yaml NAME=pg DB_NAME=app ... | kubectl apply -f -
set -euo pipefail
template=$1
shift
exec /usr/bin/python3 - "$template" "$@" <<'PY'
import re, sys
text = open(sys.argv[1]).read()
values = dict(arg.split("=", 1) for arg in sys.argv[2:])
# the header comments name the placeholders too: substitute only outside comment lines
def fill(line):
    if line.lstrip().startswith("#"):
        return line
    def value(m):
        if m.group(1) not in values:
            sys.exit(f"render: no value for ${{{m.group(1)}}}")
        return values[m.group(1)]
    return re.sub(r"\$\{([A-Z_]+)\}", value, line)
sys.stdout.write("".join(fill(l) for l in text.splitlines(keepends=True)))
PY
