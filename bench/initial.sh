#!/usr/bin/env bash
# bench/initial.sh — the first sync of a generated tree (10,000 files, 100 MiB by default) into a
# container that does not exist yet, with the local side authoritative, for four variants in the
# same run:
#
#   gardensync   a temp Garden project, `gardensync deploy --sync=*` (no --detach: it returns
#                once the initial sync is done); container gs-bench-init-app
#   raw-mutagen  `docker run -d`, then `mutagen sync create` (the same Mutagen binary, its own
#                daemon) and a poll of `mutagen sync list` until the first cycle is done
#   tar-floor    `docker run -d`, then one `tar -cf - . | docker exec -i C tar -xf -` stream
#   docker-cp    `docker run -d`, then `docker cp SRC/. C:/app/src`
#
# Each time runs from the start of the first command until every file is in the container (the
# variant's last command returned); the file count is checked afterwards, untimed. The variants
# take turns in a rotating order, each run on a fresh container; both Mutagen variants start with
# Mutagen installed and their daemon running, and install its agent in every new container. It
# reports p50/p95/max (nearest rank) and the ratios gardensync / tar-floor (the target is <= 1.3),
# gardensync / raw-mutagen and raw-mutagen / tar-floor, writes bench/results/<UTC time>-initial.json
# and .md, and never passes or fails on timing.
#
# Environment: BENCH_FILES (10000), BENCH_MB (100), BENCH_RUNS (5), BENCH_MODE (one-way-replica),
# BENCH_BIN (build/gardensync), BENCH_MIRROR_DIR (~/.cache/gardensync-dev/mirror).
set -euo pipefail

FILES=${BENCH_FILES:-10000}
MB=${BENCH_MB:-100}
RUNS=${BENCH_RUNS:-5}
MODE=${BENCH_MODE:-one-way-replica}
FOLDERS=100                # 10 top folders of 10 subfolders each
TIMEOUT_S=900              # for any one variant: a hung sync ends the bench, not the machine
IMAGE=gardensync-test/busybox:latest
KEEPALIVE="trap 'exit 0' TERM; while true; do sleep 1; done"
TARGET=/app/src
# gardensync names containers gs-<project>-<deploy>; the others share the bench-init- prefix.
GS_CONTAINER=gs-bench-init-app
RAW_CONTAINER=bench-init-raw
TAR_CONTAINER=bench-init-tar
CP_CONTAINER=bench-init-cp

positive() { [[ "$2" =~ ^[1-9][0-9]*$ ]] || { echo "bench: $1 must be a positive integer" >&2; exit 2; }; }
positive BENCH_FILES "$FILES"
positive BENCH_MB "$MB"
positive BENCH_RUNS "$RUNS"
# Modes whose name means the same to gardensync and to Mutagen, and that sync local -> container.
case $MODE in
    one-way-replica|one-way-safe|two-way-safe|two-way-resolved) ;;
    *) echo "bench: BENCH_MODE must be one-way-replica, one-way-safe, two-way-safe or two-way-resolved" >&2; exit 2 ;;
esac

REPO=$(cd "$(dirname -- "$0")/.." && pwd -P)
GS_BIN=${BENCH_BIN:-$REPO/build/gardensync}
RESULTS_DIR=$REPO/bench/results
MIRROR_DIR=${BENCH_MIRROR_DIR:-$HOME/.cache/gardensync-dev/mirror}

# shellcheck source=bench/lib.sh
. "$REPO/bench/lib.sh"

for tool in docker tar head timeout flock awk sort mktemp; do
    command -v "$tool" >/dev/null 2>&1 || die "required tool '$tool' not found on PATH"
done
case "${DOCKER_HOST:-}" in ""|unix://*) ;; *) die "DOCKER_HOST=$DOCKER_HOST is not a local socket; unset it" ;; esac
[[ -x "$GS_BIN" ]] || die "$GS_BIN not found; build it with: ./dev build (or set BENCH_BIN)"
timeout 20 docker info >/dev/null 2>&1 </dev/null || die "the Docker Engine is not reachable"
[[ -s "$MIRROR_DIR/SHA256SUMS" ]] || die "no Mutagen mirror in $MIRROR_DIR (./dev bench prepares it)"
timeout 20 docker image inspect "$IMAGE" >/dev/null 2>&1 </dev/null ||
    die "no image $IMAGE (./dev bench prepares it: scripts/make-test-image)"

# Container names are fixed, so two runs at once would fight over them.
exec 8>"${TMPDIR:-/tmp}/gardensync-bench-initial.lock"
flock -n 8 || die "another bench/initial.sh run is in progress"

