#!/usr/bin/env bash
# tests/cluster/smoke.sh
#
# Proves that the cluster of scripts/local-cluster is a real one. Needs it up
# (`scripts/local-cluster up`) and the Docker Engine (for scripts/make-test-image,
# which pushes gardensync-test/busybox to the cluster's registry). In a
# namespace of its own, deleted at the end:
#   - the node's containerd first forgets <registry>/gardensync-test/busybox:1,
#     so the kubelet must pull it from the loopback registry (checked in the
#     pod's events and in containerd's image list);
#   - a Deployment of that image (imagePullPolicy IfNotPresent) rolls out;
#   - `kubectl logs` shows what the container printed;
#   - `kubectl exec -i` carries stdin and stdout both ways (a short string,
#     a file written through stdin and read back, 1 MiB of random bytes) and
#     the command's exit code;
#   - deleting the pod makes the ReplicaSet start a new one with another name.
# Exit 0 when everything holds; otherwise non-zero with the failed check.
set -euo pipefail

ROOT=$(cd "$(dirname -- "${BASH_SOURCE[0]}")/../.." && pwd -P)
LC=$ROOT/scripts/local-cluster
NS=gardensync-smoke
APP=smoke
TIMEOUT=120s

log() { printf 'smoke: %s\n' "$*" >&2; }
fail() { printf 'smoke: FAIL: %s\n' "$*" >&2; exit 1; }
pass() { printf 'smoke: ok: %s\n' "$*" >&2; }

status=$("$LC" status 2>&1) || fail "the cluster is not up (run scripts/local-cluster up):
$status"
KUBECONFIG=$("$LC" kubeconfig) || fail "scripts/local-cluster kubeconfig failed"
export KUBECONFIG
REGISTRY=$("$LC" registry) || fail "scripts/local-cluster registry failed"
KUBECTL=$("$ROOT/scripts/build-kubernetes")/kubectl || fail "scripts/build-kubernetes failed"
SOCK=$(awk -F': +' '$1 == "containerd socket" { print $2 }' <<<"$status")
[[ -S "$SOCK" ]] || fail "no containerd socket in 'local-cluster status' output"
IMAGE=$REGISTRY/gardensync-test/busybox:1
k() { "$KUBECTL" --request-timeout=30s "$@"; }
kn() { k -n "$NS" "$@"; }

WORK=$(mktemp -d "${TMPDIR:-/tmp}/gardensync-smoke.XXXXXX")
cleanup() {
    rm -rf -- "$WORK"
    k delete namespace "$NS" --ignore-not-found --wait=true --timeout=90s >/dev/null 2>&1 ||
        log "warning: could not delete namespace $NS"
}
trap cleanup EXIT

log "pushing the test image to $REGISTRY (scripts/make-test-image)..."
"$ROOT/scripts/make-test-image" || fail "scripts/make-test-image failed"
curl -fsS -o /dev/null --max-time 5 \
    -H 'Accept: application/vnd.docker.distribution.manifest.v2+json' \
    -H 'Accept: application/vnd.oci.image.manifest.v1+json' \
    "http://$REGISTRY/v2/gardensync-test/busybox/manifests/1" ||
    fail "the registry $REGISTRY has no gardensync-test/busybox:1 after make-test-image"
pass "registry $REGISTRY serves gardensync-test/busybox:1"

ctr_k8s() { ctr --address "$SOCK" -n k8s.io "$@"; }
k delete namespace "$NS" --ignore-not-found --wait=true --timeout=90s >/dev/null
if [[ -n "$(ctr_k8s images ls -q "name==$IMAGE")" ]]; then
    ctr_k8s images rm "$IMAGE" >/dev/null || fail "could not remove $IMAGE from the node's containerd"
fi
[[ -z "$(ctr_k8s images ls -q "name==$IMAGE")" ]] || fail "$IMAGE is still in the node's containerd"

k create namespace "$NS" >/dev/null
cat >"$WORK/deployment.yaml" <<YAML
apiVersion: apps/v1
kind: Deployment
metadata:
  name: $APP
  namespace: $NS
spec:
  replicas: 1
  selector:
    matchLabels: {app: $APP}
  template:
    metadata:
      labels: {app: $APP}
    spec:
      terminationGracePeriodSeconds: 1
      containers:
      - name: main
        image: $IMAGE
        imagePullPolicy: IfNotPresent
        command: ["sh", "-c", "echo started; exec sleep 100000"]
