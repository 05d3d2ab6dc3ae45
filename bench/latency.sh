#!/usr/bin/env bash
# bench/latency.sh — write-to-visible latency of edits in a 5,000-file tree, and idle CPU, for
# gardensync (with its file watcher), raw Mutagen with default settings and raw Mutagen with its
# fastest polling, in the same run. BENCH_DIRECTION=to-container (the default): local edits,
# one-way-replica syncs, seen by a probe in the container. BENCH_DIRECTION=to-local: edits inside
# the container, two-way-safe syncs, seen locally.
#
#   gardensync        a temp Garden project deployed with `gardensync deploy --sync=* --detach`
#   raw-mutagen       the same Mutagen binary, its own daemon, `mutagen sync create` with defaults
#   raw-mutagen-poll  the same binary, a third daemon, `--watch-mode force-poll
#                     --watch-polling-interval 1` (both endpoints rescan every second: the
#                     lowest latency Mutagen offers on Linux without a watcher, at a CPU cost)
#
# Cold edits go to a file nobody touched since the tree was synced; hot edits write the same
# file again right after its previous edit arrived. Each latency runs from just before the write
# to the moment a probe already running inside the container sees the new content (it checks
# every 5 ms), so no `docker exec` start-up is counted. It reports p50/p95/max and the ratios
# gardensync / each raw variant, writes bench/results/<UTC time>-latency-<direction>.json and
# .md, and never passes or fails on timing.
#
# Environment: BENCH_DIRECTION (to-container), BENCH_EDITS (20 per kind and variant),
# BENCH_JITTER_MS (10000), BENCH_IDLE_S (60), BENCH_SEED, BENCH_MIRROR_DIR
# (~/.cache/gardensync-dev/mirror).
set -euo pipefail

DIRECTION=${BENCH_DIRECTION:-to-container}
EDITS=${BENCH_EDITS:-20}
# Before each cold edit: a random pause, so edits land at any moment of Mutagen's 10 s polling
# cycle rather than in step with it.
JITTER_MS=${BENCH_JITTER_MS:-10000}
IDLE_S=${BENCH_IDLE_S:-60}
DIRS=50
FILES_PER_DIR=100
TIMEOUT_S=30
IMAGE=gardensync-test/busybox:latest
KEEPALIVE="trap 'exit 0' TERM; while true; do sleep 1; done"
GS_CONTAINER=gs-bench-lat-app
RAW_CONTAINER=bench-lat-raw
POLL_CONTAINER=bench-lat-poll
# The poll variant's rescan interval: Mutagen's shortest (whole seconds; 0 means its default, 10 s).
POLL_INTERVAL_S=1
TARGET=/app/src

case $DIRECTION in
    to-container) MODE=one-way-replica ;;
    to-local) MODE=two-way-safe ;;
    *) echo "bench: BENCH_DIRECTION must be to-container or to-local" >&2; exit 2 ;;
esac
REPO=$(cd "$(dirname -- "$0")/.." && pwd -P)
# shellcheck source=bench/lib.sh
. "$REPO/bench/lib.sh"
bench_edit_settings

for tool in docker timeout flock awk sort mktemp; do
    command -v "$tool" >/dev/null 2>&1 || die "required tool '$tool' not found on PATH"
done
case "${DOCKER_HOST:-}" in ""|unix://*) ;; *) die "DOCKER_HOST=$DOCKER_HOST is not a local socket; unset it" ;; esac
[[ -x "$GS_BIN" ]] || die "$GS_BIN not found; build it with: ./dev build"
timeout 20 docker info >/dev/null 2>&1 </dev/null || die "the Docker Engine is not reachable"
[[ -s "$MIRROR_DIR/SHA256SUMS" ]] || die "no Mutagen mirror in $MIRROR_DIR (./dev bench prepares it)"

exec 8>"${TMPDIR:-/tmp}/gardensync-bench-latency.lock"
flock -n 8 || die "another bench/latency.sh run is in progress"

