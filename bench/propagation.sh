#!/usr/bin/env bash
# bench/propagation.sh — edit-to-container propagation latency, side by side:
#
#   gardensync   a temp Garden project deployed with `gardensync deploy --sync=* --detach`
#   raw-mutagen  the same Mutagen binary, its own daemon, a hand-made one-way-replica session
#   docker-cp    `docker cp` of the edited file: a floor, not a sync tool
#
# Reports medians, p90, max and ratios. It never passes or fails on timing:
# exit 0 means the benchmark ran, not that anything was fast. See bench/README.md.
#
# Environment: BENCH_EDITS (20), BENCH_JITTER_MS (10000), BENCH_POOL_SUBDIR (pool),
# BENCH_SEED, BENCH_MIRROR_DIR (~/.cache/gardensync-dev/mirror).
set -euo pipefail

# --- settings ----------------------------------------------------------------
EDITS=${BENCH_EDITS:-20}
# Edits happen at a random moment, 0..JITTER ms after the previous one was seen.
# Mutagen's Linux poller ticks every 10 s; edits issued right after a tick would
# all wait ~10 s and edits in lockstep with another session would inherit its
# phase, so a random pause makes the numbers those of "save at any moment".
JITTER_MS=${BENCH_JITTER_MS:-10000}
# Pool files live in src/<subdir>/, a directory that never changes shape after
# the first scan. Empty puts them at the sync root (see README: root is watched).
POOL_SUBDIR=${BENCH_POOL_SUBDIR-pool}
POOL_SIZE=50
BURST_FILES=200
POLL_SLEEP=0.02          # between probes
POLL_TIMEOUT_MS=30000    # per measurement
IMAGE=gardensync-test/busybox:latest
KEEPALIVE="trap 'exit 0' TERM; while true; do sleep 1; done"
GS_CONTAINER=gs-bench-gs-app    # gs-<project>-<deploy>
RAW_CONTAINER=bench-raw
CP_CONTAINER=bench-cp
TARGET=/app/src

[[ "$EDITS" =~ ^[1-9][0-9]*$ ]] || { echo "bench: BENCH_EDITS must be a positive integer" >&2; exit 2; }
[[ "$JITTER_MS" =~ ^[0-9]+$ ]] || { echo "bench: BENCH_JITTER_MS must be a non-negative integer" >&2; exit 2; }
[[ "$POOL_SUBDIR" =~ ^[A-Za-z0-9._-]*$ && "$POOL_SUBDIR" != . && "$POOL_SUBDIR" != .. ]] ||
    { echo "bench: BENCH_POOL_SUBDIR must be a plain directory name (or empty)" >&2; exit 2; }
if [[ -n "${BENCH_SEED:-}" ]]; then RANDOM=$BENCH_SEED; fi

REPO=$(cd "$(dirname -- "$0")/.." && pwd -P)
GS_BIN=$REPO/build/gardensync
RESULTS_DIR=$REPO/bench/results
MIRROR_DIR=${BENCH_MIRROR_DIR:-$HOME/.cache/gardensync-dev/mirror}
POOL_REL=${POOL_SUBDIR:+$POOL_SUBDIR/}   # "pool/" or ""

# shellcheck source=bench/lib.sh
. "$REPO/bench/lib.sh"

for tool in docker timeout flock awk sort mktemp; do
    command -v "$tool" >/dev/null 2>&1 || die "required tool '$tool' not found on PATH"
done
# Only the local engine: a remote DOCKER_HOST would measure the network.
case "${DOCKER_HOST:-}" in ""|unix://*) ;; *) die "DOCKER_HOST=$DOCKER_HOST is not a local socket; unset it" ;; esac
[[ -x "$GS_BIN" ]] || die "$GS_BIN not found; build it with: cmake --build build"
timeout 20 docker info >/dev/null 2>&1 </dev/null || die "the Docker Engine is not reachable"

# Container names are fixed, so two runs at once would fight over them.
exec 8>"${TMPDIR:-/tmp}/gardensync-bench.lock"
flock -n 8 || die "another bench/propagation.sh run is in progress"

# --- inputs: the Mutagen mirror and the test image ----------------------------
if [[ ! -s "$MIRROR_DIR/SHA256SUMS" ]] || ! compgen -G "$MIRROR_DIR/mutagen_*_v0.18.1.tar.gz" >/dev/null; then
    log "building the Mutagen mirror in $MIRROR_DIR (once; about a minute)"
    timeout 1200 "$REPO/scripts/build-mutagen" "$MIRROR_DIR" </dev/null >&2
