#!/usr/bin/env bash
# The size of the library apps ship: hexin-ffi built with the release-size profile (Cargo.toml)
# for aarch64 Linux, the phones' instruction set, with cargo-zigbuild (scripts/aarch64.sh), then
# stripped; and what each crate contributes to its code and data (scripts/size-by-crate.py, from
# the symbols of the unstripped library):
#
#   bash scripts/size.sh [N]    # N: how many crates in the table (default 30)
#
# A release build with fat LTO, many minutes on two cores: a release step, not part of
# scripts/test.sh (docs/size.md has the figures and the times). Installs what it needs through
# scripts/aarch64.sh. Leaves the library with its symbols in
# target/aarch64-unknown-linux-gnu/release-size/libhexin_ffi.so and the stripped copy beside it,
# libhexin_ffi.stripped.so. (cargo-bloat does not take hexin-ffi, whose crate types include
# staticlib and lib.)
set -euo pipefail
cd "$(dirname "$0")/.."
target=aarch64-unknown-linux-gnu
lib=target/$target/release-size/libhexin_ffi.so

bash scripts/aarch64.sh cargo build --profile release-size -p hexin-ffi --lib
python3 scripts/size-by-crate.py "$lib" "${1:-30}"
llvm-strip --strip-all -o "${lib%.so}.stripped.so" "$lib"
echo
echo "sections of the stripped library (bytes):"
llvm-size -A "${lib%.so}.stripped.so" | awk 'NR > 2 && $2 > 0 && $1 != "Total" { printf "  %-20s %10d\n", $1, $2 }'
bytes=$(stat -c %s "${lib%.so}.stripped.so")
echo "libhexin_ffi.so, $target, release-size, stripped: $bytes bytes"