WORK=$(mktemp -d "${TMPDIR:-/tmp}/gsl.XXXXXX")
GS_HOME=$WORK/home
GS_CACHE=$WORK/cache
GS_PROJECT=$WORK/gs
RAW_SRC=$WORK/raw/src
RAW_DATA=$WORK/raw-data
RAW_HOME=$WORK/raw-home
POLL_SRC=$WORK/poll/src
POLL_DATA=$WORK/poll-data
POLL_HOME=$WORK/poll-home
mkdir -p "$GS_HOME" "$GS_CACHE" "$GS_PROJECT/src" "$RAW_SRC" "$RAW_DATA" "$RAW_HOME" "$POLL_SRC" "$POLL_DATA" "$POLL_HOME"
MUTAGEN=""
GS_DEPLOYED=0
RAW_DAEMON=0
POLL_DAEMON=0
VARIANTS=(gs raw poll)

# poll SECONDS ARGS...: Mutagen on a third daemon, so the polling session shares nothing with
# the raw one (the raw wrapper is in lib.sh).
poll() { bench_mutagen_on "$POLL_HOME" "$POLL_DATA" "$@"; }

cleanup() {
    local rc=$?
    trap - EXIT INT TERM
    set +e
    log "cleaning up"
    if [[ $GS_DEPLOYED -eq 1 ]]; then gs 120 --yes cleanup deploy >>"$WORK/cleanup.log" 2>&1; fi
    if [[ -d "$GS_HOME/.gardensync" ]]; then gs 60 util mutagen daemon stop >>"$WORK/cleanup.log" 2>&1; fi
    bench_stop_raw_daemon
    if [[ $POLL_DAEMON -eq 1 ]]; then bench_stop_daemon poll; fi
    timeout 60 docker rm -f "$RAW_CONTAINER" "$POLL_CONTAINER" "$GS_CONTAINER" >/dev/null 2>&1 </dev/null
    bench_cleanup_end "$rc"
}
bench_trap_cleanup

for c in "$RAW_CONTAINER" "$POLL_CONTAINER" "$GS_CONTAINER"; do
    if timeout 20 docker container inspect "$c" >/dev/null 2>&1 </dev/null; then
        log "removing leftover container $c"
        timeout 60 docker rm -f "$c" >/dev/null </dev/null
    fi
done


# --- the tree: 50 folders of 100 files, the same in the three sources ------------------
make_tree() {
    local src=$1 d f
    for ((d = 0; d < DIRS; d++)); do
        mkdir -p "$src/d$d"
        for ((f = 0; f < FILES_PER_DIR; f++)); do printf 'initial %d %d\n' "$d" "$f" >"$src/d$d/f$f.txt"; done
    done
}
log "writing three trees of $((DIRS * FILES_PER_DIR)) files"
make_tree "$GS_PROJECT/src"
make_tree "$RAW_SRC"
make_tree "$POLL_SRC"

bench_write_project bench-lat "$MODE"

log "deploying with gardensync"
GS_DEPLOYED=1
if ! gs 600 --yes deploy --sync='*' --detach >"$WORK/gs-deploy.log" 2>&1; then
    sed 's/^/  gardensync: /' "$WORK/gs-deploy.log" >&2
    die "gardensync deploy failed"
fi
HELPER=$GS_PROJECT/.garden/mutagen/latest/mutagen.sh
MUTAGEN=$(bench_mutagen_of "$HELPER")
[[ -n "$MUTAGEN" && -x "$MUTAGEN" ]] || die "cannot find the Mutagen binary gardensync installed (looked at $HELPER)"
MUTAGEN_VERSION=$(raw 30 version)
GS_DATA=$(cd "$GS_PROJECT/.garden/mutagen/latest" && pwd -P)

