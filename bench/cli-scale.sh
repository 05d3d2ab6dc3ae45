#!/usr/bin/env bash
# bench/cli-scale.sh — how gardensync's commands scale, side by side with what they wrap, in one run:
#
#   status  `gardensync sync status` (text and --output json) against `mutagen sync list` of the
#           same Mutagen binary on the same daemon, for projects with 1 and 20 sync sessions
#   config  `gardensync validate` and `gardensync deploy --sync=* --dry-run` on generated projects
#           of 10, 100 and 1,000 actions (no Docker, no Mutagen)
#   create  `gardensync sync start` creating 20 sessions in running containers (whole command, and
#           its creation part alone) against 20 sequential `mutagen sync create` of the same
#           sessions on a separate daemon, with the machine's CPU use while each ran
#
# Every time is the wall time of a whole command, started from this script. It reports
# p50/p95/max (nearest rank), differences and ratios, writes
# bench/results/<UTC time>-cli-scale.json and .md, and never passes or fails on timing.
#
# Environment: BENCH_SCENARIOS ("config status create"), BENCH_STATUS_RUNS (40),
# BENCH_STATUS_SESSIONS ("1 20"), BENCH_CONFIG_RUNS (10), BENCH_CONFIG_SIZES ("10 100 1000"),
# BENCH_CREATE_ROUNDS (6), BENCH_CREATE_SESSIONS (20), BENCH_CREATE_DEPLOYS (20),
# BENCH_BIN (build/gardensync), BENCH_MIRROR_DIR (~/.cache/gardensync-dev/mirror).
set -euo pipefail

SCENARIOS=${BENCH_SCENARIOS:-config status create}
STATUS_RUNS=${BENCH_STATUS_RUNS:-40}
STATUS_SESSIONS=${BENCH_STATUS_SESSIONS:-1 20}
CONFIG_RUNS=${BENCH_CONFIG_RUNS:-10}
CONFIG_SIZES=${BENCH_CONFIG_SIZES:-10 100 1000}
CREATE_ROUNDS=${BENCH_CREATE_ROUNDS:-6}
CREATE_SESSIONS=${BENCH_CREATE_SESSIONS:-20}
CREATE_DEPLOYS=${BENCH_CREATE_DEPLOYS:-20}
FILES_PER_PATH=10          # small files in each synced folder: the initial sync has real work
WARMUP_RUNS=3              # untimed runs of each command before its samples
POLL_S=0.1                 # how often the raw create loop asks whether all sessions are watching
IMAGE=gardensync-test/busybox:latest
KEEPALIVE="trap 'exit 0' TERM; while true; do sleep 1; done"
# Project and container names: gardensync names containers gs-<project>-<deploy>.
CREATE_PROJECT=scale-create
RAW_PREFIX=scale-raw-

positive() { [[ "$2" =~ ^[1-9][0-9]*$ ]] || { echo "bench: $1 must be a positive integer" >&2; exit 2; }; }
positive BENCH_STATUS_RUNS "$STATUS_RUNS"
positive BENCH_CONFIG_RUNS "$CONFIG_RUNS"
positive BENCH_CREATE_ROUNDS "$CREATE_ROUNDS"
positive BENCH_CREATE_SESSIONS "$CREATE_SESSIONS"
positive BENCH_CREATE_DEPLOYS "$CREATE_DEPLOYS"
for n in $STATUS_SESSIONS; do positive "BENCH_STATUS_SESSIONS item" "$n"; done
for n in $CONFIG_SIZES; do
    positive "BENCH_CONFIG_SIZES item" "$n"
    (( n % 2 == 0 )) || { echo "bench: BENCH_CONFIG_SIZES items must be even (Build+Deploy pairs)" >&2; exit 2; }
done
(( CREATE_SESSIONS % CREATE_DEPLOYS == 0 )) ||
    { echo "bench: BENCH_CREATE_SESSIONS must be a multiple of BENCH_CREATE_DEPLOYS" >&2; exit 2; }
for s in $SCENARIOS; do
    case $s in config|status|create) ;; *) echo "bench: unknown scenario '$s' in BENCH_SCENARIOS" >&2; exit 2 ;; esac
done
wants() { [[ " $SCENARIOS " == *" $1 "* ]]; }
NEEDS_DOCKER=0
if wants status || wants create; then NEEDS_DOCKER=1; fi

REPO=$(cd "$(dirname -- "$0")/.." && pwd -P)
GS_BIN=${BENCH_BIN:-$REPO/build/gardensync}
RESULTS_DIR=$REPO/bench/results
MIRROR_DIR=${BENCH_MIRROR_DIR:-$HOME/.cache/gardensync-dev/mirror}

# shellcheck source=bench/lib.sh
. "$REPO/bench/lib.sh"

for tool in timeout flock awk sort mktemp; do
    command -v "$tool" >/dev/null 2>&1 || die "required tool '$tool' not found on PATH"
