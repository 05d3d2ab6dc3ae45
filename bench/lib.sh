# shellcheck shell=bash
# Shared by the bench scripts: messages, the gardensync and raw Mutagen wrappers, statistics and
# the end of every cleanup (cli-scale.sh, which runs several projects, defines its own gs after).
# A script sources it after setting WORK, RAW_HOME, RAW_DATA; it keeps MUTAGEN (the binary,
# once gardensync installed it) and RAW_DAEMON (1 once the raw daemon may run) up to date, and
# defines its own cleanup(), which ends with bench_cleanup_end. A script that needs one more
# Mutagen daemon (latency.sh) defines a wrapper like raw on bench_mutagen_on.

log() { printf 'bench: %s\n' "$*" >&2; }
die() { printf 'bench: error: %s\n' "$*" >&2; exit 1; }

# bench_mutagen_on HOME DATA SECONDS ARGS...: the same Mutagen binary as gardensync's, on the
# daemon whose data dir is DATA, so it shares nothing with gardensync's or another wrapper's.
bench_mutagen_on() {
    local home=$1 data=$2 limit=$3; shift 3
    env HOME="$home" MUTAGEN_DATA_DIRECTORY="$data" timeout "$limit" "$MUTAGEN" "$@" </dev/null
}

# raw SECONDS ARGS...: Mutagen on the raw daemon (RAW_HOME, RAW_DATA).
raw() { bench_mutagen_on "$RAW_HOME" "$RAW_DATA" "$@"; }

# The Mutagen binary gardensync installed, read from a project's mutagen.sh helper.
bench_mutagen_of() { # bench_mutagen_of HELPER
    sed -n "s/^exec '\\(.*\\)' \"\\\$@\"\$/\\1/p" "$1" 2>/dev/null || true
}

# bench_stop_daemon WRAPPER: terminates the sessions of a wrapper's daemon (raw, or a script's
# own) and stops it; output goes to the cleanup log.
bench_stop_daemon() {
    "$1" 60 sync terminate --all >>"$WORK/cleanup.log" 2>&1
    "$1" 60 daemon stop >>"$WORK/cleanup.log" 2>&1 || log "$1 Mutagen daemon stop failed"
}

# Stops the raw sessions and daemon, if they may run.
bench_stop_raw_daemon() {
    if [[ ${RAW_DAEMON:-0} -eq 1 ]]; then bench_stop_daemon raw; fi
}

# The last step of cleanup(): shows the cleanup log when the run failed, removes WORK, exits.
bench_cleanup_end() { # bench_cleanup_end RC
    if [[ $1 -ne 0 && -s "$WORK/cleanup.log" ]]; then sed 's/^/  cleanup: /' "$WORK/cleanup.log" >&2; fi
    rm -rf -- "$WORK"
    exit "$1"
}

# cleanup() on every exit, Ctrl-C and TERM included.
bench_trap_cleanup() {
    trap cleanup EXIT
    trap 'exit 130' INT
    trap 'exit 143' TERM
}