# start_mutagen WRAPPER SRC CONTAINER [CREATE FLAGS...]: the container, the wrapper's daemon and
# one session `bench-WRAPPER`, flushed so the whole tree is in place before any timing. The
# caller sets the wrapper's *_DAEMON flag first, so cleanup stops a half-started daemon too.
start_mutagen() {
    local w=$1 src=$2 c=$3; shift 3
    timeout 60 docker run -d --name "$c" --network none "$IMAGE" sh -c "$KEEPALIVE" >/dev/null </dev/null
    "$w" 60 daemon start >"$WORK/$w-daemon.log" 2>&1 || { cat "$WORK/$w-daemon.log" >&2; die "mutagen daemon start ($w) failed"; }
    "$w" 300 sync create --no-global-configuration --name "bench-$w" --mode "$MODE" "$@" \
        "$src" "docker://$c$TARGET" >"$WORK/$w-create.log" 2>&1 ||
        { cat "$WORK/$w-create.log" >&2; die "mutagen sync create ($w) failed"; }
    "$w" 300 sync flush "bench-$w" >>"$WORK/$w-create.log" 2>&1 || { cat "$WORK/$w-create.log" >&2; die "mutagen sync flush ($w) failed"; }
}

log "starting raw Mutagen ($MUTAGEN_VERSION) with default settings"
RAW_DAEMON=1
start_mutagen raw "$RAW_SRC" "$RAW_CONTAINER"
# --watch-mode and its interval apply to both endpoints (alpha locally, beta in the container's
# agent), which matters for BENCH_DIRECTION=to-local, where the container side is the one that changes.
log "starting raw Mutagen with force-poll every ${POLL_INTERVAL_S} s"
POLL_DAEMON=1
start_mutagen poll "$POLL_SRC" "$POLL_CONTAINER" --watch-mode force-poll --watch-polling-interval "$POLL_INTERVAL_S"

for c in "$GS_CONTAINER" "$RAW_CONTAINER" "$POLL_CONTAINER"; do
    n=$(timeout 60 docker exec "$c" sh -c "find $TARGET -type f | wc -l" </dev/null)
    [[ "${n//[^0-9]/}" -eq $((DIRS * FILES_PER_DIR)) ]] || die "$c holds $n files after the initial sync"
done

# --- one measurement ------------------------------------------------------------------------
# measure CONTAINER LOCAL_FILE CONTAINER_FILE: one latency in the direction of the run (lib.sh).
in_container() { timeout $((TIMEOUT_S + 10)) docker exec -i "$1" "${@:2}"; }
if [[ $DIRECTION == to-local ]]; then measure() { bench_measure_to_local in_container "$@"; }
else measure() { bench_measure_to_target in_container "$@"; }; fi

src_of() { case $1 in gs) echo "$GS_PROJECT/src" ;; raw) echo "$RAW_SRC" ;; poll) echo "$POLL_SRC" ;; esac; }
container_of() { case $1 in gs) echo "$GS_CONTAINER" ;; raw) echo "$RAW_CONTAINER" ;; poll) echo "$POLL_CONTAINER" ;; esac; }
label() { case $1 in gs) echo gardensync ;; raw) echo raw-mutagen ;; poll) echo raw-mutagen-poll ;; esac; }
declare -A COLD=([gs]="" [raw]="" [poll]="") HOT=([gs]="" [raw]="" [poll]="") TIMEOUTS=([gs]=0 [raw]=0 [poll]=0)

log "measuring $EDITS cold and $EDITS hot edits per variant (random pause 0..${JITTER_MS} ms before cold edits)"
# Each variant goes first, second and third in turn, so none always follows the same one.
orders=("gs raw poll" "raw poll gs" "poll gs raw")
for ((round = 0; round < EDITS; round++)); do
    # A different folder and file every round: never touched since the initial sync.
    rel=d$(( (round * 7) % DIRS ))/f$(( (round * 13) % FILES_PER_DIR )).txt
    for v in ${orders[round % 3]}; do
        bench_random_pause
        measure "$(container_of "$v")" "$(src_of "$v")/$rel" "$TARGET/$rel"
        COLD[$v]+="$LAT "; TIMEOUTS[$v]=$((TIMEOUTS[$v] + TIMED_OUT))
        cold=$LAT
        measure "$(container_of "$v")" "$(src_of "$v")/$rel" "$TARGET/$rel"
        HOT[$v]+="$LAT "; TIMEOUTS[$v]=$((TIMEOUTS[$v] + TIMED_OUT))
        printf '  round %2d %-16s %-14s cold %6d ms  hot %6d ms\n' "$((round + 1))" "$(label "$v")" "$rel" "$cold" "$LAT" >&2
    done
done