done
[[ -x "$GS_BIN" ]] || die "$GS_BIN not found; build it with: ./dev build (or set BENCH_BIN)"
if [[ $NEEDS_DOCKER -eq 1 ]]; then
    command -v docker >/dev/null 2>&1 || die "required tool 'docker' not found on PATH"
    case "${DOCKER_HOST:-}" in ""|unix://*) ;; *) die "DOCKER_HOST=$DOCKER_HOST is not a local socket; unset it" ;; esac
    timeout 20 docker info >/dev/null 2>&1 </dev/null || die "the Docker Engine is not reachable"
    [[ -s "$MIRROR_DIR/SHA256SUMS" ]] || die "no Mutagen mirror in $MIRROR_DIR (./dev bench prepares it)"
    timeout 20 docker image inspect "$IMAGE" >/dev/null 2>&1 </dev/null ||
        die "no image $IMAGE (./dev bench prepares it: scripts/make-test-image)"
fi

# Container names are fixed, so two runs at once would fight over them.
exec 8>"${TMPDIR:-/tmp}/gardensync-bench-cli-scale.lock"
flock -n 8 || die "another bench/cli-scale.sh run is in progress"

# Short path: the Mutagen daemons' sockets live under it and Unix sockets are short.
WORK=$(mktemp -d "${TMPDIR:-/tmp}/gsc.XXXXXX")
GS_HOME=$WORK/home          # gardensync's HOME: the projects' Mutagen data dirs go here
GS_CACHE=$WORK/cache        # XDG_CACHE_HOME: gardensync installs Mutagen here
RAW_DATA=$WORK/raw-data     # MUTAGEN_DATA_DIRECTORY of the raw daemon (create scenario)
RAW_HOME=$WORK/raw-home
mkdir -p "$GS_HOME" "$GS_CACHE" "$RAW_DATA" "$RAW_HOME"
MUTAGEN=""
MUTAGEN_VERSION=-
DEPLOYED=()                 # project roots gardensync deployed into Docker
RAW_DAEMON=0
RAW_CONTAINERS=()

# gs ROOT SECONDS ARGS...: gardensync on a project, with the bench's HOME and cache only.
gs() {
    local root=$1 limit=$2; shift 2
    env -u GARDENSYNC_MUTAGEN_PATH -u MUTAGEN_DATA_DIRECTORY -u GARDENSYNC_WATCHER \
        HOME="$GS_HOME" XDG_CACHE_HOME="$GS_CACHE" GARDENSYNC_MUTAGEN_MIRROR="file://$MIRROR_DIR" \
        timeout "$limit" "$GS_BIN" --root "$root" "$@" </dev/null
}
# gsm DATA_DIR SECONDS ARGS...: the same Mutagen binary, talking to a gardensync project's daemon.
gsm() {
    local data=$1 limit=$2; shift 2
    env HOME="$GS_HOME" MUTAGEN_DATA_DIRECTORY="$data" MUTAGEN_DISABLE_AUTOSTART=1 \
        timeout "$limit" "$MUTAGEN" "$@" </dev/null
}

