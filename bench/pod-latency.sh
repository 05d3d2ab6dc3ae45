#!/usr/bin/env bash
# bench/pod-latency.sh — write-to-visible latency between a local folder and a Kubernetes pod, both
# ways, and idle CPU, for a two-way-safe sync of a 5,000-file tree into a pod of the local cluster
# (scripts/local-cluster), in the same run:
#
#   gardensync          a temp project deployed with `gardensync deploy --sync=* --detach`: its
#                       watcher watches the local folder, and its helper in the pod the pod's
#   gardensync-nowatch  the same project under another name, deployed with GARDENSYNC_WATCHER=off:
#                       the same Mutagen sessions through the same kubectl exec transport, left to
#                       Mutagen's own change detection (10 s rescans on Linux). That is how Garden
#                       syncs into pods; raw Mutagen has no Kubernetes transport of its own.
#
# to-pod: a local edit, seen by a probe already running in the pod (`kubectl exec -i`, started and
# ready before the write, checking every 5 ms). to-local: an edit written by a shell already
# running in the pod, seen locally (checked every 5 ms). Cold edits go to a file nobody touched
# since the tree was synced, after a random pause; hot edits write it again right after. Idle CPU
# covers each variant's Mutagen daemon and watcher with everything they started (kubectl, the
# transport) and every process in its pod (Mutagen's agent, the helper). It reports p50/p95/max
# and the ratios gardensync / gardensync-nowatch, writes bench/results/<UTC time>-pod-latency.json
# and .md, and never passes or fails on timing.
#
# Needs the local cluster up (`scripts/local-cluster up`) and the test image in its registry
# (`scripts/make-test-image`); ./dev bench does both.
#
# Environment: BENCH_EDITS (10 per kind, direction and variant), BENCH_JITTER_MS (10000),
# BENCH_IDLE_S (30), BENCH_SEED, BENCH_MIRROR_DIR (~/.cache/gardensync-dev/mirror).
set -euo pipefail

EDITS=${BENCH_EDITS:-10}
JITTER_MS=${BENCH_JITTER_MS:-10000}
IDLE_S=${BENCH_IDLE_S:-30}
DIRS=50
FILES_PER_DIR=100
TIMEOUT_S=30
TARGET=/app/src
MODE=two-way-safe
REPO=$(cd "$(dirname -- "$0")/.." && pwd -P)
# shellcheck source=bench/lib.sh
. "$REPO/bench/lib.sh"
bench_edit_settings

for tool in kubectl timeout flock awk sort mktemp; do
    command -v "$tool" >/dev/null 2>&1 || die "required tool '$tool' not found on PATH (./dev bench puts the cluster's kubectl there)"
done
[[ -x "$GS_BIN" ]] || die "$GS_BIN not found; build it with: ./dev build"
[[ -s "$MIRROR_DIR/SHA256SUMS" ]] || die "no Mutagen mirror in $MIRROR_DIR (./dev bench prepares it)"
"$REPO/scripts/local-cluster" status >/dev/null 2>&1 || die "the local cluster is not up: scripts/local-cluster up"
KUBECONFIG_FILE=$("$REPO/scripts/local-cluster" kubeconfig)
REGISTRY=$("$REPO/scripts/local-cluster" registry)
IMAGE=$REGISTRY/gardensync-test/busybox:1
k() { timeout 60 kubectl --kubeconfig "$KUBECONFIG_FILE" --context gardensync-local "$@" </dev/null; }

exec 8>"${TMPDIR:-/tmp}/gardensync-bench-pod-latency.lock"
flock -n 8 || die "another bench/pod-latency.sh run is in progress"

WORK=$(mktemp -d "${TMPDIR:-/tmp}/gsp.XXXXXX")
GS_HOME=$WORK/home
GS_CACHE=$WORK/cache
mkdir -p "$GS_HOME" "$GS_CACHE"
VARIANTS=(gs nowatch)
declare -A PROJECT=([gs]=bench-pod-watch [nowatch]=bench-pod-nowatch) DEPLOYED=([gs]=0 [nowatch]=0)
label() { case $1 in gs) echo gardensync ;; nowatch) echo gardensync-nowatch ;; esac; }
root_of() { echo "$WORK/${PROJECT[$1]}"; }

# gsv VARIANT SECONDS ARGS...: gardensync on the variant's project, the watcher off for nowatch.
gsv() {
    local v=$1; shift
    local watcher=""
    if [[ $v == nowatch ]]; then watcher=off; fi
    GS_PROJECT=$(root_of "$v") GS_WATCHER=$watcher gs "$@"
}