# --- idle CPU ---------------------------------------------------------------------------------
data_of() { case $1 in raw) echo "$RAW_DATA" ;; poll) echo "$POLL_DATA" ;; esac; }
roots_of() {   # the processes a variant runs: its daemon, the watcher, the container's processes
    local v=$1 roots=""
    if [[ $v == gs ]]; then
        roots+=" $(sed -n 's/^pid=//p' "$GS_DATA/gardensync-daemon" 2>/dev/null)"
        roots+=" $(sed -n 's/^pid=//p' "$GS_DATA/gardensync-watcher" 2>/dev/null)"
    else
        # Other daemons (gardensync's, the other raw variant's, anyone else's) have other data dirs.
        local pid data
        data=$(data_of "$v")
        for pid in $(pgrep -f -- "daemon run"); do
            if tr '\0' '\n' <"/proc/$pid/environ" 2>/dev/null | grep -qx "MUTAGEN_DATA_DIRECTORY=$data"; then
                roots+=" $pid"
            fi
        done
    fi
    roots+=" $(timeout 20 docker top "$(container_of "$v")" -o pid 2>/dev/null </dev/null | tail -n +2 | tr '\n' ' ')"
    echo "$roots"
}
# variant_ticks V: bench_tree_ticks over the roots of V found before the idle period (ROOTS).
variant_ticks() { local roots; read -r -a roots <<<"${ROOTS[$1]}"; bench_tree_ticks "${roots[@]}"; }
declare -A CPU_MS ROOTS TICKS0
if [[ $IDLE_S -gt 0 ]]; then
    log "measuring idle CPU over ${IDLE_S} s"
    HZ=$(getconf CLK_TCK)
    for v in "${VARIANTS[@]}"; do ROOTS[$v]=$(roots_of "$v"); done
    for v in "${VARIANTS[@]}"; do TICKS0[$v]=$(variant_ticks "$v"); done
    sleep "$IDLE_S"
    for v in "${VARIANTS[@]}"; do CPU_MS[$v]=$(( ($(variant_ticks "$v") - TICKS0[$v]) * 1000 / HZ )); done
else
    for v in "${VARIANTS[@]}"; do CPU_MS[$v]=-; done
fi

# --- report -----------------------------------------------------------------------------------
declare -A C50 C95 CMAX H50 H95 HMAX
for v in "${VARIANTS[@]}"; do
    read -r "C50[$v]" "C95[$v]" "CMAX[$v]" <<<"$(bench_stats "${COLD[$v]}")"
    read -r "H50[$v]" "H95[$v]" "HMAX[$v]" <<<"$(bench_stats "${HOT[$v]}")"