# Short path: the Mutagen daemons' sockets live under it and Unix sockets are short.
WORK=$(mktemp -d "${TMPDIR:-/tmp}/gsi.XXXXXX")
GS_HOME=$WORK/home          # gardensync's HOME: the project's Mutagen data dir goes here
GS_CACHE=$WORK/cache        # XDG_CACHE_HOME: gardensync installs Mutagen here
GS_PROJECT=$WORK/gs
SRC=$GS_PROJECT/src         # the one tree every variant copies
RAW_DATA=$WORK/raw-data
RAW_HOME=$WORK/raw-home
mkdir -p "$GS_HOME" "$GS_CACHE" "$SRC" "$RAW_DATA" "$RAW_HOME"
MUTAGEN=""
GS_STARTED=0
RAW_DAEMON=0


cleanup() {
    local rc=$?
    trap - EXIT INT TERM
    set +e
    log "cleaning up"
    if [[ $GS_STARTED -eq 1 ]]; then
        gs 120 --yes cleanup deploy >>"$WORK/cleanup.log" 2>&1
        gs 60 util mutagen daemon stop >>"$WORK/cleanup.log" 2>&1
    fi
    bench_stop_raw_daemon
    timeout 120 docker rm -f "$GS_CONTAINER" "$RAW_CONTAINER" "$TAR_CONTAINER" "$CP_CONTAINER" >/dev/null 2>&1 </dev/null
    bench_cleanup_end "$rc"
}
bench_trap_cleanup

# Containers of an earlier run that was killed before its cleanup (the filter matches substrings,
# so gs-bench-init-app too).
leftovers=$(timeout 30 docker ps -aq --filter "name=bench-init-" </dev/null)
if [[ -n "$leftovers" ]]; then
    log "removing leftover containers of an earlier run"
    # shellcheck disable=SC2086 # one id per word
    timeout 120 docker rm -f $leftovers >/dev/null </dev/null
fi

# --- the tree -----------------------------------------------------------------------------------
# Sizes are log-uniform within three classes (90% of files 100 B-8 KiB, 9% 8-128 KiB, 1% 128 KiB-
# 4 MiB), then scaled so they add up to BENCH_MB MiB; the same seed gives the same tree every
# time. Contents come from /dev/urandom, so compression cannot help any variant. About ten files
# (names *.sh) are executable.
log "writing $FILES files ($MB MiB) in $FOLDERS folders"
awk -v n="$FILES" -v total=$((MB * 1048576)) -v folders="$FOLDERS" 'BEGIN {
    srand(42)
    every = int(n / 10); if (every < 1) every = 1
    for (i = 0; i < n; i++) {
        r = rand()
        if (r < 0.01) { lo = 131072; hi = 4194304 } else if (r < 0.10) { lo = 8192; hi = 131072 } else { lo = 100; hi = 8192 }
        s[i] = exp(log(lo) + rand() * (log(hi) - log(lo))); sum += s[i]
    }
    for (i = 0; i < n; i++) {
        d = i % folders
        printf "%d d%d/s%d/f%05d.%s\n", int(s[i] * total / sum), int(d / 10), d % 10, i, (i % every == every - 1 ? "sh" : "bin")
    }
}' >"$WORK/sizes"
awk -v src="$SRC" '{ sub(/\/[^\/]*$/, "", $2); print src "/" $2 }' "$WORK/sizes" | sort -u | xargs mkdir -p
while read -r size path; do head -c "$size" /dev/urandom >"$SRC/$path"; done <"$WORK/sizes"
find "$SRC" -type f -name '*.sh' -exec chmod +x {} +
BYTES=$(awk '{ t += $1 } END { print t }' "$WORK/sizes")
EXECS=$(grep -c '\.sh$' "$WORK/sizes" || true)

bench_write_project bench-init "$MODE"

# --- Mutagen: installed and started once, untimed, so no run pays for the install ------------------
log "installing Mutagen and starting gardensync's daemon"
GS_STARTED=1
gs 300 util mutagen sync list >"$WORK/gs-daemon.log" 2>&1 ||
    { sed 's/^/  gardensync: /' "$WORK/gs-daemon.log" >&2; die "gardensync could not start its Mutagen daemon"; }
HELPER=$GS_PROJECT/.garden/mutagen/latest/mutagen.sh
MUTAGEN=$(bench_mutagen_of "$HELPER")
[[ -n "$MUTAGEN" && -x "$MUTAGEN" ]] || die "cannot find the Mutagen binary gardensync installed (looked at $HELPER)"
MUTAGEN_VERSION=$(raw 30 version)
RAW_DAEMON=1
raw 60 daemon start >"$WORK/raw-daemon.log" 2>&1 || { cat "$WORK/raw-daemon.log" >&2; die "mutagen daemon start failed"; }

