#!/usr/bin/env bash
# Sourced by test.sh and demo.sh: makes sure Node.js >= 20.19 with npm is on PATH (installing
# Debian's nodejs and npm when missing and apt-get is usable), and that tests/tus-server has
# its npm dependencies from the committed lockfile. Idempotent: `npm ci` runs only when
# node_modules was not installed from the current package-lock.json (the same stamp the Rust
# harness in tests/src/server.rs checks).

node_ok() {
    command -v node >/dev/null && command -v npm >/dev/null &&
        node -e 'const [a,b]=process.versions.node.split(".").map(Number); process.exit(a>20||(a==20&&b>=19)?0:1)'
}

ensure_node() {
    if node_ok; then return; fi
    if command -v apt-get >/dev/null && [ "$(id -u)" = 0 ]; then
        echo "== installing nodejs and npm from the Debian archive"
        DEBIAN_FRONTEND=noninteractive apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nodejs npm >/dev/null
    fi
    node_ok || { echo "Node.js >= 20.19 with npm is needed for the tus server tests" >&2; exit 1; }
}

ensure_tus_server_deps() {
    local dir want
    dir="$(git rev-parse --show-toplevel)/tests/tus-server"
    want=$(sha256sum "$dir/package-lock.json" | cut -d' ' -f1)
    if [ "$(cat "$dir/node_modules/.hexin-lockfile-sha256" 2>/dev/null)" != "$want" ]; then
        echo "== npm ci in tests/tus-server"
        (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error) && echo "$want" >"$dir/node_modules/.hexin-lockfile-sha256"
    fi
}

ensure_node
ensure_tus_server_deps

# Starts the local tus server with its store and assembled packages under DIR, on a free
# loopback port, and waits until it listens; sets TUS_SERVER (its pid) and TUS_ENDPOINT. The
# caller stops it (kill "$TUS_SERVER").
start_tus_server() {
    local dir=$1
    mkdir -p "$dir"
    : >"$dir/log"
    node "$(git rev-parse --show-toplevel)/tests/tus-server/server.mjs" \
        --store "$dir/store" --packages "$dir/packages" --port 0 >"$dir/log" 2>&1 &
    TUS_SERVER=$!
    for _ in $(seq 100); do
        TUS_ENDPOINT=$(sed -n 's/^listening //p' "$dir/log")
        [ -n "$TUS_ENDPOINT" ] && return 0
        sleep 0.1
    done
    cat "$dir/log" >&2
    return 1
}