fi
timeout 300 "$REPO/scripts/make-test-image" </dev/null

# --- scratch space and cleanup ------------------------------------------------
# Short path: Mutagen's daemon socket lives under it and Unix sockets are short.
WORK=$(mktemp -d "${TMPDIR:-/tmp}/gsb.XXXXXX")
GS_HOME=$WORK/home          # gardensync's HOME (its Mutagen data dir goes here)
GS_CACHE=$WORK/cache        # XDG_CACHE_HOME: gardensync installs Mutagen here
GS_PROJECT=$WORK/gs
RAW_SRC=$WORK/raw/src
RAW_DATA=$WORK/raw-data     # MUTAGEN_DATA_DIRECTORY of the raw daemon
RAW_HOME=$WORK/raw-home
CP_SRC=$WORK/cp/src
mkdir -p "$GS_HOME" "$GS_CACHE" "$GS_PROJECT/src" "$RAW_SRC" "$RAW_DATA" "$RAW_HOME" "$CP_SRC" "$WORK/stage"
MUTAGEN=""                  # set once gardensync has installed it
GS_DEPLOYED=0
RAW_DAEMON=0

# gardensync, isolated from the real HOME, installing Mutagen from the local mirror.
gs() {
    local limit=$1; shift
    env -u GARDENSYNC_MUTAGEN_PATH -u MUTAGEN_DATA_DIRECTORY \
        HOME="$GS_HOME" XDG_CACHE_HOME="$GS_CACHE" GARDENSYNC_MUTAGEN_MIRROR="file://$MIRROR_DIR" \
        timeout "$limit" "$GS_BIN" --root "$GS_PROJECT" "$@" </dev/null
}
# The same Mutagen binary against a separate daemon (own data dir).

cleanup() {
    local rc=$?
    trap - EXIT INT TERM
    set +e
    log "cleaning up"
    if [[ $GS_DEPLOYED -eq 1 ]]; then
        gs 120 --yes cleanup deploy >>"$WORK/cleanup.log" 2>&1 || log "gardensync cleanup deploy failed (see below)"
    fi
    if [[ -d "$GS_HOME/.gardensync" ]]; then
        gs 60 util mutagen daemon stop >>"$WORK/cleanup.log" 2>&1
    fi
    bench_stop_raw_daemon
    local c
    for c in "$RAW_CONTAINER" "$CP_CONTAINER" "$GS_CONTAINER"; do
        timeout 60 docker rm -f "$c" >/dev/null 2>&1 </dev/null
    done
    bench_cleanup_end "$rc"
}
bench_trap_cleanup

# Leftovers of a run that was killed with SIGKILL (these names are ours).
for c in "$RAW_CONTAINER" "$CP_CONTAINER" "$GS_CONTAINER"; do
    if timeout 20 docker container inspect "$c" >/dev/null 2>&1 </dev/null; then
        log "removing leftover container $c"
        timeout 60 docker rm -f "$c" >/dev/null </dev/null
    fi
done

