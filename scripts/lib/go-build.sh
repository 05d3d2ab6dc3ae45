# shellcheck shell=bash
# Shared by build-kubernetes, build-registry and build-helm: build Go commands
# from the Go module proxy into a cache directory outside the clone.
#
# A caller sets, before sourcing:
#   GB_NAME     log prefix (the script's name)
#   GB_MODULE   module path, e.g. helm.sh/helm/v3
#   GB_VERSION  module version, e.g. v3.22.0
#   GB_CACHE    cache subdirectory name, e.g. helm-3.22.0
#   GB_PKGS     array of packages to build, e.g. (helm.sh/helm/v3/cmd/helm)
#   RECIPE      string; a cached build made with another RECIPE is rebuilt
# and may define, before calling gb_main:
#   gb_ldflags      prints extra -ldflags (after '-s -w'); $GB_INFO_TIME is set
#   gb_check BINDIR checks the freshly built binaries (die on failure)
#
# Layout: $CACHE_ROOT/go/{mod,build,path} hold Go's state, shared by every
# build here (and build-mutagen), so the standard library and the modules
# they have in common are fetched and compiled once; Go locks them itself.
# $CACHE_ROOT/$GB_CACHE/build/bin holds the binaries. build/ is only ever created
# by mv from a temporary directory, so an interrupted build leaves nothing
# half-made. gb_main prints the absolute bin directory on stdout.

log() { printf '%s: %s\n' "$GB_NAME" "$*" >&2; }
die() { printf '%s: error: %s\n' "$GB_NAME" "$*" >&2; exit 1; }

gb_cache_root() {
    if [[ -n "${GARDENSYNC_DEV_CACHE:-}" ]]; then
        printf '%s\n' "$GARDENSYNC_DEV_CACHE"
    elif [[ -n "${XDG_CACHE_HOME:-}" ]]; then
        printf '%s\n' "$XDG_CACHE_HOME/gardensync-dev"
    elif [[ -n "${HOME:-}" ]]; then
        printf '%s\n' "$HOME/.cache/gardensync-dev"
    else
        die "HOME is not set; set GARDENSYNC_DEV_CACHE to a cache directory"
    fi
}

gb_find_go() {
    if [[ -n "${GO:-}" ]]; then
        [[ -x "$GO" ]] || die "GO=$GO is not an executable"
        printf '%s\n' "$GO"
    elif command -v go >/dev/null 2>&1; then
        command -v go
    elif [[ -x /usr/local/go/bin/go ]]; then
        printf '%s\n' /usr/local/go/bin/go
    else
        die "Go toolchain not found (looked for 'go' on PATH and at /usr/local/go/bin/go); set GO=/path/to/go"
    fi
}

GB_WORK=""
GB_CHILD=""
gb_cleanup() {
    if [[ -n "$GB_CHILD" ]]; then
        kill -TERM "$GB_CHILD" 2>/dev/null || true
        wait "$GB_CHILD" 2>/dev/null || true
    fi
    if [[ -n "$GB_WORK" ]]; then rm -rf -- "$GB_WORK"; fi
}

# Run a command in the background and wait for it, so that INT/TERM traps fire
# at once and cleanup can stop the command before removing its directory.
gb_run() {
    "$@" </dev/null &
    GB_CHILD=$!
    local rc=0
    wait "$GB_CHILD" || rc=$?
    GB_CHILD=""
    return "$rc"
}

gb_cache_valid() {
    [[ -f "$GB_BUILD/RECIPE" && "$(cat "$GB_BUILD/RECIPE")" == "$RECIPE" ]] || return 1
    local pkg
    for pkg in "${GB_PKGS[@]}"; do
        [[ -x "$GB_BUILD/bin/${pkg##*/}" ]] || return 1
    done
    # Sizes, not hashes: hashing hundreds of MB would make every rerun slow.
    [[ -f "$GB_BUILD/SIZES" && "$(cd "$GB_BUILD/bin" && stat -c '%s %n' -- *)" == "$(cat "$GB_BUILD/SIZES")" ]]
}

# Prints the replace directives a wrapper module needs to reproduce the
# upstream build: non-filesystem replaces are copied; filesystem replaces of
# the form `X => ./staging/src/X` (Kubernetes' staging modules) become
# `X => X v0.<minor>.<patch>` for GB_VERSION v1.<minor>.<patch>. Any other
# filesystem replace cannot be reproduced and is an error.
gb_replaces() { # gb_replaces UPSTREAM_GO_MOD
    awk -v staging_version="v0.${GB_VERSION#v1.}" '
        function emit(line,   lhs, rhs) {
            sub(/[ \t]*\/\/.*$/, "", line); sub(/^[ \t]+/, "", line)
            if (line == "") return
            split(line, parts, /[ \t]*=>[ \t]*/)
            lhs = parts[1]; rhs = parts[2]
            if (rhs ~ /^\.\/staging\/src\//) {
                sub(/[ \t].*$/, "", lhs)
                print "replace " lhs " => " lhs " " staging_version
            } else if (rhs ~ /^(\.|\/)/) {
                print "UNREPRODUCIBLE " line
            } else {
                print "replace " line
            }
        }
        /^replace[ \t]*\(/ { inblock = 1; next }
        inblock && /^[ \t]*\)/ { inblock = 0; next }
        inblock { emit($0); next }
        /^replace[ \t]/ { sub(/^replace[ \t]+/, ""); emit($0) }
    ' "$1"
}