# --- the variants ---------------------------------------------------------------------------------
# The raw containers use Docker's default network, as gardensync's does: setting it up is part of
# what `docker run` costs.
run_container() { timeout 120 docker run -d --name "$1" "$IMAGE" sh -c "$KEEPALIVE" </dev/null; }
variant_gs() { gs "$TIMEOUT_S" --yes deploy --sync='*'; }
variant_raw() {
    run_container "$RAW_CONTAINER" &&
        raw "$TIMEOUT_S" sync create --no-global-configuration --name bench-init --mode "$MODE" \
            "$SRC" "docker://$RAW_CONTAINER$TARGET" &&
        bench_raw_wait_synced 1 "$TIMEOUT_S"
}
variant_tar() {
    run_container "$TAR_CONTAINER" &&
        timeout 60 docker exec "$TAR_CONTAINER" mkdir -p "$TARGET" </dev/null &&
        tar -C "$SRC" -cf - . | timeout "$TIMEOUT_S" docker exec -i "$TAR_CONTAINER" tar -xf - -C "$TARGET"
}
# `docker cp DIR/. C:PATH` creates PATH when it is missing, so no mkdir.
variant_cp() { run_container "$CP_CONTAINER" && timeout "$TIMEOUT_S" docker cp "$SRC/." "$CP_CONTAINER:$TARGET" </dev/null; }

VARIANTS=(gs raw tar cp)
declare -A LABEL=([gs]=gardensync [raw]=raw-mutagen [tar]=tar-floor [cp]=docker-cp)
declare -A CONTAINER=([gs]=$GS_CONTAINER [raw]=$RAW_CONTAINER [tar]=$TAR_CONTAINER [cp]=$CP_CONTAINER)
declare -A SAMPLES=([gs]="" [raw]="" [tar]="" [cp]="") P50 P95 PMAX
GS_WAIT=""   # gardensync's own "initial sync done in N ms" per run: the wait after creating the session

# Untimed: every file and every executable is in the container.
check_container() {
    local c=$1 out files execs
    out=$(timeout 120 docker exec "$c" sh -c "find $TARGET -type f | wc -l; find $TARGET -type f -perm -100 | wc -l" </dev/null) ||
        die "cannot count the files in $c"
    read -r files execs <<<"$(tr '\n' ' ' <<<"$out")"
    [[ $files -eq $FILES ]] || die "$c holds $files files in $TARGET, not $FILES"
    [[ $execs -eq $EXECS ]] || die "$c holds $execs executable files in $TARGET, not $EXECS"
}
# Untimed: removes what a variant made, so the next one starts on a machine without it.
# `cleanup deploy` also stops gardensync's daemon; it is started again here, so that both
# Mutagen variants start with their daemon running, as in their first run.
reset_variant() {
    case $1 in
        gs) { gs 120 --yes cleanup deploy && gs 120 util mutagen sync list; } >>"$WORK/reset.log" 2>&1 ||
                die "gardensync cleanup deploy or the daemon's restart failed" ;;
        raw) raw 120 sync terminate --all >>"$WORK/reset.log" 2>&1 || die "mutagen sync terminate failed" ;;
    esac
    timeout 120 docker rm -f "${CONTAINER[$1]}" >/dev/null 2>&1 </dev/null || true
    if timeout 20 docker container inspect "${CONTAINER[$1]}" >/dev/null 2>&1 </dev/null; then
        die "container ${CONTAINER[$1]} is still there after the reset"
    fi
}
secs() { awk -v u="$1" -v p="${2:-2}" 'BEGIN { if (u == "-") printf "-"; else printf "%." p "f", u / 1000000 }'; }

