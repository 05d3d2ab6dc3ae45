# shellcheck shell=bash
# Shared by the bench scripts: messages, the raw Mutagen wrapper and the end of every cleanup.
# A script sources it after setting WORK, RAW_HOME, RAW_DATA; it keeps MUTAGEN (the binary,
# once gardensync installed it) and RAW_DAEMON (1 once the raw daemon may run) up to date, and
# defines its own cleanup(), which ends with bench_cleanup_end.

log() { printf 'bench: %s\n' "$*" >&2; }
die() { printf 'bench: error: %s\n' "$*" >&2; exit 1; }

# raw SECONDS ARGS...: the same Mutagen binary as gardensync's, on a daemon of its own.
raw() {
    local limit=$1; shift
    env HOME="$RAW_HOME" MUTAGEN_DATA_DIRECTORY="$RAW_DATA" timeout "$limit" "$MUTAGEN" "$@" </dev/null
}

# The Mutagen binary gardensync installed, read from a project's mutagen.sh helper.
bench_mutagen_of() { # bench_mutagen_of HELPER
    sed -n "s/^exec '\\(.*\\)' \"\\\$@\"\$/\\1/p" "$1" 2>/dev/null || true
}

# Stops the raw sessions and daemon, if they may run; output goes to the cleanup log.
bench_stop_raw_daemon() {
    if [[ ${RAW_DAEMON:-0} -eq 1 ]]; then
        raw 60 sync terminate --all >>"$WORK/cleanup.log" 2>&1
        raw 60 daemon stop >>"$WORK/cleanup.log" 2>&1 || log "raw Mutagen daemon stop failed"
    fi
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
