#!/usr/bin/env bash
# demo_test.sh BINARY
#
# Runs examples/demo.sh with the given gardensync binary in a HOME of its own, then checks that it
# left nothing behind: no process of that HOME (Mutagen daemon, file watcher), no container, and
# the example's files as they were. Needs the Docker Engine, the test image and the Mutagen mirror
# (GARDENSYNC_TEST_MIRROR), as ./dev test prepares them.
set -euo pipefail

BIN=${1:?usage: demo_test.sh BINARY}
HERE=$(cd "$(dirname "$0")" && pwd -P)
EXAMPLES=$(cd "$HERE/../../examples" && pwd -P)
: "${GARDENSYNC_TEST_MIRROR:?set GARDENSYNC_TEST_MIRROR to the Mutagen mirror (scripts/build-mutagen)}"

WORK=$(mktemp -d "${TMPDIR:-/tmp}/gs-demo-test.XXXXXX")
trap 'rm -rf "$WORK"' EXIT
fingerprint() { (cd "$EXAMPLES/hello-sync" && find . -path ./.garden -prune -o -type f -print0 | LC_ALL=C sort -z | xargs -0 sha256sum); }
before=$(fingerprint)

export HOME=$WORK/home XDG_CACHE_HOME=$WORK/cache
export GARDENSYNC_MUTAGEN_MIRROR=file://$GARDENSYNC_TEST_MIRROR
mkdir -p "$HOME"
"$EXAMPLES/demo.sh" "$BIN" </dev/null

failed=0
# Processes started for this HOME: the project's Mutagen daemon and gardensync's watcher.
# (A loop in this shell, not `grep -l /proc/*/...`: that grep's own command line names $HOME.)
processes_of_home() {
    left=""
    local dir pid
    for dir in /proc/[0-9]*; do
        pid=${dir#/proc/}
        [[ $pid == "$$" ]] && continue
        if grep -qsF -- "$HOME/" "$dir/cmdline" "$dir/environ"; then left+="$pid "; fi
    done
}
for _ in $(seq 20); do
    processes_of_home
    [[ -z "$left" ]] && break
    sleep 0.5
done
if [[ -n "$left" ]]; then
    echo "demo_test: processes of the demo are still running:" >&2
    for pid in $left; do echo "  $pid: $(tr '\0' ' ' </proc/"$pid"/cmdline 2>/dev/null)" >&2; done
    failed=1
fi
if docker container inspect gs-hello-sync-web >/dev/null 2>&1; then
    echo "demo_test: the container gs-hello-sync-web is still there" >&2
    failed=1
fi
if [[ "$(fingerprint)" != "$before" ]]; then
    echo "demo_test: the example's files changed:" >&2
    diff <(echo "$before") <(fingerprint) >&2 || true
    failed=1
fi
[[ $failed -eq 0 ]] && echo "demo_test: the demo ran and left nothing behind"
exit $failed
