#!/usr/bin/env bash
# Makes the certificates of a TLS cluster: one cluster CA, and per node a certificate issued by it.
#
#   scripts/make-certs.sh OUT_DIR NODE...        e.g.  scripts/make-certs.sh certs node1 node2 node3 node4
#
# Writes, in OUT_DIR:
#   ca.crt      the cluster CA's certificate (PEM): every node gets it as COORDINATOR_TLS_CA
#   ca.key      the CA's private key: only needed to issue more certificates; keep it off the nodes
#   NODE.pfx    a node's certificate and private key (PKCS#12): that node's COORDINATOR_TLS_CERT
# The .pfx files are protected with $COORDINATOR_TLS_PASSWORD (empty if unset) and made readable by
# their owner only. An existing CA in OUT_DIR is reused, so running it again with a new node name adds
# a node to the same cluster; an existing NODE.pfx is kept. Delete OUT_DIR to start a new CA.
#
# Trust: a node accepts a peer only if the peer's certificate chains to ca.crt (mutual: both ends of
# every connection check). Host names are not checked; the subject alternative names are informative.
set -euo pipefail

if [ $# -lt 2 ]; then
  echo "usage: $0 OUT_DIR NODE..." >&2
  exit 2
fi
command -v openssl >/dev/null || { echo "error: openssl is not installed (apt-get install -y openssl)" >&2; exit 2; }

out=$1
shift
days=${COORDINATOR_CERT_DAYS:-825}
password=${COORDINATOR_TLS_PASSWORD:-}
mkdir -p "$out"
umask 077

if [ ! -f "$out/ca.key" ] || [ ! -f "$out/ca.crt" ]; then
  openssl ecparam -name prime256v1 -genkey -noout -out "$out/ca.key"
  openssl req -x509 -new -key "$out/ca.key" -sha256 -days "$days" -out "$out/ca.crt" \
    -subj "/O=Coordinator/CN=Coordinator cluster CA $(date -u +%Y%m%d%H%M%S)-$RANDOM" \
    -addext "basicConstraints=critical,CA:TRUE,pathlen:0" \
    -addext "keyUsage=critical,keyCertSign,cRLSign"
  chmod 644 "$out/ca.crt"
  echo "made the cluster CA: $out/ca.crt"
fi

for node in "$@"; do
  if ! [[ $node =~ ^[A-Za-z0-9.-]+$ ]]; then
    echo "error: node name '$node': use letters, digits, dots and dashes (it becomes the certificate's name)" >&2
    exit 2
  fi
  if [ -f "$out/$node.pfx" ]; then
    echo "kept $out/$node.pfx"
    continue
  fi
  work=$(mktemp -d)
  san="DNS:$node"
  if [[ $node =~ ^[0-9.]+$ ]]; then san="IP:$node"; fi
  cat > "$work/ext.cnf" <<CNF
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature
extendedKeyUsage = serverAuth, clientAuth
subjectAltName = $san, DNS:localhost, IP:127.0.0.1
CNF
  openssl ecparam -name prime256v1 -genkey -noout -out "$work/node.key"
  openssl req -new -key "$work/node.key" -subj "/O=Coordinator/CN=$node" -out "$work/node.csr"
  openssl x509 -req -in "$work/node.csr" -CA "$out/ca.crt" -CAkey "$out/ca.key" -CAcreateserial \
    -days "$days" -sha256 -extfile "$work/ext.cnf" -out "$work/node.crt" 2>/dev/null
  openssl pkcs12 -export -inkey "$work/node.key" -in "$work/node.crt" -certfile "$out/ca.crt" \
    -name "$node" -keypbe AES-256-CBC -certpbe AES-256-CBC -macalg sha256 \
    -passout "pass:$password" -out "$out/$node.pfx"
  rm -rf "$work"
  echo "made $out/$node.pfx (CN=$node)"
done
rm -f "$out/ca.srl"