log "timing $RUNS runs of each variant ($MODE, Mutagen $MUTAGEN_VERSION)"
for ((run = 0; run < RUNS; run++)); do
    for ((i = 0; i < ${#VARIANTS[@]}; i++)); do
        # A different variant first each run, so none always profits from (or pays for) another.
        v=${VARIANTS[(run + i) % ${#VARIANTS[@]}]}
        # Written-back page cache of the previous variant's container would slow this one down.
        sync
        sleep 1
        bench_now_us; start=$NOW_US
        # In a subshell, so that a TERM or INT meanwhile runs cleanup() with the bench's own stderr.
        if ! ("variant_$v") >"$WORK/$v.log" 2>&1; then
            sed 's/^/  /' "$WORK/$v.log" >&2
            die "${LABEL[$v]} failed in run $((run + 1))"
        fi
        bench_now_us; us=$((NOW_US - start))
        SAMPLES[$v]+="$us "
        extra=""
        if [[ $v == gs ]]; then
            wait_ms=$(sed -n 's/.*initial sync done in \([0-9]*\) ms.*/\1/p' "$WORK/gs.log" | tail -n 1)
            GS_WAIT+="${wait_ms:--} "
            if [[ -n "$wait_ms" ]]; then extra=" (of which waiting for the initial sync: $(secs $((wait_ms * 1000))) s)"; fi
        fi
        printf '  run %d %-11s %7s s%s\n' "$((run + 1))" "${LABEL[$v]}" "$(secs "$us")" "$extra" >&2
        check_container "${CONTAINER[$v]}"
        reset_variant "$v"
    done
done

# --- report ---------------------------------------------------------------------------------------
for v in "${VARIANTS[@]}"; do read -r "P50[$v]" "P95[$v]" "PMAX[$v]" <<<"$(bench_stats "${SAMPLES[$v]}")"; done
RATIOS=("gs tar" "gs raw" "raw tar")
mkdir -p "$RESULTS_DIR"
STAMP=$(date -u +%Y-%m-%dT%H%M%SZ)
JSON=$RESULTS_DIR/$STAMP-initial.json
MD=$RESULTS_DIR/$STAMP-initial.md
HOST=$(bench_host)
GS_VERSION=$("$GS_BIN" version 2>/dev/null | head -n 1 || echo unknown)
MIB=$(awk -v b="$BYTES" 'BEGIN { printf "%.1f", b / 1048576 }')
{
    echo "### Initial sync into a new container: $FILES files, $MIB MiB ($MODE, $GS_VERSION)"
    echo
    echo "$RUNS runs per variant in rotating order, a fresh container each; from the first command until every file is in the container. p50/p95/max (nearest rank). Machine: $HOST."
    echo
    echo "| variant | p50 | p95 | max |"
    echo "| --- | ---: | ---: | ---: |"
    for v in "${VARIANTS[@]}"; do
        echo "| ${LABEL[$v]} | $(secs "${P50[$v]}") s | $(secs "${P95[$v]}") s | $(secs "${PMAX[$v]}") s |"
    done
    for pair in "${RATIOS[@]}"; do
        read -r a b <<<"$pair"
        target=""; if [[ $pair == "gs tar" ]]; then target=" (target ≤ 1.3)"; fi
        echo "| **${LABEL[$a]} / ${LABEL[$b]}**$target | $(bench_ratio "${P50[$a]}" "${P50[$b]}") | $(bench_ratio "${P95[$a]}" "${P95[$b]}") | $(bench_ratio "${PMAX[$a]}" "${PMAX[$b]}") |"
    done
} >"$MD"
json_num() { if [[ "$1" == - ]]; then printf null; else printf '%s' "$1"; fi; }
json_s_list() { printf '[%s]' "$(tr ' ' '\n' <<<"$1" | awk 'NF { printf "%s%s", (n++ ? ", " : ""), ($1 == "-" ? "null" : sprintf("%.3f", $1 / 1000000)) }')"; }
{
    printf '{\n  "date": "%s",\n  "host": "%s",\n  "gardensync": "%s",\n  "mutagen": "%s",\n' \
        "$STAMP" "${HOST//\"/}" "${GS_VERSION//\"/}" "$MUTAGEN_VERSION"
    printf '  "settings": {"files": %d, "bytes": %d, "folders": %d, "executables": %d, "runs": %d, "mode": "%s"},\n' \
        "$FILES" "$BYTES" "$FOLDERS" "$EXECS" "$RUNS" "$MODE"
    printf '  "variants": {\n'
    for v in "${VARIANTS[@]}"; do
        printf '    "%s": {"runs_s": %s, "p50_s": %s, "p95_s": %s, "max_s": %s}%s\n' "${LABEL[$v]}" "$(json_s_list "${SAMPLES[$v]}")" \
            "$(json_num "$(secs "${P50[$v]}" 3)")" "$(json_num "$(secs "${P95[$v]}" 3)")" "$(json_num "$(secs "${PMAX[$v]}" 3)")" "$([[ $v != cp ]] && echo ,)"
    done
    printf '  },\n  "gardensync_initial_sync_wait_s": %s,\n  "ratios": {' \
        "$(json_s_list "$(awk '{ for (i = 1; i <= NF; i++) printf "%s ", ($i == "-" ? "-" : $i * 1000) }' <<<"$GS_WAIT")")"
    sep=""
    for pair in "${RATIOS[@]}"; do
        read -r a b <<<"$pair"
        printf '%s\n    "%s/%s": {"p50": %s, "p95": %s, "max": %s}' "$sep" "${LABEL[$a]}" "${LABEL[$b]}" \
            "$(json_num "$(bench_ratio "${P50[$a]}" "${P50[$b]}")")" "$(json_num "$(bench_ratio "${P95[$a]}" "${P95[$b]}")")" \
            "$(json_num "$(bench_ratio "${PMAX[$a]}" "${PMAX[$b]}")")"
        sep=,
    done
    printf '\n  }\n}\n'
} >"$JSON"
echo
cat "$MD"
echo
echo "results: ${JSON#"$REPO"/} and ${MD#"$REPO"/}"
