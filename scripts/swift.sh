#!/usr/bin/env bash
# Sourced: makes a Swift 6 compiler available as `hexin_swift CMD ARGS...`, which runs CMD
# (swiftc, or a program swiftc built) with the repository, the cargo target directory, /tmp and
# any directories in $HEXIN_SWIFT_MOUNTS visible at the same paths.
#
# macOS, or Linux with swiftc on PATH: the local Swift. Otherwise (Linux, root): Debian
# trixie's swiftlang in a root made once with debootstrap under
# ${HEXIN_CACHE:-$HOME/.cache/hexin}/swift-root (about 1.5 GB; a few minutes the first time,
# nothing after). The stamp file marks a finished install, so an interrupted one is redone.
set -euo pipefail

HEXIN_SWIFT_ROOT=${HEXIN_SWIFT_ROOT:-${HEXIN_CACHE:-$HOME/.cache/hexin}/swift-root}
HEXIN_SWIFT_STAMP=$HEXIN_SWIFT_ROOT/.hexin-swiftlang-6.0.3

if [ "$(uname)" = Darwin ] || command -v swiftc >/dev/null 2>&1; then
    hexin_swift() { "$@"; }
else
    if [ ! -f "$HEXIN_SWIFT_STAMP" ]; then
        started=$(date +%s)
        echo "swift.sh: installing swiftlang into $HEXIN_SWIFT_ROOT (once)" >&2
        command -v debootstrap >/dev/null || { apt-get update -qq && apt-get install -y -qq debootstrap >/dev/null; }
        mirror=$(sed -n 's/^URIs: *//p' /etc/apt/sources.list.d/debian.sources 2>/dev/null | head -1)
        rm -rf "$HEXIN_SWIFT_ROOT"
        mkdir -p "$(dirname "$HEXIN_SWIFT_ROOT")"
        debootstrap --variant=minbase trixie "$HEXIN_SWIFT_ROOT" "${mirror:-http://deb.debian.org/debian}" >/dev/null
        cp /etc/resolv.conf "$HEXIN_SWIFT_ROOT/etc/resolv.conf"
        chroot "$HEXIN_SWIFT_ROOT" /bin/sh -c \
            'apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends swiftlang libc6-dev >/dev/null && apt-get clean'
        touch "$HEXIN_SWIFT_STAMP"
        echo "swift.sh: swiftlang installed in $(( $(date +%s) - started )) s" >&2
    fi
    # Runs a command inside the root with the repository, /tmp and the cache bind-mounted at
    # the same paths, so paths given on the host work inside; unmounts afterwards.
    hexin_swift() {
        local root=$HEXIN_SWIFT_ROOT repo mounts=() status=0
        repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
        # shellcheck disable=SC2086 # HEXIN_SWIFT_MOUNTS is a space-separated list
        for dir in "$repo" /tmp /proc "${CARGO_TARGET_DIR:-$repo/target}" ${HEXIN_SWIFT_MOUNTS:-}; do
            mkdir -p "$root$dir"
            mountpoint -q "$root$dir" || { mount --bind "$dir" "$root$dir" && mounts+=("$root$dir"); }
        done
        chroot "$root" /usr/bin/env -i PATH=/usr/bin:/bin HOME=/tmp LANG=C.UTF-8 \
            LD_LIBRARY_PATH="${HEXIN_SWIFT_LD_PATH:-}" /bin/sh -c 'cd "$0" && exec "$@"' "$PWD" "$@" || status=$?
        for ((i = ${#mounts[@]} - 1; i >= 0; i--)); do umount "${mounts[i]}" || umount -l "${mounts[i]}"; done
        return $status
    }
fi