YAML
k apply -f "$WORK/deployment.yaml" >/dev/null
kn rollout status "deployment/$APP" --timeout="$TIMEOUT" >&2 ||
    { kn describe pods >&2 || true; fail "deployment/$APP did not roll out within $TIMEOUT"; }
pass "deployment rolled out"

pod_names() { kn get pods -l "app=$APP" --field-selector=status.phase=Running -o 'jsonpath={range .items[*]}{.metadata.name}{"\n"}{end}'; }
POD=$(pod_names)
[[ -n "$POD" && "$POD" != *$'\n'* ]] || fail "expected one Running pod, found: '${POD}'"

# The image came from the registry: a pull event, and containerd has it now.
events=$(kn get events --field-selector "involvedObject.name=$POD" -o 'jsonpath={range .items[*]}{.reason}: {.message}{"\n"}{end}')
grep -q "^Pulled: Successfully pulled image \"$IMAGE\"" <<<"$events" ||
    fail "pod $POD has no 'Successfully pulled image \"$IMAGE\"' event; events:
$events"
[[ -n "$(ctr_k8s images ls -q "name==$IMAGE")" ]] || fail "$IMAGE is not in the node's containerd after the pull"
pass "kubelet pulled $IMAGE from the registry ($(grep '^Pulled:' <<<"$events" | head -n1))"

logs=$(kn logs "$POD")
[[ "$logs" == started ]] || fail "kubectl logs printed '$logs', expected 'started'"
pass "kubectl logs shows 'started'"

out=$(printf 'hello' | kn exec -i "$POD" -- cat)
[[ "$out" == hello ]] || fail "printf hello | kubectl exec -i cat printed '$out'"
pass "kubectl exec -i: stdin to stdout"

# containerd's exec stream can drop a short stdin that arrives before the command reads it (a few
# percent of tries here): gardensync's agent copy checks the size and tries again, and so does
# this check; three empty copies in a row mean stdin does not reach the container at all.
out=""
for _ in 1 2 3; do
  printf 'line one\nline two\n' | kn exec -i "$POD" -- sh -c 'cat >/tmp/from-stdin.txt'
  out=$(kn exec "$POD" -- cat /tmp/from-stdin.txt)
  [[ "$out" == $'line one\nline two' ]] && break
done
[[ "$out" == $'line one\nline two' ]] || fail "a file written through stdin read back as '$out' three times"
pass "kubectl exec -i: file written through stdin reads back"

head -c 1048576 /dev/urandom >"$WORK/random.bin"
want=$(sha256sum <"$WORK/random.bin" | cut -d' ' -f1)
got=$(kn exec -i "$POD" -- cat <"$WORK/random.bin" | sha256sum | cut -d' ' -f1)
[[ "$got" == "$want" ]] || fail "1 MiB through 'kubectl exec -i cat' came back changed"
got=$(kn exec -i "$POD" -- sha256sum <"$WORK/random.bin" | cut -d' ' -f1)
[[ "$got" == "$want" ]] || fail "sha256sum in the pod of 1 MiB sent through stdin differs"
pass "kubectl exec -i: 1 MiB of random bytes both ways"

rc=0
kn exec "$POD" -- sh -c 'exit 7' || rc=$?
[[ $rc -eq 7 ]] || fail "kubectl exec of 'exit 7' returned $rc"
pass "kubectl exec returns the command's exit code"

kn delete pod "$POD" --wait=true --timeout=60s >/dev/null || fail "could not delete pod $POD"
deadline=$((SECONDS + 120))
NEW=""
while ((SECONDS < deadline)); do
    NEW=$(pod_names | grep -vx -- "$POD" | head -n1 || true)
    if [[ -n "$NEW" ]] && kn wait --for=condition=Ready "pod/$NEW" --timeout=5s >/dev/null 2>&1; then break; fi
    NEW=""
    sleep 1
done
[[ -n "$NEW" ]] || { kn get pods -o wide >&2 || true; fail "no new Running pod replaced $POD within 120s"; }
out=$(printf 'again' | kn exec -i "$NEW" -- cat)
[[ "$out" == again ]] || fail "exec in the replacement pod printed '$out'"
pass "deleted pod $POD was replaced by $NEW (Running, Ready)"

printf 'smoke: PASS (cluster is real: image pull, rollout, logs, exec stdin/stdout, pod replacement)\n' >&2