# --- time and statistics --------------------------------------------------------
# NOW = wall clock in ms, without forking (bash 5 EPOCHREALTIME).
now() { local t=${EPOCHREALTIME/[.,]/}; NOW=$((10#$t / 1000)); }
sleep_ms() { sleep "$(awk -v ms="$1" 'BEGIN { printf "%.3f", ms / 1000 }')"; }
random_pause() {
    [[ $JITTER_MS -gt 0 ]] || return 0
    sleep_ms $(( (RANDOM * 32768 + RANDOM) % JITTER_MS ))
}
# stats "v1 v2 ..." -> "median p90 max" (median: mean of the middle two; p90: nearest rank)
stats() {
    tr ' ' '\n' <<<"$1" | grep -v '^$' | sort -n | awk '
        { v[NR] = $1 }
        END {
            if (NR == 0) { print "- - -"; exit }
            med = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
            r = int(0.9 * NR); if (r < 0.9 * NR) r++
            printf "%d %d %d\n", med, v[r], v[NR]
        }'
}
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0 && a != "-" && b != "-") printf "%.2f", a / b; else printf "-" }'; }

# --- probes -------------------------------------------------------------------------
# wait_token CONTAINER PATH TOKEN START_MS: poll `cat` in the container every 20 ms;
# sets LAT to the latency in ms, or to POLL_TIMEOUT_MS and TIMED_OUT=1.
wait_token() {
    local c=$1 path=$2 token=$3 start=$4 out
    TIMED_OUT=0
    while :; do
        if out=$(timeout 10 docker exec "$c" cat "$path" 2>/dev/null </dev/null) && [[ "$out" == *"$token"* ]]; then
            now; LAT=$((NOW - start)); return 0
        fi
        now
        if [[ $((NOW - start)) -ge $POLL_TIMEOUT_MS ]]; then LAT=$POLL_TIMEOUT_MS; TIMED_OUT=1; return 0; fi
        sleep "$POLL_SLEEP"
    done
}
# wait_count CONTAINER DIR N START_MS: like wait_token, until DIR holds N entries.
wait_count() {
    local c=$1 dir=$2 want=$3 start=$4 n
    TIMED_OUT=0
    while :; do
        n=$(timeout 10 docker exec "$c" sh -c "ls '$dir' 2>/dev/null | wc -l" 2>/dev/null </dev/null) || n=0
        now
        if [[ "${n//[^0-9]/}" -ge "$want" ]] 2>/dev/null; then LAT=$((NOW - start)); return 0; fi
        if [[ $((NOW - start)) -ge $POLL_TIMEOUT_MS ]]; then LAT=$POLL_TIMEOUT_MS; TIMED_OUT=1; return 0; fi
        sleep "$POLL_SLEEP"
    done
}

# --- the three set-ups ---------------------------------------------------------------
make_pool() {   # make_pool SRC: 50 small files in SRC/<subdir>/
    local dir=$1/$POOL_SUBDIR i
    mkdir -p "$dir"
    for ((i = 0; i < POOL_SIZE; i++)); do printf 'initial %02d\n' "$i" >"$dir/f$(printf %02d "$i").txt"; done
}
make_pool "$GS_PROJECT/src"
make_pool "$RAW_SRC"
make_pool "$CP_SRC"

bench_write_project bench-gs one-way-replica

# (a) gardensync. Output goes to a file: the Mutagen daemon it starts must not
# inherit a pipe of ours. --detach returns once the first full sync is done.
log "deploying with gardensync (installs Mutagen from $MIRROR_DIR into a temp cache)"
GS_DEPLOYED=1
if ! gs 300 --yes deploy --sync='*' --detach >"$WORK/gs-deploy.log" 2>&1; then
    sed 's/^/  gardensync: /' "$WORK/gs-deploy.log" >&2
    die "gardensync deploy failed"
fi

# (b) raw Mutagen: the binary gardensync installed, read from its helper script.
HELPER=$GS_PROJECT/.garden/mutagen/latest/mutagen.sh
MUTAGEN=$(bench_mutagen_of "$HELPER")
[[ -n "$MUTAGEN" && -x "$MUTAGEN" ]] || MUTAGEN=$GS_CACHE/gardensync/mutagen/0.18.1/mutagen
[[ -x "$MUTAGEN" ]] || die "cannot find the Mutagen binary gardensync installed (looked at $HELPER)"
MUTAGEN_VERSION=$(raw 30 version)
log "raw Mutagen: $MUTAGEN ($MUTAGEN_VERSION), data dir $RAW_DATA"

timeout 60 docker run -d --name "$RAW_CONTAINER" --network none "$IMAGE" sh -c "$KEEPALIVE" >/dev/null </dev/null
RAW_DAEMON=1
raw 60 daemon start >"$WORK/raw-daemon.log" 2>&1 || { cat "$WORK/raw-daemon.log" >&2; die "mutagen daemon start failed"; }
raw 180 sync create --no-global-configuration --name bench-raw --mode one-way-replica \
    "$RAW_SRC" "docker://$RAW_CONTAINER$TARGET" >"$WORK/raw-create.log" 2>&1 ||
    { cat "$WORK/raw-create.log" >&2; die "mutagen sync create failed"; }
# Same starting point as `deploy --detach`: wait for the first full cycle.
raw 120 sync flush bench-raw >>"$WORK/raw-create.log" 2>&1 ||
    { cat "$WORK/raw-create.log" >&2; die "mutagen sync flush failed"; }

# (c) docker cp floor: a plain container holding a copy of the pool.
timeout 60 docker run -d --name "$CP_CONTAINER" --network none "$IMAGE" sh -c "$KEEPALIVE" >/dev/null </dev/null
timeout 30 docker exec "$CP_CONTAINER" mkdir -p "$TARGET" </dev/null
timeout 60 docker cp "$CP_SRC/." "$CP_CONTAINER:$TARGET/" </dev/null

# All three must start with the whole pool in place.
for c in "$GS_CONTAINER" "$RAW_CONTAINER" "$CP_CONTAINER"; do
    now; wait_count "$c" "$TARGET/$POOL_SUBDIR" "$POOL_SIZE" "$NOW"
    [[ $TIMED_OUT -eq 0 ]] || die "$c does not hold the $POOL_SIZE pool files after the initial sync"
done

# Probe cost: what one `docker exec cat` round trip adds to every number below.
probe=""
for _ in 1 2 3 4 5; do
    now; s=$NOW; timeout 10 docker exec "$CP_CONTAINER" cat "$TARGET/${POOL_REL}f00.txt" >/dev/null </dev/null; now
    probe+="$((NOW - s)) "
done
read -r PROBE_MS _ _ <<<"$(stats "$probe")"

# --- edits -----------------------------------------------------------------------
# One edit of one variant: write a fresh token into the pool file that has gone
# untouched longest (round-robin over the pool = least recently touched), then
# poll until the container shows it.
src_of() { case $1 in gs) echo "$GS_PROJECT/src" ;; raw) echo "$RAW_SRC" ;; cp) echo "$CP_SRC" ;; esac; }
container_of() { case $1 in gs) echo "$GS_CONTAINER" ;; raw) echo "$RAW_CONTAINER" ;; cp) echo "$CP_CONTAINER" ;; esac; }
declare -A SAMPLES=([gs]="" [raw]="" [cp]="") TIMEOUTS=([gs]=0 [raw]=0 [cp]=0)

