#!/usr/bin/env bash
# demo.sh BINARY
#
# Walks through sync mode on examples/hello-sync with the given gardensync
# binary: validate, show the sync plan, deploy with sync, show the page served
# from inside the container, edit web/site/index.html and time how long the
# edit takes to appear in the container, show the access log synced back into
# web/logs, show `sync status`, then stop the syncs and remove the deploy.
#
# The example is left as it was found: on exit (success, failure or Ctrl-C)
# index.html is restored from a backup, files the reverse sync brought into
# web/logs are removed, and if the demo deployed but did not get to clean up,
# it stops the syncs and removes the deploy (and, as a last resort, the
# container) itself.
#
# Needs: the Docker Engine, the image gardensync-test/busybox:latest
# (scripts/make-test-image) and gardensync's Mutagen (./dev demo prepares both).
set -euo pipefail

if [[ $# -ne 1 || -z "$1" || "$1" == -* ]]; then
    printf 'usage: %s BINARY\n  runs the hello-sync demo with the gardensync binary BINARY\n' "${0##*/}" >&2
    exit 2
fi

# Resolve the binary before changing directory.
BIN=$1
if [[ "$BIN" != */* ]]; then
    BIN=$(command -v -- "$BIN") || { printf 'demo: %s: not found on PATH\n' "$1" >&2; exit 2; }
fi
[[ -f "$BIN" && -x "$BIN" ]] || { printf 'demo: %s: not an executable file\n' "$1" >&2; exit 2; }
BIN=$(cd "$(dirname -- "$BIN")" && pwd -P)/$(basename -- "$BIN")

EXAMPLE_DIR=$(cd "$(dirname -- "$0")/hello-sync" && pwd -P)
cd "$EXAMPLE_DIR"

readonly CONTAINER=gs-hello-sync-web   # gs-<project>-<deploy>
readonly PAGE=web/site/index.html
readonly LOGS=web/logs
readonly SYNC_TIMEOUT=30

command -v docker >/dev/null 2>&1 || { echo "demo: docker not found on PATH" >&2; exit 1; }

step() { printf '\n==> %s\n' "$*"; }
# Show a command, then run it.
show() { printf '$ %s\n' "$*" | sed "s|$BIN|gardensync|"; "$@"; }
now_ms() { date +%s%3N; }

# --- leave the example as it was -------------------------------------------
BACKUP=$(mktemp "${TMPDIR:-/tmp}/hello-sync-index.XXXXXX")
cp -p -- "$PAGE" "$BACKUP"
LOGS_BEFORE=$(cd "$LOGS" && find . -mindepth 1 -print | LC_ALL=C sort)
DEPLOYED=0     # set once `deploy` has been started
CLEANED_UP=0   # set once `sync stop` and `cleanup deploy` have both succeeded

restore() {
    local rc=$?
    trap - EXIT INT TERM
    set +e
    if [[ $DEPLOYED -eq 1 && $CLEANED_UP -eq 0 ]]; then
        printf '\n==> demo: cleaning up after an early exit\n' >&2
        "$BIN" sync stop </dev/null >&2
        "$BIN" cleanup deploy --yes </dev/null >&2
        if docker container inspect "$CONTAINER" >/dev/null 2>&1; then
            echo "demo: removing container $CONTAINER" >&2
            docker rm -f "$CONTAINER" >/dev/null 2>&1
        fi
    fi
    if [[ -f "$BACKUP" ]]; then
        cmp -s -- "$BACKUP" "$PAGE" || cp -p -- "$BACKUP" "$PAGE"
        rm -f -- "$BACKUP"
    fi
    # Remove what the reverse sync brought into web/logs (e.g. access.log).
    local path
    while IFS= read -r path; do
        [[ -n "$path" ]] || continue
        grep -qxF -- "$path" <<<"$LOGS_BEFORE" || rm -rf -- "${LOGS:?}/${path#./}"
    done < <(cd "$LOGS" && find . -mindepth 1 -maxdepth 1 -print)
    if [[ $rc -eq 0 ]]; then
        printf '\n==> demo finished; %s restored\n' "$PAGE"
    else
        printf '\ndemo: failed (exit %d); %s restored\n' "$rc" "$PAGE" >&2
    fi
    exit "$rc"
}
trap restore EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# --- the demo ---------------------------------------------------------------
step "Check the project's configuration"
show "$BIN" validate

step "Show the plan: what would be deployed and which syncs would start"
show "$BIN" deploy --sync='*' --dry-run

step "Build, deploy and start the syncs (returns once the first sync is done)"
DEPLOYED=1
show "$BIN" deploy --sync='*' --detach --yes </dev/null

step "The page, fetched from inside the container"
printf '$ docker exec %s wget -qO- http://127.0.0.1:8080/\n' "$CONTAINER"
page=""
for _ in $(seq 50); do   # httpd may need a moment after the container starts
    if page=$(docker exec "$CONTAINER" wget -qO- http://127.0.0.1:8080/ 2>/dev/null); then break; fi
    page=""
    sleep 0.2
done
if [[ -z "$page" ]]; then
    echo "demo: the web server in $CONTAINER did not answer" >&2
    docker logs --tail 20 "$CONTAINER" >&2 || true
    exit 1
fi
printf '%s\n' "$page"
echo "(also on this machine: http://localhost:18080/)"

step "Edit $PAGE and wait for the change to reach the container"
marker="<p>Edited by demo.sh at $(date '+%Y-%m-%d %H:%M:%S.%N')</p>"
printf "\$ echo '%s' >> %s\n" "$marker" "$PAGE"
started=$(now_ms)
printf '%s\n' "$marker" >>"$PAGE"
synced=0
while (( $(now_ms) - started < SYNC_TIMEOUT * 1000 )); do
    if docker exec "$CONTAINER" cat /app/site/index.html 2>/dev/null | grep -qF -- "$marker"; then
        synced=1
        break
    fi
    sleep 0.1
done
elapsed=$(( $(now_ms) - started ))
if [[ $synced -eq 0 ]]; then
    echo "demo: the edit did not show up in $CONTAINER:/app/site/index.html within ${SYNC_TIMEOUT}s" >&2
    "$BIN" sync status </dev/null >&2 || true
    exit 1
fi
printf 'The edit reached the container after %d.%03d s:\n' $((elapsed / 1000)) $((elapsed % 1000))
printf '$ docker exec %s cat /app/site/index.html\n' "$CONTAINER"
docker exec "$CONTAINER" cat /app/site/index.html

step "The access log, synced back from the container into $LOGS/"
log_file=$LOGS/access.log
for _ in $(seq 50); do
    [[ -s "$log_file" ]] && break
    sleep 0.2
done
if [[ -s "$log_file" ]]; then
    show tail -n 4 "$log_file"
else
    echo "(no $log_file yet; the reverse sync may still be catching up)"
fi

step "What the syncs are doing"
show "$BIN" sync status

step "Stop the syncs and remove the deploy"
show "$BIN" sync stop
show "$BIN" cleanup deploy --yes </dev/null
CLEANED_UP=1
