#!/usr/bin/env bash
# hexin on aarch64 (the phones' instruction set) from an x86_64 Linux host, under qemu's
# user-mode emulation:
#
#   bash scripts/aarch64.sh bench [ROUNDS]  # bench/src/bin/guide_frames.rs (release), pinned to
#                                           # one core: HEXIN_CPU, default 1
#   bash scripts/aarch64.sh test ARGS...    # `cargo test --target aarch64-unknown-linux-gnu
#                                           # ARGS`, e.g. -p hexin-core --test guide
#   bash scripts/aarch64.sh build ARGS...   # `cargo build --target aarch64-unknown-linux-gnu
#                                           # ARGS` (scripts/size.sh)
#
# Installs what it needs, quiet when present: Rust's aarch64 standard library (rustup);
# cargo-zigbuild and zig (PyPI, pinned below, in a venv in ${HEXIN_CACHE:-~/.cache/hexin}/zigbuild),
# which compile the C of dependencies (ring) and link against zig's own aarch64 glibc; Debian's
# qemu-user-static and libc6-arm64-cross (apt-get, as root), the emulator and the aarch64 glibc
# it runs the binaries with. Builds go to target/aarch64-unknown-linux-gnu/. Times under qemu
# are those of an emulator, not of a phone: docs/performance.md has both.
set -euo pipefail
cd "$(dirname "$0")/.."

HEXIN_ZIGLANG_VERSION=0.17.1
HEXIN_CARGO_ZIGBUILD_VERSION=0.24.1
TARGET=aarch64-unknown-linux-gnu
VENV=${HEXIN_CACHE:-$HOME/.cache/hexin}/zigbuild
SYSROOT=/usr/aarch64-linux-gnu

case ${1:-} in
bench | test | build) ;;
*) sed -n '2,10p' "$0" >&2; exit 2 ;;
esac

rustup target list --installed | grep -qx "$TARGET" || rustup target add "$TARGET"
if [ "$("$VENV/bin/cargo-zigbuild" --version 2>/dev/null | cut -d' ' -f2)" != "$HEXIN_CARGO_ZIGBUILD_VERSION" ] ||
    [ "$("$VENV/bin/python" -m ziglang version 2>/dev/null)" != "$HEXIN_ZIGLANG_VERSION" ]; then
    echo "== installing cargo-zigbuild $HEXIN_CARGO_ZIGBUILD_VERSION and zig $HEXIN_ZIGLANG_VERSION into $VENV"
    rm -rf "$VENV" # another version, or an interrupted install
    python3 -m venv "$VENV"
    "$VENV/bin/pip" install -q --disable-pip-version-check \
        "ziglang==$HEXIN_ZIGLANG_VERSION" "cargo-zigbuild==$HEXIN_CARGO_ZIGBUILD_VERSION"
fi
if ! command -v qemu-aarch64-static >/dev/null || [ ! -e "$SYSROOT/lib/ld-linux-aarch64.so.1" ]; then
    echo "== installing qemu-user-static and libc6-arm64-cross (apt-get)"
    packages=(qemu-user-static libc6-arm64-cross)
    # apt-get update only when the install fails (no lists yet, or old ones).
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${packages[@]}" >/dev/null 2>&1 ||
        { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${packages[@]}" >/dev/null; }
fi

# cargo-zigbuild runs zig as `python3 -m ziglang`: the venv's python3 comes first.
export PATH="$VENV/bin:$PATH"
# No binfmt_misc here: cargo starts each aarch64 binary through qemu itself.
runner="qemu-aarch64-static -L $SYSROOT"
case $1 in
bench)
    export CARGO_TARGET_AARCH64_UNKNOWN_LINUX_GNU_RUNNER="taskset -c ${HEXIN_CPU:-1} $runner"
    cargo-zigbuild run -q --release --target "$TARGET" -p hexin-bench --bin guide_frames -- "${2:-20}"
    ;;
test)
    shift
    export CARGO_TARGET_AARCH64_UNKNOWN_LINUX_GNU_RUNNER="$runner"
    cargo-zigbuild test --target "$TARGET" "$@"
    ;;
build)
    shift
    cargo-zigbuild zigbuild --target "$TARGET" "$@"
    ;;
esac