cleanup() {
    local rc=$?
    trap - EXIT INT TERM
    set +e
    log "cleaning up"
    local v
    for v in "${VARIANTS[@]}"; do
        if [[ ${DEPLOYED[$v]} -eq 1 ]]; then
            {
                gsv "$v" 180 --yes cleanup deploy
                gsv "$v" 60 util mutagen daemon stop
                k delete namespace "${PROJECT[$v]}" --wait=false
            } >>"$WORK/cleanup.log" 2>&1
        fi
    done
    bench_cleanup_end "$rc"
}
bench_trap_cleanup

write_project() { # write_project VARIANT
    local root
    root=$(root_of "$1")
    mkdir -p "$root"
    cat >"$root/project.garden.yml" <<EOF
apiVersion: garden.io/v2
kind: Project
name: ${PROJECT[$1]}
environments:
  - name: local
providers:
  - name: kubernetes
    kubeconfig: $KUBECONFIG_FILE
    context: gardensync-local
EOF
    cat >"$root/garden.yml" <<EOF
kind: Deploy
type: kubernetes
name: app
spec:
  defaultTarget: {kind: Deployment, name: app}
  manifests:
    - apiVersion: apps/v1
      kind: Deployment
      metadata: {name: app}
      spec:
        replicas: 1
        selector: {matchLabels: {app: app}}
        template:
          metadata: {labels: {app: app}}
          spec:
            terminationGracePeriodSeconds: 2
            containers:
              - name: app
                image: $IMAGE
                imagePullPolicy: IfNotPresent
                command: [sh, -c, "trap 'exit 0' TERM; while true; do sleep 1; done"]
  sync:
    paths:
      - containerPath: $TARGET
        sourcePath: src
        mode: $MODE
EOF
    local d f
    for ((d = 0; d < DIRS; d++)); do
        mkdir -p "$root/src/d$d"
        for ((f = 0; f < FILES_PER_DIR; f++)); do printf 'initial %d %d\n' "$d" "$f" >"$root/src/d$d/f$f.txt"; done
    done
}

for v in "${VARIANTS[@]}"; do
    log "writing and deploying ${PROJECT[$v]} ($((DIRS * FILES_PER_DIR)) files, $(label "$v"))"
    write_project "$v"
    DEPLOYED[$v]=1
    gsv "$v" 900 --yes deploy --sync='*' --detach >"$WORK/$v-deploy.log" 2>&1 ||
        { sed 's/^/  gardensync: /' "$WORK/$v-deploy.log" >&2; die "gardensync deploy ($(label "$v")) failed"; }
done
MUTAGEN=$(bench_mutagen_of "$(root_of gs)/.garden/mutagen/latest/mutagen.sh")
MUTAGEN_VERSION=$(env HOME="$GS_HOME" timeout 30 "$MUTAGEN" version 2>/dev/null || echo unknown)
declare -A POD DATA
for v in "${VARIANTS[@]}"; do
    POD[$v]=$(k get pods --namespace "${PROJECT[$v]}" -l app=app -o jsonpath='{.items[0].metadata.name}')
    DATA[$v]=$(cd "$(root_of "$v")/.garden/mutagen/latest" && pwd -P)
    n=$(k exec --namespace "${PROJECT[$v]}" "${POD[$v]}" -- sh -c "find $TARGET -type f | wc -l")
    [[ "${n//[^0-9]/}" -eq $((DIRS * FILES_PER_DIR)) ]] || die "${POD[$v]} holds $n files after the initial sync"
done
if [[ ! -s "${DATA[gs]}/gardensync-watcher" ]]; then die "gardensync's watcher does not run"; fi
if [[ -s "${DATA[nowatch]}/gardensync-watcher" ]]; then die "GARDENSYNC_WATCHER=off still started a watcher"; fi
# The helper must watch the pod before the first edit, or the first edits measure its start-up.
for ((i = 0; i < 600; i++)); do grep -qF ":$TARGET: watching its changes" "${DATA[gs]}/watcher.log" 2>/dev/null && break; sleep 0.1; done
grep -qF ":$TARGET: watching its changes" "${DATA[gs]}/watcher.log" ||
    { sed 's/^/  watcher: /' "${DATA[gs]}/watcher.log" >&2; die "the helper in the pod did not start"; }

# in_pod V ARGS...: `kubectl exec -i` into the variant's pod (kept running: stdin is the caller's).
in_pod() {
    local v=$1; shift
    timeout $((TIMEOUT_S + 10)) kubectl --kubeconfig "$KUBECONFIG_FILE" --context gardensync-local exec -i \
        --namespace "${PROJECT[$v]}" "${POD[$v]}" -- "$@"
}

