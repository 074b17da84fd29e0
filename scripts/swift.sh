#!/usr/bin/env bash
# Sourced by the binding tests: makes Swift available, installing it once, and defines
#
#   hexin_swift CMD [ARGS...]   # runs swiftc, or a program swiftc built, with host paths as they are
#   $SWIFT_RUN  CMD [ARGS...]   # the same as an executable (scripts/swift-run.sh), for any process
#
# macOS, or Linux with swiftc on PATH: the local Swift, CMD runs as it is. Otherwise (Linux, as
# root): Debian trixie's swiftlang in a root made once with debootstrap in $HEXIN_SWIFT_ROOT
# (default ${HEXIN_CACHE:-$HOME/.cache/hexin}/swift-root), where each call runs with the
# repository, $CARGO_TARGET_DIR, the current directory, /tmp and $HEXIN_SWIFT_MOUNTS visible
# at their own paths; HEXIN_SWIFT_LD_PATH=dir1:dir2 becomes the program's LD_LIBRARY_PATH, and
# HEXIN_* and RUST_* variables pass through. See scripts/swift-run.sh and docs/toolchains.md.
# Quiet when Swift is already there; the first install prints what it does and how long it took.

[ -z "${HEXIN_CACHE:-}" ] || export HEXIN_CACHE
[ -z "${HEXIN_SWIFT_ROOT:-}" ] || export HEXIN_SWIFT_ROOT
SWIFT_RUN=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/swift-run.sh
export SWIFT_RUN
"$SWIFT_RUN" --install || return 1
HEXIN_SWIFT_WHERE=$("$SWIFT_RUN" --where) # "local", or the root the commands run in
export HEXIN_SWIFT_WHERE

hexin_swift() { "$SWIFT_RUN" "$@"; }