done
mkdir -p "$RESULTS_DIR"
STAMP=$(date -u +%Y-%m-%dT%H%M%SZ)
JSON=$RESULTS_DIR/$STAMP-latency-$DIRECTION.json
MD=$RESULTS_DIR/$STAMP-latency-$DIRECTION.md
# ratio_cells B: gardensync / variant B for each column of the table, as "| a | b | ... |".
ratio_cells() {
    local b=$1
    printf '| %s | %s | %s | %s | %s | %s | | %s |' \
        "$(bench_ratio "${C50[gs]}" "${C50[$b]}")" "$(bench_ratio "${C95[gs]}" "${C95[$b]}")" "$(bench_ratio "${CMAX[gs]}" "${CMAX[$b]}")" \
        "$(bench_ratio "${H50[gs]}" "${H50[$b]}")" "$(bench_ratio "${H95[gs]}" "${H95[$b]}")" "$(bench_ratio "${HMAX[gs]}" "${HMAX[$b]}")" \
        "$(bench_ratio "${CPU_MS[gs]}" "${CPU_MS[$b]}")"
}
HOST="$(uname -sr), $(nproc) CPUs, $(awk -F': ' '/model name/ { print $2; exit }' /proc/cpuinfo 2>/dev/null), Docker $(docker version --format '{{.Server.Version}}' 2>/dev/null </dev/null || echo unknown)"
{
    if [[ $DIRECTION == to-local ]]; then
        echo "### Edit inside the container → visible locally ($((DIRS * FILES_PER_DIR))-file tree, $MODE, Mutagen $MUTAGEN_VERSION)"
    else
        echo "### Local edit → visible in the container ($((DIRS * FILES_PER_DIR))-file tree, $MODE, Mutagen $MUTAGEN_VERSION)"
    fi
    echo
    echo "$EDITS cold and $EDITS hot edits per variant; idle CPU over ${IDLE_S} s. raw-mutagen-poll:" \
        "\`--watch-mode force-poll --watch-polling-interval $POLL_INTERVAL_S\`. Machine: $HOST."
    echo
    echo "| variant | cold p50 | cold p95 | cold max | hot p50 | hot p95 | hot max | timeouts | idle CPU |"
    echo "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
    for v in "${VARIANTS[@]}"; do
        echo "| $(label "$v") | ${C50[$v]} ms | ${C95[$v]} ms | ${CMAX[$v]} ms | ${H50[$v]} ms | ${H95[$v]} ms | ${HMAX[$v]} ms | ${TIMEOUTS[$v]} | ${CPU_MS[$v]} ms |"
    done
    for v in raw poll; do echo "| **gardensync / $(label "$v")** $(ratio_cells "$v")"; done
} >"$MD"
# ratio_json B: gardensync / variant B as a JSON object, "-" as null.
ratio_json() {
    local b=$1
    printf '{"cold_p50": %s, "cold_p95": %s, "cold_max": %s, "hot_p50": %s, "hot_p95": %s, "hot_max": %s, "idle_cpu": %s}' \
        "$(bench_json_num "$(bench_ratio "${C50[gs]}" "${C50[$b]}")")" "$(bench_json_num "$(bench_ratio "${C95[gs]}" "${C95[$b]}")")" \
        "$(bench_json_num "$(bench_ratio "${CMAX[gs]}" "${CMAX[$b]}")")" "$(bench_json_num "$(bench_ratio "${H50[gs]}" "${H50[$b]}")")" \
        "$(bench_json_num "$(bench_ratio "${H95[gs]}" "${H95[$b]}")")" "$(bench_json_num "$(bench_ratio "${HMAX[gs]}" "${HMAX[$b]}")")" \
        "$(bench_json_num "$(bench_ratio "${CPU_MS[gs]}" "${CPU_MS[$b]}")")"
}
{
    printf '{\n  "date": "%s",\n  "host": "%s",\n  "mutagen": "%s",\n' "$STAMP" "${HOST//\"/}" "$MUTAGEN_VERSION"
    printf '  "settings": {"direction": "%s", "mode": "%s", "edits": %d, "files": %d, "jitter_ms": %d, "idle_s": %d, "timeout_s": %d, "poll_interval_s": %d},\n' \
        "$DIRECTION" "$MODE" "$EDITS" $((DIRS * FILES_PER_DIR)) "$JITTER_MS" "$IDLE_S" "$TIMEOUT_S" "$POLL_INTERVAL_S"
    printf '  "variants": {\n'
    sep=,
    for v in "${VARIANTS[@]}"; do
        [[ $v == "${VARIANTS[-1]}" ]] && sep=""
        printf '    "%s": {"cold_ms": %s, "hot_ms": %s, "cold": {"p50": %s, "p95": %s, "max": %s}, "hot": {"p50": %s, "p95": %s, "max": %s}, "timeouts": %d, "idle_cpu_ms": %s}%s\n' \
            "$(label "$v")" "$(bench_json_arr "${COLD[$v]}")" "$(bench_json_arr "${HOT[$v]}")" "${C50[$v]}" "${C95[$v]}" "${CMAX[$v]}" \
            "${H50[$v]}" "${H95[$v]}" "${HMAX[$v]}" "${TIMEOUTS[$v]}" "$(bench_json_num "${CPU_MS[$v]}")" "$sep"
    done
    printf '  },\n  "ratios": {\n    "gardensync/raw-mutagen": %s,\n    "gardensync/raw-mutagen-poll": %s\n  }\n}\n' \
        "$(ratio_json raw)" "$(ratio_json poll)"
} >"$JSON"
echo
cat "$MD"
echo
echo "results: ${JSON#"$REPO"/} and ${MD#"$REPO"/}"