# to_pod V FILE and to_local V FILE: one latency of an edit of FILE (relative to src) each way (lib.sh).
to_pod() { bench_measure_to_target in_pod "$1" "$(root_of "$1")/src/$2" "$TARGET/$2"; }
to_local() { bench_measure_to_local in_pod "$1" "$(root_of "$1")/src/$2" "$TARGET/$2"; }

declare -A SAMPLES TIMEOUTS
for dir in to-pod to-local; do
    for v in "${VARIANTS[@]}"; do SAMPLES[$dir:cold:$v]=""; SAMPLES[$dir:hot:$v]=""; TIMEOUTS[$dir:$v]=0; done
done
log "measuring $EDITS cold and $EDITS hot edits per direction and variant (random pause 0..${JITTER_MS} ms before cold edits)"
for ((round = 0; round < EDITS; round++)); do
    for dir in to-pod to-local; do
        # A different folder and file every round and direction: never touched since the initial sync.
        offset=$([[ $dir == to-pod ]] && echo 0 || echo 25)
        rel=d$(( (round * 7 + offset) % DIRS ))/f$(( (round * 13 + offset) % FILES_PER_DIR )).txt
        for v in $( ((round % 2 == 0)) && echo "gs nowatch" || echo "nowatch gs"); do
            measure=${dir//-/_} key=$dir:$v
            bench_random_pause
            "$measure" "$v" "$rel"
            SAMPLES[$dir:cold:$v]+="$LAT "; TIMEOUTS[$key]=$(( ${TIMEOUTS[$key]} + TIMED_OUT )); cold=$LAT
            "$measure" "$v" "$rel"
            SAMPLES[$dir:hot:$v]+="$LAT "; TIMEOUTS[$key]=$(( ${TIMEOUTS[$key]} + TIMED_OUT ))
            printf '  round %2d %-8s %-18s %-12s cold %6d ms  hot %6d ms\n' "$((round + 1))" "$dir" "$(label "$v")" "$rel" "$cold" "$LAT" >&2
        done
    done
done

# --- idle CPU ---------------------------------------------------------------------------------
# The processes of a variant: its daemon and watcher (with what they started: the transport's
# kubectl), and every process in its pod's containers (found by container id in their cgroup).
roots_of() {
    local v=$1 roots="" id pid
    roots+=" $(sed -n 's/^pid=//p' "${DATA[$v]}/gardensync-daemon" 2>/dev/null)"
    roots+=" $(sed -n 's/^pid=//p' "${DATA[$v]}/gardensync-watcher" 2>/dev/null)"
    for id in $(k get pod --namespace "${PROJECT[$v]}" "${POD[$v]}" -o jsonpath='{.status.containerStatuses[*].containerID}'); do
        id=${id#*://}
        for pid in /proc/[0-9]*; do
            grep -q -- "$id" "$pid/cgroup" 2>/dev/null && roots+=" ${pid#/proc/}"
        done
    done
    echo "$roots"
}
declare -A CPU_MS ROOTS TICKS0
if [[ $IDLE_S -gt 0 ]]; then
    log "measuring idle CPU over ${IDLE_S} s"
    HZ=$(getconf CLK_TCK)
    for v in "${VARIANTS[@]}"; do ROOTS[$v]=$(roots_of "$v"); done
    variant_ticks() { local roots; read -r -a roots <<<"${ROOTS[$1]}"; bench_tree_ticks "${roots[@]}"; }
    for v in "${VARIANTS[@]}"; do TICKS0[$v]=$(variant_ticks "$v"); done
    sleep "$IDLE_S"
    for v in "${VARIANTS[@]}"; do CPU_MS[$v]=$(( ($(variant_ticks "$v") - TICKS0[$v]) * 1000 / HZ )); done
else
    for v in "${VARIANTS[@]}"; do CPU_MS[$v]=-; done
fi

# --- report -----------------------------------------------------------------------------------
declare -A P50 P95 PMAX
for key in "${!SAMPLES[@]}"; do read -r "P50[$key]" "P95[$key]" "PMAX[$key]" <<<"$(bench_stats "${SAMPLES[$key]}")"; done
mkdir -p "$RESULTS_DIR"
STAMP=$(date -u +%Y-%m-%dT%H%M%SZ)
JSON=$RESULTS_DIR/$STAMP-pod-latency.json
MD=$RESULTS_DIR/$STAMP-pod-latency.md
HOST="$(uname -sr), $(nproc) CPUs, $(awk -F': ' '/model name/ { print $2; exit }' /proc/cpuinfo 2>/dev/null), Kubernetes $(k version -o json 2>/dev/null | awk -F'"' '/gitVersion/ { v = $4 } END { print v }')"
{
    echo "### Edits between a local folder and a Kubernetes pod ($((DIRS * FILES_PER_DIR))-file tree, $MODE, Mutagen $MUTAGEN_VERSION)"
    echo
    echo "$EDITS cold and $EDITS hot edits per direction and variant; idle CPU over ${IDLE_S} s (daemon, watcher, transport and pod). Machine: $HOST."
    echo
    echo "| direction | variant | cold p50 | cold p95 | cold max | hot p50 | hot p95 | hot max | timeouts |"
    echo "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
    for dir in to-pod to-local; do
        for v in "${VARIANTS[@]}"; do
            echo "| $dir | $(label "$v") | ${P50[$dir:cold:$v]} ms | ${P95[$dir:cold:$v]} ms | ${PMAX[$dir:cold:$v]} ms | ${P50[$dir:hot:$v]} ms | ${P95[$dir:hot:$v]} ms | ${PMAX[$dir:hot:$v]} ms | ${TIMEOUTS[$dir:$v]} |"
        done
        echo "| $dir | **gardensync / gardensync-nowatch** | $(bench_ratio "${P50[$dir:cold:gs]}" "${P50[$dir:cold:nowatch]}") | $(bench_ratio "${P95[$dir:cold:gs]}" "${P95[$dir:cold:nowatch]}") | $(bench_ratio "${PMAX[$dir:cold:gs]}" "${PMAX[$dir:cold:nowatch]}") | $(bench_ratio "${P50[$dir:hot:gs]}" "${P50[$dir:hot:nowatch]}") | $(bench_ratio "${P95[$dir:hot:gs]}" "${P95[$dir:hot:nowatch]}") | $(bench_ratio "${PMAX[$dir:hot:gs]}" "${PMAX[$dir:hot:nowatch]}") | |"
    done
    echo
    echo "| idle CPU | gardensync | gardensync-nowatch | ratio |"
    echo "| --- | ---: | ---: | ---: |"
    echo "| over ${IDLE_S} s | ${CPU_MS[gs]} ms | ${CPU_MS[nowatch]} ms | $(bench_ratio "${CPU_MS[gs]}" "${CPU_MS[nowatch]}") |"
} >"$MD"
{
    printf '{\n  "date": "%s",\n  "host": "%s",\n  "mutagen": "%s",\n' "$STAMP" "${HOST//\"/}" "$MUTAGEN_VERSION"
    printf '  "settings": {"mode": "%s", "edits": %d, "files": %d, "jitter_ms": %d, "idle_s": %d, "timeout_s": %d},\n' \
        "$MODE" "$EDITS" $((DIRS * FILES_PER_DIR)) "$JITTER_MS" "$IDLE_S" "$TIMEOUT_S"
    printf '  "variants": {\n'
    sep=,
    for v in "${VARIANTS[@]}"; do
        [[ $v == "${VARIANTS[-1]}" ]] && sep=""
        printf '    "%s": {"idle_cpu_ms": %s' "$(label "$v")" "$(bench_json_num "${CPU_MS[$v]}")"
        for dir in to-pod to-local; do
            for kind in cold hot; do
                printf ', "%s_%s_ms": %s, "%s_%s": {"p50": %s, "p95": %s, "max": %s}' "${dir/-/_}" "$kind" \
                    "$(bench_json_arr "${SAMPLES[$dir:$kind:$v]}")" "${dir/-/_}" "$kind" \
                    "${P50[$dir:$kind:$v]}" "${P95[$dir:$kind:$v]}" "${PMAX[$dir:$kind:$v]}"
            done
            printf ', "%s_timeouts": %d' "${dir/-/_}" "${TIMEOUTS[$dir:$v]}"
        done
        printf '}%s\n' "$sep"
    done
    printf '  },\n  "ratios": {"gardensync/gardensync-nowatch": {'
    printf '"to_pod_cold_p95": %s, "to_local_cold_p95": %s, "idle_cpu": %s}}\n}\n' \
        "$(bench_json_num "$(bench_ratio "${P95[to-pod:cold:gs]}" "${P95[to-pod:cold:nowatch]}")")" \
        "$(bench_json_num "$(bench_ratio "${P95[to-local:cold:gs]}" "${P95[to-local:cold:nowatch]}")")" \
        "$(bench_json_num "$(bench_ratio "${CPU_MS[gs]}" "${CPU_MS[nowatch]}")")"
} >"$JSON"
echo
cat "$MD"
echo
echo "results: ${JSON#"$REPO"/} and ${MD#"$REPO"/}"