gb_build() {
    local go goversion started
    started=$SECONDS
    go=$(gb_find_go)
    goversion=$("$go" env GOVERSION 2>/dev/null) || die "'$go env GOVERSION' failed"
    log "using $go ($goversion)"

    # Keep the Go toolchain's state inside the cache and independent of the
    # caller's Go configuration; GOPROXY/GOSUMDB/GONOSUMDB etc. are honoured.
    export GOPATH=$GB_CACHE_ROOT/go/path GOMODCACHE=$GB_CACHE_ROOT/go/mod GOCACHE=$GB_CACHE_ROOT/go/build
    export GOFLAGS="-mod=mod -buildvcs=false -modcacherw" GOTOOLCHAIN=local GOWORK=off GO111MODULE=on GOENV=off
    export CGO_ENABLED=0
    unset GOOS GOARCH GOBIN

    GB_WORK=$(mktemp -d "$GB_CACHE_DIR/tmp.XXXXXX")
    local mod=$GB_WORK/module stage=$GB_WORK/build
    mkdir -p "$mod" "$stage/bin"

    log "fetching $GB_MODULE@$GB_VERSION from the module proxy..."
    gb_run "$go" -C "$mod" mod download -json "$GB_MODULE@$GB_VERSION" >"$GB_WORK/download.json" ||
        die "go mod download $GB_MODULE@$GB_VERSION failed: $(cat "$GB_WORK/download.json")"
    local upstream_gomod info
    upstream_gomod=$(sed -n 's/^[[:space:]]*"GoMod": "\(.*\)",\{0,1\}$/\1/p' "$GB_WORK/download.json")
    info=$(sed -n 's/^[[:space:]]*"Info": "\(.*\)",\{0,1\}$/\1/p' "$GB_WORK/download.json")
    [[ -n "$upstream_gomod" && -f "$upstream_gomod" ]] ||
        die "could not locate $GB_MODULE's go.mod (go mod download printed no GoMod path)"
    # The version's commit time, for build dates that do not change per build.
    GB_INFO_TIME=$(sed -n 's/.*"Time":"\([^"]*\)".*/\1/p' "$info" 2>/dev/null | head -n1)
    GB_INFO_TIME=${GB_INFO_TIME:-1970-01-01T00:00:00Z}

    local replaces godirective
    replaces=$(gb_replaces "$upstream_gomod")
    if grep -q '^UNREPRODUCIBLE' <<<"$replaces"; then
        die "$GB_MODULE's go.mod has filesystem replace directives that cannot be reproduced: $(grep '^UNREPRODUCIBLE' <<<"$replaces")"
    fi
    godirective=$(awk '$1 == "go" { print $2; exit }' "$upstream_gomod")
    {
        printf 'module example.local/%sbuild\n\ngo %s\n\n' "$GB_NAME" "${godirective:-1.23}"
        printf 'require %s %s\n' "$GB_MODULE" "$GB_VERSION"
        if [[ -n "$replaces" ]]; then printf '\n%s\n' "$replaces"; fi
    } >"$mod/go.mod"
    log "wrapper module: $(grep -c '^replace' "$mod/go.mod" || true) replace directives, go ${godirective:-1.23}"

    local ldflags="-s -w"
    if declare -F gb_ldflags >/dev/null; then ldflags+=" $(gb_ldflags)"; fi
    log "building ${GB_PKGS[*]##*/} (one go build; this can take a while)..."
    gb_run "$go" -C "$mod" build -trimpath -ldflags="$ldflags" -o "$stage/bin/" "${GB_PKGS[@]}" ||
        die "go build failed in $mod"

    if declare -F gb_check >/dev/null; then gb_check "$stage/bin"; fi
    (cd "$stage/bin" && sha256sum -- * >../SHA256SUMS && stat -c '%s %n' -- * >../SIZES)
    cp "$mod/go.mod" "$mod/go.sum" "$stage/"
    printf '%s\n' "$RECIPE" >"$stage/RECIPE"
    rm -rf -- "$GB_BUILD"
    mv -T -- "$stage" "$GB_BUILD"
    log "built in $((SECONDS - started))s; cached in $GB_BUILD ($(du -sh "$GB_BUILD/bin" | cut -f1) of binaries)"
}

gb_main() {
    local tool
    for tool in flock sha256sum mktemp awk sed; do
        command -v "$tool" >/dev/null 2>&1 || die "required tool '$tool' not found on PATH"
    done
    local root
    root=$(gb_cache_root)
    GB_CACHE_DIR=$root/$GB_CACHE
    mkdir -p "$GB_CACHE_DIR" || die "cannot create cache directory $GB_CACHE_DIR"
    GB_CACHE_DIR=$(cd "$GB_CACHE_DIR" && pwd -P)
    GB_CACHE_ROOT=$(cd "$root" && pwd -P)
    GB_BUILD=$GB_CACHE_DIR/build

    # Fast path without the lock: a complete build is only ever moved into place.
    if ! gb_cache_valid; then
        exec 9>"$GB_CACHE_DIR/.lock"
        if ! flock -n 9; then
            log "waiting for another $GB_NAME run (lock $GB_CACHE_DIR/.lock)..."
            flock 9
        fi
        trap gb_cleanup EXIT
        trap 'exit 130' INT
        trap 'exit 143' TERM
        if gb_cache_valid; then
            :   # another run built it while we waited
        else
            if [[ -e "$GB_BUILD" ]]; then log "cached build in $GB_BUILD is stale or damaged; rebuilding"; fi
            gb_build
        fi
    fi
    printf '%s\n' "$GB_BUILD/bin"
}