measure_edit() {
    local v=$1 round=$2 file rel token c
    rel=${POOL_REL}f$(printf %02d $((round % POOL_SIZE))).txt
    file=$(src_of "$v")/$rel
    c=$(container_of "$v")
    token="tok-$v-$round-$RANDOM$RANDOM"
    # Only the Mutagen variants have a poll phase to decorrelate from.
    if [[ $v != cp ]]; then random_pause; fi
    now; local start=$NOW
    printf '%s\n' "$token" >"$file"    # in place: same inode, like most editors' saves
    if [[ $v == cp ]]; then timeout 30 docker cp "$file" "$c:$TARGET/$rel" </dev/null; fi
    wait_token "$c" "$TARGET/$rel" "$token" "$start"
    SAMPLES[$v]+="$LAT "
    TIMEOUTS[$v]=$((TIMEOUTS[$v] + TIMED_OUT))
    printf '  edit %2d %-11s %-24s %6d ms%s\n' "$((round + 1))" "$(label "$v")" "$rel" "$LAT" \
        "$([[ $TIMED_OUT -eq 1 ]] && echo ' (timeout)')" >&2
}
label() { case $1 in gs) echo gardensync ;; raw) echo raw-mutagen ;; cp) echo docker-cp ;; esac; }

log "measuring $EDITS edits per variant (random pause 0..${JITTER_MS} ms before each Mutagen edit)"
orders=("gs raw cp" "raw cp gs" "cp gs raw")   # rotate so no variant always goes first
for ((round = 0; round < EDITS; round++)); do
    for v in ${orders[round % 3]}; do measure_edit "$v" "$round"; done
done

# --- burst ---------------------------------------------------------------------------
# 200 files prepared outside the source folder, then renamed into it in one step,
# so every variant sees the same "everything appeared at once" event.
declare -A BURST BURST_TIMEOUT
for v in gs raw cp; do
    stage=$WORK/stage/$v/burst
    mkdir -p "$stage"
    for ((i = 0; i < BURST_FILES; i++)); do printf 'burst %d\n' "$i" >"$stage/b$i.txt"; done
    dest=$(src_of "$v")/${POOL_REL}burst
    c=$(container_of "$v")
    if [[ $v != cp ]]; then random_pause; fi
    now; start=$NOW
    mv -- "$stage" "$dest"
    if [[ $v == cp ]]; then timeout 60 docker cp "$dest" "$c:$TARGET/$POOL_SUBDIR" </dev/null; fi
    wait_count "$c" "$TARGET/${POOL_REL}burst" "$BURST_FILES" "$start"
    BURST[$v]=$LAT; BURST_TIMEOUT[$v]=$TIMED_OUT
    log "burst $(label "$v"): $LAT ms$([[ $TIMED_OUT -eq 1 ]] && echo ' (timeout)')"
done

# --- report ----------------------------------------------------------------------------
declare -A MED P90 MAX
for v in gs raw cp; do read -r MED[$v] P90[$v] MAX[$v] <<<"$(stats "${SAMPLES[$v]}")"; done

