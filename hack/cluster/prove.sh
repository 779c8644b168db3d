#!/usr/bin/env bash
# Proves on the running cluster (starting it if needed) what the e2e tier relies on, with timings,
# in a throwaway namespace that enforces the `restricted` Pod Security profile:
#   plain PostgreSQL leader pod (also as an arbitrary UID, as OpenShift runs it), host -> pod IP,
#   an Alembic Job (build-1 and build-2 images) and its logs, a pod calling the API with its token,
#   kubectl exec, garbage collection of an owned Job and its pod, TTL after finished,
#   runAsNonRoot refusing the root image, Pod Security refusing a non-compliant pod, and a
#   Patroni 3.0.2 cluster labelling its leader and failing over.
#   hack/cluster/prove.sh      (about 2 minutes; exits non-zero at the first failed check)
set -euo pipefail
cd "$(dirname "$0")/../.."
. hack/cluster/env.sh
hack/install-deps.sh   # psql, for the host -> pod checks
hack/cluster/up.sh >/dev/null
ns=dbm-prove
e2e=operator/src/test/resources/e2e
kc() { kubectl -n "$ns" "$@"; }
render() { hack/cluster/render.sh "$@"; }
# as_uid UID: adds runAsUser to every pod-level securityContext of the manifest on stdin
as_uid() { sed -E "s/^( *)runAsNonRoot: true$/\1runAsNonRoot: true\n\1runAsUser: $1/"; }
now() { date +%s.%N; }
since() { printf '%.1f' "$(echo "$(now) - $1" | bc)"; }
ok() { printf 'ok  %-62s %s\n' "$1" "${2:-}"; }
fail() { echo "FAIL $*" >&2; exit 1; }
poll() {  # poll SECONDS CMD...: until CMD succeeds
  local deadline=$((SECONDS + $1)); shift
  until "$@" >/dev/null 2>&1; do [ "$SECONDS" -lt "$deadline" ] || return 1; sleep 0.1; done
}
leader() { kc get pods -l "cluster-name=$1,role=master" -o jsonpath='{.items[*].metadata.name}'; }
ip_of() { kc get pod "$1" -o jsonpath='{.status.podIP}'; }
sql() { PGPASSWORD=$2 psql "host=$1 user=app dbname=app connect_timeout=5" -Atc "$3"; }

kubectl delete namespace "$ns" --ignore-not-found --wait=true >/dev/null
kubectl create namespace "$ns" >/dev/null
kubectl label namespace "$ns" pod-security.kubernetes.io/enforce=restricted >/dev/null
trap 'kubectl delete namespace "$ns" --wait=false >/dev/null 2>&1 || true' EXIT

