#!/usr/bin/env bash
# Makes the cluster's PKI with openssl in $DBM_CLUSTER_DIR/pki, once: it is kept across up/down
# and remade only when the node's name or address changes. One CA signs everything (the cluster
# is throwaway and single-node); all keys are ECDSA P-256 (fast to make). Then writes the
# kubeconfigs (certificates embedded, server https://127.0.0.1:16443).
#   hack/cluster/pki.sh        (up.sh calls it)
set -euo pipefail
. "$(dirname "$0")/env.sh"

pki="$state/pki"
inputs="v3 $node_name $node_ip $api_service_ip"
mkdir -p "$pki"
chmod 0700 "$pki"

if [ "$(cat "$pki/.inputs" 2>/dev/null)" != "$inputs" ]; then
  log "making the PKI in $pki"
  rm -f "$pki"/*
  cd "$pki"
  # SEC1 ("EC PRIVATE KEY"), not PKCS#8: Java clients (fabric8, so the operator run against this
  # cluster's kubeconfig) tell an EC key from an RSA one by that header.
  newkey() { openssl ecparam -name prime256v1 -genkey -noout -out "$1.key" 2>/dev/null; }

  # newca NAME CN: a self-signed CA.
  newca() {
    newkey "$1"
    openssl req -x509 -new -key "$1.key" -subj "/CN=$2" -days 3650 -out "$1.crt" \
      -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign"
  }
  newca ca dbm-cluster-ca

  # [ca=CA] cert NAME SUBJECT USAGE [SANS]: a certificate signed by CA (default: the cluster CA);
  # USAGE is clientAuth or serverAuth.
  cert() {
    local name=$1 subject=$2 usage=$3 sans=${4:-} ca=${ca:-ca}
    newkey "$name"
    openssl req -new -key "$name.key" -subj "$subject" -out "$name.csr"
    {
      echo "basicConstraints=critical,CA:FALSE"
      echo "keyUsage=critical,digitalSignature,keyEncipherment"
      echo "extendedKeyUsage=$usage"
      [ -z "$sans" ] || echo "subjectAltName=$sans"
    } > "$name.ext"
    openssl x509 -req -in "$name.csr" -CA "$ca.crt" -CAkey "$ca.key" -set_serial "0x$(openssl rand -hex 16)" \
      -days 3650 -extfile "$name.ext" -out "$name.crt" 2>/dev/null
    rm -f "$name.csr" "$name.ext"
  }

  # The API server as pods (Service IP, node IP, kubernetes.default…) and the host (127.0.0.1) see it.
  cert apiserver "/CN=kube-apiserver" serverAuth \
    "DNS:kubernetes,DNS:kubernetes.default,DNS:kubernetes.default.svc,DNS:kubernetes.default.svc.cluster.local,DNS:localhost,DNS:$node_name,IP:127.0.0.1,IP:$api_service_ip,IP:$node_ip"
  # The API server's client certificate towards kubelets (logs, exec, port-forward).
  cert apiserver-kubelet-client "/O=system:masters/CN=kube-apiserver-kubelet-client" clientAuth
  cert admin "/O=system:masters/CN=dbm-cluster-admin" clientAuth
  cert kube-controller-manager "/CN=system:kube-controller-manager" clientAuth
  cert kube-scheduler "/CN=system:kube-scheduler" clientAuth
  cert kube-proxy "/CN=system:kube-proxy" clientAuth
  # The Node authorizer and NodeRestriction know a kubelet by exactly this name and group.
  cert kubelet "/O=system:nodes/CN=system:node:$node_name" clientAuth
  cert kubelet-server "/CN=$node_name" serverAuth "DNS:$node_name,IP:$node_ip"
  # The front proxy (aggregation layer) has its own CA, as in kubeadm: the controller-manager
  # and scheduler read it from the cluster and log an error every minute when it is missing.
  newca front-proxy-ca dbm-cluster-front-proxy-ca
  ca=front-proxy-ca cert front-proxy-client "/CN=front-proxy-client" clientAuth
  # Service-account token signing key pair.
  newkey sa
  openssl pkey -in sa.key -pubout -out sa.pub 2>/dev/null
  chmod 0600 ./*.key
  echo "$inputs" > .inputs
fi

# kubeconfig NAME: $state/NAME.kubeconfig for the client certificate pki/NAME.crt.
kubeconfig() {
  local b64="base64 -w0"
  cat > "$state/$1.kubeconfig.tmp" <<EOF
apiVersion: v1
kind: Config
clusters:
- name: dbm-cluster
  cluster:
    server: https://127.0.0.1:$api_port
    certificate-authority-data: $($b64 "$pki/ca.crt")
users:
- name: $1
  user:
    client-certificate-data: $($b64 "$pki/$1.crt")
    client-key-data: $($b64 "$pki/$1.key")
contexts:
- name: dbm-cluster
  context:
    cluster: dbm-cluster
    user: $1
current-context: dbm-cluster
EOF
  chmod 0600 "$state/$1.kubeconfig.tmp"
  mv "$state/$1.kubeconfig.tmp" "$state/$1.kubeconfig"
}
for n in admin kube-controller-manager kube-scheduler kube-proxy kubelet; do kubeconfig "$n"; done