cleanup() {
    local rc=$? root
    trap - EXIT INT TERM
    set +e
    log "cleaning up"
    for root in "${DEPLOYED[@]}"; do
        gs "$root" 120 --yes cleanup deploy >>"$WORK/cleanup.log" 2>&1
        gs "$root" 60 util mutagen daemon stop >>"$WORK/cleanup.log" 2>&1
    done
    bench_stop_raw_daemon
    if [[ ${#RAW_CONTAINERS[@]} -gt 0 ]]; then
        timeout 120 docker rm -f "${RAW_CONTAINERS[@]}" >/dev/null 2>&1 </dev/null
    fi
    bench_cleanup_end "$rc"
}
bench_trap_cleanup

# Containers of an earlier run that was killed before its cleanup.
if [[ $NEEDS_DOCKER -eq 1 ]]; then
    leftovers=$(timeout 30 docker ps -aq --filter "name=gs-scale-" --filter "name=$RAW_PREFIX" </dev/null)
    if [[ -n "$leftovers" ]]; then
        log "removing leftover containers of an earlier run"
        # shellcheck disable=SC2086 # one id per word
        timeout 120 docker rm -f $leftovers >/dev/null </dev/null
    fi
fi

# --- measuring and summing up -----------------------------------------------------------------
# timed CMD...: runs CMD with its output discarded and sets US to its wall time in µs. A failing
# command stops the bench: a time of a failure is no measurement.
timed() {
    bench_now_us; TIMED_START=$NOW_US
    if ! "$@" >/dev/null 2>"$WORK/timed.err"; then
        sed 's/^/  /' "$WORK/timed.err" >&2
        die "failed: $*"
    fi
    bench_now_us; US=$((NOW_US - TIMED_START))
}
ms() { awk -v u="$1" 'BEGIN { if (u == "-") printf "-"; else printf "%.1f", u / 1000 }'; }
diff_ms() { awk -v a="$1" -v b="$2" 'BEGIN { if (a != "-" && b != "-") printf "%+.1f", (a - b) / 1000; else printf "-" }'; }
json_num() { if [[ "$1" == - ]]; then printf null; else printf '%s' "${1#+}"; fi; }
json_ms_list() {   # "us1 us2" -> [ms1, ms2]
    printf '[%s]' "$(tr ' ' '\n' <<<"$1" | awk 'NF { printf "%s%.1f", (n++ ? ", " : ""), $1 / 1000 }')"
}
declare -A SAMPLES P50 P95 PMAX
summarize() {   # summarize KEY: fills P50/P95/PMAX[KEY] from SAMPLES[KEY]
    read -r "P50[$1]" "P95[$1]" "PMAX[$1]" <<<"$(bench_stats "${SAMPLES[$1]:-}")"
}

# --- Mutagen: the binary gardensync installed, read from a project's helper script -------------
find_mutagen() {   # find_mutagen PROJECT_ROOT
    local helper=$1/.garden/mutagen/latest/mutagen.sh
    MUTAGEN=$(bench_mutagen_of "$helper")
    [[ -n "$MUTAGEN" && -x "$MUTAGEN" ]] || die "cannot find the Mutagen binary gardensync installed (looked at $helper)"
    MUTAGEN_VERSION=$(raw 30 version)
}
data_dir_of() { (cd "$1/.garden/mutagen/latest" && pwd -P); }
session_count() { gsm "$1" 30 sync list --template '{{ len . }}'; }

write_project_file() {   # write_project_file ROOT NAME
    mkdir -p "$1"
    cat >"$1/project.garden.yml" <<EOF
apiVersion: garden.io/v2
kind: Project
name: $2
defaultEnvironment: local
environments:
  - name: local
providers:
  - name: local-docker
    environments: [local]
EOF
}
fill_folder() {   # fill_folder DIR: FILES_PER_PATH small files
    local f
    mkdir -p "$1"
    for ((f = 0; f < FILES_PER_PATH; f++)); do printf 'file %d of %s\n' "$f" "$1" >"$1/f$f.txt"; done
}
# A container Deploy of the test image with PATHS one-way-replica sync paths src/<deploy>/p<j>.
write_sync_deploy() {   # write_sync_deploy ROOT DEPLOY PATHS
    local root=$1 deploy=$2 paths=$3 j
    {
        printf 'kind: Deploy\nname: %s\ntype: container\nspec:\n  image: %s\n' "$deploy" "$IMAGE"
        printf '  command: [sh, -c, "%s"]\n  sync:\n    paths:\n' "$KEEPALIVE"
        for ((j = 0; j < paths; j++)); do
            printf '      - source: src/%s/p%d\n        target: /app/p%d\n        mode: one-way-replica\n' "$deploy" "$j" "$j"
            fill_folder "$root/src/$deploy/p$j"
        done
    } >"$root/$deploy.garden.yml"
}

# ================================================================================================
# config: validate and deploy --dry-run on generated projects
# ================================================================================================
# ACTIONS/2 Build+Deploy pairs, one folder and one <name>.garden.yml per pair, ten pairs per group
# folder. Each Deploy syncs its folder's src/, takes its image and version from its Build's outputs,
# and uses project, environment and action variables; every fifth Deploy starts a new dependency
# chain (svc-1 depends on deploy.svc-0, ...).
generate_config_project() {   # generate_config_project ROOT ACTIONS
    local root=$1 pairs=$(($2 / 2)) i dir deps
    mkdir -p "$root"
    cat >"$root/project.garden.yml" <<EOF
apiVersion: garden.io/v2
kind: Project
name: scale-config-$2
defaultEnvironment: local
variables:
  appDir: /app
  logLevel: info
  syncMode: one-way-replica
  excludes: ["**/*.tmp", "**/node_modules"]
environments:
  - name: local
    variables:
      logLevel: debug
providers:
  - name: local-docker
    environments: [local]
EOF
    for ((i = 0; i < pairs; i++)); do
        dir=$root/services/group-$((i / 10))/svc-$i
        mkdir -p "$dir/src"
        printf 'FROM %s\nCOPY src /app/src\n' "$IMAGE" >"$dir/Dockerfile"
        printf 'service %d\n' "$i" >"$dir/src/index.txt"
        deps="build.svc-$i"
        if (( i % 5 != 0 )); then deps+=", deploy.svc-$((i - 1))"; fi
        cat >"$dir/svc-$i.garden.yml" <<EOF
kind: Build
name: svc-$i
type: container
description: generated service $i
spec:
  dockerfile: Dockerfile
  buildArgs:
    LOG_LEVEL: \${var.logLevel}
---
kind: Deploy
name: svc-$i
type: container
dependencies: [$deps]
variables:
  port: $((8000 + i))
spec:
  image: \${actions.build.svc-$i.outputs.deploymentImageId}
  env:
    LOG_LEVEL: \${var.logLevel}
    VERSION: \${actions.build.svc-$i.outputs.version}
    SERVICE: \${this.name}-\${var.port}
  ports:
    - name: http
      containerPort: \${var.port}
  sync:
    paths:
      - source: src
        target: \${var.appDir}/src
        mode: \${var.syncMode}
        exclude: \${var.excludes}
EOF
    done
}

CONFIG_COMMANDS=(validate dry-run)
config_cmd() {   # config_cmd COMMAND ROOT
    case $1 in
        validate) gs "$2" 300 validate ;;
        dry-run) gs "$2" 300 deploy --sync='*' --dry-run ;;
    esac
}
run_config() {
    local size root round c out expect
    for size in $CONFIG_SIZES; do
        root=$WORK/config-$size
        log "config: generating a project of $size actions"
        generate_config_project "$root" "$size"
        # The project must load as meant: every pair found, every Deploy with its sync path.
        out=$(gs "$root" 300 validate 2>&1) || { printf '%s\n' "$out" >&2; die "validate failed on $size actions"; }
        expect="$((size / 2)) Build, $((size / 2)) Deploy, $((size / 2)) sync paths"
        [[ "$out" == *"$expect"* ]] || { printf '%s\n' "$out" >&2; die "validate did not report '$expect'"; }
        out=$(gs "$root" 300 --output json deploy --sync='*' --dry-run 2>&1) ||
            { printf '%s\n' "$out" >&2; die "deploy --dry-run failed on $size actions"; }
        [[ $(grep -oE '"deploy": ?"svc-' <<<"$out" | wc -l) -eq $((size / 2)) ]] ||
            die "deploy --dry-run did not plan $((size / 2)) sessions"
        for c in "${CONFIG_COMMANDS[@]}"; do
            for ((round = 0; round < WARMUP_RUNS; round++)); do timed config_cmd "$c" "$root"; done
        done
        log "config: $CONFIG_RUNS runs of each command on $size actions"
        for ((round = 0; round < CONFIG_RUNS; round++)); do
            for c in "${CONFIG_COMMANDS[@]}"; do
                timed config_cmd "$c" "$root"
                SAMPLES[config:$size:$c]+="$US "
            done
        done
        for c in "${CONFIG_COMMANDS[@]}"; do summarize "config:$size:$c"; done
    done
}

# ================================================================================================
# status: sync status against mutagen sync list on the same daemon
# ================================================================================================
STATUS_VARIANTS=(gs-text gs-json mutagen-list mutagen-json gs-util gs-version)
declare -A STATUS_LABEL=(
    [gs-version]="gardensync version"
    [gs-text]="gardensync sync status"
    [gs-json]="gardensync sync status --output json"
    [mutagen-list]="mutagen sync list"
    [mutagen-json]="mutagen sync list --template '{{ json . }}'"
    [gs-util]="gardensync util mutagen sync list"
)
status_cmd() {   # status_cmd VARIANT ROOT DATA_DIR
    case $1 in
        gs-text) gs "$2" 60 sync status ;;
        gs-json) gs "$2" 60 --output json sync status ;;
        mutagen-list) gsm "$3" 60 sync list ;;
        mutagen-json) gsm "$3" 60 sync list --template '{{ json . }}' ;;
        gs-util) gs "$2" 60 util mutagen sync list ;;
        gs-version) gs "$2" 60 version ;;
    esac
}
run_status() {
    local n root data round i v
    local -a order
    for n in $STATUS_SESSIONS; do
        root=$WORK/status-$n
        write_project_file "$root" "scale-status-$n"
        write_sync_deploy "$root" app "$n"
        log "status: deploying a project with $n sync session(s)"
        DEPLOYED+=("$root")
        gs "$root" 600 --yes deploy --sync='*' --detach >"$WORK/status-$n-deploy.log" 2>&1 ||
            { sed 's/^/  gardensync: /' "$WORK/status-$n-deploy.log" >&2; die "gardensync deploy failed"; }
        [[ -n "$MUTAGEN" ]] || find_mutagen "$root"
        data=$(data_dir_of "$root")
        [[ $(session_count "$data") -eq $n ]] || die "the status project has $(session_count "$data") sessions, not $n"
        for v in "${STATUS_VARIANTS[@]}"; do
            for ((round = 0; round < WARMUP_RUNS; round++)); do timed status_cmd "$v" "$root" "$data"; done
        done
        log "status: $STATUS_RUNS runs of each command with $n session(s)"
        for ((round = 0; round < STATUS_RUNS; round++)); do
            # A different command first each round, so none always runs right after another.
            order=()
            for ((i = 0; i < ${#STATUS_VARIANTS[@]}; i++)); do
                order+=("${STATUS_VARIANTS[(round + i) % ${#STATUS_VARIANTS[@]}]}")
            done
            for v in "${order[@]}"; do
                timed status_cmd "$v" "$root" "$data"
                SAMPLES[status:$n:$v]+="$US "
            done
        done
        for v in "${STATUS_VARIANTS[@]}"; do summarize "status:$n:$v"; done
    done
}

# ================================================================================================
# create: gardensync sync start against sequential mutagen sync create
# ================================================================================================
PATHS_PER_DEPLOY=$((CREATE_SESSIONS / CREATE_DEPLOYS))
NCPU=$(nproc)
# Machine-wide CPU use from /proc/stat, to tell how much room parallel creates had: cpu_mark
# before, cpu_busy after sets BUSY to the average number of cores busy in between, in hundredths.
# Time of niced processes counts as idle: a background build run with nice (as ./dev runs its
# sanitizer build) gives way to the measured commands, so its time was free for them.
cpu_mark() {
    local _cpu user nice system idle iowait irq softirq steal _rest
    read -r _cpu user nice system idle iowait irq softirq steal _rest </proc/stat
    CPU_TOTAL=$((user + nice + system + idle + iowait + irq + softirq + steal)); CPU_IDLE=$((idle + iowait + nice))
}
cpu_busy() {
    local total0=$CPU_TOTAL idle0=$CPU_IDLE
    cpu_mark
    BUSY=$(( (CPU_TOTAL - total0 - (CPU_IDLE - idle0)) * 100 * NCPU / (CPU_TOTAL - total0 > 0 ? CPU_TOTAL - total0 : 1) ))
}
cores() { awk -v c="$1" 'BEGIN { if (c == "-" || c == "") printf "-"; else printf "%.2f", c / 100 }'; }
# Raw sessions: the same folders' contents, the same mode and container paths, Mutagen's defaults
# otherwise (as a user would type them), one container per gardensync Deploy.
# Mutagen 0.18.1's daemon can lose a new prompter before its first message ("prompter not found",
# nothing created); a create that says so is tried again, up to 3 times, as gardensync does.
raw_create_all() {
    local d j try err
    for ((d = 0; d < CREATE_DEPLOYS; d++)); do
        for ((j = 0; j < PATHS_PER_DEPLOY; j++)); do
            for ((try = 1; ; try++)); do
                err=$(raw 300 sync create --no-global-configuration --name "svc-$d-p$j" --mode one-way-replica \
                    "$WORK/create-raw/src/svc-$d/p$j" "docker://$RAW_PREFIX$d/app/p$j" 2>&1 >/dev/null) && break
                [[ $try -lt 3 && $err == *"prompter not found"* ]] || { printf '%s\n' "$err" >&2; return 1; }
            done
        done
    done
    raw_wait_synced
}
# Until every session watches after a successful first cycle with both endpoints connected:
# what gardensync's own wait (isSynced) requires.
raw_wait_synced() {
    local deadline=$((SECONDS + 300)) synced
    local template='{{ range . }}{{ if and (gt .SuccessfulCycles 0) .Alpha.Connected .Beta.Connected }}{{ .Status }}{{ "\n" }}{{ end }}{{ end }}'
    while true; do
        synced=$(raw 30 sync list --template "$template" | grep -cx 'Watching' || true)
        [[ $synced -ge $CREATE_SESSIONS ]] && return 0
        [[ $SECONDS -lt $deadline ]] || { echo "only $synced of $CREATE_SESSIONS raw sessions synced after 300 s" >&2; return 1; }
        sleep "$POLL_S"
    done
}
# gardensync logs "starting sync NAME: ..." for each session just before it creates them all
# (applySessions in src/cli/sync_control.cpp): GS_CREATE_FROM is when the first such line
# arrived, so the time from there to the end is its creation part, without the checks of the
# Deploys and containers that come first.
gs_start_all() {
    local line status=""
    GS_CREATE_FROM=""
    : >"$WORK/gs-start.log"
    while IFS= read -r line; do
        case $line in
            gs-exit=*) status=${line#gs-exit=}; continue ;;
            *"starting sync "*) if [[ -z "$GS_CREATE_FROM" ]]; then bench_now_us; GS_CREATE_FROM=$NOW_US; fi ;;
        esac
        printf '%s\n' "$line" >>"$WORK/gs-start.log"
    done < <(gs "$1" 600 --yes sync start 2>&1 >/dev/null; echo "gs-exit=$?")
    if [[ "$status" != 0 ]]; then cat "$WORK/gs-start.log" >&2; return 1; fi
    [[ -n "$GS_CREATE_FROM" ]] || { echo "gardensync sync start created no session" >&2; return 1; }
}
run_create() {
    local root=$WORK/create d j round v data creates=0
    write_project_file "$root" "$CREATE_PROJECT"
    for ((d = 0; d < CREATE_DEPLOYS; d++)); do
        write_sync_deploy "$root" "svc-$d" "$PATHS_PER_DEPLOY"
        for ((j = 0; j < PATHS_PER_DEPLOY; j++)); do fill_folder "$WORK/create-raw/src/svc-$d/p$j"; done
    done
    log "create: starting $CREATE_DEPLOYS containers with gardensync deploy (no sync) and $CREATE_DEPLOYS by hand"
    DEPLOYED+=("$root")
    gs "$root" 900 --yes deploy >"$WORK/create-deploy.log" 2>&1 ||
        { sed 's/^/  gardensync: /' "$WORK/create-deploy.log" >&2; die "gardensync deploy failed"; }
    # Starts the project's daemon the way gardensync does, so `sync start` finds it running as
    # the raw loop finds its own.
    gs "$root" 120 util mutagen sync list >"$WORK/create-daemon.log" 2>&1 ||
        { cat "$WORK/create-daemon.log" >&2; die "gardensync could not start its Mutagen daemon"; }
    [[ -n "$MUTAGEN" ]] || find_mutagen "$root"
    data=$(data_dir_of "$root")
    for ((d = 0; d < CREATE_DEPLOYS; d++)); do
        RAW_CONTAINERS+=("$RAW_PREFIX$d")
        timeout 60 docker run -d --name "$RAW_PREFIX$d" --network none "$IMAGE" sh -c "$KEEPALIVE" >/dev/null </dev/null
    done
    RAW_DAEMON=1
    raw 60 daemon start >"$WORK/raw-daemon.log" 2>&1 || { cat "$WORK/raw-daemon.log" >&2; die "mutagen daemon start failed"; }

    log "create: $CREATE_ROUNDS rounds of $CREATE_SESSIONS sessions per variant ($CREATE_DEPLOYS containers, $PATHS_PER_DEPLOY path(s) each)"
    for ((round = 0; round < CREATE_ROUNDS; round++)); do
        for v in $( ((round % 2 == 0)) && echo "gs raw" || echo "raw gs"); do
            if [[ $v == gs ]]; then
                if [[ $round -gt 0 ]]; then gs "$root" 120 sync stop >/dev/null 2>&1 || die "gardensync sync stop failed"; fi
                sleep 1   # let the stopped sessions' agents exit before the clock starts
                cpu_mark
                timed gs_start_all "$root"
                [[ $(session_count "$data") -eq $CREATE_SESSIONS ]] || die "gardensync started $(session_count "$data") sessions"
                creates=$((TIMED_START + US - GS_CREATE_FROM))
                if [[ $round -eq 0 ]]; then SAMPLES[create:gsc:first]=$creates; else SAMPLES[create:gsc]+="$creates "; fi
            else
                if [[ $round -gt 0 ]]; then raw 120 sync terminate --all >/dev/null 2>&1 || die "mutagen sync terminate failed"; fi
                sleep 1
                cpu_mark
                timed raw_create_all
            fi
            cpu_busy
            # The first round also installs Mutagen's agent into every container: kept apart.
            if [[ $round -eq 0 ]]; then
                SAMPLES[create:$v:first]=$US; SAMPLES[cpu:$v:first]=$BUSY
            else
                SAMPLES[create:$v]+="$US "; SAMPLES[cpu:$v]+="$BUSY "
            fi
            printf '  round %d %-11s %8s ms, %s cores busy%s\n' "$((round + 1))" "$( [[ $v == gs ]] && echo gardensync || echo raw-mutagen)" \
                "$(ms "$US")" "$(cores "$BUSY")" "$( [[ $v == gs ]] && echo ", creation part $(ms "$creates") ms")" >&2
        done
    done
    for v in gs gsc raw; do summarize "create:$v"; done
    for v in gs raw; do summarize "cpu:$v"; done
}

# --- run ----------------------------------------------------------------------------------------
if wants config; then run_config; fi
if wants status; then run_status; fi
if wants create; then run_create; fi

# --- report -------------------------------------------------------------------------------------
declare -A CREATE_LABEL=(
    [gs]="\`gardensync sync start\`, whole command"
    [gsc]="\`gardensync sync start\`, creation part (from its first \`starting sync\` line)"
    [raw]="raw \`mutagen sync create\` × $CREATE_SESSIONS, sequential, until all synced"
)
declare -A CREATE_RATIO_LABEL=([gs]="whole command / raw" [gsc]="creation part / raw")
declare -A CREATE_KEY=([gs]=gardensync [gsc]=gardensync-creation-part [raw]=raw-mutagen-sequential)
mkdir -p "$RESULTS_DIR"
STAMP=$(date -u +%Y-%m-%dT%H%M%SZ)
JSON=$RESULTS_DIR/$STAMP-cli-scale.json
MD=$RESULTS_DIR/$STAMP-cli-scale.md
DOCKER_VERSION=-
if [[ $NEEDS_DOCKER -eq 1 ]]; then DOCKER_VERSION=$(timeout 20 docker version --format '{{.Server.Version}}' 2>/dev/null </dev/null || echo unknown); fi
HOST="$(uname -sr), $(nproc) CPUs, $(awk -F': ' '/model name/ { print $2; exit }' /proc/cpuinfo 2>/dev/null), Docker $DOCKER_VERSION"
GS_VERSION=$("$GS_BIN" version 2>/dev/null | head -n 1 || echo unknown)
sizes=($CONFIG_SIZES)
{
    echo "## gardensync CLI scale ($GS_VERSION, Mutagen $MUTAGEN_VERSION)"
    echo
    echo "Machine: $HOST. Wall time of each whole command, p50/p95/max (nearest rank)."
    if wants status; then
        echo
        echo "### sync status against mutagen sync list (same binary, same daemon)"
        echo
        echo "$STATUS_RUNS runs per command (after $WARMUP_RUNS untimed), in rotating order. Δ is against \`mutagen sync list\`."
        echo
        echo "| sessions | command | p50 | p95 | max | Δ p50 | Δ p95 | ratio p50 |"
        echo "| ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: |"
        for n in $STATUS_SESSIONS; do
            base=status:$n:mutagen-list
            for v in "${STATUS_VARIANTS[@]}"; do
                k=status:$n:$v
                if [[ $v == mutagen-list ]]; then d50=""; d95=""; r=""; else
                    d50="$(diff_ms "${P50[$k]}" "${P50[$base]}") ms"; d95="$(diff_ms "${P95[$k]}" "${P95[$base]}") ms"
                    r=$(bench_ratio "${P50[$k]}" "${P50[$base]}"); fi
                echo "| $n | \`${STATUS_LABEL[$v]}\` | $(ms "${P50[$k]}") ms | $(ms "${P95[$k]}") ms | $(ms "${PMAX[$k]}") ms | $d50 | $d95 | $r |"
            done
        done
    fi
    if wants config; then
        echo
        echo "### validate and deploy --sync=* --dry-run on generated projects"
        echo
        echo "$CONFIG_RUNS runs per command and size (after $WARMUP_RUNS untimed). Growth: p50 against the previous size's p50 (linear = the size ratio)."
        echo
        echo "| actions | command | p50 | p95 | max | p50 per action | growth |"
        echo "| ---: | --- | ---: | ---: | ---: | ---: | ---: |"
        for c in "${CONFIG_COMMANDS[@]}"; do
            prev=""
            for size in "${sizes[@]}"; do
                k=config:$size:$c
                per=$(awk -v u="${P50[$k]}" -v n="$size" 'BEGIN { printf "%.2f", u / n / 1000 }')
                growth=""
                if [[ -n "$prev" ]]; then growth="$(bench_ratio "${P50[$k]}" "${P50[config:$prev:$c]}")x (size $(bench_ratio "$size" "$prev")x)"; fi
                label=$([[ $c == validate ]] && echo "validate" || echo "deploy --sync=* --dry-run")
                echo "| $size | \`$label\` | $(ms "${P50[$k]}") ms | $(ms "${P95[$k]}") ms | $(ms "${PMAX[$k]}") ms | $per ms | $growth |"
                prev=$size
            done
        done
    fi
    if wants create; then
        echo
        echo "### creating $CREATE_SESSIONS sync sessions in running containers"
        echo
        echo "$CREATE_DEPLOYS containers per variant, $PATHS_PER_DEPLOY session(s) each, $FILES_PER_PATH files per session. Round 1 also installs Mutagen's agent in every container; p50/p95/max are over rounds 2..$CREATE_ROUNDS. Until every session has synced once."
        echo
        echo "| variant | round 1 (agent install) | p50 | p95 | max | p50 per session | cores busy (round 1; p50) |"
        echo "| --- | ---: | ---: | ---: | ---: | ---: | ---: |"
        for v in gs gsc raw; do
            per=$(awk -v u="${P50[create:$v]}" -v n="$CREATE_SESSIONS" 'BEGIN { if (u == "-") printf "-"; else printf "%.1f", u / n / 1000 }')
            busy=""
            if [[ $v != gsc ]]; then busy="$(cores "${SAMPLES[cpu:$v:first]}"); $(cores "${P50[cpu:$v]}") of $NCPU"; fi
            echo "| ${CREATE_LABEL[$v]} | $(ms "${SAMPLES[create:$v:first]}") ms | $(ms "${P50[create:$v]}") ms | $(ms "${P95[create:$v]}") ms | $(ms "${PMAX[create:$v]}") ms | $per ms | $busy |"
        done
        for v in gs gsc; do
            echo "| **${CREATE_RATIO_LABEL[$v]}** | $(bench_ratio "${SAMPLES[create:$v:first]}" "${SAMPLES[create:raw:first]}") | $(bench_ratio "${P50[create:$v]}" "${P50[create:raw]}") | $(bench_ratio "${P95[create:$v]}" "${P95[create:raw]}") | $(bench_ratio "${PMAX[create:$v]}" "${PMAX[create:raw]}") | | |"
        done
    fi
} >"$MD"

json_stats() {   # json_stats KEY -> "runs_ms": [...], "p50_ms": .., "p95_ms": .., "max_ms": ..
    printf '"runs_ms": %s, "p50_ms": %s, "p95_ms": %s, "max_ms": %s' "$(json_ms_list "${SAMPLES[$1]:-}")" \
        "$(json_num "$(ms "${P50[$1]}")")" "$(json_num "$(ms "${P95[$1]}")")" "$(json_num "$(ms "${PMAX[$1]}")")"
}
{
    printf '{\n  "date": "%s",\n  "host": "%s",\n  "gardensync": "%s",\n  "mutagen": "%s",\n' \
        "$STAMP" "${HOST//\"/}" "${GS_VERSION//\"/}" "$MUTAGEN_VERSION"
    printf '  "settings": {"scenarios": "%s", "warmup_runs": %d, "status_runs": %d, "status_sessions": [%s], "config_runs": %d, "config_sizes": [%s], "create_rounds": %d, "create_sessions": %d, "create_deploys": %d, "files_per_path": %d}' \
        "$SCENARIOS" "$WARMUP_RUNS" "$STATUS_RUNS" "$(tr -s ' ' <<<"$STATUS_SESSIONS" | sed 's/ /, /g')" "$CONFIG_RUNS" \
        "$(tr -s ' ' <<<"$CONFIG_SIZES" | sed 's/ /, /g')" "$CREATE_ROUNDS" "$CREATE_SESSIONS" "$CREATE_DEPLOYS" "$FILES_PER_PATH"
    if wants status; then
        printf ',\n  "status": {'
        sep=""
        for n in $STATUS_SESSIONS; do
            base=status:$n:mutagen-list
            printf '%s\n    "%s": {\n' "$sep" "$n"
            for v in "${STATUS_VARIANTS[@]}"; do
                printf '      "%s": {"command": "%s", %s},\n' "$v" "${STATUS_LABEL[$v]//\"/\\\"}" "$(json_stats "status:$n:$v")"
            done
            printf '      "delta_ms_vs_mutagen_list": {"gs-text": {"p50": %s, "p95": %s}, "gs-json": {"p50": %s, "p95": %s}},\n' \
                "$(json_num "$(diff_ms "${P50[status:$n:gs-text]}" "${P50[$base]}")")" "$(json_num "$(diff_ms "${P95[status:$n:gs-text]}" "${P95[$base]}")")" \
                "$(json_num "$(diff_ms "${P50[status:$n:gs-json]}" "${P50[$base]}")")" "$(json_num "$(diff_ms "${P95[status:$n:gs-json]}" "${P95[$base]}")")"
            printf '      "ratio_p50_vs_mutagen_list": {"gs-text": %s, "gs-json": %s}\n    }' \
                "$(json_num "$(bench_ratio "${P50[status:$n:gs-text]}" "${P50[$base]}")")" "$(json_num "$(bench_ratio "${P50[status:$n:gs-json]}" "${P50[$base]}")")"
            sep=,
        done
        printf '\n  }'
    fi
    if wants config; then
        printf ',\n  "config": {'
        sep=""
        for size in "${sizes[@]}"; do
            printf '%s\n    "%s": {' "$sep" "$size"
            csep=""
            for c in "${CONFIG_COMMANDS[@]}"; do
                printf '%s"%s": {%s, "p50_per_action_ms": %s}' "$csep" "$c" "$(json_stats "config:$size:$c")" \
                    "$(awk -v u="${P50[config:$size:$c]}" -v n="$size" 'BEGIN { printf "%.3f", u / n / 1000 }')"
                csep=", "
            done
            printf '}'
            sep=,
        done
        printf ',\n    "growth_p50": {'
        csep=""
        for c in "${CONFIG_COMMANDS[@]}"; do
            printf '%s"%s": {' "$csep" "$c"
            gsep=""
            for ((i = 1; i < ${#sizes[@]}; i++)); do
                printf '%s"%s/%s": %s' "$gsep" "${sizes[i]}" "${sizes[i - 1]}" \
                    "$(json_num "$(bench_ratio "${P50[config:${sizes[i]}:$c]}" "${P50[config:${sizes[i - 1]}:$c]}")")"
                gsep=", "
            done
            printf '}'
            csep=", "
        done
        printf '}\n  }'
    fi
    if wants create; then
        printf ',\n  "create": {\n'
        for v in gs gsc raw; do
            cpu=""
            if [[ $v != gsc ]]; then
                cpu=$(printf ', "cores_busy_round1": %s, "cores_busy": [%s], "cores_busy_p50": %s' "$(cores "${SAMPLES[cpu:$v:first]}")" \
                    "$(tr ' ' '\n' <<<"${SAMPLES[cpu:$v]:-}" | awk 'NF { printf "%s%.2f", (n++ ? ", " : ""), $1 / 100 }')" \
                    "$(json_num "$(cores "${P50[cpu:$v]}")")")
            fi
            printf '    "%s": {"round1_ms": %s, %s%s},\n' "${CREATE_KEY[$v]}" \
                "$(json_num "$(ms "${SAMPLES[create:$v:first]}")")" "$(json_stats "create:$v")" "$cpu"
        done
        printf '    "ratios_vs_raw": {'
        sep=""
        for v in gs gsc; do
            printf '%s"%s": {"round1": %s, "p50": %s, "p95": %s, "max": %s}' "$sep" "${CREATE_KEY[$v]}" \
                "$(json_num "$(bench_ratio "${SAMPLES[create:$v:first]}" "${SAMPLES[create:raw:first]}")")" \
                "$(json_num "$(bench_ratio "${P50[create:$v]}" "${P50[create:raw]}")")" \
                "$(json_num "$(bench_ratio "${P95[create:$v]}" "${P95[create:raw]}")")" \
                "$(json_num "$(bench_ratio "${PMAX[create:$v]}" "${PMAX[create:raw]}")")"
            sep=", "
        done
        printf '}\n  }'
    fi
    printf '\n}\n'
} >"$JSON"
echo
cat "$MD"
echo
echo "results: ${JSON#"$REPO"/} and ${MD#"$REPO"/}"