# 1. A plain PostgreSQL labelled as a leader, as the image's user (999) and as an arbitrary UID.
t=$(now)
render $e2e/postgres-plain.yaml NAME=pg DB_NAME=app DB_USER=app DB_PASSWORD="p'w 1" | kc apply -f - >/dev/null
render $e2e/postgres-plain.yaml NAME=pgos DB_NAME=app DB_USER=app DB_PASSWORD=pw2 | as_uid 1000650000 | kc apply -f - >/dev/null
kc wait --for=condition=Ready pod/pg-0 pod/pgos-0 --timeout=90s >/dev/null || fail "PostgreSQL pods not Ready"
ok "plain PostgreSQL pods Ready (uid 999 and 1000650000)" "$(since "$t") s"
[ "$(kc get pod pgos-0 -o jsonpath='{.spec.securityContext.runAsUser}')" = 1000650000 ] || fail "runAsUser"
pg=$(ip_of pg-0) pgos=$(ip_of pgos-0)
[ "$(sql "$pg" "p'w 1" "select current_user")" = app ] || fail "host -> pod $pg"
ok "host -> pod IP $pg:5432, SCRAM login"

# 2. Alembic in a Job, from the application image, with the Job controller.
job() {  # job NAME IMAGE UID SECRET HOST ARGS: runs it to Complete
  render $e2e/alembic-job.yaml NAME="$1" IMAGE="$2" PROJECT=/app/bootstrap COMMAND="$6" SECRET="$4" DB_HOST="$5" \
    | as_uid "$3" | kc apply -f - >/dev/null
  kc wait --for=condition=Complete "job/$1" --timeout=120s >/dev/null || { kc logs "job/$1" >&2 || true; fail "job $1"; }
}
t=$(now); job up1 localhost/wps-api:build-1 10001 pg-db "$pg" '"upgrade", "head"'
kc logs job/up1 | grep -q 'Running upgrade 708192a3b4c5 -> 8192a3b4c5d6' || fail "alembic output in the Job's log"
[ "$(sql "$pg" "p'w 1" "select version_num from alembic_version")" = 8192a3b4c5d6 ] || fail "revision"
ok "Job alembic upgrade head (build-1) Complete, logs show alembic" "$(since "$t") s"
t=$(now); job up2 localhost/wps-api:build-2 1000650000 pgos-db "$pgos" '"upgrade", "head"'
[ "$(sql "$pgos" pw2 "select version_num from alembic_version; select to_regclass('station_note')" | paste -sd' ')" \
  = "9a0b1c2d3e4f station_note" ] || fail "build-2 head"
job down2 localhost/wps-api:build-2 1000650000 pgos-db "$pgos" '"downgrade", "8192a3b4c5d6"'
[ "$(sql "$pgos" pw2 "select to_regclass('station_note') is null")" = t ] || fail "build-2 downgrade"
ok "build-2 (uid 1000650000): upgrade to 9a0b1c2d3e4f and back" "$(since "$t") s"

# 3. A pod calls the API server through the kubernetes Service with its token; exec works.
t=$(now)
kc apply -f - >/dev/null <<'EOF'
apiVersion: v1
kind: Pod
metadata: {name: api}
spec:
  restartPolicy: Never
  securityContext: {runAsNonRoot: true, seccompProfile: {type: RuntimeDefault}}
  containers:
  - name: api
    image: localhost/wps-api:build-1
    imagePullPolicy: Never
    securityContext: {allowPrivilegeEscalation: false, capabilities: {drop: [ALL]}}
    command: [python3, -c, "import json, os, ssl, urllib.request as u\nsa = '/var/run/secrets/kubernetes.io/serviceaccount/'\nr = u.Request('https://%s:%s/apis/authentication.k8s.io/v1/selfsubjectreviews' % (os.environ['KUBERNETES_SERVICE_HOST'], os.environ['KUBERNETES_SERVICE_PORT']), method='POST', data=b'{\"apiVersion\":\"authentication.k8s.io/v1\",\"kind\":\"SelfSubjectReview\"}', headers={'Authorization': 'Bearer ' + open(sa + 'token').read(), 'Content-Type': 'application/json'})\nprint(json.load(u.urlopen(r, context=ssl.create_default_context(cafile=sa + 'ca.crt')))['status']['userInfo']['username'])"]
EOF
kc wait --for=jsonpath='{.status.phase}'=Succeeded pod/api --timeout=60s >/dev/null || fail "api pod"
[ "$(kc logs api)" = "system:serviceaccount:$ns:default" ] || fail "token review: $(kc logs api)"
ok "pod -> kubernetes Service (198.19.0.1:443) with its token" "$(since "$t") s"
[ "$(kc exec pg-0 -- id -u)" = 999 ] || fail "exec"
ok "kubectl exec and logs"

# 4. Garbage collection: deleting the owner removes the owned Job and its pod.
kc create configmap owner >/dev/null
uid=$(kc get configmap owner -o jsonpath='{.metadata.uid}')
kc apply -f - >/dev/null <<EOF
apiVersion: batch/v1
kind: Job
metadata:
  name: owned
  ownerReferences: [{apiVersion: v1, kind: ConfigMap, name: owner, uid: "$uid"}]
spec:
  template:
    spec:
      restartPolicy: Never
      terminationGracePeriodSeconds: 1
      securityContext: {runAsNonRoot: true, seccompProfile: {type: RuntimeDefault}}
      containers:
      - {name: sleep, image: "localhost/wps-api:build-1", imagePullPolicy: Never, command: [sleep, "600"],
         securityContext: {allowPrivilegeEscalation: false, capabilities: {drop: [ALL]}}}
EOF
kc wait --for=condition=Ready pod -l job-name=owned --timeout=60s >/dev/null || fail "owned pod"
t=$(now); kc delete configmap owner >/dev/null
poll 30 bash -c "[ -z \"\$('$api_bin/kubectl' --kubeconfig '$kubeconfig' -n $ns get job owned -o name --ignore-not-found)\" ]" || fail "GC of the Job"
gc_job=$(since "$t")
poll 60 bash -c "[ -z \"\$('$api_bin/kubectl' --kubeconfig '$kubeconfig' -n $ns get pods -l job-name=owned -o name)\" ]" || fail "GC of the pod"
ok "GC: owner deleted -> Job gone, pod gone (grace 1 s)" "$gc_job s, $(since "$t") s"

# 5. TTL after finished.
kc apply -f - >/dev/null <<'EOF'
apiVersion: batch/v1
kind: Job
metadata: {name: ttl}
spec:
  ttlSecondsAfterFinished: 2
  template:
    spec:
      restartPolicy: Never
      securityContext: {runAsNonRoot: true, seccompProfile: {type: RuntimeDefault}}
      containers:
      - {name: ok, image: "localhost/wps-api:build-1", imagePullPolicy: Never, command: ["true"],
         securityContext: {allowPrivilegeEscalation: false, capabilities: {drop: [ALL]}}}
EOF
t=$(now)
kc wait --for=condition=Complete job/ttl --timeout=60s >/dev/null || fail "ttl job"
done_at=$(since "$t"); t=$(now)
poll 30 bash -c "[ -z \"\$('$api_bin/kubectl' --kubeconfig '$kubeconfig' -n $ns get job ttl -o name --ignore-not-found)\" ]" || fail "TTL"
ok "trivial Job Complete; ttlSecondsAfterFinished 2 deletes it" "$done_at s, +$(since "$t") s"

# 6. runAsNonRoot refuses the root image; Pod Security refuses what is not restricted.
kc apply -f - >/dev/null <<'EOF'
apiVersion: v1
kind: Pod
metadata: {name: rooted}
spec:
  restartPolicy: Never
  securityContext: {runAsNonRoot: true, seccompProfile: {type: RuntimeDefault}}
  containers:
  - {name: app, image: "localhost/wps-api:root", imagePullPolicy: Never, command: ["true"],
     securityContext: {allowPrivilegeEscalation: false, capabilities: {drop: [ALL]}}}
EOF
kc wait --for=jsonpath='{.status.containerStatuses[0].state.waiting.reason}'=CreateContainerConfigError pod/rooted --timeout=30s >/dev/null \
  || fail "root image not refused"
ok "runAsNonRoot refuses localhost/wps-api:root"
if echo '{"apiVersion":"v1","kind":"Pod","metadata":{"name":"loose"},"spec":{"containers":[{"name":"a","image":"localhost/wps-api:build-1"}]}}' \
   | kc apply -f - >/dev/null 2>&1; then fail "restricted not enforced"; fi
ok "Pod Security restricted refuses a non-compliant pod"

# 7. Patroni: two members (arbitrary UID), the leader labelled role=master, failover on deletion.
t=$(now)
render $e2e/patroni-cluster.yaml NAME=wps DB_NAME=app DB_USER=app DB_PASSWORD=apw SUPERUSER_PASSWORD=spw \
  REPLICATION_PASSWORD=rpw | as_uid 1000650000 | kc apply -f - >/dev/null
poll 120 bash -c "[ -n \"\$('$api_bin/kubectl' --kubeconfig '$kubeconfig' -n $ns get pods -l cluster-name=wps,role=master -o name)\" ]" \
  || fail "no Patroni leader"
ok "Patroni leader labelled role=master" "$(since "$t") s"
kc wait --for=condition=Ready pod/wps-0 pod/wps-1 --timeout=120s >/dev/null || fail "Patroni members Ready"
ok "both Patroni members Ready" "$(since "$t") s"
old=$(leader wps)
[ "$(sql "$(ip_of "$old")" apw "select pg_is_in_recovery()")" = f ] || fail "leader writable"
t=$(now); kc delete pod "$old" --wait=false >/dev/null
poll 60 bash -c "l=\$('$api_bin/kubectl' --kubeconfig '$kubeconfig' -n $ns get pods -l cluster-name=wps,role=master -o jsonpath='{.items[*].metadata.name}'); [ -n \"\$l\" ] && [ \"\$l\" != $old ]" \
  || fail "no failover"
new=$(leader wps)
ok "leader $old deleted -> $new promoted and labelled master" "$(since "$t") s"
[ "$(sql "$(ip_of "$new")" apw "select pg_is_in_recovery()")" = f ] || fail "new leader writable"
poll 120 bash -c "[ \"\$('$api_bin/kubectl' --kubeconfig '$kubeconfig' -n $ns get pod $old -o jsonpath='{.metadata.labels.role}')\" = replica ]" \
  || fail "$old did not rejoin"
kc wait --for=condition=Ready "pod/$old" --timeout=60s >/dev/null || fail "$old not Ready"
ok "$old back as a Ready replica" "$(since "$t") s"
echo "all checks passed"