echo
echo "Edit-to-container propagation: $EDITS edits per variant, pool of $POOL_SIZE files in src/${POOL_REL:-(root)}"
echo "(Mutagen $MUTAGEN_VERSION; random pause 0..${JITTER_MS} ms before Mutagen edits; every number includes one"
echo " docker exec probe, median ${PROBE_MS} ms; timeouts count as ${POLL_TIMEOUT_MS} ms)"
echo
printf '%-13s %9s %9s %9s %9s %9s\n' variant median p90 max timeouts "burst $BURST_FILES"
for v in gs raw cp; do
    printf '%-13s %6s ms %6s ms %6s ms %9s %6s ms%s\n' "$(label "$v")" "${MED[$v]}" "${P90[$v]}" "${MAX[$v]}" \
        "${TIMEOUTS[$v]}" "${BURST[$v]}" "$([[ ${BURST_TIMEOUT[$v]} -eq 1 ]] && echo ' (timeout)')"
done
echo
printf '%-24s %9s %9s %9s %9s %9s\n' ratio median p90 max "" burst
for other in raw cp; do
    printf '%-24s %9s %9s %9s %9s %9s\n' "gardensync/$(label "$other")" \
        "$(ratio "${MED[gs]}" "${MED[$other]}")" "$(ratio "${P90[gs]}" "${P90[$other]}")" \
        "$(ratio "${MAX[gs]}" "${MAX[$other]}")" "" "$(ratio "${BURST[gs]}" "${BURST[$other]}")"
done
echo

# --- JSON ------------------------------------------------------------------------------
json_str() { local s=${1//\\/\\\\}; s=${s//\"/\\\"}; printf '"%s"' "${s//$'\n'/ }"; }
json_arr() { local a; a=$(tr -s ' ' <<<"$1" | sed 's/^ //; s/ $//; s/ /, /g'); printf '[%s]' "$a"; }
mkdir -p "$RESULTS_DIR"
RESULT=$RESULTS_DIR/$(date -u +%Y-%m-%dT%H%M%SZ).json
{
    printf '{\n'
    printf '  "date": %s,\n' "$(json_str "$(date -u +%Y-%m-%dT%H:%M:%SZ)")"
    printf '  "host": {"kernel": %s, "cpus": %s, "docker": %s},\n' "$(json_str "$(uname -sr)")" \
        "$(nproc 2>/dev/null || echo 0)" "$(json_str "$(docker version --format '{{.Server.Version}}' 2>/dev/null </dev/null || echo unknown)")"
    printf '  "mutagen": %s,\n' "$(json_str "$MUTAGEN_VERSION")"
    printf '  "settings": {"edits": %d, "pool_size": %d, "pool_subdir": %s, "jitter_ms": %d, "poll_interval_ms": 20, "poll_timeout_ms": %d, "burst_files": %d},\n' \
        "$EDITS" "$POOL_SIZE" "$(json_str "$POOL_SUBDIR")" "$JITTER_MS" "$POLL_TIMEOUT_MS" "$BURST_FILES"
    printf '  "probe_overhead_ms": %s,\n' "$PROBE_MS"
    printf '  "variants": {\n'
    sep=","
    for v in gs raw cp; do
        [[ $v == cp ]] && sep=""
        printf '    %s: {"latencies_ms": %s, "median_ms": %s, "p90_ms": %s, "max_ms": %s, "timeouts": %d, "burst_ms": %s, "burst_timed_out": %s}%s\n' \
            "$(json_str "$(label "$v")")" "$(json_arr "${SAMPLES[$v]}")" "${MED[$v]}" "${P90[$v]}" "${MAX[$v]}" \
            "${TIMEOUTS[$v]}" "${BURST[$v]}" "$([[ ${BURST_TIMEOUT[$v]} -eq 1 ]] && echo true || echo false)" "$sep"
    done
    printf '  },\n'
    printf '  "ratios": {\n'
    for other in raw cp; do
        printf '    %s: {"median": %s, "p90": %s, "max": %s, "burst": %s}%s\n' "$(json_str "gardensync/$(label "$other")")" \
            "$(ratio "${MED[gs]}" "${MED[$other]}" | sed 's/^-$/null/')" "$(ratio "${P90[gs]}" "${P90[$other]}" | sed 's/^-$/null/')" \
            "$(ratio "${MAX[gs]}" "${MAX[$other]}" | sed 's/^-$/null/')" "$(ratio "${BURST[gs]}" "${BURST[$other]}" | sed 's/^-$/null/')" \
            "$([[ $other == raw ]] && echo ,)"
    done
    printf '  }\n}\n'
} >"$RESULT"
echo "results: ${RESULT#"$REPO"/}"