# --- timing and summing up (bench_ names, so a script's own helpers keep theirs) -------------------
# Wall clock in µs into NOW_US, without a subshell.
# shellcheck disable=SC2034 # NOW_US is read by the scripts
bench_now_us() { local t=${EPOCHREALTIME/[.,]/}; NOW_US=$((10#$t)); }

# bench_stats "v1 v2 ..." -> "p50 p95 max" (nearest rank), "- - -" when empty.
bench_stats() {
    tr ' ' '\n' <<<"$1" | sort -n | awk '
        NF { v[++n] = $1 }
        END {
            if (n == 0) { print "- - -"; exit }
            r50 = int(0.5 * n); if (r50 < 0.5 * n) r50++
            r95 = int(0.95 * n); if (r95 < 0.95 * n) r95++
            printf "%d %d %d\n", v[r50], v[r95], v[n]
        }'
}

# bench_ratio A B -> A/B with two decimals, "-" when either is "-" or B is not above 0.
bench_ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (a != "-" && b != "-" && b > 0) printf "%.2f", a / b; else printf "-" }'; }

# bench_tree_ticks PID...: CPU time in clock ticks (user + system, including reaped children) of
# the processes PID... and all their descendants.
bench_tree_ticks() {
    local pid stat rest total=0 p
    local -a f
    local -A parent ticks
    for stat in /proc/[0-9]*/stat; do
        pid=${stat#/proc/}; pid=${pid%/stat}
        rest=$(cat "$stat" 2>/dev/null) || continue
        rest=${rest##*) }
        read -r -a f <<<"$rest"
        parent[$pid]=${f[1]}
        ticks[$pid]=$(( f[11] + f[12] + f[13] + f[14] ))
    done
    for pid in "${!ticks[@]}"; do
        p=$pid
        while [[ -n "$p" && "$p" -gt 1 ]]; do
            if [[ " $* " == *" $p "* ]]; then total=$((total + ticks[$pid])); break; fi
            p=${parent[$p]:-}
        done
    done
    echo "$total"
}

# Integer settings: bench_positive NAME VALUE and bench_non_negative NAME VALUE exit 2 unless
# VALUE is one.
bench_positive() { [[ "$2" =~ ^[1-9][0-9]*$ ]] || { echo "bench: $1 must be a positive integer" >&2; exit 2; }; }
bench_non_negative() { [[ "$2" =~ ^[0-9]+$ ]] || { echo "bench: $1 must be a non-negative integer" >&2; exit 2; }; }

# What latency.sh and pod-latency.sh share, after REPO, EDITS, JITTER_MS and IDLE_S are set: the
# checks of those, BENCH_SEED, and GS_BIN, RESULTS_DIR and MIRROR_DIR.
# shellcheck disable=SC2034 # the variables are the scripts'
bench_edit_settings() {
    bench_positive BENCH_EDITS "$EDITS"
    bench_non_negative BENCH_JITTER_MS "$JITTER_MS"
    bench_non_negative BENCH_IDLE_S "$IDLE_S"
    if [[ -n "${BENCH_SEED:-}" ]]; then RANDOM=$BENCH_SEED; fi
    GS_BIN=$REPO/build/gardensync
    RESULTS_DIR=$REPO/bench/results
    MIRROR_DIR=${BENCH_MIRROR_DIR:-$HOME/.cache/gardensync-dev/mirror}
}

# Wall clock in ms into NOW; a pause of MS milliseconds; before a cold edit a random pause of
# 0..JITTER_MS, so that edits land at any moment of Mutagen's polling cycle.
bench_now_ms() { local t=${EPOCHREALTIME/[.,]/}; NOW=$((10#$t / 1000)); }
bench_sleep_ms() { sleep "$(awk -v ms="$1" 'BEGIN { printf "%.3f", ms / 1000 }')"; }
bench_random_pause() { if [[ $JITTER_MS -gt 0 ]]; then bench_sleep_ms $(( (RANDOM * 32768 + RANDOM) % JITTER_MS )); fi; }

# JSON of "v1 v2 ..." as an array, and of one number ("-" is null, a leading "+" is dropped).
bench_json_arr() { local a; a=$(tr -s ' ' <<<"$1" | sed 's/^ //; s/ $//; s/ /, /g'); printf '[%s]' "$a"; }
bench_json_num() { if [[ "$1" == - ]]; then printf null; else printf '%s' "${1#+}"; fi; }

# --- one latency (latency.sh, pod-latency.sh) ------------------------------------------------
# Both take EXEC, a function that runs a command (its further arguments) in the container or pod
# WHERE with stdin kept open, so that the helper inside is started and ready before the timing.
# They set LAT (ms), and TIMED_OUT=1 with LAT=TIMEOUT_S*1000 when the change never shows.

# bench_measure_to_target EXEC WHERE LOCAL_FILE TARGET_FILE: a probe inside waits for a fresh
# token in TARGET_FILE (checking every 5 ms); the token is written into LOCAL_FILE once it runs.
# shellcheck disable=SC2016,SC2034,SC2153 # the sh script is the probe's; LAT and TIMED_OUT are read by the scripts; coproc sets PROBE_PID
bench_measure_to_target() {
    local exec=$1 where=$2 file=$3 target=$4 token line start
    token="tok-$RANDOM$RANDOM-$EPOCHREALTIME"
    TIMED_OUT=0
    coproc PROBE {
        "$exec" "$where" sh -c 'echo ready; while ! grep -qF "$1" "$0" 2>/dev/null; do sleep 0.005; done; echo seen' \
            "$target" "$token" 2>/dev/null
    }
    local probe_pid=$PROBE_PID
    if ! read -r -t 30 line <&"${PROBE[0]}" || [[ $line != ready ]]; then die "the probe in $where did not start"; fi
    bench_now_ms; start=$NOW
    printf '%s\n' "$token" >"$file"
    if read -r -t "$TIMEOUT_S" line <&"${PROBE[0]}" && [[ $line == seen ]]; then
        bench_now_ms; LAT=$((NOW - start))
    else
        LAT=$((TIMEOUT_S * 1000)); TIMED_OUT=1
        kill "$probe_pid" 2>/dev/null || true
    fi
    wait "$probe_pid" 2>/dev/null || true
}

# bench_measure_to_local EXEC WHERE LOCAL_FILE TARGET_FILE: the other way. A shell inside writes
# the token into TARGET_FILE on request; the latency runs from just before the request to the
# moment LOCAL_FILE, checked every 5 ms, holds it.
# shellcheck disable=SC2016,SC2034,SC2153 # the sh script is the writer's; LAT and TIMED_OUT are read by the scripts; coproc sets WRITER_PID
bench_measure_to_local() {
    local exec=$1 where=$2 file=$3 target=$4 token line start deadline
    token="tok-$RANDOM$RANDOM-$EPOCHREALTIME"
    TIMED_OUT=0
    coproc WRITER {
        "$exec" "$where" sh -c 'echo ready; read -r path token; printf "%s\n" "$token" > "$path"; echo written' 2>/dev/null
    }
    local writer_pid=$WRITER_PID
    if ! read -r -t 30 line <&"${WRITER[0]}" || [[ $line != ready ]]; then die "the writer in $where did not start"; fi
    bench_now_ms; start=$NOW; deadline=$((start + TIMEOUT_S * 1000))
    printf '%s %s\n' "$target" "$token" >&"${WRITER[1]}"
    LAT=$((TIMEOUT_S * 1000)); TIMED_OUT=1
    while bench_now_ms; [[ $NOW -lt $deadline ]]; do
        if grep -qF "$token" "$file" 2>/dev/null; then LAT=$((NOW - start)); TIMED_OUT=0; break; fi
        sleep 0.005
    done
    wait "$writer_pid" 2>/dev/null || true
}

# One line about the machine: kernel, CPUs, CPU model, Docker Engine version.
bench_host() {
    printf '%s, %s CPUs, %s, Docker %s' "$(uname -sr)" "$(nproc)" \
        "$(awk -F': ' '/model name/ { print $2; exit }' /proc/cpuinfo 2>/dev/null)" \
        "$(timeout 20 docker version --format '{{.Server.Version}}' 2>/dev/null </dev/null || echo unknown)"
}

# bench_raw_wait_synced COUNT SECONDS: polls the raw daemon every 0.1 s until COUNT sessions watch
# after a successful first cycle with both endpoints connected, which is what gardensync's own
# wait (isSynced in src/mutagen/session_status.cpp) requires; fails after SECONDS.
bench_raw_wait_synced() {
    local want=$1 deadline=$((SECONDS + $2)) synced
    local template='{{ range . }}{{ if and (gt .SuccessfulCycles 0) .Alpha.Connected .Beta.Connected }}{{ .Status }}{{ "\n" }}{{ end }}{{ end }}'
    while true; do
        synced=$(raw 30 sync list --template "$template" | grep -cx 'Watching' || true)
        [[ $synced -ge $want ]] && return 0
        [[ $SECONDS -lt $deadline ]] || { echo "only $synced of $want raw sessions synced after $2 s" >&2; return 1; }
        sleep 0.1
    done
}

# gs SECONDS ARGS...: build/gardensync (GS_BIN) on the project GS_PROJECT, with a HOME (GS_HOME)
# and cache (GS_CACHE) of its own, installing Mutagen from MIRROR_DIR; no stdin. GARDENSYNC_WATCHER
# is GS_WATCHER when that is set, else unset.
gs() {
    local limit=$1; shift
    env -u GARDENSYNC_MUTAGEN_PATH -u MUTAGEN_DATA_DIRECTORY -u GARDENSYNC_WATCHER \
        ${GS_WATCHER:+GARDENSYNC_WATCHER="$GS_WATCHER"} HOME="$GS_HOME" XDG_CACHE_HOME="$GS_CACHE" GARDENSYNC_MUTAGEN_MIRROR="file://$MIRROR_DIR" \
        timeout "$limit" "$GS_BIN" --root "$GS_PROJECT" "$@" </dev/null
}

# bench_write_project NAME MODE: GS_PROJECT becomes the Garden project NAME with one container
# Deploy `app` of IMAGE running KEEPALIVE, syncing its src folder to TARGET in MODE.
bench_write_project() {
    cat >"$GS_PROJECT/project.garden.yml" <<EOF
apiVersion: garden.io/v2
kind: Project
name: $1
environments:
  - name: local
EOF
    cat >"$GS_PROJECT/garden.yml" <<EOF
kind: Deploy
name: app
type: container
spec:
  image: $IMAGE
  command: [sh, -c, "$KEEPALIVE"]
  sync:
    paths:
      - source: src
        target: $TARGET
        mode: $2
EOF
}
